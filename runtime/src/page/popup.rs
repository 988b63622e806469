//! Tabs a test's pages open (`window.open`, `target=_blank` links): each becomes a full
//! [`Page`] of the same context, given the context's pending restores before its first
//! document runs, and handed to [`Page::wait_for_popup`]. The births of a context's service
//! workers and shared workers come the same way (the browser's session), and go to
//! `workers.rs` and the context's leftovers.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use once_cell::sync::Lazy;
use serde_json::json;

use super::context::ContextInner;
use super::{add_script, script_id, Armed, Page};
use crate::cdp::{Connection, TargetSession};
use crate::context::{file_scripts, Restore};
use crate::error::{Error, Result};
use crate::sync::{lock, wait_for};
use crate::targets::{self, Birth};

/// The contexts of this process's pages, by browser context id.
static CONTEXTS: Lazy<Mutex<HashMap<String, Weak<ContextInner>>>> = Lazy::new(Default::default);

/// Makes the tabs that `ctx`'s pages open into pages of their own, watches the service
/// workers they start, and tells it of the shared workers.
pub(super) fn watch_for_popups(ctx: &Arc<ContextInner>) {
    targets::set_adopter(adopt);
    targets::set_shared_worker_watcher(shared_worker_started);
    let mut contexts = lock(&CONTEXTS);
    contexts.retain(|_, c| c.strong_count() > 0);
    contexts.insert(ctx.context_id.clone(), Arc::downgrade(ctx));
}

/// A shared worker started in context `context_id`: its requests reach no tab's watch, so
/// the context is not reused (on the reader thread: short locks only).
fn shared_worker_started(context_id: &str) {
    let ctx = lock(&CONTEXTS).get(context_id).and_then(Weak::upgrade);
    if let Some(ctx) = ctx {
        ctx.leftovers
            .add("a shared worker (its requests reach no tab's watch)");
    }
}

/// Takes a tab or a service worker born paused in one of this process's contexts. False
/// when the context is none of ours.
fn adopt(conn: &Arc<Connection>, birth: &Birth) -> bool {
    let ctx = lock(&CONTEXTS)
        .get(&birth.context_id)
        .and_then(Weak::upgrade);
    let Some(ctx) = ctx else {
        return false;
    };
    if birth.service_worker {
        return super::workers::adopt_service_worker(&ctx, conn, birth);
    }
    adopt_tab(ctx, conn, birth)
}

/// Takes a tab born paused: the page domain on, the pending restores' scripts in, then
/// resumed. False when it closed as it opened.
fn adopt_tab(ctx: Arc<ContextInner>, conn: &Arc<Connection>, birth: &Birth) -> bool {
    let session = TargetSession::adopt(conn, &birth.session_id, &birth.target_id);
    let number = ctx.test.next_tab();
    let popup = Page::over(&ctx, session, number, false, birth.can_access_opener);
    let restores: Vec<Restore> = ctx
        .origins()
        .pending
        .values()
        .map(|p| p.restore.clone())
        .collect();
    // All sent at once, the resume last: a new tab without an opener has no renderer until
    // it is resumed, so nothing it would answer can be awaited before. The wait limit
    // bounds them, not the test's clock: this runs beside the test, not in it.
    // The context's passkey authenticator, in this tab too (browser-side calls: answered
    // before the tab runs).
    let context = super::Context {
        state: Arc::clone(&ctx),
    };
    if let Err(e) = context.credentials().follow_into(&popup) {
        tracing::debug!(target: "session_test", "no authenticator in the new tab: {e}");
    }
    let watching = crate::context::enable_calls(&ctx);
    let watched = watching.len();
    let mut calls = vec![("Page.enable", json!({}))];
    calls.extend(watching);
    let tracing = super::traced::enable_calls();
    let traced = tracing.len();
    calls.extend(tracing);
    calls.extend(
        restores
            .iter()
            .map(|r| add_script(r, popup.inner.copies_session_storage)),
    );
    calls.push(("Runtime.runIfWaitingForDebugger", json!({})));
    let mut replies = popup.call_many_within(calls, ctx.timeout).into_iter();
    if replies.next().is_some_and(|r| r.is_err()) {
        return false;
    }
    // (Its requests' events and interception: a tab that closes as it opens has none.)
    replies.by_ref().take(watched).for_each(drop);
    // A tab whose trace could not start is still the test's.
    replies.by_ref().take(traced).for_each(drop);
    let ids: Vec<Result<String>> = replies
        .by_ref()
        .take(restores.len())
        .map(script_id)
        .collect();
    if replies.next().is_some_and(|r| r.is_err()) {
        return false;
    }
    let added = restores
        .iter()
        .zip(ids)
        .filter_map(|(r, id)| Some((r.origin.clone(), id.ok()?)));
    file_scripts(&mut ctx.origins().pending, conn, &birth.session_id, added);
    let mut popups = ctx.popups();
    popups.opened += 1;
    let opened = popups.opened;
    popups.tabs.push((opened, popup));
    ctx.popup_opened.notify_all();
    true
}

impl Page {
    /// Runs `action` (usually a click) and returns the tab it opened: a popup
    /// (`window.open`) or a new tab (a `target=_blank` link), as a full `Page` of the same
    /// browser context (locators, `expect`, `visit`, `eval`, …). It is closed with the
    /// test's context. Waits at most the wait limit for the tab to open.
    ///
    /// A session covers every tab of the context: origins loaded in a popup are captured,
    /// restored storage reaches a tab opened later, and `session!` closes the other tabs
    /// when it clears. sessionStorage keeps the browser's rules: a popup starts with a copy
    /// of its opener's, a new tab with none.
    ///
    /// An action of the popup whose effect closes it (a sign-in callback calling
    /// `window.close()`) succeeds; later calls on it fail with [`Error::TabClosed`].
    ///
    /// ```no_run
    /// # fn t(page: &session_test::Page) -> session_test::Result<()> {
    /// page.visit("/popup-app")?;
    /// let popup = page.wait_for_popup(|| page.click("#sign-in"))?;
    /// popup.fill("[data-test=name]", "alice")?;
    /// popup.fill("[data-test=password]", "s3cr3t")?;
    /// popup.click("#submit")?; // the callback page closes the popup
    /// session_test::expect(&page.locator("#who")).to_have_text("alice")?;
    /// # Ok(()) }
    /// ```
    pub fn wait_for_popup<F>(&self, action: F) -> Result<Page>
    where
        F: FnOnce() -> Result<()>,
    {
        self.arm_popup().after(action)
    }

    /// The wait of [`Page::wait_for_popup`], armed: for a tab opened from now on.
    pub(crate) fn arm_popup(&self) -> Armed<Page> {
        let before = self.inner.ctx.popups().opened;
        let page = self.clone();
        Armed::new(move || page.popup_opened_after(before))
    }

    /// The first tab the context opened after its `before`-th, once it opens.
    fn popup_opened_after(&self, before: u64) -> Result<Page> {
        let ctx = &self.inner.ctx;
        let budget = self.budget();
        let opened = wait_for(&ctx.popup_opened, ctx.popups(), budget, |popups| {
            let (_, page) = popups.tabs.iter().find(|(n, _)| *n > before)?;
            Some(page.clone())
        });
        opened.ok_or_else(|| Error::Timeout {
            what: "the action to open a tab (`wait_for_popup`)".into(),
            after: budget,
        })
    }
}
