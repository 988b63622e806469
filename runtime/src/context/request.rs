//! A request of a page of the test's context, as a route or a `wait_for_request` sees it.

use serde_json::Value;

use crate::sync::{header_names, header_value};

/// A request a page of the test's context made, as a route sees it.
#[derive(Clone)]
pub struct Request {
    pub(crate) method: String,
    pub(crate) url: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) post_data: Option<String>,
    pub(crate) resource_type: String,
    pub(crate) frame_id: String,
}

impl std::fmt::Debug for Request {
    // Header values and the body may carry tokens: names only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &crate::trace::without_query_values(&self.url))
            .field("headers", &header_names(&self.headers))
            .field("resource_type", &self.resource_type)
            .finish()
    }
}

impl Request {
    /// From a `Fetch.requestPaused` event's parameters.
    pub(crate) fn of(params: &Value) -> Request {
        let request = &params["request"];
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        let headers = request["headers"]
            .as_object()
            .map(|h| h.iter().map(|(k, v)| (k.clone(), text(v))).collect())
            .unwrap_or_default();
        Request {
            method: text(&request["method"]),
            url: text(&request["url"]),
            headers,
            post_data: request["postData"].as_str().map(str::to_owned),
            resource_type: text(&params["resourceType"]),
            frame_id: text(&params["frameId"]),
        }
    }

    /// `GET`, `POST`, …
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The whole URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The request's headers as the browser will send them (names as sent).
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        header_value(&self.headers, name)
    }

    /// The body of a `POST` or `PUT`, when it is text.
    pub fn post_data(&self) -> Option<&str> {
        self.post_data.as_deref()
    }

    /// How the browser classes it: `Document`, `XHR`, `Fetch`, `Script`, `Image`, …
    pub fn resource_type(&self) -> &str {
        &self.resource_type
    }

    /// The id of the frame that made it ([`Frame::id`](crate::Frame::id)).
    pub fn frame_id(&self) -> &str {
        &self.frame_id
    }
}
