//! Every request of a test's tabs, cross-site iframes and workers passes the runtime (the
//! Fetch domain, at the request stage), answered from the connection's reader thread at once:
//! a stub document's request is fulfilled with an empty document (its server is never
//! contacted), an HTTP authentication challenge is cancelled (the page gets the 401, as from
//! a browser whose user pressed Cancel; headless Chromium would otherwise hold the request
//! forever for a login prompt nobody sees), and every other request goes on unchanged.

use serde_json::{json, Value};

use crate::cdp::{Connection, RawEvent};

/// The path of the stub documents: a request for it is fulfilled here with an empty
/// document, never sent to the origin's server.
pub(crate) const STUB_PATH: &str = "/__session_test_stub__";

/// The call that makes a tab, frame or worker pause its requests for [`answer`].
pub(super) fn enable_call() -> (&'static str, Value) {
    (
        "Fetch.enable",
        json!({
            "handleAuthRequests": true,
            "patterns": [{ "urlPattern": "*", "requestStage": "Request" }],
        }),
    )
}

/// Whether `url` is a stub document's (the runtime's own: never routed).
pub(super) fn is_stub(url: &str) -> bool {
    url.contains(STUB_PATH)
}

/// Answers `ev` when it is a paused request or an auth challenge of session `session_id`;
/// a request let go pauses again at its response when `at_response`. One-way sends: safe on
/// the reader thread.
pub(super) fn answer(conn: &Connection, session_id: &str, ev: &RawEvent, at_response: bool) {
    let (method, params) = match ev.method.as_str() {
        "Fetch.requestPaused" => {
            let url = ev.params["request"]["url"].as_str().unwrap_or_default();
            if is_stub(url) {
                (
                    "Fetch.fulfillRequest",
                    stub_document(ev.str_param("requestId")),
                )
            } else {
                (
                    "Fetch.continueRequest",
                    json!({ "requestId": ev.str_param("requestId"),
                            "interceptResponse": at_response }),
                )
            }
        }
        "Fetch.authRequired" => {
            tracing::debug!(target: "session_test", "HTTP authentication asked for: cancelled");
            (
                "Fetch.continueWithAuth",
                json!({ "requestId": ev.str_param("requestId"),
                        "authChallengeResponse": { "response": "CancelAuth" } }),
            )
        }
        _ => return,
    };
    let _ = conn.send_oneway(Some(session_id), method, params);
}

/// The reply to a stub document's request: an empty document, never cached.
fn stub_document(request_id: &str) -> Value {
    json!({
        "requestId": request_id,
        "responseCode": 200,
        "responseHeaders": [
            { "name": "Content-Type", "value": "text/html; charset=utf-8" },
            { "name": "Cache-Control", "value": "no-store" },
        ],
        "body": "PCFkb2N0eXBlIGh0bWw+", // "<!doctype html>"
    })
}
