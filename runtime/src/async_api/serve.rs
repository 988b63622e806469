//! An app under test served in-process on the test's own runtime: a free port on the
//! loopback, the app's server task, stopped when the handle is dropped.

use std::future::Future;

use tokio::net::TcpListener;

use crate::error::{Error, Result};

/// An app [`serve`] started: where it listens; stopped when dropped (at the latest when the
/// test's runtime ends with the test).
#[derive(Debug)]
pub struct AppServer {
    base_url: String,
    task: tokio::task::JoinHandle<()>,
}

/// Serves an app on `127.0.0.1` at a free port, on the current tokio runtime: `start` gets
/// the listener and returns the server's future (an axum app:
/// `|listener| async move { axum::serve(listener, app).await }`). On the test's
/// current-thread runtime the app answers while the test awaits the page's calls.
///
/// ```no_run
/// use session_test::async_api::{expect, serve, Page};
/// use session_test::session_test;
///
/// async fn hello() -> &'static str {
///     "hello"
/// }
///
/// #[session_test]
/// async fn the_app_answers(page: &Page) -> session_test::Result<()> {
///     let app = axum::Router::new().route("/", axum::routing::get(hello));
///     let server = serve(|listener| async move { axum::serve(listener, app).await }).await?;
///     page.visit(&server.url("/")).await?;
///     expect(&page.locator("body")).to_have_text("hello").await
/// }
/// # fn main() {}
/// ```
pub async fn serve<F, Fut>(start: F) -> Result<AppServer>
where
    F: FnOnce(TcpListener) -> Fut,
    Fut: Future<Output = std::io::Result<()>> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| Error::io("binding the app's port on 127.0.0.1", e))?;
    let port = listener
        .local_addr()
        .map_err(|e| Error::io("reading the app's port", e))?
        .port();
    let serving = start(listener);
    let task = tokio::spawn(async move {
        if let Err(e) = serving.await {
            crate::log::warn(&format!("the app served on port {port} stopped: {e}"));
        }
    });
    Ok(AppServer {
        base_url: format!("http://127.0.0.1:{port}"),
        task,
    })
}

impl AppServer {
    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The URL of `path` on the app.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}

impl Drop for AppServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
