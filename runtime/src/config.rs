//! Process-wide settings: environment variables and their programmatic overrides.

use std::path::PathBuf;
use std::sync::RwLock;
use std::time::Duration;

static BASE_URL: RwLock<Option<String>> = RwLock::new(None);

/// Default limit of one wait (navigation, selector, DevTools reply).
pub const DEFAULT_WAIT_TIMEOUT: Duration = Duration::from_secs(30);

/// Default limit of a whole test.
pub const DEFAULT_TEST_TIMEOUT: Duration = Duration::from_secs(300);

/// Sets the base URL that relative paths in [`Page::visit`](crate::Page::visit) resolve
/// against, for the whole process. Overrides `$SESSION_TEST_BASE_URL`.
///
/// ```
/// session_test::set_base_url("http://app.localhost:8080");
/// ```
pub fn set_base_url(url: impl Into<String>) {
    let mut guard = BASE_URL.write().unwrap_or_else(|e| e.into_inner());
    *guard = Some(url.into());
}

/// The base URL: [`set_base_url`], else `$SESSION_TEST_BASE_URL`.
pub fn base_url() -> Option<String> {
    let guard = BASE_URL.read().unwrap_or_else(|e| e.into_inner());
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

fn seconds_from_env(name: &str) -> Option<Duration> {
    std::env::var(name)
        .ok()
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .map(Duration::from_secs_f64)
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
