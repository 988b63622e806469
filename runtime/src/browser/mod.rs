//! Finding, launching and owning Chromium: one browser per test process.
//!
//! headless_chrome supplies the default flags and the typed protocol, but the process is
//! started here with `std::process::Command`, because its launcher cannot give what a test
//! framework needs: it probes ports 8000–9000 (collisions when test binaries start together;
//! here Chromium picks its own port), leaves profile directories behind, and cannot set the
//! parent-death signal. Chromium runs in its own process group, gets SIGKILL when the test
//! process dies in any way (`PR_SET_PDEATHSIG`, the only thing that survives SIGKILL), and
//! is killed with its profile removed at exit.

mod find;
mod launch;
mod process;

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use once_cell::sync::Lazy;

use crate::cdp::Connection;
use crate::error::{Error, Result};
use crate::sync::lock;
pub use find::{find_chromium, find_chromium_in};
use launch::launch;
use process::ChromeProcess;

/// A running browser and the runtime's connection to it.
pub struct Browser {
    conn: Arc<Connection>,
    process: Option<Arc<ChromeProcess>>,
    /// Keeps new targets paused at birth until they are adopted or let go.
    _births: crate::cdp::Watch,
    #[cfg(feature = "headless_chrome")]
    headless_chrome: once_cell::sync::OnceCell<headless_chrome::Browser>,
}

impl std::fmt::Debug for Browser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Browser")
            .field("ws_url", &self.conn.url())
            .field("pid", &self.pid())
            .finish()
    }
}

impl Browser {
    /// The runtime's DevTools connection.
    pub fn connection(&self) -> &Arc<Connection> {
        &self.conn
    }

    /// The browser's process id, when this process launched it.
    pub fn pid(&self) -> Option<u32> {
        self.process.as_ref().map(|p| p.pid)
    }

    /// The DevTools WebSocket URL.
    pub fn ws_url(&self) -> &str {
        self.conn.url()
    }

    /// False once the process exited or the connection closed.
    pub fn is_alive(&self) -> bool {
        self.conn.closed_reason().is_none()
            && self
                .process
                .as_ref()
                .is_none_or(|p| !p.exited.load(Ordering::SeqCst))
    }

    /// headless_chrome's `Browser` on the same Chromium, connected on first use (it has its
    /// own, slower connection; the runtime's calls never go through it).
    #[cfg(feature = "headless_chrome")]
    pub fn headless_chrome(&self) -> Result<&headless_chrome::Browser> {
        self.headless_chrome.get_or_try_init(|| {
            // Its idle timeout would otherwise close the connection after 30 s of quiet.
            headless_chrome::Browser::connect_with_timeout(
                self.ws_url().to_string(),
                std::time::Duration::from_secs(60 * 60 * 24 * 7),
            )
            .map_err(Error::from)
        })
    }
}

static CURRENT: Lazy<Mutex<Option<Arc<Browser>>>> = Lazy::new(|| Mutex::new(None));

/// The process-wide browser, launched on first use and relaunched when it died.
pub fn browser() -> Result<Arc<Browser>> {
    let mut current = lock(&CURRENT);
    if let Some(b) = current.as_ref().filter(|b| b.is_alive()) {
        return Ok(Arc::clone(b));
    }
    if let Some(dead) = current.take() {
        if let Some(p) = &dead.process {
            p.kill();
        }
    }
    let browser = match std::env::var("SESSION_TEST_BROWSER_WS")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(url) => connect_remote(&url)?,
        None => launch()?,
    };
    let browser = Arc::new(browser);
    *current = Some(Arc::clone(&browser));
    Ok(browser)
}

/// The pid of the browser this process launched and that is still running, if any.
pub fn running_browser_pid() -> Option<u32> {
    let current = lock(&CURRENT);
    current
        .as_ref()
        .filter(|b| b.is_alive())
        .and_then(|b| b.pid())
}

/// A browser somebody else runs (`$SESSION_TEST_BROWSER_WS`): connected to, never closed.
fn connect_remote(url: &str) -> Result<Browser> {
    let conn = Connection::connect(url).map_err(|e| Error::BrowserUnreachable {
        url: url.to_string(),
        reason: match e {
            Error::BrowserClosed { reason } => reason,
            other => other.to_string(),
        },
    })?;
    let births = crate::targets::watch_births(&conn)?;
    Ok(Browser {
        conn,
        process: None,
        _births: births,
        #[cfg(feature = "headless_chrome")]
        headless_chrome: once_cell::sync::OnceCell::new(),
    })
}
