//! A response as a test sees it ([`wait_for_response`](crate::Page::wait_for_response),
//! [`Route::fetch`](crate::Route::fetch)): status, headers, the whole body, and when it came.

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use serde_json::Value;

use super::request::Request;
use crate::error::{Error, Result};
use crate::sync::{header_names, header_value};

/// A response to a request of the test's context. Its `Debug` shows the status, the URL
/// without query values and the header names: bodies and header values may carry tokens.
///
/// ```no_run
/// # fn t(page: &session_test::Page) -> session_test::Result<()> {
/// let user = page.wait_for_response("**/api/user", || page.click("#load"))?;
/// assert_eq!(user.status(), 200);
/// let name: serde_json::Value = user.json()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Response {
    url: String,
    status: u16,
    /// Empty over HTTP/2 and for a route's answer.
    status_text: String,
    headers: Vec<(String, String)>,
    /// Decoded (no `Content-Encoding` left), whole.
    body: Vec<u8>,
    request: Request,
    timing: Timing,
}

/// When a response came, as [`Response::timing`] gives it.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct Timing {
    /// When the browser was about to send the request (after the page made it).
    pub start: SystemTime,
    /// How long after `start` the response's headers came (a route's answer: when the route
    /// gave it).
    pub response_start: Duration,
}

impl Timing {
    /// A response whose headers came now, to a request paused at `start`.
    pub(crate) fn since(start: SystemTime) -> Timing {
        Timing {
            start,
            response_start: start.elapsed().unwrap_or_default(),
        }
    }
}

impl std::fmt::Debug for Response {
    /// `Response(200 http://app.localhost/api?token=•••, headers: ["content-type"], ..)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let url = crate::trace::without_query_values(&self.url);
        let names = header_names(&self.headers);
        write!(f, "Response({} {url}, headers: {names:?}, ..)", self.status)
    }
}

impl Response {
    /// From a request paused at its response stage (`Fetch.requestPaused` with a status),
    /// and its body.
    pub(crate) fn at_stage(params: &Value, body: Vec<u8>, timing: Timing) -> Response {
        let request = Request::of(params);
        let headers = params["responseHeaders"]
            .as_array()
            .map(|hs| {
                hs.iter()
                    .map(|h| (text(&h["name"]), text(&h["value"])))
                    .collect()
            })
            .unwrap_or_default();
        Response {
            url: request.url.clone(),
            status: params["responseStatusCode"].as_u64().unwrap_or(0) as u16,
            status_text: text(&params["responseStatusText"]),
            headers,
            body,
            request,
            timing,
        }
    }

    /// A route's answer to `request`: `status`, `headers` and `body`.
    pub(crate) fn answered(
        request: Request,
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
        timing: Timing,
    ) -> Response {
        Response {
            url: request.url.clone(),
            status,
            status_text: String::new(),
            headers,
            body,
            request,
            timing,
        }
    }

    /// The URL that answered.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The status line's text (`OK`, `Not Found`; often empty over HTTP/2).
    pub fn status_text(&self) -> &str {
        &self.status_text
    }

    /// Whether the status is 2xx.
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The response's headers (names as sent).
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        header_value(&self.headers, name)
    }

    /// The body as bytes (decoded: no `Content-Encoding` left).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body parsed as JSON.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| {
            Error::http(
                crate::trace::without_query_values(&self.url),
                "the body is not the expected JSON: ",
                e,
            )
        })
    }

    /// The request it answers.
    pub fn request(&self) -> &Request {
        &self.request
    }

    /// When it came.
    pub fn timing(&self) -> Timing {
        self.timing
    }
}

/// The body of the response paused as `params`, read with `call` (`Fetch.getResponseBody`
/// about its request); a redirect's, which has none, is empty.
pub(crate) fn read_body(
    params: &Value,
    call: impl FnOnce(&str, Value) -> Result<Value>,
) -> Result<Vec<u8>> {
    let status = params["responseStatusCode"].as_u64().unwrap_or(0);
    let id = serde_json::json!({ "requestId": params["requestId"] });
    match call("Fetch.getResponseBody", id) {
        Ok(reply) => Ok(body_of(&reply)),
        Err(_) if (300..400).contains(&status) => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

/// The body of `Fetch.getResponseBody`'s reply.
fn body_of(reply: &Value) -> Vec<u8> {
    let body = reply["body"].as_str().unwrap_or_default();
    if reply["base64Encoded"].as_bool() == Some(true) {
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap_or_default()
    } else {
        body.as_bytes().to_vec()
    }
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_no_header_value_body_or_query_value() {
        let request = Request {
            method: "GET".into(),
            url: "http://app.localhost/api?token=query-SECRET".into(),
            headers: vec![("Authorization".into(), "Bearer header-SECRET".into())],
            post_data: None,
            resource_type: "Fetch".into(),
            frame_id: String::new(),
        };
        let headers = vec![("Set-Cookie".into(), "sid=cookie-SECRET".into())];
        let timing = Timing::since(SystemTime::now());
        let response = Response::answered(request, 200, headers, b"body-SECRET".to_vec(), timing);
        let shown = format!("{response:?} {:?}", response.request());
        assert!(
            shown.contains("Response(200 http://app.localhost/api?token=•••"),
            "{shown}"
        );
        assert!(
            shown.contains("Set-Cookie") && shown.contains("Authorization"),
            "{shown}"
        );
        assert!(!shown.contains("SECRET"), "{shown}");
    }
}
