//! `Page::request()`: HTTP that shares the page's browser-context cookies, for logging in
//! through an API and for validate checks without a page load (SPEC G1).
//!
//! Cookies for the URL are read from the context before each request, and `Set-Cookie`
//! answers are stored back into it; redirects are followed here (not by the client) so that
//! cookies set by intermediate responses are kept. `localhost` and `*.localhost` resolve to
//! loopback, as in the browser (RFC 6761).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

use crate::error::{Cause, Error, Result};
use crate::page::{resolve_url, Page};

/// HTTP requests in the page's cookie jar. Get one with [`Page::request`].
///
/// ```no_run
/// # fn t(page: &session_test::Page) -> session_test::Result<()> {
/// let login = page.request().post_json("/api/login", &serde_json::json!({"name": "alice", "password": "s3cr3t"}))?;
/// assert_eq!(login.status(), 200);
/// assert_eq!(page.request().get("/whoami")?.status(), 200); // the cookie was stored
/// # Ok(()) }
/// ```
pub struct ApiRequest<'p> {
    page: &'p Page,
    headers: Vec<(String, String)>,
}

/// An HTTP response. Its `Debug` shows the status and header names only.
pub struct ApiResponse {
    status: u16,
    url: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl std::fmt::Debug for ApiResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiResponse")
            .field("status", &self.status)
            .field("url", &self.url)
            .field("headers", &crate::sync::header_names(&self.headers))
            .finish_non_exhaustive()
    }
}

impl ApiResponse {
    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }
    /// The URL that answered (after redirects).
    pub fn url(&self) -> &str {
        &self.url
    }
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::sync::header_value(&self.headers, name)
    }
    /// The body as text (lossy UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    /// The body as raw bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.body
    }
    /// The body parsed as JSON.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body)
            .map_err(|e| Error::http(&self.url, "the body is not the expected JSON: ", e))
    }
}

#[derive(Debug)]
struct LoopbackResolver;

impl Resolver for LoopbackResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> std::result::Result<ResolvedSocketAddrs, ureq::Error> {
        let host = uri.host().unwrap_or_default().to_ascii_lowercase();
        if host == "localhost" || host.ends_with(".localhost") {
            let port = uri
                .port_u16()
                .unwrap_or(if uri.scheme_str() == Some("https") {
                    443
                } else {
                    80
                });
            let mut out = DefaultResolver::default().empty();
            out.push(std::net::SocketAddr::from(([127, 0, 0, 1], port)));
            return Ok(out);
        }
        DefaultResolver::default().resolve(uri, config, timeout)
    }
}

fn agent() -> &'static ureq::Agent {
    static AGENT: once_cell::sync::Lazy<ureq::Agent> = once_cell::sync::Lazy::new(|| {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build();
        ureq::Agent::with_parts(config, DefaultConnector::default(), LoopbackResolver)
    });
    &AGENT
}

/// The content types of `post_json` and `post_form`.
pub(crate) const JSON: &str = "application/json";
pub(crate) const FORM: &str = "application/x-www-form-urlencoded";

/// `body` as the JSON of a request to `url`.
pub(crate) fn json_body<T: serde::Serialize + ?Sized>(url: &str, body: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(body).map_err(|e| Error::http(url, "cannot serialize the body: ", e))
}

/// `fields` as a form's body.
pub(crate) fn form_body(fields: &[(&str, &str)]) -> Vec<u8> {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    body.into_bytes()
}

impl Page {
    /// An HTTP client that sends this context's cookies and stores the cookies it receives.
    pub fn request(&self) -> ApiRequest<'_> {
        ApiRequest::new(self)
    }
}

impl<'p> ApiRequest<'p> {
    fn new(page: &'p Page) -> Self {
        ApiRequest {
            page,
            headers: Vec::new(),
        }
    }

    /// Adds a header to every request sent through this value.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// `GET url` (relative URLs resolve against the base URL).
    pub fn get(&self, url: &str) -> Result<ApiResponse> {
        self.send("GET", url, None, Vec::new())
    }

    /// `POST url` with a JSON body.
    pub fn post_json<T: serde::Serialize + ?Sized>(
        &self,
        url: &str,
        body: &T,
    ) -> Result<ApiResponse> {
        self.send("POST", url, Some(JSON), json_body(url, body)?)
    }

    /// `POST url` with form fields (`application/x-www-form-urlencoded`).
    pub fn post_form(&self, url: &str, fields: &[(&str, &str)]) -> Result<ApiResponse> {
        self.send("POST", url, Some(FORM), form_body(fields))
    }

    /// Any method, with an optional content type and a body.
    pub fn send(
        &self,
        method: &str,
        url: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Result<ApiResponse> {
        let target = || format!("{method} {}", crate::page::shown_url(url));
        self.page.traced("request", target, |action| {
            let response = self.follow(method, url, content_type, body)?;
            action.detail = Some(response.status.to_string());
            Ok(response)
        })
    }

    /// `send`'s work: the request, and the redirects it is answered with.
    fn follow(
        &self,
        method: &str,
        url: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Result<ApiResponse> {
        let mut url = resolve_url(url)?;
        let mut method = method.to_string();
        let mut body = body;
        let mut content_type = content_type.map(str::to_owned);
        for _ in 0..10 {
            let response = self.send_once(&method, &url, content_type.as_deref(), &body)?;
            let location = response.header("location").map(str::to_owned);
            match (response.status, location) {
                (301 | 302 | 303 | 307 | 308, Some(location)) => {
                    let next = url::Url::parse(&url)
                        .and_then(|u| u.join(&location))
                        .map_err(|e| {
                            Error::http(&url, &format!("bad redirect `{location}`: "), e)
                        })?;
                    if matches!(response.status, 301..=303) && method != "HEAD" {
                        method = "GET".into();
                        body.clear();
                        content_type = None;
                    }
                    url = next.to_string();
                }
                _ => return Ok(response),
            }
        }
        Err(Error::Http {
            url,
            reason: "more than 10 redirects".into(),
            source: None,
        })
    }

    fn send_once(
        &self,
        method: &str,
        url: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<ApiResponse> {
        let http_err = |e: Cause| Error::http(url, "", e);
        let mut builder = ureq::http::Request::builder().method(method).uri(url);
        let cookie = self.cookie_header(url)?;
        if !cookie.is_empty() {
            builder = builder.header("Cookie", cookie);
        }
        if let Some(ct) = content_type {
            builder = builder.header("Content-Type", ct);
        }
        for (k, v) in &self.headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        let request = builder
            .body(body.to_vec())
            .map_err(|e| http_err(e.into()))?;
        let mut response = agent().run(request).map_err(|e| http_err(e.into()))?;
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = response
            .body_mut()
            .with_config()
            .limit(256 * 1024 * 1024)
            .read_to_vec()
            .map_err(|e| http_err(e.into()))?;
        let set_cookies: Vec<Value> = headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .filter_map(|(_, v)| parse_set_cookie(v, url))
            .collect();
        if !set_cookies.is_empty() {
            self.page.cdp().call_raw(
                "Network.setCookies",
                json!({ "cookies": set_cookies }),
                self.page.call_timeout(),
            )?;
        }
        Ok(ApiResponse {
            status,
            url: url.to_string(),
            headers,
            body,
        })
    }

    /// `name=value; …` of the context's cookies that the browser would send to `url`.
    fn cookie_header(&self, url: &str) -> Result<String> {
        let reply = self.page.cdp().call_raw(
            "Network.getCookies",
            json!({ "urls": [url] }),
            self.page.call_timeout(),
        )?;
        Ok(reply["cookies"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| Some(format!("{}={}", c["name"].as_str()?, c["value"].as_str()?)))
            .collect::<Vec<_>>()
            .join("; "))
    }
}

/// A `Set-Cookie` header as a `Network.CookieParam` for the URL that sent it.
fn parse_set_cookie(header: &str, url: &str) -> Option<Value> {
    let mut parts = header.split(';');
    let (name, value) = parts.next()?.split_once('=')?;
    let mut p = json!({ "name": name.trim(), "value": value.trim(), "url": url });
    let mut max_age = None;
    for attr in parts {
        let (k, v) = attr.split_once('=').unwrap_or((attr, ""));
        let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
        match k.as_str() {
            "domain" if !v.is_empty() => p["domain"] = json!(v.trim_start_matches('.')),
            "path" if !v.is_empty() => p["path"] = json!(v),
            "secure" => p["secure"] = json!(true),
            "httponly" => p["httpOnly"] = json!(true),
            "samesite" => {
                let mut s = v.to_ascii_lowercase();
                if let Some(first) = s.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                p["sameSite"] = json!(s);
            }
            "max-age" => max_age = v.parse::<i64>().ok(),
            "expires" => {
                if let Ok(t) = httpdate::parse_http_date(v) {
                    if let Ok(d) = t.duration_since(UNIX_EPOCH) {
                        p["expires"] = json!(d.as_secs_f64());
                    } else {
                        p["expires"] = json!(1.0);
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(age) = max_age {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .ok()?
            .as_secs_f64();
        p["expires"] = json!(if age <= 0 { 1.0 } else { now + age as f64 });
    }
    if p.get("domain").is_some() {
        // With a Domain attribute the cookie is a domain cookie; `url` would make it host-only.
        let u = url::Url::parse(url).ok()?;
        p["secure"] = json!(p["secure"].as_bool().unwrap_or(false));
        if p.get("path").is_none() {
            p["path"] = json!("/");
        }
        let _ = u;
        p.as_object_mut()?.remove("url");
    }
    Some(p)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_body_that_is_not_the_json_asked_for_keeps_the_parser_error() {
        let response = super::ApiResponse {
            status: 200,
            url: "http://app.localhost/api".into(),
            headers: Vec::new(),
            body: b"<html>".to_vec(),
        };
        let e = response.json::<serde_json::Value>().unwrap_err();
        assert!(
            e.to_string()
                .starts_with("HTTP request to http://app.localhost/api failed: the body is not"),
            "{e}"
        );
        let source = std::error::Error::source(&e).expect("a source");
        assert!(source.downcast_ref::<serde_json::Error>().is_some());
    }

    use super::parse_set_cookie;

    #[test]
    fn set_cookie_headers_become_cookie_params() {
        let p = parse_set_cookie(
            "sid=abc; Path=/; HttpOnly; SameSite=lax",
            "http://app.localhost:1/login",
        )
        .unwrap();
        assert_eq!(p["name"], "sid");
        assert_eq!(p["url"], "http://app.localhost:1/login");
        assert_eq!(p["httpOnly"], true);
        assert_eq!(p["sameSite"], "Lax");
        let p = parse_set_cookie(
            "a=1; Domain=.example.test; Max-Age=0",
            "http://x.example.test/",
        )
        .unwrap();
        assert_eq!(p["domain"], "example.test");
        assert!(p.get("url").is_none());
        assert_eq!(p["expires"], 1.0);
    }
}
