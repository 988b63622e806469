//! Context reuse (the default; `SESSION_TEST_REUSE_CONTEXT=0` turns it off): a passing
//! isolated test's browser context is reset and kept, with its tab, for the next isolated
//! test of the process, which then skips what a new context costs (the context, its tab and
//! the tab's renderer).
//!
//! The reset puts back what a new context has: the other tabs closed; the tab on
//! about:blank with a history of that one entry and no `window.name`; every cookie of the
//! context, and the storage of every origin its tabs loaded (localStorage, sessionStorage,
//! IndexedDB, Cache Storage, service workers), gone; the HTTP cache emptied; permissions and
//! download behaviour back to their defaults. Then the tab gets a new DevTools session and
//! the old one is detached: Chromium drops what was set through a session with it
//! (emulation, scripts added to new documents, request interception). A context whose tabs
//! loaded a cross-site iframe (storage partitioned under another site) is not reused, nor is
//! one whose reset fails in any step, or one that has served [`TESTS_PER_CONTEXT`] tests: it
//! is disposed, and the next test gets a new one.
//! `tests/isolation_probe.rs` checks a reused context against all of this.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::film::Film;
use super::{dispose_context, Page, POLL};
use crate::browser::Browser;
use crate::cdp::TargetSession;
use crate::context::str_field;
use crate::error::{Error, Result};
use crate::sync::lock;

/// The longest any step of a reset may take before the context is disposed instead.
const RESET_LIMIT: Duration = Duration::from_secs(5);

/// The tests a browser context serves before it is disposed instead of reset: its tab's
/// renderer, kept across resets, gets slower with every test it serves (a trivial test
/// 74 ms at the start of a run, 95 ms after 1,000; flat when each test had a renderer of its
/// own), and a new context costs ~100 ms, 1 ms a test over 100.
pub(crate) const TESTS_PER_CONTEXT: usize = 100;

/// A reset context with its one tab, ready for the next isolated test.
pub(super) struct Spare {
    pub browser: Arc<Browser>,
    pub context_id: String,
    /// The tab's new session, its page domain on.
    pub session: TargetSession,
    /// The tab's film strip, streaming to no test until the next one takes the tab.
    pub film: Option<Film>,
    /// Whether the test before sent requests: a late answer (a `keepalive` fetch of its
    /// last page) may reach the HTTP cache after its reset emptied it.
    pub sent_requests: bool,
    /// The tests it has served.
    pub tests_served: usize,
}

/// A browser-level call bounded by [`RESET_LIMIT`].
type BrowserCall<'a> = dyn Fn(&str, Value) -> Result<Value> + 'a;

static SPARES: Mutex<Vec<Spare>> = Mutex::new(Vec::new());

/// Keeps `spares` for later tests; the last is taken first.
pub(super) fn keep_spares(spares: Vec<Spare>) {
    lock(&SPARES).extend(spares);
}

/// A reset context of `browser`, when one is kept.
pub(super) fn take_spare(browser: &Arc<Browser>) -> Option<Spare> {
    let mut spares = lock(&SPARES);
    // Contexts of a browser that died (and was relaunched) are gone with it.
    spares.retain(|s| Arc::ptr_eq(&s.browser, browser) && s.browser.is_alive());
    spares.pop()
}

impl Page {
    /// The test on this page passed: resets its context for the next isolated test (to be
    /// kept with [`keep_spares`]); disposes it instead, and returns none, when that cannot
    /// be done.
    pub(super) fn into_spare(self) -> Option<Spare> {
        let served = self.inner.ctx.tests_served.load(Ordering::SeqCst);
        let reusable = self.inner.owns_context
            && served < TESTS_PER_CONTEXT
            && self.is_usable()
            && self.is_isolated()
            && self.origin_log().frames_ever.is_empty();
        if !reusable {
            self.close();
            return None;
        }
        match self.reset() {
            Ok(spare) => Some(spare),
            Err(e) => {
                tracing::debug!(target: "session_test", "context not reused: {e}");
                self.close();
                None
            }
        }
    }

    /// Every step of the reset; on success the tab's old session is detached and this
    /// page is closed for good (its clones' calls fail), the context kept.
    fn reset(&self) -> Result<Spare> {
        let ctx = &self.inner.ctx;
        // State no step below clears: no step is worth doing.
        if let Some(reason) = ctx.leftovers.reason() {
            return Err(Error::NotReusable { reason });
        }
        let conn = ctx.browser.connection();
        let browser_call =
            |method: &str, params: Value| conn.call_raw(None, method, params, RESET_LIMIT);
        // Cookies the tabs' scripts set are written asynchronously: in before they are
        // cleared, or one would reach the next test.
        self.flush_context_cookie_writes();
        self.close_popups_for_reuse(&browser_call)?;
        self.clear_state(&browser_call)?;
        let session = self.new_session(&browser_call)?;
        // What arrived while the reset ran (a response in flight, an unload's beacon).
        if let Some(reason) = ctx.leftovers.reason() {
            dispose_context(ctx);
            return Err(Error::NotReusable { reason });
        }
        let film = lock(&self.inner.film).take();
        if let Some(film) = &film {
            film.show_to(None);
        }
        Ok(Spare {
            browser: Arc::clone(&ctx.browser),
            context_id: ctx.context_id.clone(),
            session,
            film,
            sent_requests: ctx.traffic.sent_any(),
            tests_served: ctx.tests_served.load(Ordering::SeqCst),
        })
    }

    /// Closes the context's other tabs, and waits until they are gone; their pages (and
    /// watches) are kept until then, so that a "leave this page?" on the way is answered.
    fn close_popups_for_reuse(&self, browser_call: &BrowserCall) -> Result<()> {
        let ctx = &self.inner.ctx;
        for popup in ctx.open_popups() {
            popup.inner.closed.store(true, Ordering::SeqCst);
            browser_call(
                "Target.closeTarget",
                json!({ "targetId": popup.target_id() }),
            )?;
        }
        self.wait_for_one_tab(browser_call)?;
        drop(std::mem::take(&mut ctx.popups().tabs));
        Ok(())
    }

    /// The tab on about:blank with nothing of the test's documents left in it; the storage of
    /// every origin it loaded, the cache, cookies, permissions and download behaviour cleared.
    fn clear_state(&self, browser_call: &BrowserCall) -> Result<()> {
        let ctx = &self.inner.ctx;
        self.go_to("about:blank")?;
        let origins = self.origins_with_state();
        let mut calls: Vec<(&str, Value)> = Vec::new();
        for origin in &origins {
            calls.push((
                "Storage.clearDataForOrigin",
                json!({ "origin": origin, "storageTypes": "all" }),
            ));
        }
        // The context's HTTP cache is filled by its requests only (`page.request()` goes
        // around the browser): when neither this test nor the one before (whose late
        // answers may have come in after its reset) sent any, as in tests that stay on
        // about:blank, there is nothing there, and emptying it takes 6–10 ms.
        if ctx.traffic.sent_any() || !origins.is_empty() {
            calls.push(("Network.clearBrowserCache", json!({})));
        }
        calls.push((
            "Runtime.evaluate",
            json!({ "expression": "window.name = ''" }),
        ));
        for reply in self.call_many_within(calls, RESET_LIMIT) {
            reply?;
        }
        let context = json!({ "browserContextId": ctx.context_id });
        browser_call("Storage.clearCookies", context.clone())?;
        browser_call("Browser.resetPermissions", context)?;
        browser_call(
            "Browser.setDownloadBehavior",
            json!({ "behavior": "default", "browserContextId": ctx.context_id }),
        )?;
        Ok(())
    }

    /// A new session on the tab, its page domain on and its history reset; the old one
    /// detached, and this page closed. Chromium drops what was set through the old session
    /// (emulation, scripts for new documents, interception).
    fn new_session(&self, browser_call: &BrowserCall) -> Result<TargetSession> {
        let ctx = &self.inner.ctx;
        // The browser announces the attach as it does a new tab's: it is none.
        crate::targets::reattaching(self.target_id());
        let attached = browser_call(
            "Target.attachToTarget",
            json!({ "targetId": self.target_id(), "flatten": true }),
        )
        .inspect_err(|_| crate::targets::forget_reattaching(self.target_id()))?;
        let session_id = str_field(&attached, "sessionId", "Target.attachToTarget")?;
        let session = TargetSession::adopt(ctx.browser.connection(), &session_id, self.target_id());
        self.inner.closed.store(true, Ordering::SeqCst);
        let detached = browser_call(
            "Target.detachFromTarget",
            json!({ "sessionId": self.inner.target.id() }),
        );
        // The service workers' sessions are the browser's: they go with the tab's (each is
        // detached as it is dropped), and none born later joins this test's.
        let service_workers = lock(&ctx.service_workers).take();
        drop(service_workers);
        let fresh = [
            session.send_raw("Page.enable", json!({})),
            session.send_raw("Page.resetNavigationHistory", json!({})),
        ];
        let ready = detached.and_then(|_| {
            fresh
                .into_iter()
                .try_for_each(|reply| reply?.wait(RESET_LIMIT).map(|_| ()))
        });
        if let Err(e) = ready {
            // This page is closed already: the context goes with it here.
            dispose_context(ctx);
            return Err(e);
        }
        Ok(session)
    }

    /// Waits until this tab is the only one of its context.
    fn wait_for_one_tab(&self, browser_call: &BrowserCall) -> Result<()> {
        let start = Instant::now();
        loop {
            let targets = browser_call("Target.getTargets", json!({}))?;
            let tabs = targets["targetInfos"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|t| {
                    t["type"] == "page" && t["browserContextId"] == *self.browser_context_id()
                })
                .count();
            if tabs <= 1 {
                return Ok(());
            }
            if start.elapsed() > RESET_LIMIT {
                return Err(Error::Timeout {
                    what: "the other tabs of a context to close before it is reused".into(),
                    after: RESET_LIMIT,
                });
            }
            std::thread::sleep(POLL);
        }
    }
}
