//! What a tab keeps of its cross-site iframes and workers: the hub its frames and workers
//! are recorded in, and the call that has them attached at birth. The attaching is
//! `frames.rs`'s and `workers.rs`'s.

use std::sync::{Arc, Mutex, Weak};

use serde_json::{json, Value};

use super::context::ContextInner;
use crate::cdp::{Connection, TargetSession, Watch};
use crate::context::TabLocation;

/// The call that makes a tab (or a frame) attach its cross-site iframes and its dedicated
/// workers, paused at birth. (Service workers are attached through the browser's session:
/// `targets.rs` says why.)
pub(super) fn auto_attach_call() -> (&'static str, Value) {
    (
        "Target.setAutoAttach",
        json!({
            "autoAttach": true, "waitForDebuggerOnStart": true, "flatten": true,
            "filter": [
                { "type": "iframe" }, { "type": "worker" }, { "exclude": true },
            ],
        }),
    )
}

/// One cross-site iframe, on a session of its own.
pub(super) struct CrossSiteFrame {
    pub target: TargetSession,
    pub state: Arc<Mutex<FrameState>>,
    pub _watch: Watch,
}

/// Where a frame is.
#[derive(Default)]
pub(super) struct FrameState {
    pub origin: Option<String>,
    pub url: String,
    /// Its document fired `load`.
    pub loaded: bool,
}

/// What a tab's frames share: its list of frames, and what they record into.
#[derive(Clone)]
pub(super) struct FrameHub {
    pub ctx: Weak<ContextInner>,
    /// The tab's number in the test's trace.
    pub tab: u64,
    pub frames: Arc<Mutex<Vec<Arc<CrossSiteFrame>>>>,
    /// Its workers (and its frames' workers).
    pub workers: Arc<Mutex<Vec<Worker>>>,
    pub tab_location: Arc<Mutex<TabLocation>>,
    pub conn: Weak<Connection>,
}

/// A worker's session, and the watch on it (kept until the worker's session ends, or its
/// tab's or context's does).
pub(super) struct Worker {
    pub session_id: String,
    pub _watch: Watch,
    /// For a service worker, the connection whose browser session holds it: detached when
    /// this goes, as no tab's session takes it along.
    pub detach: Option<Weak<Connection>>,
}

impl Drop for Worker {
    fn drop(&mut self) {
        if let Some(conn) = self.detach.as_ref().and_then(Weak::upgrade) {
            let session = json!({ "sessionId": self.session_id });
            let _ = conn.send_oneway(None, "Target.detachFromTarget", session);
        }
    }
}

/// Takes the worker of session `session_id` out of `workers`, to be dropped by the caller
/// with no lock held (its watch's callback may be running).
pub(super) fn take_worker(workers: &mut Vec<Worker>, session_id: &str) -> Vec<Worker> {
    let (gone, kept) = workers.drain(..).partition(|w| w.session_id == session_id);
    *workers = kept;
    gone
}
