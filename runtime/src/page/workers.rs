//! Workers of a tab (dedicated and service workers, and the workers they start): attached
//! paused at birth with the tab's cross-site iframes (`Target.setAutoAttach`), their
//! requests watched for state no reset clears (a worker's `XMLHttpRequest` fills the
//! context's HTTP auth cache as a page's does) and passed through the runtime's
//! interception, then resumed. Nothing else of them is the runtime's business.

use std::sync::Arc;

use serde_json::{json, Value};

use super::frame_hub::{auto_attach_call, FrameHub, Worker};
use crate::cdp::{Connection, RawEvent, TargetSession};
use crate::context::{enable_calls as watched_calls, Watched};
use crate::sync::lock;

/// Whether an attached target (`Target.attachedToTarget`'s `targetInfo`) is a worker.
pub(super) fn is_worker(info: &Value) -> bool {
    matches!(info["type"].as_str(), Some("worker" | "service_worker"))
}

impl FrameHub {
    /// Takes a worker born paused: its requests watched, then resumed. Runs on a thread
    /// of its own, never the reader's.
    pub(super) fn adopt_worker(&self, conn: &Arc<Connection>, session: TargetSession) {
        let Some(ctx) = self.ctx.upgrade() else {
            let _ = session.send_raw("Runtime.runIfWaitingForDebugger", json!({}));
            return;
        };
        let watched = Watched::new(&ctx, conn, session.id(), self.tab);
        // The hub takes the births and ends of the workers this one starts. (It holds this
        // watch in its list until the worker's session ends.)
        let hub = self.clone();
        let watch = conn.watch(
            Some(session.id()),
            Arc::new(move |ev: &RawEvent| {
                if ev.method.starts_with("Target.") {
                    return hub.on_event(ev);
                }
                watched.see(ev);
            }),
        );
        lock(&self.workers).push(Worker {
            session_id: session.id().to_string(),
            _watch: watch,
        });
        // A worker that fails these (one ending as it starts) makes no requests.
        let enabled: Vec<_> = watched_calls(&ctx)
            .into_iter()
            .chain([auto_attach_call()])
            .map(|(method, params)| session.send_raw(method, params))
            .collect();
        let _ = session.send_raw("Runtime.runIfWaitingForDebugger", json!({}));
        for reply in enabled.into_iter().flatten() {
            let _ = reply.wait(ctx.timeout);
        }
    }
}
