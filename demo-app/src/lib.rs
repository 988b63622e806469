//! The demo web app that session-test's tests, examples and benchmark log in to.
//!
//! One [`DemoApp`] is one site on a free loopback port; [`DemoSites`] starts two, reached by
//! the browser as `http://app.localhost:PORT` and `http://auth.localhost:PORT` (Chromium
//! resolves `*.localhost` to loopback). Each login sleeps a configurable delay, like a
//! password hash, and is counted.
//!
//! ```no_run
//! let app = session_test_demo_app::DemoApp::start("app.localhost")?;
//! println!("{}", app.url("/login"));
//! assert_eq!(app.logins(), 0);
//! # Ok::<(), std::io::Error>(())
//! ```

mod grants;
mod pages;
mod state;

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use state::State;

/// Options of one site.
#[derive(Clone, Debug)]
pub struct DemoOptions {
    /// How long each login takes on the server; default `$LOGIN_MS` or 100 ms.
    pub login_delay: Duration,
}

impl Default for DemoOptions {
    fn default() -> Self {
        let ms = std::env::var("LOGIN_MS")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or(100);
        DemoOptions {
            login_delay: Duration::from_millis(ms),
        }
    }
}

/// One running site. Stops when dropped.
pub struct DemoApp {
    server: Arc<tiny_http::Server>,
    state: Arc<State>,
    port: u16,
    host: String,
    accept: Option<JoinHandle<()>>,
}

impl DemoApp {
    /// Starts a site on `127.0.0.1:0`; pages are addressed as `http://{host}:{port}`.
    pub fn start(host: &str) -> std::io::Result<DemoApp> {
        Self::start_with(host, DemoOptions::default())
    }

    /// [`DemoApp::start`] with options.
    ///
    /// ```no_run
    /// use session_test_demo_app::{DemoApp, DemoOptions};
    /// let app = DemoApp::start_with("app.localhost", DemoOptions { login_delay: Default::default() })?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn start_with(host: &str, options: DemoOptions) -> std::io::Result<DemoApp> {
        let server = tiny_http::Server::http("127.0.0.1:0").map_err(std::io::Error::other)?;
        let port = server
            .server_addr()
            .to_ip()
            .map(|a| a.port())
            .ok_or_else(|| std::io::Error::other("not an IP listener"))?;
        let server = Arc::new(server);
        let state = Arc::new(State::new(options.login_delay));
        let accept = {
            let server = Arc::clone(&server);
            let state = Arc::clone(&state);
            std::thread::Builder::new()
                .name(format!("demo-app-{port}"))
                .spawn(move || {
                    for request in server.incoming_requests() {
                        if state.stopped.load(Ordering::SeqCst) {
                            break;
                        }
                        let state = Arc::clone(&state);
                        // One thread per request: parallel logins must not queue.
                        let _ = std::thread::Builder::new()
                            .name("demo-app-request".into())
                            .spawn(move || pages::handle(&state, request));
                    }
                })?
        };
        Ok(DemoApp {
            server,
            state,
            port,
            host: host.to_string(),
            accept: Some(accept),
        })
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The host name pages use.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// `http://{host}:{port}`.
    pub fn base_url(&self) -> String {
        format!("http://{}:{}", self.host, self.port)
    }

    /// [`DemoApp::base_url`] + `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url())
    }

    /// `http://127.0.0.1:{port}`, for HTTP clients that do not resolve `*.localhost`.
    pub fn loopback_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Successful logins (form and API) performed so far.
    pub fn logins(&self) -> u64 {
        self.state.logins.load(Ordering::SeqCst)
    }

    /// Requests of `/cacheable` that reached the server.
    pub fn cacheable_hits(&self) -> u64 {
        self.state.cacheable_hits.load(Ordering::SeqCst)
    }

    /// Refreshes `/oauth/token` refused so far: a retired (already used) refresh token, which
    /// also revokes its grant, or one of a revoked grant.
    pub fn rejected_refreshes(&self) -> u64 {
        self.state.grants.rejected.load(Ordering::SeqCst)
    }

    /// Sets the login counter back to 0.
    pub fn reset_stats(&self) {
        self.state.logins.store(0, Ordering::SeqCst);
    }

    /// Forgets every server-side session and token: every login becomes invalid.
    pub fn reset_sessions(&self) {
        self.state.reset_sessions();
    }
}

impl Drop for DemoApp {
    fn drop(&mut self) {
        self.state.stopped.store(true, Ordering::SeqCst);
        self.server.unblock();
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

/// The two sites the tests use: `app.localhost` and `auth.localhost`.
pub struct DemoSites {
    /// The application site (form login, `/home`).
    pub app: DemoApp,
    /// The second site (API login with a localStorage token).
    pub auth: DemoApp,
}

impl DemoSites {
    /// Starts both sites with default options.
    pub fn start() -> std::io::Result<DemoSites> {
        Ok(DemoSites {
            app: DemoApp::start("app.localhost")?,
            auth: DemoApp::start("auth.localhost")?,
        })
    }

    /// Logins performed on both sites.
    pub fn logins(&self) -> u64 {
        self.app.logins() + self.auth.logins()
    }
}
