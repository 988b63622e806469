//! What a page fetched: each request's method, URL (query values left out), status,
//! timing and size, from the Network domain's events. No header and no body is read.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The most requests a trace keeps.
const MAX_REQUESTS: usize = 2000;

/// One request as the trace shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Request {
    pub method: String,
    pub url: String,
    /// `Document`, `XHR`, `Fetch`, `Script`, … as the browser classes it.
    #[serde(rename = "type")]
    pub kind: String,
    /// The HTTP status; `None` while no response came (failed, or still loading).
    pub status: Option<u16>,
    /// Why it failed (`net::ERR_CONNECTION_REFUSED`), when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
    /// Milliseconds from the start of the test to the request, and to its end.
    pub start_ms: f64,
    pub end_ms: Option<f64>,
    /// Bytes received, as sent over the wire.
    pub size: Option<u64>,
    pub tab: u64,
    /// What a route of the test did with it, when one took it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<Routed>,
}

/// What a route did with a request: the route's pattern and its decision (`fulfilled`,
/// `aborted`, `continued`, `continued with changes`, …); never a header or a body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Routed {
    pub pattern: String,
    pub verdict: String,
}

/// The requests of a test's tabs, in the order they began.
#[derive(Default)]
pub(crate) struct NetworkLog {
    requests: Vec<Request>,
    /// Where each request still in flight is in `requests`, by tab and request id.
    open: HashMap<(u64, String), usize>,
    /// Where the last request of each id is in `requests`, for its route's mark.
    by_id: HashMap<String, usize>,
    /// Route marks of requests not seen yet.
    routed: HashMap<String, Routed>,
}

/// Requests of the framework's own (the stub documents it reads and writes storage in).
pub(crate) const HIDDEN_PATH: &str = "/__session_test_";

impl NetworkLog {
    /// Takes one Network event of tab `tab`, received `at_ms` into the test.
    pub fn event(&mut self, method: &str, params: &Value, tab: u64, at_ms: f64) {
        let id = (tab, params["requestId"].as_str().unwrap_or("").to_owned());
        match method {
            "Network.requestWillBeSent" => {
                // A redirect: the same id goes on, its previous hop done.
                if let Some(i) = self.open.remove(&id) {
                    let hop = &mut self.requests[i];
                    hop.status = params["redirectResponse"]["status"]
                        .as_u64()
                        .map(|s| s as u16);
                    hop.end_ms = Some(at_ms);
                }
                let url = params["request"]["url"].as_str().unwrap_or("");
                if url.contains(HIDDEN_PATH) || self.requests.len() >= MAX_REQUESTS {
                    return;
                }
                self.by_id.insert(id.1.clone(), self.requests.len());
                let route = self.routed.remove(&id.1);
                self.open.insert(id, self.requests.len());
                self.requests.push(Request {
                    method: params["request"]["method"]
                        .as_str()
                        .unwrap_or("GET")
                        .to_owned(),
                    url: super::without_query_values(url),
                    kind: params["type"].as_str().unwrap_or("Other").to_owned(),
                    status: None,
                    failure: None,
                    start_ms: at_ms,
                    end_ms: None,
                    size: None,
                    tab,
                    route,
                });
            }
            "Network.responseReceived" => {
                if let Some(&i) = self.open.get(&id) {
                    self.requests[i].status =
                        params["response"]["status"].as_u64().map(|s| s as u16);
                }
            }
            "Network.loadingFinished" => {
                if let Some(i) = self.open.remove(&id) {
                    let r = &mut self.requests[i];
                    r.end_ms = Some(at_ms);
                    r.size = params["encodedDataLength"].as_f64().map(|n| n as u64);
                }
            }
            "Network.loadingFailed" => {
                if let Some(i) = self.open.remove(&id) {
                    let r = &mut self.requests[i];
                    r.end_ms = Some(at_ms);
                    r.failure = params["errorText"].as_str().map(str::to_owned);
                }
            }
            _ => {}
        }
    }

    /// Marks the request `request_id` (the Network domain's id) as a route decided it.
    pub fn routed(&mut self, request_id: &str, routed: Routed) {
        match self.by_id.get(request_id) {
            Some(&i) => self.requests[i].route = Some(routed),
            None => {
                if self.routed.len() < MAX_REQUESTS {
                    self.routed.insert(request_id.to_owned(), routed);
                }
            }
        }
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_redirect_then_a_response() {
        let mut log = NetworkLog::default();
        let sent = |url: &str, redirect: Option<u16>| {
            json!({ "requestId": "7", "type": "Document",
                    "request": { "url": url, "method": "GET" },
                    "redirectResponse": redirect.map(|s| json!({ "status": s })) })
        };
        log.event(
            "Network.requestWillBeSent",
            &sent("http://a/cb?code=x", None),
            0,
            1.0,
        );
        log.event(
            "Network.requestWillBeSent",
            &sent("http://a/home", Some(302)),
            0,
            2.0,
        );
        log.event(
            "Network.responseReceived",
            &json!({ "requestId": "7", "response": { "status": 200 } }),
            0,
            3.0,
        );
        log.event(
            "Network.loadingFinished",
            &json!({ "requestId": "7", "encodedDataLength": 512.0 }),
            0,
            4.0,
        );
        let r = log.requests();
        assert_eq!(r.len(), 2);
        assert_eq!(
            (r[0].url.as_str(), r[0].status),
            ("http://a/cb?code=•••", Some(302))
        );
        assert_eq!(
            (r[1].status, r[1].size, r[1].end_ms),
            (Some(200), Some(512), Some(4.0))
        );
    }

    #[test]
    fn the_frameworks_own_requests_are_left_out() {
        let mut log = NetworkLog::default();
        log.event(
            "Network.requestWillBeSent",
            &json!({ "requestId": "1", "request": { "url": "http://a/__session_test_stub__" } }),
            0,
            1.0,
        );
        assert!(log.requests().is_empty());
    }

    #[test]
    fn a_route_marks_its_request_seen_before_or_after() {
        let mut log = NetworkLog::default();
        let sent = |id: &str| json!({ "requestId": id, "request": { "url": "http://a/x", "method": "GET" } });
        let mark = |verdict: &str| Routed {
            pattern: "**/x".into(),
            verdict: verdict.into(),
        };
        log.event("Network.requestWillBeSent", &sent("1"), 0, 1.0);
        log.routed("1", mark("fulfilled"));
        log.routed("2", mark("aborted"));
        log.event("Network.requestWillBeSent", &sent("2"), 0, 2.0);
        log.event("Network.requestWillBeSent", &sent("3"), 0, 3.0);
        let routes: Vec<Option<Routed>> = log.requests().into_iter().map(|r| r.route).collect();
        assert_eq!(
            routes,
            [Some(mark("fulfilled")), Some(mark("aborted")), None]
        );
    }
}
