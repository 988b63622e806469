//! `ApiRequest`: the async face of a page's HTTP client, which shares its context's
//! cookies. Each request runs the blocking client's on a blocking thread.

use super::Page;
use crate::error::Result;
use crate::request::{form_body, json_body, ApiResponse, FORM, JSON};

/// An HTTP client with the page's cookies, as [`crate::ApiRequest`] with async calls.
///
/// ```no_run
/// # async fn t(page: &session_test::async_api::Page) -> session_test::Result<()> {
/// let login = page
///     .request()
///     .post_json("/api/login", &serde_json::json!({"name": "alice", "password": "s3cr3t"}))
///     .await?;
/// assert_eq!(login.status(), 200);
/// assert_eq!(page.request().get("/whoami").await?.status(), 200); // the cookie was stored
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct ApiRequest {
    page: Page,
    headers: Vec<(String, String)>,
}

/// Shows the header names only: a header's value may be a credential.
impl std::fmt::Debug for ApiRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("ApiRequest")
            .field("headers", &names)
            .finish()
    }
}

impl Page {
    /// An HTTP client that sends this context's cookies and stores those it receives.
    pub fn request(&self) -> ApiRequest {
        ApiRequest {
            page: self.clone(),
            headers: Vec::new(),
        }
    }
}

impl ApiRequest {
    /// Adds a header to every request sent through this value.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// `GET url` (relative URLs resolve against the base URL).
    pub async fn get(&self, url: &str) -> Result<ApiResponse> {
        self.send("GET", url, None, Vec::new()).await
    }

    /// `POST url` with a JSON body.
    pub async fn post_json<T: serde::Serialize + ?Sized>(
        &self,
        url: &str,
        body: &T,
    ) -> Result<ApiResponse> {
        self.send("POST", url, Some(JSON), json_body(url, body)?)
            .await
    }

    /// `POST url` with form fields (`application/x-www-form-urlencoded`).
    pub async fn post_form(&self, url: &str, fields: &[(&str, &str)]) -> Result<ApiResponse> {
        self.send("POST", url, Some(FORM), form_body(fields)).await
    }

    /// Any `method`, with an optional content type and a body, as
    /// [`crate::ApiRequest::send`].
    pub async fn send(
        &self,
        method: &str,
        url: &str,
        kind: Option<&str>,
        body: impl Into<Vec<u8>>,
    ) -> Result<ApiResponse> {
        let (method, url, body) = (method.to_owned(), url.to_owned(), body.into());
        let kind = kind.map(str::to_owned);
        self.with(move |request| request.send(&method, &url, kind.as_deref(), body))
            .await
    }

    /// Runs `call` with the blocking client (this value's headers on it) on a blocking
    /// thread.
    async fn with<T, F>(&self, call: F) -> Result<T>
    where
        F: FnOnce(&crate::request::ApiRequest<'_>) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let headers = self.headers.clone();
        self.page
            .run(move |page| {
                let request = headers
                    .iter()
                    .fold(page.request(), |request, (name, value)| {
                        request.header(name, value)
                    });
                call(&request)
            })
            .await
    }
}
