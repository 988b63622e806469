//! A test's time limit, which only the test's own code uses up.
//!
//! The limit counts the user's code: the body, setup, validate, hooks, and waits on other
//! tests. The framework's own steps (clearing the context, restoring and capturing a
//! session, going to about:blank, reading and writing session files) stop the clock: each is
//! bounded by the wait limit instead, and the deadline moves on by the time they took, so a
//! busy machine slowing the browser down does not fail a test whose own code is quick.

use crate::deadline::Deadline;
use crate::sync::lock;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Where a test's clock stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ClockState {
    /// No limit: the clock was never started, or was stopped.
    Off,
    /// A step of the framework's own is running: no time is being used up.
    Paused,
    /// The test's code is running and must end by then.
    Running(Deadline),
}

#[derive(Default)]
struct Inner {
    deadline: Option<Instant>,
    /// Framework steps in progress (they nest) and when the outermost began.
    pauses: u32,
    paused_at: Option<Instant>,
}

/// The clock of the test on one page.
#[derive(Default)]
pub(crate) struct TestClock {
    inner: Mutex<Inner>,
}

impl TestClock {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        lock(&self.inner)
    }

    /// Starts the clock: the test's code must end within `limit` of now.
    pub fn start(&self, limit: Duration) {
        self.lock().deadline = Some(Instant::now() + limit);
    }

    /// Stops the clock: no limit from now on (the harness writing a report).
    pub fn stop(&self) {
        self.lock().deadline = None;
    }

    pub fn state(&self) -> ClockState {
        let inner = self.lock();
        match inner.deadline {
            None => ClockState::Off,
            Some(_) if inner.pauses > 0 => ClockState::Paused,
            Some(d) => ClockState::Running(Deadline::at(d)),
        }
    }

    /// The time the test's code has left; `None` when nothing is being counted.
    pub fn left(&self) -> Option<Duration> {
        match self.state() {
            ClockState::Running(d) => Some(d.left()),
            ClockState::Off | ClockState::Paused => None,
        }
    }

    /// Runs `f` with the clock stopped, then moves the deadline on by the time it took.
    pub fn paused<T>(&self, f: impl FnOnce() -> T) -> T {
        {
            let mut inner = self.lock();
            inner.pauses += 1;
            if inner.pauses == 1 {
                inner.paused_at = Some(Instant::now());
            }
        }
        struct Resume<'a>(&'a TestClock);
        impl Drop for Resume<'_> {
            fn drop(&mut self) {
                let mut inner = self.0.lock();
                inner.pauses = inner.pauses.saturating_sub(1);
                if inner.pauses == 0 {
                    if let (Some(d), Some(at)) = (inner.deadline, inner.paused_at.take()) {
                        inner.deadline = Some(d + at.elapsed());
                    }
                }
            }
        }
        let _resume = Resume(self);
        f()
    }

    /// Waits until the test's code has used up its limit and `grace` more, or `done`
    /// returns something; pauses and a not yet started clock do not count.
    pub fn wait_past_deadline<T>(
        &self,
        grace: Duration,
        mut done: impl FnMut(Duration) -> Option<T>,
    ) -> Option<T> {
        loop {
            // While paused (or not started), look again every so often: the step ends by
            // itself within its wait limits.
            let wait = match self.state() {
                ClockState::Running(d) => {
                    let left = d.later_by(grace).left();
                    if left.is_zero() {
                        return None;
                    }
                    left
                }
                ClockState::Off | ClockState::Paused => Duration::from_millis(50),
            };
            if let Some(out) = done(wait) {
                return Some(out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paused_step_moves_the_deadline_by_its_length() {
        let clock = TestClock::default();
        assert_eq!(clock.state(), ClockState::Off);
        clock.start(Duration::from_secs(10));
        let ClockState::Running(before) = clock.state() else {
            panic!("not running")
        };
        let step = Duration::from_millis(30);
        clock.paused(|| {
            assert_eq!(clock.state(), ClockState::Paused);
            assert_eq!(clock.left(), None);
            // Nested steps pause once.
            clock.paused(|| std::thread::sleep(step));
            assert_eq!(clock.state(), ClockState::Paused);
        });
        let ClockState::Running(after) = clock.state() else {
            panic!("not running")
        };
        assert!(after >= before.later_by(step), "{after:?} {before:?}");
        clock.stop();
        assert_eq!(clock.state(), ClockState::Off);
    }

    #[test]
    fn waiting_past_the_deadline_ends_after_the_grace() {
        let clock = TestClock::default();
        // Measured from before the clock starts: the deadline counts from `start` below, so
        // time taken between the two on a busy machine must not come off the 40 ms.
        let start = Instant::now();
        clock.start(Duration::from_millis(20));
        let got: Option<()> = clock.wait_past_deadline(Duration::from_millis(20), |wait| {
            std::thread::sleep(wait);
            None
        });
        assert_eq!(got, None);
        assert!(start.elapsed() >= Duration::from_millis(40));
    }
}
