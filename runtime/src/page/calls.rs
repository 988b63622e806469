//! Protocol calls on the tab: each bounded by the page's budget and its handle's cap, and
//! batches sent at once.

use std::time::Duration;

use serde_json::{json, Value};

use crate::error::{Error, Result};

use super::Page;

/// Even past a deadline, a protocol call may take this long.
pub(super) const MIN_CALL_TIMEOUT: Duration = Duration::from_secs(1);

/// Under a handle's cap ([`Page::until`]), the least time a protocol call gets.
pub(super) const MIN_CAPPED_CALL: Duration = Duration::from_millis(100);

impl Page {
    /// The timeout of one protocol call: the budget, but never so short that a reply
    /// already on its way is missed.
    pub(crate) fn call_timeout(&self) -> Duration {
        let own = self
            .inner
            .ctx
            .budget_of(self.inner.ctx.timeout)
            .max(MIN_CALL_TIMEOUT);
        match self.cap {
            Some(cap) => own.min(cap.call_timeout(MIN_CAPPED_CALL)),
            None => own,
        }
    }

    pub(crate) fn call(&self, method: &str, params: Value) -> Result<Value> {
        if self.is_closed() {
            return Err(self.closed_error(&format!("the reply to `{method}`")));
        }
        let reply = self
            .inner
            .target
            .call_raw(method, params, self.call_timeout());
        match reply {
            // ("Session with given id not found": it closed as the call went out.)
            Err(Error::Cdp { method, .. }) if self.is_closed() => {
                Err(self.closed_error(&format!("the reply to `{method}`")))
            }
            other => other,
        }
    }

    /// The error of a call on this tab once it closed (`waiting_for` names what the call
    /// waited for), which says so when it closed because its test ended.
    pub(crate) fn closed_error(&self, waiting_for: &str) -> Error {
        let why = if self
            .inner
            .ctx
            .ended
            .load(std::sync::atomic::Ordering::SeqCst)
        {
            " (the test this page belongs to has ended, and its browser contexts with it)"
        } else {
            ""
        };
        Error::TabClosed {
            waiting_for: format!("{waiting_for}{why}"),
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
