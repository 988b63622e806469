//! Stub documents: an empty document of an origin, answered by the Fetch domain (its server
//! is never contacted), for reading and writing the storage of an origin no tab is on.

use std::sync::atomic::Ordering;

use serde_json::{json, Value};

use crate::error::{Error, Result};

use super::Page;

/// The path that stub documents are served at: intercepted, never sent to the server.
pub(crate) const STUB_PATH: &str = "/__session_test_stub__";

impl Page {
    /// Loads an empty document of `origin` in this tab without contacting its server: the
    /// request is answered by the Fetch domain. Storage of an origin can only be read and
    /// written from a document of that origin.
    pub(crate) fn visit_stub(&self, origin: &str) -> Result<()> {
        if !self.inner.stubs_enabled.swap(true, Ordering::SeqCst) {
            let enabled = self.call(
                "Fetch.enable",
                json!({ "patterns": [{ "urlPattern": format!("*{STUB_PATH}*"), "requestStage": "Request" }] }),
            );
            if let Err(e) = enabled {
                self.inner.stubs_enabled.store(false, Ordering::SeqCst);
                return Err(e);
            }
        }
        // An app's service worker would answer the stub's navigation before the Fetch domain
        // sees it (with its app shell, whose scripts run): bypassed while the stub loads.
        // (The bypass takes effect with the Network domain on, for the stub's time only: its
        // events are not wanted otherwise.)
        let on = self.call_many(vec![
            ("Network.enable", json!({})),
            ("Network.setBypassServiceWorker", json!({ "bypass": true })),
        ]);
        let loaded = on
            .into_iter()
            .collect::<Result<Vec<_>>>()
            .and_then(|_| self.load_stub(origin));
        let mut off = vec![("Network.setBypassServiceWorker", json!({ "bypass": false }))];
        if !crate::trace::mode().records() {
            // A traced tab keeps its Network domain on for the trace.
            off.push(("Network.disable", json!({})));
        }
        let off = self.call_many(off);
        loaded.and(off.into_iter().collect::<Result<Vec<_>>>().map(drop))
    }

    /// Answers an intercepted stub request with an empty document.
    pub(super) fn fulfill_stub(&self, request_id: &str) -> Result<()> {
        self.call(
            "Fetch.fulfillRequest",
            json!({
                "requestId": request_id,
                "responseCode": 200,
                "responseHeaders": [
                    { "name": "Content-Type", "value": "text/html; charset=utf-8" },
                    { "name": "Cache-Control", "value": "no-store" },
                ],
                "body": "PCFkb2N0eXBlIGh0bWw+", // "<!doctype html>"
            }),
        )
        .map(drop)
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
                    "Fetch.requestPaused" => {
                        if let Err(e) = self.fulfill_stub(ev.str_param("requestId")) {
                            return Some(Err(e));
                        }
                    }
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
