//! Locks that outlive a panic: a test that panics while holding one must not take the other
//! tests of the process down with it, so a poisoned lock's data is used as it is.

use std::sync::{Condvar, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

/// Locks `m`, poisoned or not.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Reads `l`, poisoned or not.
pub(crate) fn read<T>(l: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    l.read().unwrap_or_else(|e| e.into_inner())
}

/// Writes `l`, poisoned or not.
pub(crate) fn write<T>(l: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(|e| e.into_inner())
}

/// Waits on `cv` for at most `timeout`, poisoned or not; the guard comes back either way.
pub(crate) fn wait_timeout<'a, T>(
    cv: &Condvar,
    guard: MutexGuard<'a, T>,
    timeout: Duration,
) -> MutexGuard<'a, T> {
    cv.wait_timeout(guard, timeout)
        .map(|(g, _)| g)
        .unwrap_or_else(|e| e.into_inner().0)
}

/// Waits on `cv` until `found` gives a value (it is asked under the lock, first at once) or
/// `limit` passes (`None`).
pub(crate) fn wait_for<T, R>(
    cv: &Condvar,
    mut guard: MutexGuard<'_, T>,
    limit: Duration,
    mut found: impl FnMut(&mut T) -> Option<R>,
) -> Option<R> {
    let start = std::time::Instant::now();
    loop {
        if let Some(value) = found(&mut guard) {
            return Some(value);
        }
        let left = limit.saturating_sub(start.elapsed());
        if left.is_zero() {
            return None;
        }
        guard = wait_timeout(cv, guard, left);
    }
}

/// Waits until `running(guard)` is zero (handler runs under way; `cv` is signalled as each
/// ends), at most `limit`; `Some` with a failure naming `whose` handler when one still runs.
pub(crate) fn wait_for_handlers<T>(
    cv: &Condvar,
    guard: MutexGuard<'_, T>,
    limit: Duration,
    running: impl Fn(&T) -> usize,
    whose: &str,
) -> Option<String> {
    let idle = wait_for(cv, guard, limit, |t| (running(t) == 0).then_some(()));
    idle.is_none()
        .then(|| format!("{whose} did not return within {:.1} s", limit.as_secs_f64()))
}

/// The value of the first of `headers` named `name` (any case).
pub(crate) fn header_value<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The names of `headers`, for a `Debug` that must not show their values (tokens).
pub(crate) fn header_names(headers: &[(String, String)]) -> Vec<&str> {
    headers.iter().map(|(name, _)| name.as_str()).collect()
}
