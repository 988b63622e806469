//! Running fixture test binaries as child processes, and finding what they leave behind.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// The newest built test binary named `name` (cargo puts it beside this one, in deps/).
pub fn fixture(name: &str) -> PathBuf {
    let deps = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    let prefix = format!("{name}-");
    std::fs::read_dir(&deps)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let file = p.file_name().unwrap().to_string_lossy().to_string();
            file.starts_with(&prefix) && p.extension().is_none() && is_executable(p)
        })
        .max_by_key(|p| p.metadata().and_then(|m| m.modified()).ok())
        .unwrap_or_else(|| panic!("no built fixture `{name}` in {}", deps.display()))
}

pub fn is_executable(p: &std::path::Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.metadata()
        .map(|m| m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

pub fn run(name: &str, args: &[&str]) -> Output {
    Command::new(fixture(name))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run fixture")
}

/// Runs fixture `name` with `args` and extra environment `env`; its output and all it printed.
pub fn run_with_env(name: &str, args: &[&str], env: &[(&str, &str)]) -> (Output, String) {
    let out = Command::new(fixture(name))
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let shown = text(&out);
    (out, shown)
}

/// Runs the ignored test `test` of fixture `binary` against the demo app at `app_url`, its
/// sessions persisted in `cache_dir`; it must pass. All it printed.
pub fn run_on_disk(binary: &str, test: &str, app_url: &str, cache_dir: &std::path::Path) -> String {
    let out = Command::new(fixture(binary))
        .args(["--ignored", "--exact", test, "--nocapture"])
        .env("DEMO_APP_URL", app_url)
        .env("SESSION_TEST_CACHE_DIR", cache_dir)
        .env_remove("SESSION_TEST_FRESH")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let shown = text(&out);
    assert!(out.status.success(), "{binary}:\n{shown}");
    shown
}

/// What `shown` has after `key` on its first line that starts so.
pub fn printed_after(shown: &str, key: &str) -> String {
    shown
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .unwrap_or_else(|| panic!("no {key:?} in:\n{shown}"))
        .to_string()
}

/// The failure report of `test` in `output` (from its header to the next blank line).
pub fn report_of<'a>(output: &'a str, test: &str) -> &'a str {
    let start = output
        .find(&format!("test `{test}` failed"))
        .unwrap_or_else(|| panic!("no report for {test} in:\n{output}"));
    let rest = &output[start..];
    &rest[..rest.find("\n\n").unwrap_or(rest.len())]
}

/// `cargo` as a user's shell would run it: without what cargo and an outer nextest run set
/// for this test (package variables, NEXTEST_*), which would steer the inner run or make
/// cargo rebuild dependencies whose build scripts watch them. The user's own settings
/// (RUSTFLAGS, CARGO_HOME, a wrapper…) stay.
pub fn cargo() -> Command {
    let mut command = Command::new(env!("CARGO"));
    for (key, _) in std::env::vars_os() {
        let name = key.to_string_lossy();
        let set_for_this_test = name.contains("NEXTEST")
            || name.starts_with("CARGO_PKG_")
            || name.starts_with("CARGO_MANIFEST_")
            || name.starts_with("CARGO_BIN_")
            || name.starts_with("__CARGO")
            || [
                "CARGO",
                "CARGO_CRATE_NAME",
                "CARGO_PRIMARY_PACKAGE",
                "CARGO_TARGET_TMPDIR",
                "CARGO_RUSTC_CURRENT_DIR",
                "OUT_DIR",
                "RUST_TEST_THREADS",
                "SESSION_TEST_FRESH",
            ]
            .contains(&name.as_ref());
        if set_for_this_test {
            command.env_remove(key);
        }
    }
    command.stdin(Stdio::null());
    command
}

pub fn text(out: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

pub fn browser_pids(output: &str) -> Vec<i32> {
    output
        .lines()
        .filter_map(|l| l.trim().strip_prefix("browser pid: "))
        .filter_map(|p| p.trim().parse().ok())
        .filter(|p| *p > 0)
        .collect()
}

/// Every process still running whose command line names a profile of `test_pid`.
pub fn browsers_of(test_pid: u32) -> Vec<String> {
    let marker = format!("session-test-profile-{test_pid}-");
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
        .filter(|c| c.contains(&marker))
        .collect()
}

pub fn profiles_of(test_pid: u32) -> Vec<PathBuf> {
    let marker = format!("session-test-profile-{test_pid}-");
    std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&marker))
        .map(|e| e.path())
        .collect()
}

/// Waits (bounded) until the browser processes of `pid` are gone: a SIGKILLed browser
/// takes a moment to be reaped. Returns what is still there.
pub fn leftovers_after_exit(pid: u32) -> Vec<String> {
    super::poll_until(std::time::Duration::from_secs(10), || {
        browsers_of(pid).is_empty()
    });
    browsers_of(pid)
}

/// Starts `fixture_blocks` and returns it once its browser is up.
pub fn blocked_fixture() -> (std::process::Child, u32) {
    let mut child = Command::new(fixture("fixture_default"))
        .args(["--ignored", "--exact", "fixture_blocks", "--nocapture"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let browser = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| browser_pids(&l).first().copied())
        .expect("the fixture printed its browser pid");
    assert!(
        !browsers_of(pid).is_empty(),
        "browser {browser} should be running now"
    );
    assert!(!profiles_of(pid).is_empty(), "its profile should exist now");
    (child, pid)
}
