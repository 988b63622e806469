//! When a wait must end: the one value that waits and protocol calls take.
//!
//! A wait's deadline is the earliest of its own limit (the wait limit, an assertion's
//! timeout) and the test's time left (see `test_clock`); a caller may cap it further for the
//! calls it makes (an assertion's retries, the steps of a failure report). One protocol call
//! still gets a floor past the deadline, so that a reply already on its way is not missed.

use std::time::{Duration, Instant};

/// A point in time by which a wait ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Deadline(Instant);

impl Deadline {
    /// `limit` from now.
    pub fn after(limit: Duration) -> Deadline {
        Deadline(Instant::now() + limit)
    }

    /// At `at`.
    pub fn at(at: Instant) -> Deadline {
        Deadline(at)
    }

    /// `by` later.
    pub fn later_by(self, by: Duration) -> Deadline {
        Deadline(self.0 + by)
    }

    /// The time left (zero once it passed).
    pub fn left(self) -> Duration {
        self.0.saturating_duration_since(Instant::now())
    }

    /// Whether it passed.
    pub fn passed(self) -> bool {
        self.left().is_zero()
    }

    /// The earlier of this and `cap`, when there is one.
    pub fn capped(self, cap: Option<Deadline>) -> Deadline {
        match cap {
            Some(cap) => self.min(cap),
            None => self,
        }
    }

    /// How long one protocol call may wait: the time left, but at least `floor`.
    pub fn call_timeout(self, floor: Duration) -> Duration {
        self.left().max(floor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cap_only_shortens_and_a_call_keeps_its_floor() {
        let long = Deadline::after(Duration::from_secs(60));
        let short = Deadline::after(Duration::from_millis(10));
        assert_eq!(long.capped(Some(short)), short);
        assert_eq!(short.capped(Some(long)), short);
        assert_eq!(long.capped(None), long);
        let floor = Duration::from_millis(100);
        std::thread::sleep(Duration::from_millis(20));
        assert!(short.passed());
        assert_eq!(short.call_timeout(floor), floor);
        assert!(long.call_timeout(floor) > Duration::from_secs(59));
    }
}
