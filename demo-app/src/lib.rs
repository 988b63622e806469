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
mod http;
mod pages;
mod passkeys;
mod requests;
mod state;

use std::sync::atomic::Ordering;
use std::sync::Arc;
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
    server: http::Server,
    state: Arc<State>,
    host: String,
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
        let state = Arc::new(State::new(options.login_delay));
        let server = {
            let state = Arc::clone(&state);
            http::Server::start(move |request| pages::handle(&state, request))?
        };
        state.passkeys.configure(host, server.port());
        Ok(DemoApp {
            server,
            state,
            host: host.to_string(),
        })
    }

    /// How many passkeys were registered (`/passkey`).
    pub fn passkey_registrations(&self) -> u64 {
        self.state.passkeys.registrations.load(Ordering::SeqCst)
    }

    /// How many passkey sign-ins and step-ups the server verified.
    pub fn passkey_assertions(&self) -> u64 {
        self.state.passkeys.assertions.load(Ordering::SeqCst)
    }

    /// How many passkey assertions were refused because their counter did not grow.
    pub fn refused_passkey_counters(&self) -> u64 {
        self.state.passkeys.refused_counters.load(Ordering::SeqCst)
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.server.port()
    }

    /// The host name pages use.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// `http://{host}:{port}`.
    pub fn base_url(&self) -> String {
        format!("http://{}:{}", self.host, self.port())
    }

    /// [`DemoApp::base_url`] + `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url())
    }

    /// `http://127.0.0.1:{port}`, for HTTP clients that do not resolve `*.localhost`.
    pub fn loopback_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port())
    }

    /// Successful logins (form and API) performed so far.
    pub fn logins(&self) -> u64 {
        self.state.logins.load(Ordering::SeqCst)
    }

    /// Requests of `/cacheable` and `/cacheable.js` that reached the server.
    pub fn cacheable_hits(&self) -> u64 {
        self.state.cacheable_hits.load(Ordering::SeqCst)
    }

    /// Requests of the slow service worker script `/sw/held.js` that reached the server.
    pub fn held_worker_scripts(&self) -> u64 {
        self.state.held_worker_scripts.load(Ordering::SeqCst)
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
        // Ends the requests held open (`/never`); the server stops after this.
        self.state.stopped.store(true, Ordering::SeqCst);
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
