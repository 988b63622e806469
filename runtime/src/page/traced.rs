//! A traced tab: what it asks the browser for (its console, uncaught errors and network
//! events) and how its actions are added to the test's trace.

use std::backtrace::Backtrace;
use std::time::Instant;

use serde_json::{json, Value};

use crate::error::Result;
use crate::trace::Action;

/// The calls that turn a tab's trace events on (none when tests are not traced); its
/// network events are on in any case (`leftovers::enable_call`).
pub(super) fn enable_calls() -> Vec<(&'static str, Value)> {
    if !crate::trace::mode().records() {
        return Vec::new();
    }
    vec![("Runtime.enable", json!({}))]
}

/// Whether a tab's event goes to its trace.
pub(super) fn is_traced(method: &str) -> bool {
    matches!(
        method,
        "Runtime.consoleAPICalled"
            | "Runtime.exceptionThrown"
            | "Network.requestWillBeSent"
            | "Network.responseReceived"
            | "Network.loadingFinished"
            | "Network.loadingFailed"
    )
}

impl super::Page {
    /// Runs `body` as one action of the test (`kind` on what `target` names, asked only
    /// when tests are traced) and adds it, with its time and outcome, to the test's trace;
    /// `body` may add a detail.
    pub(crate) fn traced<T>(
        &self,
        kind: &'static str,
        target: impl FnOnce() -> String,
        body: impl FnOnce(&mut Action) -> Result<T>,
    ) -> Result<T> {
        let result = if crate::trace::mode().records() {
            let mut action = Action::new(kind, target());
            action.tab = self.inner.tab_number;
            let start = Instant::now();
            let result = body(&mut action);
            self.inner.ctx.trace().action(start, action.ended(&result));
            result
        } else {
            body(&mut Action::new(kind, ""))
        };
        if result.is_err() {
            // Unresolved until a failure report asks: cheap when the test goes on.
            let here = Backtrace::force_capture();
            self.inner.ctx.trace().failed(here);
        }
        result
    }

    /// `value` was typed into a password field: its failure report keeps it out.
    pub(crate) fn keep_secret(&self, value: &str) {
        self.inner.ctx.trace().secret(value);
    }

    /// What the test typed into password fields.
    pub(crate) fn secrets(&self) -> Vec<String> {
        self.inner.ctx.trace().secrets()
    }

    /// How many of the test's actions failed so far.
    pub(crate) fn failures(&self) -> u64 {
        self.inner.ctx.trace().failures()
    }

    /// The last failing action was called from here (the async face's awaiting thread, where
    /// the test's own frames are, rather than the blocking thread it ran on).
    pub(crate) fn failed_here(&self) {
        let here = Backtrace::force_capture();
        self.inner.ctx.trace().failed(here);
    }

    /// Where the test's last failing action was called from (a resolved backtrace); taken.
    pub(crate) fn failed_at(&self) -> Option<String> {
        self.inner.ctx.trace().failed_at()
    }

    /// Starts the test's trace afresh (the shared page outlives its tests).
    pub(crate) fn start_trace(&self) {
        self.inner.ctx.trace().restart();
    }

    /// The trace so far, as its file holds it.
    pub(crate) fn trace_json(&self, test: &str, passed: bool) -> Value {
        self.inner.ctx.trace().to_json(test, passed)
    }

    /// The last `n` console errors and uncaught errors of the test's tabs.
    pub(crate) fn last_page_errors(&self, n: usize) -> Vec<String> {
        self.inner.ctx.trace().last_errors(n)
    }
}
