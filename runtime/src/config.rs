//! Process-wide settings: environment variables and their programmatic overrides.

use crate::sync::{read, write};
use std::path::PathBuf;
use std::sync::RwLock;
use std::time::Duration;

static BASE_URL: RwLock<Option<String>> = RwLock::new(None);

/// Default limit of one wait (navigation, selector, DevTools reply).
pub const DEFAULT_WAIT_TIMEOUT: Duration = Duration::from_secs(30);

/// Default limit of an `expect(…)` assertion.
pub const DEFAULT_EXPECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Default limit of a whole test.
pub const DEFAULT_TEST_TIMEOUT: Duration = Duration::from_secs(300);

/// Sets the base URL that relative paths in [`Page::visit`](crate::Page::visit) resolve
/// against, for the whole process. Overrides `$SESSION_TEST_BASE_URL`.
///
/// ```
/// session_test::config::set_base_url("http://app.localhost:8080");
/// ```
pub fn set_base_url(url: impl Into<String>) {
    let mut guard = write(&BASE_URL);
    *guard = Some(url.into());
}

/// The base URL: [`set_base_url`], else `$SESSION_TEST_BASE_URL`.
pub fn base_url() -> Option<String> {
    let guard = read(&BASE_URL);
    guard
        .clone()
        .or_else(|| std::env::var("SESSION_TEST_BASE_URL").ok())
        .filter(|s| !s.is_empty())
}

/// The limit of one wait: `$SESSION_TEST_WAIT_TIMEOUT` (seconds, may be fractional), else
/// 30 s. Every wait is also cut short at the test's deadline.
pub fn wait_timeout() -> Duration {
    seconds_from_env("SESSION_TEST_WAIT_TIMEOUT").unwrap_or(DEFAULT_WAIT_TIMEOUT)
}

/// The limit of a whole test without `#[session_test(timeout = …)]`:
/// `$SESSION_TEST_TIMEOUT` (seconds), else 300 s.
pub fn test_timeout() -> Duration {
    seconds_from_env("SESSION_TEST_TIMEOUT").unwrap_or(DEFAULT_TEST_TIMEOUT)
}

/// How long an `expect(…)` assertion retries without `.timeout(…)`:
/// `$SESSION_TEST_EXPECT_TIMEOUT` (seconds), else 5 s.
pub fn expect_timeout() -> Duration {
    seconds_from_env("SESSION_TEST_EXPECT_TIMEOUT").unwrap_or(DEFAULT_EXPECT_TIMEOUT)
}

/// The attribute `get_by_test_id` looks at, set by [`set_test_id_attribute`].
static TEST_ID_ATTRIBUTE: std::sync::RwLock<Option<String>> = std::sync::RwLock::new(None);

/// Makes `get_by_test_id` look at the attribute `name` only (for example `data-qa`), for
/// the whole process. Without it: `$SESSION_TEST_TEST_ID_ATTRIBUTE`, else both
/// `data-testid` and `data-test`.
///
/// ```
/// session_test::config::set_test_id_attribute("data-qa");
/// ```
pub fn set_test_id_attribute(name: &str) {
    *write(&TEST_ID_ATTRIBUTE) = Some(name.trim().to_owned());
}

/// The attributes `get_by_test_id` matches.
pub(crate) fn test_id_attributes() -> Vec<String> {
    let set = read(&TEST_ID_ATTRIBUTE).clone();
    set.or_else(|| std::env::var("SESSION_TEST_TEST_ID_ATTRIBUTE").ok())
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .map(|name| vec![name])
        .unwrap_or_else(|| vec!["data-testid".into(), "data-test".into()])
}

/// `$SESSION_TEST_HEADED` set (and not `0`): launch Chromium with a window.
pub fn headed() -> bool {
    flag("SESSION_TEST_HEADED")
}

/// `$SESSION_TEST_BROWSER_ARGS`: more arguments for the Chromium it launches (split on
/// whitespace), after its own (Playwright's `launch({ args })`).
pub fn browser_args() -> Vec<String> {
    std::env::var("SESSION_TEST_BROWSER_ARGS")
        .map(|args| args.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// `$SESSION_TEST_SLOWMO` milliseconds: a pause before each action of a page (visit, click,
/// fill, typing, key press), to watch a headed run.
pub fn slowmo() -> Duration {
    std::env::var("SESSION_TEST_SLOWMO")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_millis)
        .unwrap_or_default()
}

/// `$SESSION_TEST_SCREENSHOTS=always`: a screenshot of every test when it ends, not only of
/// failing ones.
pub fn screenshots_always() -> bool {
    std::env::var("SESSION_TEST_SCREENSHOTS").is_ok_and(|v| v.trim() == "always")
}

/// Unless `$SESSION_TEST_REUSE_CONTEXT` is `0`: a passing isolated test's context is reset
/// and handed to the next isolated test instead of a new one (see `page/reuse.rs`).
pub(crate) fn reuse_contexts() -> bool {
    std::env::var("SESSION_TEST_REUSE_CONTEXT").map_or(true, |v| v.trim() != "0")
}

fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.trim().is_empty() && v.trim() != "0")
}

fn seconds_from_env(name: &str) -> Option<Duration> {
    std::env::var(name)
        .ok()
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .map(Duration::from_secs_f64)
}

/// A test's name as a file name: `::` and every other character but ASCII letters, digits,
/// `_` and `-` written as `.` (screenshots and traces are named so).
pub(crate) fn file_stem(test_name: &str) -> String {
    test_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '.'
            }
        })
        .collect::<String>()
        .replace("..", ".")
}

/// `target/session-test/` of the workspace under test.
///
/// `$CARGO_TARGET_DIR` when set; else the nearest ancestor of the running executable that
/// holds Cargo's `CACHEDIR.TAG` (test binaries live in `target/<profile>/deps/`); else
/// `./target`.
pub fn output_dir() -> PathBuf {
    target_dir().join("session-test")
}

fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    if let Ok(exe) = std::env::current_exe() {
        if let Some(dir) = exe.ancestors().find(|d| d.join("CACHEDIR.TAG").is_file()) {
            return dir.to_path_buf();
        }
    }
    PathBuf::from("target")
}
