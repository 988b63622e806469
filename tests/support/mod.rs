//! Shared by the integration tests: the demo app on two sites, started once per process.
#![allow(dead_code)]

pub mod children;
pub mod passkeys;
pub mod popup;
pub mod rotating;
pub mod sessions;

// Both demo sites, started once per process as the examples start them; the app site is
// also the base URL for relative `visit`s.
#[path = "../../examples/support/mod.rs"]
mod demo;
pub use demo::sites;

/// Checks `done` every few milliseconds until it holds or `limit` passes; true when it held.
/// For conditions another thread or process brings about (a flag, a waiter, a reaped
/// browser); a test asserts on the result with a message of its own.
pub fn poll_until(limit: std::time::Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = std::time::Instant::now();
    loop {
        if done() {
            return true;
        }
        if start.elapsed() > limit {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

/// Runs the registered (ignored) tests whose names contain `filter`, on `threads` threads
/// of this process, through the harness: for tests that must share a process even under a
/// process-per-test runner. Returns (passed, failed).
pub fn run_together(filter: &str, threads: usize) -> (u64, u64) {
    let conclusion = session_test::harness::run_tests(&session_test::harness::Arguments {
        filter: Some(filter.into()),
        ignored: true,
        test_threads: Some(threads),
        ..Default::default()
    });
    (conclusion.num_passed, conclusion.num_failed)
}

/// Runs the registered (ignored) tests whose names contain `filter` one at a time, as
/// [`run_together`] does; returns (passed, failed) and the logins both demo sites counted
/// meanwhile. Callers that count logins take one lock, so that no other test logs in then.
pub fn run_counting_logins(filter: &str) -> ((u64, u64), u64) {
    static COUNTING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _counting = COUNTING.lock().unwrap_or_else(|e| e.into_inner());
    let before = sites().logins();
    let outcome = run_together(filter, 1);
    (outcome, sites().logins() - before)
}

/// Runs this test binary again in a process of its own with `args` and the environment
/// `envs`; returns its stdout, after asserting that it succeeded (both outputs shown if not).
pub fn run_this_binary(args: &[&str], envs: &[(&str, &str)]) -> String {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(args)
        .envs(envs.iter().copied())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Whether this process hands a passing isolated test's context on to the next one (the
/// default; `SESSION_TEST_REUSE_CONTEXT=0` turns it off), as the runtime reads it.
pub fn reuses_contexts() -> bool {
    std::env::var("SESSION_TEST_REUSE_CONTEXT").map_or(true, |v| v.trim() != "0")
}

/// Runs the registered (ignored) tests of this binary whose names contain `filter` in a
/// process of their own, one at a time in name order, with context reuse on or off
/// (`SESSION_TEST_REUSE_CONTEXT`): so each test gets the context of the one before, or a
/// new one. Returns the count that passed (the run must succeed).
pub fn passed_in_a_child(filter: &str, reuse: bool) -> usize {
    let stdout = run_this_binary(
        &["--ignored", "--test-threads", "1", filter],
        &[("SESSION_TEST_REUSE_CONTEXT", if reuse { "1" } else { "0" })],
    );
    stdout
        .lines()
        .filter(|l| l.starts_with("test ") && l.ends_with(" ok"))
        .count()
}

/// Runs the ignored tests whose names contain `filter` as [`passed_in_a_child`] does, once
/// with context reuse and once without; each run must pass all `count`.
pub fn passes_in_both_modes(filter: &str, count: usize) {
    for reuse in [true, false] {
        let passed = passed_in_a_child(filter, reuse);
        assert_eq!(passed, count, "{filter}* with context reuse {reuse}");
    }
}

/// Percent-encoding of a query value.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
