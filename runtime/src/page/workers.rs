//! Workers of a tab (dedicated workers, and the workers they start) and service workers of
//! its context: attached paused at birth (a dedicated worker with the tab's cross-site
//! iframes, `Target.setAutoAttach` on the tab; a service worker through the browser's
//! session, `targets.rs`), their requests watched for state no reset clears (a worker's
//! `XMLHttpRequest` fills the context's HTTP auth cache as a page's does) and passed through
//! the runtime's interception, then resumed. Nothing else of them is the runtime's business.

use std::sync::{Arc, Weak};

use serde_json::{json, Value};

use super::context::ContextInner;
use super::frame_hub::{auto_attach_call, take_worker, FrameHub, Worker};
use crate::cdp::{ends_session, Connection, RawEvent, TargetSession};
use crate::context::{enable_calls as watched_calls, Watched};
use crate::sync::lock;
use crate::targets::Birth;

/// Whether a target a tab attached (`Target.attachedToTarget`'s `targetInfo`) is a worker.
pub(super) fn is_worker(info: &Value) -> bool {
    info["type"] == "worker"
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
            detach: None,
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

/// Takes a service worker of `ctx` born paused: its requests watched (as its context's first
/// tab's) until its session ends, then resumed. False once the context's reset let its
/// service workers go. Nothing is awaited: this runs on the thread that takes every birth,
/// and the worker answers only once its script has arrived.
pub(super) fn adopt_service_worker(
    ctx: &Arc<ContextInner>,
    conn: &Arc<Connection>,
    birth: &Birth,
) -> bool {
    let tab = ctx
        .first
        .get()
        .and_then(Weak::upgrade)
        .map_or(0, |first| first.tab_number);
    {
        // Held until the worker is listed, so that its end, if it comes first, finds it.
        let mut listed = lock(&ctx.service_workers);
        let Some(workers) = listed.as_mut() else {
            return false;
        };
        let watched = Watched::new(ctx, conn, &birth.session_id, tab);
        let (own, owner) = (birth.session_id.clone(), Arc::downgrade(ctx));
        let watch = conn.watch(
            Some(&birth.session_id),
            Arc::new(move |ev: &RawEvent| {
                if !ends_session(ev, &own) {
                    return watched.see(ev);
                }
                // The worker is gone: its requests in flight will not finish.
                if let Some(ctx) = owner.upgrade() {
                    let gone = lock(&ctx.service_workers)
                        .as_mut()
                        .map(|workers| take_worker(workers, &own));
                    drop(gone);
                }
            }),
        );
        workers.push(Worker {
            session_id: birth.session_id.clone(),
            _watch: watch,
            detach: Some(Arc::downgrade(conn)),
        });
    }
    let resume = ("Runtime.runIfWaitingForDebugger", json!({}));
    for (method, params) in watched_calls(ctx).into_iter().chain([resume]) {
        let _ = conn.send_oneway(Some(&birth.session_id), method, params);
    }
    true
}
