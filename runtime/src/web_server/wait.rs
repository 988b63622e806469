//! Waiting for the server: its URL answering, or the command ending first, or the time
//! running out; each failure says which, with the command and the last lines it printed.

use std::path::Path;
use std::time::{Duration, Instant};

use super::WebServer;
use crate::error::{Error, Result};

/// How many of the server's last output lines an error shows.
const LAST_LINES: usize = 12;

/// Whether `url` answers now with a status from 200 to 499.
pub(super) fn answers(url: &str) -> bool {
    static AGENT: std::sync::OnceLock<ureq::Agent> = std::sync::OnceLock::new();
    let agent = AGENT.get_or_init(|| {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .timeout_global(Some(Duration::from_secs(2)))
            .build()
            .into()
    });
    agent
        .get(url)
        .call()
        .is_ok_and(|reply| (200..500).contains(&reply.status().as_u16()))
}

/// Waits until the server started in `dir` answers at its URL.
pub(super) fn until_up(server: &WebServer, dir: &Path) -> Result<()> {
    let start = Instant::now();
    loop {
        if answers(&server.url) {
            return Ok(());
        }
        if let Ok(status) = std::fs::read_to_string(dir.join("exit")) {
            return Err(failed(
                server,
                dir,
                &format!(
                    "exited with status {} before {} answered",
                    status.trim(),
                    server.url
                ),
            ));
        }
        if start.elapsed() > server.timeout {
            let after = server.timeout.as_secs_f64();
            let why = format!("did not answer at {} within {after:.0} s", server.url);
            return Err(failed(server, dir, &why));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The error of the server started in `dir`: the command, what went wrong, its last lines.
pub(super) fn failed(server: &WebServer, dir: &Path, what: &str) -> Error {
    let output = std::fs::read_to_string(dir.join("output.log")).unwrap_or_default();
    let lines: Vec<&str> = output.lines().collect();
    let last = lines[lines.len().saturating_sub(LAST_LINES)..].join("\n    ");
    let shown = if last.is_empty() {
        "it printed nothing".to_owned()
    } else {
        format!("its last lines:\n    {last}")
    };
    Error::WebServer {
        reason: format!("the web server `{}` {what}; {shown}", server.command),
    }
}
