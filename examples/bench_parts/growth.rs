//! Cost growth: many tests in a row through the harness (trivial ones, then ones that
//! restore a cached session), the per-test time of each tenth of the run, and the memory of
//! the browser (every process of its group: the browser, its renderers, its GPU and network
//! services) and of this process, sampled as the run goes.

use std::time::Instant;

use serde_json::{json, Value};
use session_test::harness::run_page_test;
use session_test::Page;

/// Runs `n` tests named `name_<i>` whose body is `body`; returns the phase's JSON line.
pub fn growth(name: &str, n: usize, body: impl Fn(&Page) -> session_test::Result<()>) -> Value {
    let mut took = Vec::with_capacity(n);
    let mut memory = Vec::new();
    for i in 0..n {
        let t = Instant::now();
        run_page_test(&format!("{name}_{i}"), |page| body(page)).unwrap_or_else(|f| panic!("{f}"));
        took.push(t.elapsed().as_secs_f64() * 1e3);
        let done = i + 1;
        if done == 1 || done % 50 == 0 || done == n {
            let browser = session_test::browser::running_browser_pid().map_or(0, group_rss_kb);
            memory.push(json!({ "tests": done, "browser_mb": mb(browser), "process_peak_mb": mb(peak_rss_kb()) }));
        }
    }
    let tenth = (n / 10).max(1);
    let windows: Vec<Value> = took
        .chunks(tenth)
        .enumerate()
        .map(|(w, chunk)| {
            let mut sorted = chunk.to_vec();
            sorted.sort_by(f64::total_cmp);
            let first = w * tenth + 1;
            json!({ "tests": format!("{first}-{}", first + chunk.len() - 1),
                    "median_ms": round(sorted[sorted.len() / 2]) })
        })
        .collect();
    json!({ "bench": "session-test", "phase": "growth", "suite": name, "tests": n,
            "per_test": windows, "memory": memory })
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn mb(kb: u64) -> f64 {
    round(kb as f64 / 1024.0)
}

/// The resident memory of every process in the process group `group` (Chromium runs in a
/// group of its own, led by the browser), in KiB.
fn group_rss_kb(group: u32) -> u64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| process_group(*pid) == Some(group))
        .filter_map(rss_kb)
        .sum()
}

/// The process group of `pid` (the fifth field of `/proc/<pid>/stat`, after the name).
fn process_group(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 2..];
    after_name.split(' ').nth(2)?.parse().ok()
}

fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// This process's peak resident memory so far, in KiB.
fn peak_rss_kb() -> u64 {
    // SAFETY: getrusage writes into the zeroed struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return 0;
    }
    usage.ru_maxrss.max(0) as u64
}
