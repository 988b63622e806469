//! What every tab, frame and worker of one test's browser context shares: the test's clock
//! and trace, the record of loaded origins and pending restores, the state no reset clears,
//! the dialogs, and the test's session lines.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use super::dialogs::DialogHub;
use super::leftovers::Leftovers;
use super::origins::OriginLog;
use super::routes::RouteTable;
use super::traffic::Traffic;
use crate::browser::Browser;
use crate::sync::lock;
use crate::test_clock::TestClock;
use crate::trace::Trace;

/// One browser context's shared state (its tabs are the page layer's).
pub(crate) struct ContextState {
    pub browser: Arc<Browser>,
    pub context_id: String,
    /// The wait limit of each step in this context.
    pub timeout: Duration,
    pub clock: TestClock,
    /// False for the context that `test_isolation = false` tests share.
    pub isolated: AtomicBool,
    /// Shared with each tab's watch (on the connection's reader thread).
    pub origins: Arc<Mutex<OriginLog>>,
    /// The test's trace; shared with each tab's watch (on the connection's reader thread).
    pub trace: Arc<Mutex<Trace>>,
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
    /// The session lines of the test in this context, for its failure report.
    pub session_log: Mutex<Vec<String>>,
}

impl ContextState {
    pub fn new(browser: Arc<Browser>, context_id: String, timeout: Duration) -> Self {
        let trace: Arc<Mutex<Trace>> = Arc::default();
        let traced = crate::trace::mode().records().then(|| Arc::clone(&trace));
        ContextState {
            browser,
            context_id,
            timeout,
            clock: TestClock::default(),
            isolated: AtomicBool::new(true),
            origins: Arc::default(),
            trace,
            leftovers: Arc::default(),
            dialogs: Arc::new(DialogHub::new(timeout, traced.clone())),
            routes: Arc::new(RouteTable::new(timeout, traced)),
            traffic: Arc::new(Traffic::new(timeout)),
            session_log: Mutex::default(),
        }
    }

    pub fn origins(&self) -> MutexGuard<'_, OriginLog> {
        lock(&self.origins)
    }

    pub fn trace(&self) -> MutexGuard<'_, Trace> {
        lock(&self.trace)
    }

    /// False for the context that `test_isolation = false` tests share.
    pub fn is_isolated(&self) -> bool {
        self.isolated.load(Ordering::SeqCst)
    }

    /// How long a wait may still take: `limit`, cut short by the test's deadline.
    pub fn budget_of(&self, limit: Duration) -> Duration {
        match self.clock.left() {
            Some(left) => limit.min(left),
            None => limit,
        }
    }
}
