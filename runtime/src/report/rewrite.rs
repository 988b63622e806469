//! When the report is rewritten: at once after a failed test (and when tests are left out),
//! else at most once a second, and at the process's exit. Rendering it takes all the run's
//! tests (7.5 ms at 1,000, release): after every passing test, a long run's tests would each
//! pay for all the others, a cost that grew with the run.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::files::{write_report, write_report_at_exit};
use crate::sync::lock;

/// The longest a passing test's record waits to reach the page.
const AT_MOST_EVERY: Duration = Duration::from_secs(1);

/// When the report was last written by [`after_test`].
static LAST: Mutex<Option<Instant>> = Mutex::new(None);

/// A test was recorded: rewrites the report when it failed or the last write is a second
/// old; the first call also has the report written at the process's exit.
pub(super) fn after_test(failed: bool) {
    static AT_EXIT: std::sync::Once = std::sync::Once::new();
    AT_EXIT.call_once(|| {
        // SAFETY: registering a plain extern "C" fn.
        unsafe {
            libc::atexit(write_at_exit);
        }
    });
    let due = {
        let mut last = lock(&LAST);
        let due = failed || last.is_none_or(|at| at.elapsed() >= AT_MOST_EVERY);
        if due {
            *last = Some(Instant::now());
        }
        due
    };
    if due {
        now();
    }
}

/// Rewrites the report now, saying so when it cannot.
pub(super) fn now() {
    if let Err(e) = write_report() {
        crate::log::warn(&format!("the run report was not written: {e}"));
    }
}

/// The records since the last write reach the page. Skipped when a thread still running
/// (a test left behind past its time limit) holds the records: waiting could hang the exit.
extern "C" fn write_at_exit() {
    let _ = write_report_at_exit();
}
