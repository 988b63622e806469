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
