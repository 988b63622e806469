//! What the tabs of one test's browser context share: the test's clock, trace and notes, the
//! record of loaded origins and pending restores, and the tabs the test's pages opened.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, Weak};
use std::time::Duration;

use super::dialogs::DialogHub;
use super::leftovers::Leftovers;
use super::origins::OriginLog;
use super::{Page, PageInner, TestEndHook};
use crate::browser::Browser;
use crate::sync::lock;
use crate::test_clock::TestClock;
use crate::trace::Trace;

pub(super) struct ContextState {
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
    /// The session lines of the test in this context, for its failure report.
    pub session_log: Mutex<Vec<String>>,
    /// Work for the end of the test in this context, once per key.
    pub test_end: Mutex<Vec<(&'static str, TestEndHook)>>,
    /// The tabs opened in this context besides the first, in the order they opened.
    pub popups: Mutex<Popups>,
    /// Signalled when a tab joins `popups`.
    pub popup_opened: Condvar,
    /// The first tab, which owns the context (weak: the tab holds the context).
    pub first: OnceLock<Weak<PageInner>>,
}

/// The tabs a context's pages opened.
#[derive(Default)]
pub(super) struct Popups {
    /// How many have opened so far (a popup's number is its place in this count).
    pub opened: u64,
    pub tabs: Vec<(u64, Page)>,
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
            dialogs: Arc::new(DialogHub::new(timeout, traced)),
            session_log: Mutex::default(),
            test_end: Mutex::default(),
            popups: Mutex::default(),
            popup_opened: Condvar::new(),
            first: OnceLock::new(),
        }
    }

    pub fn origins(&self) -> MutexGuard<'_, OriginLog> {
        lock(&self.origins)
    }

    pub fn trace(&self) -> MutexGuard<'_, Trace> {
        lock(&self.trace)
    }

    pub fn popups(&self) -> MutexGuard<'_, Popups> {
        lock(&self.popups)
    }

    /// The first tab, while a handle on it is kept.
    pub fn first_tab(&self) -> Option<Page> {
        let inner = self.first.get()?.upgrade()?;
        Some(Page { inner, cap: None })
    }

    /// False for the context that `test_isolation = false` tests share.
    pub fn is_isolated(&self) -> bool {
        self.isolated.load(Ordering::SeqCst)
    }

    /// How long a wait may still take: the context's wait limit, cut short by the test's
    /// deadline.
    pub fn budget_of(&self, limit: Duration) -> Duration {
        match self.clock.left() {
            Some(left) => limit.min(left),
            None => limit,
        }
    }

    /// The open tabs besides the first.
    pub fn open_popups(&self) -> Vec<Page> {
        self.popups()
            .tabs
            .iter()
            .map(|(_, p)| p.clone())
            .filter(|p| !p.is_closed())
            .collect()
    }
}
