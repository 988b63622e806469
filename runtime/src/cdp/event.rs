//! Events from the browser, and the one that says a target session ended.

use std::sync::Arc;

use serde_json::Value;

/// An event from the browser, kept as raw JSON so that events the bundled protocol does not
/// know (or cannot parse) are still delivered.
#[derive(Debug, Clone)]
pub struct RawEvent {
    /// E.g. `Page.loadEventFired`.
    pub method: String,
    /// The event's parameters.
    pub params: Value,
    /// The flattened target session it came from; `None` for browser-level events.
    pub session_id: Option<String>,
}

impl RawEvent {
    /// The event as headless_chrome's typed `Event`, when the bundled protocol can parse it.
    #[cfg(feature = "headless_chrome")]
    pub fn typed(&self) -> Option<headless_chrome::protocol::cdp::types::Event> {
        let value = serde_json::json!({ "method": self.method, "params": self.params });
        serde_json::from_value(value).ok()
    }

    /// `params[key]` as a string, or "".
    pub fn str_param(&self, key: &str) -> &str {
        self.params.get(key).and_then(Value::as_str).unwrap_or("")
    }
}

/// A watcher, run on the reader thread for each event: it must be quick and never wait.
pub(crate) type EventCallback = Arc<dyn Fn(&RawEvent) + Send + Sync>;

/// The event that says a target session ended; also delivered on that session itself.
pub(crate) const DETACHED: &str = "Target.detachedFromTarget";

/// The session a `Target.detachedFromTarget` ends (from the browser for a tab, from the tab
/// for one of its frames); not the copy delivered on that session itself.
pub(super) fn detached_session(event: &RawEvent) -> Option<String> {
    let gone = event.params["sessionId"].as_str()?;
    (event.method == DETACHED && event.session_id.as_deref() != Some(gone)).then(|| gone.to_owned())
}

/// Whether `event` says that the session `session_id` ended.
pub(crate) fn ends_session(event: &RawEvent, session_id: &str) -> bool {
    event.method == DETACHED && event.params["sessionId"] == session_id
}
