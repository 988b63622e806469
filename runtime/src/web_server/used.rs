//! What the run report says about the web server of this process: its command and URL,
//! how the process came to it (started for the run, or one already answering, reused), its
//! output file, or why it could not start.

use std::path::PathBuf;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::WebServer;
use crate::sync::lock;

/// The web server a test process used, as the run report shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServerUse {
    /// The command, as configured.
    pub command: String,
    /// The URL waited for.
    pub url: String,
    /// How it came to be used: "started for this run", "already answering: reused", or
    /// "could not start: …".
    pub how: String,
    /// The file its output goes to, when the run started it.
    pub output: Option<PathBuf>,
}

static USED: Mutex<Option<ServerUse>> = Mutex::new(None);

/// The web server this process used, when it had one.
pub fn in_use() -> Option<ServerUse> {
    lock(&USED).clone()
}

/// `server` is this process's, as `how` says, its output in `output`.
pub(super) fn record(server: &WebServer, how: &str, output: Option<PathBuf>) {
    *lock(&USED) = Some(ServerUse {
        command: server.command.clone(),
        url: server.url.clone(),
        how: how.to_owned(),
        output,
    });
}
