//! The restores waiting in a context's tabs: scripts that write saved storage into an
//! origin's first document, given to every tab and cross-site iframe of the context.

use std::time::Duration;

use serde_json::{json, Value};

use crate::context::str_field;
use crate::error::Result;

use super::Page;
use crate::context::{remove_scripts, Embedded, Pending, Restore};

impl Page {
    /// Every origin this context's tabs loaded, and those a restore is still waiting to
    /// write (right after a restore no tab has loaded them, yet their storage is the test's).
    pub(crate) fn origins_with_state(&self) -> Vec<String> {
        let log = self.origin_log();
        let mut all: Vec<String> = log.ever.iter().chain(log.pending.keys()).cloned().collect();
        all.sort();
        all.dedup();
        all
    }

    /// Every cross-site iframe partition this context's tabs loaded, and those a restore is
    /// still waiting to write.
    pub(crate) fn frames_with_state(&self) -> Vec<Embedded> {
        let log = self.origin_log();
        let mut all: Vec<Embedded> = log
            .frames_ever
            .iter()
            .chain(log.frame_pending.keys())
            .cloned()
            .collect();
        all.sort();
        all.dedup();
        all
    }

    /// Starts recording origins afresh (a session's setup begins).
    pub(crate) fn mark_origins(&self) {
        self.origin_log().mark();
    }

    /// Closes every tab of the context but this one (a session's state is starting afresh:
    /// their documents hold the old one).
    pub(crate) fn close_other_tabs(&self) {
        for popup in self.inner.ctx.open_popups() {
            if popup.target_id() != self.target_id() {
                popup.close();
            }
        }
    }

    /// Runs the calls of `prelude`, then replaces the pending restores with `restores`, in
    /// one batch per tab. Each is written by a script in the first top-level document of its
    /// origin in any of the context's tabs (those open now, and those opened later), before
    /// the page's own scripts; its scripts are removed as soon as that document exists.
    pub(crate) fn set_pending_restores(
        &self,
        prelude: Vec<(&str, Value)>,
        restores: Vec<Restore>,
    ) -> Result<Vec<Value>> {
        let old: Vec<(String, String)> = {
            let mut log = self.origin_log();
            let tops = std::mem::take(&mut log.pending).into_values();
            let frames = std::mem::take(&mut log.frame_pending).into_values();
            tops.chain(frames).flat_map(|p| p.scripts).collect()
        };
        remove_scripts(self.inner.target.connection(), old);
        let (framed, restores): (Vec<Restore>, Vec<Restore>) =
            restores.into_iter().partition(|r| r.top.is_some());
        let n_prelude = prelude.len();
        let mut calls = prelude;
        calls.extend(restores.iter().map(|r| add_script(r, true)));
        let mut replies = self.call_many(calls).into_iter();
        let prelude_replies = replies
            .by_ref()
            .take(n_prelude)
            .collect::<Result<Vec<_>>>()?;
        let mut scripts = Vec::new();
        for reply in replies {
            scripts.push(vec![(self.target_session_id(), script_id(reply)?)]);
        }
        let popups = self.inner.ctx.open_popups();
        for popup in &popups {
            let added = popup.add_restore_scripts(&restores, popup.call_timeout());
            for (tab_scripts, id) in scripts.iter_mut().zip(added) {
                // A popup that closed meanwhile needs none.
                if let Ok(id) = id {
                    tab_scripts.push((popup.target_session_id(), id));
                }
            }
        }
        // Cross-site iframes get theirs in each frame (those born later, at birth).
        let mut frame_scripts = vec![Vec::new(); framed.len()];
        for frame in std::iter::once(self)
            .chain(&popups)
            .flat_map(Page::cross_site_frames)
        {
            let sent: Vec<_> = framed
                .iter()
                .map(|r| {
                    let (method, params) = add_script(r, true);
                    frame.target.send_raw(method, params)
                })
                .collect();
            for (ids, reply) in frame_scripts.iter_mut().zip(sent) {
                // A frame that went meanwhile needs none.
                if let Ok(id) = script_id(reply.and_then(|r| r.wait(self.call_timeout()))) {
                    ids.push((frame.target.id().to_string(), id));
                }
            }
        }
        let mut log = self.origin_log();
        for (restore, scripts) in restores.into_iter().zip(scripts) {
            log.pending
                .insert(restore.origin.clone(), Pending { restore, scripts });
        }
        for (restore, scripts) in framed.into_iter().zip(frame_scripts) {
            if let Some(key) = restore.embedded() {
                log.frame_pending.insert(key, Pending { restore, scripts });
            }
        }
        Ok(prelude_replies)
    }

    pub(super) fn target_session_id(&self) -> String {
        self.inner.target.id().to_string()
    }

    /// Adds a script per restore to this tab; their ids, in order.
    pub(super) fn add_restore_scripts(
        &self,
        restores: &[Restore],
        timeout: Duration,
    ) -> Vec<Result<String>> {
        let with_session = self.inner.copies_session_storage;
        let calls = restores
            .iter()
            .map(|r| add_script(r, with_session))
            .collect();
        self.call_many_within(calls, timeout)
            .into_iter()
            .map(script_id)
            .collect()
    }
}

/// The call that adds `restore`'s script to a tab.
pub(super) fn add_script(restore: &Restore, with_session_storage: bool) -> (&'static str, Value) {
    (
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": restore.source(with_session_storage) }),
    )
}

/// The id in a reply to `Page.addScriptToEvaluateOnNewDocument`.
pub(super) fn script_id(reply: Result<Value>) -> Result<String> {
    str_field(
        &reply?,
        "identifier",
        "Page.addScriptToEvaluateOnNewDocument",
    )
}
