//! `session-test list|clear [ID]`: the persisted sessions of a workspace, without values.
//!
//! `cargo run --bin session-test -- list` (in a workspace that depends on session-test: `cargo run -p session-test --bin session-test -- list`)
//! The directory is `$SESSION_TEST_CACHE_DIR`, else `target/session-test/sessions/`, or
//! `--dir PATH`.

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use session_test::persisted;

fn ago(secs: u64, now: u64) -> String {
    let d = now.saturating_sub(secs);
    match d {
        0..=119 => format!("{d} s ago"),
        120..=7199 => format!("{} min ago", d / 60),
        _ => format!("{} h ago", d / 3600),
    }
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut dir = persisted::cache_dir();
    if let Some(i) = args.iter().position(|a| a == "--dir") {
        if i + 1 < args.len() {
            dir = PathBuf::from(args.remove(i + 1));
        }
        args.remove(i);
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    match args.first().map(String::as_str) {
        Some("list") => {
            let all = persisted::list_in(&dir);
            if all.is_empty() {
                println!("no persisted sessions in {}", dir.display());
            }
            for s in all {
                let cookies: Vec<String> = s
                    .cookies
                    .iter()
                    .map(|(name, expires)| match expires {
                        None => format!("{name} (session cookie)"),
                        Some(e) if (*e as u64) < now => format!("{name} (expired)"),
                        Some(e) => format!("{name} (expires in {} min)", (*e as u64 - now) / 60),
                    })
                    .collect();
                println!(
                    "{}\n  saved {}, defined at {}\n  origins: {}\n  cookies: {}\n  file: {}",
                    s.id,
                    ago(s.saved_at, now),
                    s.location,
                    if s.origins.is_empty() {
                        "-".into()
                    } else {
                        s.origins.join(", ")
                    },
                    if cookies.is_empty() {
                        "-".into()
                    } else {
                        cookies.join(", ")
                    },
                    s.path.display()
                );
            }
        }
        Some("clear") => {
            let n = persisted::delete_in(&dir, args.get(1).map(String::as_str));
            println!("deleted {n} persisted session(s) from {}", dir.display());
        }
        _ => {
            eprintln!("usage: session-test [--dir PATH] list | clear [ID]");
            std::process::exit(2);
        }
    }
}
