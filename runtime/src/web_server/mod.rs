//! The app under test, started by the suite (Playwright's `webServer`): a command, the URL
//! to wait for, and whether to reuse a server already listening. Started once per run,
//! however many test processes the run has (`run.rs`), kept up by a watchdog while any of
//! them lives and stopped when the last one ends, killed or not (`watchdog.rs`).

mod config;
mod run;
mod used;
mod wait;
mod watchdog;

use std::sync::{Mutex, OnceLock};

pub use config::WebServer;
pub(crate) use used::{in_use, ServerUse};

use crate::error::{Error, Result};
use crate::sync::lock;

/// The web server `main!` was given, which the environment's yields to.
static CONFIGURED: Mutex<Option<WebServer>> = Mutex::new(None);

/// Sets the web server of this process (what `main!(web_server = …)` does); it is started
/// before the first test that opens a page.
pub fn set_web_server(server: WebServer) {
    *lock(&CONFIGURED) = Some(server);
}

/// Starts (or joins, or reuses) the configured web server once per process, before the
/// first page opens, and sets the base URL from it when none is set; its error again for
/// each test when it could not.
pub(crate) fn ensure() -> Result<()> {
    static STARTED: OnceLock<std::result::Result<(), String>> = OnceLock::new();
    let started = STARTED.get_or_init(|| {
        let server = lock(&CONFIGURED).clone().or_else(WebServer::from_env);
        match server {
            Some(server) => run::start_or_join(&server).map_err(|e| {
                let reason = e.to_string();
                used::record(&server, &format!("could not start: {reason}"), None);
                reason
            }),
            None => Ok(()),
        }
    });
    started
        .clone()
        .map_err(|reason| Error::WebServer { reason })
}
