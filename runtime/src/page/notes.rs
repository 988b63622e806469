//! What a test leaves on its page for the harness: session lines for the failure report,
//! and hooks run when the test ends.

use super::Page;
use crate::sync::lock;

/// What a test's end runs on its page.
pub(crate) type TestEndHook = fn(&Page);

impl Page {
    /// Keeps a session line (status or warning) for this test's failure report.
    pub(crate) fn note_session(&self, line: String) {
        lock(&self.inner.ctx.test.session_log).push(line);
    }

    /// Starts a test's session lines afresh (the shared page outlives its tests).
    pub(crate) fn clear_session_notes(&self) {
        lock(&self.inner.ctx.test.session_log).clear();
    }

    /// The last `n` session lines of this test.
    pub(crate) fn session_notes(&self, n: usize) -> Vec<String> {
        let log = lock(&self.inner.ctx.test.session_log);
        log[log.len().saturating_sub(n)..].to_vec()
    }

    /// Runs `hook` when the test on this page ends (its body returned), once however often
    /// it is asked for under one `key`.
    pub(crate) fn at_test_end(&self, key: &'static str, hook: TestEndHook) {
        let mut hooks = lock(&self.inner.ctx.test_end);
        if !hooks.iter().any(|(k, _)| *k == key) {
            hooks.push((key, hook));
        }
    }

    /// The test on this page ended: runs what [`Page::at_test_end`] was given, in its
    /// context and in each context the test opened besides.
    pub(crate) fn end_test(&self) {
        for page in self.with_other_contexts() {
            let hooks = std::mem::take(&mut *lock(&page.inner.ctx.test_end));
            for (_, hook) in hooks {
                hook(&page);
            }
        }
    }
}
