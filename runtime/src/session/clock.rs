//! The wall clock that session ages (`max_age`) are measured on. Tests move it forward
//! (`__private::advance_session_clock`) to check an expiry without waiting for it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

static AHEAD_SECS: AtomicU64 = AtomicU64::new(0);

/// Now, as sessions see it.
pub fn now() -> SystemTime {
    SystemTime::now() + Duration::from_secs(AHEAD_SECS.load(Ordering::SeqCst))
}

/// [`now`] in whole seconds since the Unix epoch (what session files hold).
pub fn now_secs() -> u64 {
    secs(now())
}

/// `time` in whole seconds since the Unix epoch.
pub fn secs(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The time `secs` seconds after the Unix epoch.
pub fn from_secs(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

/// How long ago `since` was (zero if it is in the future).
pub fn age(since: SystemTime) -> Duration {
    now().duration_since(since).unwrap_or_default()
}

/// Moves the clock `by` forward, for tests of `max_age`.
pub fn advance(by: Duration) {
    AHEAD_SECS.fetch_add(by.as_secs(), Ordering::SeqCst);
}
