//! Cross-site iframes of a tab. Chromium runs each in a process of its own, as a target of
//! its own: the tab attaches it paused at birth (`Target.setAutoAttach` on the tab's
//! session, iframes only), so that it gets the pending restores of its partition before its
//! first document runs, and its documents are recorded in the context's origin log under the
//! tab's top-level origin (their storage is partitioned by it).

use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde_json::{json, Value};

use super::frame_hub::{auto_attach_call, take_worker, CrossSiteFrame, FrameHub, FrameState};
use super::workers::is_worker;
use super::{add_script, evaluate_on, evaluated, script_id, Page, POLL};
use crate::cdp::{ends_session, RawEvent, TargetSession};
use crate::context::{
    enable_calls as watched_calls, file_scripts, remove_scripts, Embedded, Restore, Watched,
    STUB_PATH,
};
use crate::error::{Error, Result};
use crate::sync::lock;

impl CrossSiteFrame {
    /// The frame's origin and URL, if its document is loaded.
    fn loaded_at(&self) -> Option<(String, String)> {
        let state = lock(&self.state);
        match (&state.origin, state.loaded) {
            (Some(origin), true) => Some((origin.clone(), state.url.clone())),
            _ => None,
        }
    }
}

impl FrameHub {
    /// Handles the attach and detach events of the tab's session, or of a frame's (whose own
    /// cross-site iframes attach to it). Runs on the reader thread: the work is a thread's.
    pub fn on_event(&self, ev: &RawEvent) {
        match ev.method.as_str() {
            "Target.attachedToTarget" => {
                let hub = self.clone();
                let params = ev.params.clone();
                let _ = std::thread::Builder::new()
                    .name("session-test-frame".into())
                    .spawn(move || hub.adopt(&params));
            }
            "Target.detachedFromTarget" => {
                let id = ev.params["sessionId"].as_str().unwrap_or_default();
                let gone: Vec<Arc<CrossSiteFrame>> = {
                    let mut frames = lock(&self.frames);
                    let (gone, kept) = frames.drain(..).partition(|f| f.target.id() == id);
                    *frames = kept;
                    gone
                };
                let gone_workers = take_worker(&mut lock(&self.workers), id);
                drop((gone, gone_workers));
            }
            _ => {}
        }
    }

    /// Takes a frame born paused: its page domain on, its partition's pending restores in,
    /// its own iframes attached, then resumed.
    fn adopt(&self, params: &Value) {
        let Some(conn) = self.conn.upgrade() else {
            return;
        };
        let session_id = params["sessionId"].as_str().unwrap_or_default();
        let target_id = params["targetInfo"]["targetId"]
            .as_str()
            .unwrap_or_default();
        let session = TargetSession::adopt(&conn, session_id, target_id);
        if is_worker(&params["targetInfo"]) {
            return self.adopt_worker(&conn, session);
        }
        let Some(ctx) = self.ctx.upgrade() else {
            let _ = session.send_raw("Runtime.runIfWaitingForDebugger", json!({}));
            return;
        };
        let state = Arc::new(Mutex::new(FrameState::default()));
        let watched = Watched::new(&ctx, &conn, session_id, self.tab);
        let watch = conn.watch(
            Some(session_id),
            self.frame_watch(&session, &state, watched),
        );
        let frame = Arc::new(CrossSiteFrame {
            target: session,
            state,
            _watch: watch,
        });
        lock(&self.frames).push(Arc::clone(&frame));
        let restores: Vec<Restore> = ctx
            .origins()
            .frame_pending
            .values()
            .map(|p| p.restore.clone())
            .collect();
        let mut calls = vec![("Page.enable", json!({})), auto_attach_call()];
        calls.extend(restores.iter().map(|r| add_script(r, true)));
        calls.extend(watched_calls(&ctx));
        calls.push(("Runtime.runIfWaitingForDebugger", json!({})));
        let sent: Vec<_> = calls
            .into_iter()
            .map(|(method, params)| frame.target.send_raw(method, params))
            .collect();
        let mut replies = sent
            .into_iter()
            .map(|p| p.and_then(|p| p.wait(ctx.timeout)))
            .skip(2);
        let ids: Vec<Result<String>> = replies
            .by_ref()
            .take(restores.len())
            .map(script_id)
            .collect();
        let added = restores
            .iter()
            .zip(ids)
            .filter_map(|(r, id)| Some((r.embedded()?, id.ok()?)));
        file_scripts(&mut ctx.origins().frame_pending, &conn, session_id, added);
    }

    /// Records a frame's documents (and hands its own iframes' births to the hub).
    fn frame_watch(
        &self,
        session: &TargetSession,
        state: &Arc<Mutex<FrameState>>,
        watched: Watched,
    ) -> crate::cdp::EventCallback {
        let hub = self.clone();
        let state = Arc::clone(state);
        let (own_id, frame_id) = (session.id().to_string(), session.target_id().to_string());
        Arc::new(move |ev: &RawEvent| match ev.method.as_str() {
            "Page.frameNavigated" if ev.params["frame"]["id"] == frame_id.as_str() => {
                let frame = &ev.params["frame"];
                let origin = frame["securityOrigin"]
                    .as_str()
                    .filter(|o| o.starts_with("http://") || o.starts_with("https://"))
                    .map(str::to_owned);
                {
                    let mut s = lock(&state);
                    s.origin = origin.clone();
                    s.url = frame["url"].as_str().unwrap_or_default().to_string();
                    s.loaded = false;
                }
                let top = lock(&hub.tab_location).origin.clone();
                let (Some(origin), Some(top), Some(ctx)) = (origin, top, hub.ctx.upgrade()) else {
                    return;
                };
                let done = ctx.origins().record_frame(Embedded { origin, top });
                if let (Some(done), Some(conn)) = (done, hub.conn.upgrade()) {
                    remove_scripts(&conn, done.scripts);
                }
            }
            "Page.loadEventFired" => lock(&state).loaded = true,
            _ if ends_session(ev, &own_id) => {}
            _ if ev.method.starts_with("Target.") => hub.on_event(ev),
            _ => watched.see(ev),
        })
    }
}

impl Page {
    /// The live frames of this tab.
    pub(super) fn cross_site_frames(&self) -> Vec<Arc<CrossSiteFrame>> {
        lock(&self.inner.frames.frames).clone()
    }

    /// The frame of this tab whose target (frame) id is `frame_id`.
    pub(super) fn cross_site_frame(&self, frame_id: &str) -> Option<Arc<CrossSiteFrame>> {
        self.cross_site_frames()
            .into_iter()
            .find(|f| f.target.target_id() == frame_id)
    }

    /// The `Page.getFrameTree` of each of this tab's cross-site iframes (each a process of
    /// its own); one that went meanwhile gives none.
    pub(crate) fn cross_site_frame_trees(&self) -> Vec<Value> {
        self.cross_site_frames()
            .iter()
            .filter_map(|f| {
                f.target
                    .call_raw("Page.getFrameTree", json!({}), self.call_timeout())
                    .ok()
            })
            .collect()
    }

    /// Evaluates `expression` in the document of this tab's iframe `frame_id`: through the
    /// frame's own session when it is cross-site, else in an isolated world of the frame.
    /// `None` when the frame is not there.
    pub(crate) fn eval_in_frame(&self, frame_id: &str, expression: &str) -> Result<Option<Value>> {
        if let Some(frame) = self.cross_site_frame(frame_id) {
            return evaluate_on(&frame.target, expression, self.call_timeout()).map(Some);
        }
        let world = self.call(
            "Page.createIsolatedWorld",
            json!({ "frameId": frame_id, "worldName": "session-test" }),
        );
        // (A cross-site frame not attached yet, or one that went.)
        let Some(context) = world.ok().and_then(|w| w["executionContextId"].as_i64()) else {
            return Ok(None);
        };
        let reply = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "contextId": context,
                    "returnByValue": true, "awaitPromise": true }),
        )?;
        evaluated(reply).map(Some)
    }

    /// Evaluates `expression` in a document of the cross-site iframe partition `embedded`: a
    /// frame of a tab of the context that has it loaded, or a stub of it inside a stub of
    /// its top-level origin in this tab (neither server is contacted).
    pub(crate) fn eval_in_embedded(&self, embedded: &Embedded, expression: &str) -> Result<Value> {
        let mut tabs = vec![self.clone()];
        tabs.extend(self.inner.ctx.open_popups());
        for tab in &tabs {
            if tab.current_origin().as_deref() != Some(embedded.top.as_str()) {
                continue;
            }
            for frame in tab.cross_site_frames() {
                if frame.loaded_at().is_some_and(|(o, _)| o == embedded.origin) {
                    return evaluate_on(&frame.target, expression, self.call_timeout());
                }
            }
        }
        let frame = self.load_frame_stub(embedded)?;
        evaluate_on(&frame.target, expression, self.call_timeout())
    }

    /// Loads a stub document of `embedded.top` with an iframe of a stub of `embedded.origin`.
    fn load_frame_stub(&self, embedded: &Embedded) -> Result<Arc<CrossSiteFrame>> {
        self.visit_stub(&embedded.top)?;
        let url = format!("{}{STUB_PATH}", embedded.origin);
        self.call_js(
            "src => { const f = document.createElement('iframe'); f.src = src; \
             document.body.appendChild(f); }",
            &[json!(url)],
        )?;
        let budget = self.budget();
        let start = Instant::now();
        loop {
            let loaded = self
                .cross_site_frames()
                .into_iter()
                .find(|f| f.loaded_at().is_some_and(|(_, u)| u == url));
            if let Some(frame) = loaded {
                return Ok(frame);
            }
            if start.elapsed() >= budget {
                return Err(Error::Timeout {
                    what: format!(
                        "the stub document of {} in {}",
                        embedded.origin, embedded.top
                    ),
                    after: budget,
                });
            }
            std::thread::sleep(POLL);
        }
    }
}
