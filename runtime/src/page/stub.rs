//! Stub documents: an empty document of an origin, answered by the runtime's interception
//! (`interception.rs`: its server is never contacted), for reading and writing the storage
//! of an origin no tab is on.

use serde_json::{json, Value};

use crate::error::{Error, Result};

use super::Page;

use crate::context::STUB_PATH;

impl Page {
    /// Loads an empty document of `origin` in this tab without contacting its server: the
    /// request is answered by the Fetch domain. Storage of an origin can only be read and
    /// written from a document of that origin.
    pub(crate) fn visit_stub(&self, origin: &str) -> Result<()> {
        // An app's service worker would answer the stub's navigation before the Fetch domain
        // sees it (with its app shell, whose scripts run): bypassed while the stub loads.
        // (The bypass takes effect with the Network domain on, as it always is.)
        let bypass = |on: bool| {
            self.call("Network.setBypassServiceWorker", json!({ "bypass": on }))
                .map(drop)
        };
        let loaded = bypass(true).and_then(|_| self.load_stub(origin));
        loaded.and(bypass(false))
    }

    pub(super) fn load_stub(&self, origin: &str) -> Result<()> {
        let url = format!("{origin}{STUB_PATH}");
        let events = self.inner.target.subscribe();
        // Page.navigate answers only once the request is fulfilled: send it, serve, then wait.
        let pending = self.inner.target.connection().send_raw(
            Some(self.inner.target.id()),
            "Page.navigate",
            json!({ "url": url }),
        )?;
        let mut navigated = false;
        self.wait_events(
            &events,
            || format!("the stub document of {origin}"),
            |ev| {
                match ev.method.as_str() {
                    "Page.frameNavigated" if ev.params["frame"]["id"] == self.target_id() => {
                        navigated = true
                    }
                    "Page.loadEventFired" if navigated => return Some(Ok(())),
                    _ => {}
                }
                None
            },
        )?;
        let reply = pending.wait(self.call_timeout())?;
        match reply.get("errorText").and_then(Value::as_str) {
            Some(err) if !err.is_empty() => Err(Error::Navigation {
                url,
                reason: err.to_string(),
            }),
            _ => Ok(()),
        }
    }
}
