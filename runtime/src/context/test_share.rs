//! What every browser context of one test shares: the test's clock, its trace, its session
//! lines, and the numbers of its tabs. A test's own context makes it; the contexts the test
//! opens besides (`page.new_context()`) get a clone, so their waits end at the test's
//! deadline and their actions, console and network go to the test's one trace.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::test_clock::TestClock;
use crate::trace::Trace;

/// One test's share of its contexts (cheap to clone: each part is shared).
#[derive(Clone, Default)]
pub(crate) struct TestShare {
    pub clock: Arc<TestClock>,
    /// The test's trace; shared with each tab's watch (on the connection's reader thread).
    pub trace: Arc<Mutex<Trace>>,
    /// The test's session lines, for its failure report.
    pub session_log: Arc<Mutex<Vec<String>>>,
    /// How many tabs the test's contexts have opened (a tab's number in the trace).
    tabs: Arc<AtomicU64>,
    /// How many contexts the test has (a context's number in the trace).
    contexts: Arc<AtomicU64>,
}

impl TestShare {
    /// The trace number of a tab the test opens now: 0 for its first, its own page.
    pub fn next_tab(&self) -> u64 {
        self.tabs.fetch_add(1, Ordering::SeqCst)
    }

    /// The number of a context the test opens now: 0 for its own.
    pub fn next_context(&self) -> u64 {
        self.contexts.fetch_add(1, Ordering::SeqCst)
    }
}
