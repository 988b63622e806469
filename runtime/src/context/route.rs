//! The `Route` a handler gets with a request: what decides what the request gets (a response
//! made here, an error, the network with or without changes, the real response fetched, or
//! the next route).

use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use serde_json::{json, Value};

use super::request::Request;
use super::response::{read_body, Response, Timing};
use super::traffic::Traffic;
use crate::cdp::Connection;
use crate::error::{Error, Result};
use crate::sync::lock;
use crate::trace::{Routed, Trace};

/// A response made by a route: status, headers, body.
///
/// ```
/// use session_test::Fulfill;
/// let page = Fulfill::new(200).header("Content-Type", "text/html").body("<h1>hi</h1>");
/// let api = Fulfill::json(201, &serde_json::json!({ "id": 7 }));
/// ```
#[derive(Clone, Debug)]
pub struct Fulfill {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Fulfill {
    /// A response with `status`, no header, an empty body.
    pub fn new(status: u16) -> Fulfill {
        Fulfill {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// `value` as a JSON body, with `Content-Type: application/json`.
    pub fn json(status: u16, value: &impl serde::Serialize) -> Fulfill {
        let body = serde_json::to_vec(value).unwrap_or_default();
        Fulfill::new(status)
            .header("Content-Type", "application/json")
            .body(body)
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Fulfill {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Fulfill {
        self.body = body.into();
        self
    }
}

impl From<&Response> for Fulfill {
    /// The response as it came, to pass on changed: its status, headers and body, without
    /// the headers that describe the body as it was sent (`Content-Length`,
    /// `Content-Encoding`, `Transfer-Encoding`: the body here is decoded, and may change).
    ///
    /// ```no_run
    /// use session_test::Fulfill;
    /// # fn t(page: &session_test::Page) -> session_test::Result<()> {
    /// page.route("**/api/user", |route| {
    ///     let real = route.fetch()?;
    ///     let mut user: serde_json::Value = real.json()?;
    ///     user["name"] = "mallory".into();
    ///     route.fulfill(Fulfill::from(&real).body(user.to_string()))
    /// })?;
    /// # Ok(()) }
    /// ```
    fn from(response: &Response) -> Fulfill {
        Fulfill {
            status: response.status(),
            headers: response
                .headers()
                .iter()
                .filter(|(name, _)| !is_as_sent(name))
                .cloned()
                .collect(),
            body: response.body().to_vec(),
        }
    }
}

/// Whether header `name` describes a body as it was sent (its length, its encoding), which a
/// decoded and maybe changed body no longer is.
pub(crate) fn is_as_sent(name: &str) -> bool {
    ["content-length", "content-encoding", "transfer-encoding"]
        .iter()
        .any(|s| name.eq_ignore_ascii_case(s))
}

/// What [`Route::continue_with`] changes of the request before it goes to the network;
/// `None` keeps the request's own.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// Another URL (same scheme; the page does not see the change).
    pub url: Option<String>,
    /// Another method.
    pub method: Option<String>,
    /// Headers in place of the request's.
    pub headers: Option<Vec<(String, String)>>,
    /// Another body.
    pub post_data: Option<Vec<u8>>,
}

/// What a handler decided for its request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Answered: fulfilled, aborted or continued.
    Decided,
    /// Handed to the next matching route.
    Fallback,
}

/// A paused request handed to a route's handler, which decides what it gets: each method
/// takes the route, so a request is decided once.
pub struct Route {
    request: Request,
    paused: Arc<Paused>,
}

/// The request as the browser holds it.
pub(crate) struct Paused {
    pub conn: Weak<Connection>,
    pub session_id: String,
    pub request_id: String,
    pub url: String,
    /// When the browser paused it.
    pub start: SystemTime,
    pub timeout: Duration,
    pub verdict: Mutex<Option<Verdict>>,
    pub traffic: Arc<Traffic>,
    /// The response a handler fetched: the request waits at its response stage since.
    pub fetched: Mutex<Option<Response>>,
    /// The test's trace, when tests are traced, and the request's id there (the Network
    /// domain's), for the route's mark.
    pub traced: Option<(Arc<Mutex<Trace>>, String)>,
    /// The pattern of the route whose handler has the request.
    pub asking: Mutex<String>,
}

impl std::fmt::Debug for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Route")
            .field("request", &self.request)
            .finish()
    }
}

impl Route {
    pub(crate) fn new(request: Request, paused: Arc<Paused>) -> Route {
        Route { request, paused }
    }

    /// The request.
    pub fn request(&self) -> &Request {
        &self.request
    }

    /// Answers the request with `response`; the network is not asked.
    pub fn fulfill(self, response: Fulfill) -> Result<()> {
        let headers: Vec<Value> = response
            .headers
            .iter()
            .map(|(name, value)| json!({ "name": name, "value": value }))
            .collect();
        let body = base64::engine::general_purpose::STANDARD.encode(&response.body);
        let paused = Arc::clone(&self.paused);
        let request = self.request.clone();
        self.decide(
            "Fetch.fulfillRequest",
            json!({ "responseCode": response.status, "responseHeaders": headers, "body": body }),
        )?;
        paused.traffic.answered(&paused.url, || {
            let timing = Timing::since(paused.start);
            Response::answered(
                request,
                response.status,
                response.headers,
                response.body,
                timing,
            )
        });
        Ok(())
    }

    /// Fails the request as a network error would (`net::ERR_FAILED`).
    pub fn abort(self) -> Result<()> {
        self.abort_with("Failed")
    }

    /// Fails the request with the browser's `reason`: `Failed`, `Aborted`, `TimedOut`,
    /// `AccessDenied`, `ConnectionClosed`, `ConnectionReset`, `ConnectionRefused`,
    /// `ConnectionAborted`, `ConnectionFailed`, `NameNotResolved`, `InternetDisconnected`,
    /// `AddressUnreachable`, `BlockedByClient`, `BlockedByResponse`.
    pub fn abort_with(self, reason: &str) -> Result<()> {
        self.decide("Fetch.failRequest", json!({ "errorReason": reason }))
    }

    /// Lets the request go to the network as it is.
    pub fn continue_(self) -> Result<()> {
        self.continue_with(Overrides::default())
    }

    /// Lets the request go to the network with `overrides`. After [`Route::fetch`] the
    /// request went already: the response it fetched goes on to the page, and `overrides`
    /// are an error.
    pub fn continue_with(self, overrides: Overrides) -> Result<()> {
        let params = overrides_params(overrides);
        if lock(&self.paused.fetched).is_some() && params != json!({}) {
            return Err(Error::Http {
                url: crate::trace::without_query_values(&self.paused.url),
                reason: "continue_with after fetch: the request was sent already (fulfill it \
                         with the fetched response instead)"
                    .into(),
                source: None,
            });
        }
        let paused = Arc::clone(&self.paused);
        self.decide("Fetch.continueRequest", params.clone())
            .map(|()| paused.passed_on())
    }

    /// Sends the request to the network (with what `overrides` changes) and returns the
    /// response, to fulfill it with as it is or changed ([`Fulfill::from`]); the page gets
    /// nothing until the handler decides. The browser's network stack sends it (the
    /// context's cookies, cache and auth); a redirect is returned as it is, and the browser
    /// follows it once passed on. A second `fetch` returns the same response.
    pub fn fetch(&self) -> Result<Response> {
        self.fetch_with(Overrides::default())
    }

    /// [`Route::fetch`] with `overrides`.
    pub fn fetch_with(&self, overrides: Overrides) -> Result<Response> {
        if let Some(response) = lock(&self.paused.fetched).clone() {
            return Ok(response);
        }
        let paused = &self.paused;
        let stage = paused.traffic.expect_response(&paused.request_id);
        let mut params = overrides_params(overrides);
        params["requestId"] = json!(paused.request_id);
        params["interceptResponse"] = json!(true);
        paused.call("Fetch.continueRequest", params)?;
        let url = crate::trace::without_query_values(&paused.url);
        let params = stage
            .recv_timeout(paused.timeout)
            .map_err(|_| Error::Timeout {
                what: format!(
                    "the response to {} {url} (`Route::fetch`)",
                    self.request.method
                ),
                after: paused.timeout,
            })?;
        let timing = Timing::since(paused.start);
        if let Some(reason) = params["responseErrorReason"].as_str() {
            return Err(Error::Http {
                url,
                reason: format!("the network failed it: {reason}"),
                source: None,
            });
        }
        let body = read_body(&params, |method, args| paused.call(method, args))?;
        let response = Response::at_stage(&params, body, timing);
        *lock(&paused.fetched) = Some(response.clone());
        Ok(response)
    }

    /// Hands the request to the next route that matches it (routes added earlier), or to
    /// the network when none is left.
    pub fn fallback(self) -> Result<()> {
        *lock(&self.paused.verdict) = Some(Verdict::Fallback);
        Ok(())
    }

    /// Sends the answer; the request counts as decided once the browser took it (one it
    /// refused is still paused, and is failed when the handler returns). A request let go
    /// to the network pauses again at its response when a `wait_for_response` wants it.
    fn decide(self, method: &str, mut params: Value) -> Result<()> {
        let paused = &self.paused;
        let changed = params.as_object().is_some_and(|p| !p.is_empty());
        params["requestId"] = json!(paused.request_id);
        let fetched = lock(&paused.fetched).is_some();
        if method == "Fetch.continueRequest"
            && !fetched
            && paused
                .traffic
                .want_response(&paused.request_id, &paused.url)
        {
            params["interceptResponse"] = json!(true);
        }
        let verdict = match method {
            "Fetch.fulfillRequest" if fetched => "fetched, then fulfilled",
            "Fetch.fulfillRequest" => "fulfilled",
            "Fetch.failRequest" => "aborted",
            _ if fetched => "fetched, then passed on",
            "Fetch.continueRequest" if changed => "continued with changes",
            _ => "continued",
        };
        paused.call(method, params)?;
        *lock(&paused.verdict) = Some(Verdict::Decided);
        paused.mark(verdict);
        Ok(())
    }
}

/// `Fetch.continueRequest`'s parameters for `overrides`.
fn overrides_params(overrides: Overrides) -> Value {
    let mut params = json!({});
    if let Some(url) = overrides.url {
        params["url"] = json!(url);
    }
    if let Some(method) = overrides.method {
        params["method"] = json!(method);
    }
    if let Some(headers) = overrides.headers {
        let headers: Vec<Value> = headers
            .iter()
            .map(|(name, value)| json!({ "name": name, "value": value }))
            .collect();
        params["headers"] = json!(headers);
    }
    if let Some(body) = overrides.post_data {
        params["postData"] = json!(base64::engine::general_purpose::STANDARD.encode(body));
    }
    params
}

impl Paused {
    /// Calls `method` about the paused request; the handler's thread waits for the reply.
    pub fn call(&self, method: &str, params: Value) -> Result<Value> {
        let conn = self.conn.upgrade().ok_or_else(|| Error::BrowserClosed {
            reason: "the connection closed".into(),
        })?;
        conn.call_raw(Some(&self.session_id), method, params, self.timeout)
    }

    /// Lets the request go on unchanged: to the network, or (fetched already) with the
    /// response it fetched, which the `wait_for_response`s its URL matches then get.
    pub fn let_go(&self) -> Result<()> {
        let mut params = json!({ "requestId": self.request_id });
        let fetched = lock(&self.fetched).clone();
        if fetched.is_none() && self.traffic.want_response(&self.request_id, &self.url) {
            params["interceptResponse"] = json!(true);
        }
        self.call("Fetch.continueRequest", params)?;
        self.mark("passed on: every route fell back");
        self.passed_on();
        Ok(())
    }

    /// Marks the request in the trace with what the route asked last did.
    pub fn mark(&self, verdict: &str) {
        if let Some((trace, request_id)) = &self.traced {
            let routed = Routed {
                pattern: lock(&self.asking).clone(),
                verdict: verdict.to_owned(),
            };
            lock(trace).routed(request_id, routed);
        }
    }

    /// The request went on: a response it fetched reaches the `wait_for_response`s.
    fn passed_on(&self) {
        if let Some(response) = lock(&self.fetched).clone() {
            self.traffic.answered(&self.url, || response);
        }
    }
}
