//! Protocol calls on the tab: each bounded by the page's budget, or by a deadline a caller
//! sets for the calls of its thread, and batches sent at once.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::error::{Error, Result};

use super::Page;

/// Even past a deadline, a protocol call may take this long.
pub(super) const MIN_CALL_TIMEOUT: Duration = Duration::from_secs(1);

/// Under [`calls_until`], the least time a protocol call gets.
pub(super) const MIN_LIMITED_CALL: Duration = Duration::from_millis(100);

thread_local! {
    /// When set, protocol calls made on this thread end by then (see [`calls_until`]).
    static CALL_DEADLINE: std::cell::Cell<Option<Instant>> = const { std::cell::Cell::new(None) };
}

/// Runs `f` with every protocol call this thread makes ending by `deadline` (each still gets
/// 100 ms): an assertion's 1 s must not become 30 s because the renderer stopped answering.
pub(crate) fn calls_until<T>(deadline: Instant, f: impl FnOnce() -> T) -> T {
    struct Restore(Option<Instant>);
    impl Drop for Restore {
        fn drop(&mut self) {
            CALL_DEADLINE.set(self.0);
        }
    }
    let _restore = Restore(CALL_DEADLINE.replace(Some(deadline)));
    f()
}

impl Page {
    /// The timeout of one protocol call: the budget, but never so short that a reply
    /// already on its way is missed.
    pub(crate) fn call_timeout(&self) -> Duration {
        let timeout = self.budget().max(MIN_CALL_TIMEOUT);
        match CALL_DEADLINE.get() {
            Some(end) => timeout.min(
                end.saturating_duration_since(Instant::now())
                    .max(MIN_LIMITED_CALL),
            ),
            None => timeout,
        }
    }

    pub(crate) fn call(&self, method: &str, params: Value) -> Result<Value> {
        if self.is_closed() {
            return Err(Error::TabClosed {
                waiting_for: format!("the reply to `{method}`"),
            });
        }
        let reply = self
            .inner
            .target
            .call_raw(method, params, self.call_timeout());
        match reply {
            // ("Session with given id not found": it closed as the call went out.)
            Err(Error::Cdp { method, .. }) if self.is_closed() => Err(Error::TabClosed {
                waiting_for: format!("the reply to `{method}`"),
            }),
            other => other,
        }
    }

    /// Sends every call at once and then collects the replies in order: the browser runs
    /// them in order anyway, and no round trip waits for another.
    pub(crate) fn call_many(&self, calls: Vec<(&str, Value)>) -> Vec<Result<Value>> {
        self.call_many_within(calls, self.call_timeout())
    }

    pub(super) fn call_many_within(
        &self,
        calls: Vec<(&str, Value)>,
        timeout: Duration,
    ) -> Vec<Result<Value>> {
        let conn = self.inner.target.connection();
        let sent: Vec<_> = calls
            .into_iter()
            .map(|(method, params)| conn.send_raw(Some(self.inner.target.id()), method, params))
            .collect();
        sent.into_iter()
            .map(|pending| pending.and_then(|p| p.wait(timeout)))
            .collect()
    }

    /// The browser's `TargetInfo` of this tab (its URL, title, type, opener).
    pub(super) fn target_info(&self) -> Result<Value> {
        let mut reply = self.inner.ctx.browser.connection().call_raw(
            None,
            "Target.getTargetInfo",
            json!({ "targetId": self.target_id() }),
            self.call_timeout(),
        )?;
        Ok(reply["targetInfo"].take())
    }
}
