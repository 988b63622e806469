//! What every tab, frame and worker of one browser context shares: what its test shares
//! with its other contexts (clock, trace, session lines), the record of loaded origins and
//! pending restores, the state no reset clears, the dialogs, the routes and the traffic.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use super::dialogs::DialogHub;
use super::leftovers::Leftovers;
use super::origins::OriginLog;
use super::routes::RouteTable;
use super::test_share::TestShare;
use super::traffic::Traffic;
use crate::browser::Browser;
use crate::sync::lock;
use crate::trace::Trace;

/// One browser context's shared state (its tabs are the page layer's).
pub(crate) struct ContextState {
    pub browser: Arc<Browser>,
    pub context_id: String,
    /// The wait limit of each step in this context.
    pub timeout: Duration,
    /// What it shares with the other contexts of its test: the clock, the trace, the
    /// session lines, the tab numbers.
    pub test: TestShare,
    /// Its number among the test's contexts: 0 for the test's own.
    pub number: u64,
    /// False for the context that `test_isolation = false` tests share.
    pub isolated: AtomicBool,
    /// Set when its test ended: calls on its pages fail, saying so.
    pub ended: AtomicBool,
    /// The tests the browser context has served, this one included (it is reset and kept
    /// for the next test up to a limit: `page/reuse.rs`).
    pub tests_served: AtomicUsize,
    /// Shared with each tab's watch (on the connection's reader thread).
    pub origins: Arc<Mutex<OriginLog>>,
    /// State the test left that no reset clears; shared with each tab's, frame's and
    /// worker's watch.
    pub leftovers: Arc<Leftovers>,
    /// The JavaScript dialogs of its tabs; shared with each tab's and frame's watch.
    pub dialogs: Arc<DialogHub>,
    /// The test's routes; shared with each tab's, frame's and worker's watch.
    pub routes: Arc<RouteTable>,
    /// The requests and responses tests wait for, each tab's requests in flight, and the
    /// context's sessions; shared with each watch.
    pub traffic: Arc<Traffic>,
}

impl ContextState {
    /// The state of context `context_id`, one of the test's that `test` tells of.
    pub fn new(
        browser: Arc<Browser>,
        context_id: String,
        timeout: Duration,
        test: TestShare,
    ) -> Self {
        let traced = crate::trace::mode()
            .records()
            .then(|| Arc::clone(&test.trace));
        ContextState {
            browser,
            context_id,
            timeout,
            number: test.next_context(),
            test,
            isolated: AtomicBool::new(true),
            ended: AtomicBool::new(false),
            tests_served: AtomicUsize::new(1),
            origins: Arc::default(),
            leftovers: Arc::default(),
            dialogs: Arc::new(DialogHub::new(timeout, traced.clone())),
            routes: Arc::new(RouteTable::new(timeout, traced)),
            traffic: Arc::new(Traffic::new(timeout)),
        }
    }

    pub fn origins(&self) -> MutexGuard<'_, OriginLog> {
        lock(&self.origins)
    }

    pub fn trace(&self) -> MutexGuard<'_, Trace> {
        lock(&self.test.trace)
    }

    /// False for the context that `test_isolation = false` tests share.
    pub fn is_isolated(&self) -> bool {
        self.isolated.load(Ordering::SeqCst)
    }

    /// How long a wait may still take: `limit`, cut short by the test's deadline.
    pub fn budget_of(&self, limit: Duration) -> Duration {
        match self.test.clock.left() {
            Some(left) => limit.min(left),
            None => limit,
        }
    }
}
