//! State a test can leave in its browser context that no DevTools call clears, seen as the
//! test leaves it: such a context is disposed at the end of the test instead of being reset
//! and reused (README, "Context reuse").
//!
//! Each rule reads an event of a tab, a cross-site iframe or a worker of the context:
//! - the HTTP auth cache: a request whose URL carries credentials (an `XMLHttpRequest`
//!   opened with a user and password, a `user:pass@` URL). Chromium keeps the credentials
//!   for the realm and sends them unasked to later requests; `Storage.clearDataForOrigin`,
//!   `Storage.clearCookies` and `Network.clearBrowserCookies` leave them. (A challenge
//!   without credentials is cancelled by the runtime, `interception.rs`: nothing is kept.)
//! - policies a response sets for its host: HSTS (`Strict-Transport-Security`), Network
//!   Error Logging (`NEL`) and client hints (`Accept-CH`, `Critical-CH`); and an origin's
//!   agent cluster keying (`Origin-Agent-Cluster`), which the tab's browsing context group
//!   keeps across the reset.
//!
//! And one not seen in such an event: a shared worker started in the context (its requests
//! reach no tab's watch), told by the browser-wide target watch (`popup.rs`).

use std::sync::Mutex;

use serde_json::Value;

use crate::cdp::RawEvent;
use crate::sync::lock;

/// Why a context cannot be reused: the first state it holds that no reset step clears.
#[derive(Default)]
pub(crate) struct Leftovers(Mutex<Option<&'static str>>);

impl Leftovers {
    /// Takes one event of the context's tabs, frames or workers (on the reader thread).
    pub fn see(&self, event: &RawEvent) {
        if let Some(what) = unclearable(&event.method, &event.params) {
            lock(&self.0).get_or_insert(what);
        }
    }

    /// Records state no reset clears that was seen otherwise than in an event of a tab.
    pub fn add(&self, what: &'static str) {
        lock(&self.0).get_or_insert(what);
    }

    /// The reason the context holds state no reset clears, if it does.
    pub fn reason(&self) -> Option<&'static str> {
        *lock(&self.0)
    }
}

/// The calls that make a tab, frame or worker send what [`Leftovers::see`] reads (no bodies
/// are kept, so the browser need not buffer them).
pub(super) fn enable_call() -> (&'static str, Value) {
    (
        "Network.enable",
        serde_json::json!({ "maxTotalBufferSize": 0, "maxResourceBufferSize": 0 }),
    )
}

/// Response headers that set a policy the browser keeps for the host.
const POLICY_HEADERS: &[(&str, &str)] = &[
    (
        "strict-transport-security",
        "an HSTS policy (Strict-Transport-Security)",
    ),
    ("nel", "a Network Error Logging policy (NEL)"),
    ("accept-ch", "client hints asked for (Accept-CH)"),
    ("critical-ch", "client hints asked for (Critical-CH)"),
    // Kept by the tab's browsing context group (HTML's historical agent cluster key map),
    // which the reset's about:blank stays in.
    (
        "origin-agent-cluster",
        "an origin's agent cluster keying (Origin-Agent-Cluster)",
    ),
];

/// What state `method` shows was left that no reset step clears.
fn unclearable(method: &str, params: &Value) -> Option<&'static str> {
    match method {
        // A redirect's response comes with the request it leads to.
        "Network.requestWillBeSent" => params["request"]["url"]
            .as_str()
            .is_some_and(has_credentials)
            .then_some("HTTP credentials in a request's URL (the browser's HTTP auth cache)")
            .or_else(|| policy_set(&params["redirectResponse"])),
        "Network.responseReceived" => policy_set(&params["response"]),
        _ => None,
    }
}

/// The policy a response's headers set, if any (`response` as the Network domain gives it).
fn policy_set(response: &Value) -> Option<&'static str> {
    let headers = response["headers"].as_object()?;
    POLICY_HEADERS.iter().find_map(|(name, what)| {
        headers
            .keys()
            .any(|k| k.eq_ignore_ascii_case(name))
            .then_some(*what)
    })
}

/// Whether `url` has a user name or password (`http://user:pass@host/`).
fn has_credentials(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| !u.username().is_empty() || u.password().is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn credentials_in_a_url_are_unclearable() {
        let sent = |url: &str| json!({ "request": { "url": url } });
        assert!(unclearable(
            "Network.requestWillBeSent",
            &sent("http://alice:s3cr3t@a.localhost/x")
        )
        .is_some());
        assert!(unclearable("Network.requestWillBeSent", &sent("http://a@a.localhost/")).is_some());
        assert!(unclearable(
            "Network.requestWillBeSent",
            &sent("http://a.localhost/?u=a@b")
        )
        .is_none());
        assert!(unclearable("Network.requestWillBeSent", &sent("data:text/plain,@")).is_none());
    }

    #[test]
    fn policy_headers_are_unclearable_in_any_case() {
        let got = |name: &str| {
            unclearable(
                "Network.responseReceived",
                &json!({ "response": { "headers": { name: "x", "Content-Type": "text/html" } } }),
            )
        };
        assert!(got("Strict-Transport-Security").is_some());
        assert!(got("NEL").is_some());
        assert!(got("accept-ch").is_some());
        assert!(got("Origin-Agent-Cluster").is_some());
        assert!(got("X-Other").is_none());
        let redirected = json!({ "request": { "url": "http://a.localhost/b" },
            "redirectResponse": { "headers": { "NEL": "{}" } } });
        assert!(unclearable("Network.requestWillBeSent", &redirected).is_some());
    }

    #[test]
    fn the_first_reason_is_kept() {
        let leftovers = Leftovers::default();
        let event = |method: &str, params: Value| RawEvent {
            method: method.into(),
            params,
            session_id: None,
        };
        leftovers.see(&event("Page.frameNavigated", json!({})));
        assert_eq!(leftovers.reason(), None);
        let sent = |url: &str| {
            event(
                "Network.requestWillBeSent",
                json!({ "request": { "url": url } }),
            )
        };
        leftovers.see(&sent("http://u:p@a.localhost/"));
        leftovers.see(&event(
            "Network.responseReceived",
            json!({ "response": { "headers": { "NEL": "{}" } } }),
        ));
        assert!(leftovers.reason().unwrap().contains("credentials"));
    }
}
