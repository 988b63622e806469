//! `Page`: the test's handle on its tab, over the runtime's own connection.

mod context_state;
mod frames;
mod origins;
mod popup;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};

use crate::browser;
use crate::cdp::{ends_session, EventStream, RawEvent, TargetSession, Watch, DETACHED};
use crate::config;
use crate::context::str_field;
use crate::data::{Cookie, StorageItems};
use crate::error::{Error, Result};
use crate::test_clock::TestClock;
use context_state::{lock, ContextState};
use frames::FrameHub;
pub(crate) use origins::Embedded;
use origins::{remove_scripts, Navigated, Pending, TabLocation};
pub(crate) use origins::{OriginLog, Restore};

/// How often polling waits look again (the spec allows at most 10 ms).
const POLL: Duration = Duration::from_millis(5);

/// Even past a deadline, a protocol call may take this long.
const MIN_CALL_TIMEOUT: Duration = Duration::from_secs(1);

/// Under [`calls_until`], the least time a protocol call gets.
const MIN_LIMITED_CALL: Duration = Duration::from_millis(100);

thread_local! {
    /// When set, protocol calls made on this thread end by then (see [`calls_until`]).
    static CALL_DEADLINE: std::cell::Cell<Option<Instant>> = const { std::cell::Cell::new(None) };
}

/// Runs `f` with every protocol call this thread makes ending by `deadline` (each still gets
/// 100 ms): an assertion's 1 s must not become 30 s because the renderer stopped answering.
pub(crate) fn calls_until<T>(deadline: Instant, f: impl FnOnce() -> T) -> T {
    struct Restore(Option<Instant>);
    impl Drop for Restore {
        fn drop(&mut self) {
            CALL_DEADLINE.set(self.0);
        }
    }
    let _restore = Restore(CALL_DEADLINE.replace(Some(deadline)));
    f()
}

/// A browser tab in its own browser context (cookies, storage and cache of its own).
///
/// A `#[session_test]` receives one; it is cheap to clone (all clones drive the same tab).
///
/// ```no_run
/// use session_test::{session_test, Page};
///
/// #[session_test]
/// fn logs_in(page: &Page) -> session_test::Result<()> {
///     page.visit("/login")?;
///     page.fill("[data-test=name]", "alice")?;
///     page.fill("[data-test=password]", "s3cr3t")?;
///     page.click("#submit")?; // waits for the navigation the click starts
///     assert_eq!(page.text("#hello")?, "hello alice");
///     Ok(())
/// }
/// ```
#[derive(Clone)]
pub struct Page {
    inner: Arc<PageInner>,
}

/// One tab; what its context's tabs share is in `ctx`.
struct PageInner {
    ctx: Arc<ContextState>,
    session: TargetSession,
    /// True for the context's first tab: closing it disposes the context, its other tabs too.
    owns_context: bool,
    /// Whether this tab's sessionStorage starts as a copy of its opener's (the first tab,
    /// and a popup that may reach its opener); a new tab's starts empty.
    copies_session_storage: bool,
    /// Set when the tab closes (the browser detached its session) or the test closed it.
    closed: Arc<AtomicBool>,
    location: Arc<Mutex<TabLocation>>,
    /// Its cross-site iframes.
    frames: FrameHub,
    stubs_enabled: AtomicBool,
    _watch: Watch,
    #[cfg(feature = "headless_chrome")]
    tab: once_cell::sync::OnceCell<HeadlessTab>,
}

/// What a test's end runs on its page.
pub(crate) type TestEndHook = fn(&Page);

/// headless_chrome's view of this tab, on a transport of its own.
#[cfg(feature = "headless_chrome")]
struct HeadlessTab {
    tab: Arc<headless_chrome::Tab>,
    transport: Arc<headless_chrome::browser::transport::Transport>,
}

/// The path that stub documents are served at: intercepted, never sent to the server.
pub(crate) const STUB_PATH: &str = "/__session_test_stub__";

impl std::fmt::Debug for Page {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Page")
            .field("target_id", &self.target_id())
            .field("context_id", &self.inner.ctx.context_id)
            .finish()
    }
}

impl Drop for PageInner {
    fn drop(&mut self) {
        if self.owns_context && !self.closed.swap(true, Ordering::SeqCst) {
            dispose_context(&self.ctx);
        }
    }
}

/// Disposes the context with every tab in it (which also ends their sessions).
fn dispose_context(ctx: &ContextState) {
    // The popups hold the context state: letting them go ends that cycle.
    let popups = std::mem::take(&mut ctx.popups().tabs);
    for (_, popup) in &popups {
        popup.inner.closed.store(true, Ordering::SeqCst);
    }
    drop(popups);
    crate::context::dispose(&ctx.browser, &ctx.context_id);
}

impl Page {
    /// Opens a tab on `about:blank` in a new, empty browser context of the process's browser
    /// (launching it on first use). `#[session_test]` does this for you; use it directly in
    /// examples and benchmarks. The context is disposed by [`Page::close`] or when the last
    /// clone is dropped.
    ///
    /// ```no_run
    /// let page = session_test::Page::new_isolated()?;
    /// page.visit("http://app.localhost:8080/blank")?;
    /// page.close();
    /// # Ok::<(), session_test::Error>(())
    /// ```
    pub fn new_isolated() -> Result<Page> {
        Self::open(config::wait_timeout())
    }

    /// Opens a page whose waits (each protocol call, navigation, element) are bounded by
    /// `timeout`; opening it is bounded by `timeout` too, never by a test's time limit.
    pub(crate) fn open(timeout: Duration) -> Result<Page> {
        let browser = browser::browser()?;
        let crate::context::NewContext {
            context_id,
            session,
        } = crate::context::create(&browser, timeout)?;
        let ctx = Arc::new(ContextState::new(browser, context_id, timeout));
        let page = Page::over(&ctx, session, true, true);
        popup::watch_for_popups(&ctx);
        let (method, params) = frames::auto_attach_call();
        page.call(method, params)?;
        Ok(page)
    }

    /// A page on `session`, a tab of `ctx`'s context, recording what it loads.
    fn over(
        ctx: &Arc<ContextState>,
        session: TargetSession,
        owns_context: bool,
        copies_session_storage: bool,
    ) -> Page {
        let conn = session.connection();
        let origins = Arc::clone(&ctx.origins);
        let location = Arc::new(Mutex::new(TabLocation::default()));
        let closed = Arc::new(AtomicBool::new(false));
        let (loc, gone) = (Arc::clone(&location), Arc::clone(&closed));
        let weak_conn = Arc::downgrade(conn);
        let own_id = session.id().to_string();
        let frames = FrameHub {
            ctx: Arc::downgrade(ctx),
            frames: Arc::default(),
            tab_location: Arc::clone(&location),
            conn: Arc::downgrade(conn),
        };
        let hub = frames.clone();
        let watch = conn.watch(
            Some(session.id()),
            Arc::new(move |ev: &RawEvent| {
                if ends_session(ev, &own_id) {
                    gone.store(true, Ordering::SeqCst);
                    return;
                }
                if ev.method.starts_with("Target.") {
                    hub.on_event(ev);
                    return;
                }
                let Some(nav) = Navigated::of(ev) else {
                    return;
                };
                if let Some(url) = &nav.main_frame_url {
                    let mut loc = lock(&loc);
                    loc.origin = nav.origin.clone();
                    loc.url = url.clone();
                }
                let done = lock(&origins).record(&nav);
                // A done restore's scripts go at once, from every tab of the context.
                if let (Some(done), Some(conn)) = (done, weak_conn.upgrade()) {
                    remove_scripts(&conn, done.scripts);
                }
            }),
        );
        Page {
            inner: Arc::new(PageInner {
                ctx: Arc::clone(ctx),
                session,
                owns_context,
                copies_session_storage,
                closed,
                location,
                frames,
                stubs_enabled: AtomicBool::new(false),
                _watch: watch,
                #[cfg(feature = "headless_chrome")]
                tab: once_cell::sync::OnceCell::new(),
            }),
        }
    }

    /// Closes the tab. The test's own tab takes its browser context with it (every tab it
    /// opened too); this is also done on drop of its last clone. A popup is closed alone.
    pub fn close(&self) {
        if !self.inner.closed.swap(true, Ordering::SeqCst) {
            #[cfg(feature = "headless_chrome")]
            if let Some(t) = self.inner.tab.get() {
                t.transport.shutdown();
            }
            if self.inner.owns_context {
                dispose_context(&self.inner.ctx);
            } else {
                let _ = self.inner.ctx.browser.connection().send_oneway(
                    None,
                    "Target.closeTarget",
                    json!({ "targetId": self.target_id() }),
                );
            }
        }
    }

    /// True once the tab closed: closed by the test, or by itself (`window.close()`).
    pub fn is_closed(&self) -> bool {
        self.inner.closed.load(Ordering::SeqCst)
    }

    /// The DevTools target id of this tab.
    pub fn target_id(&self) -> &str {
        self.inner.session.target_id()
    }

    /// The browser context id of this tab.
    pub fn browser_context_id(&self) -> &str {
        &self.inner.ctx.context_id
    }

    /// The runtime's flattened DevTools session on this tab, for raw protocol calls.
    pub fn cdp(&self) -> &TargetSession {
        &self.inner.session
    }

    /// The pid of the browser process this page lives in (when this process launched it).
    pub fn browser_pid(&self) -> Option<u32> {
        self.inner.ctx.browser.pid()
    }

    /// How long a wait may still take: the page's timeout, cut short by the test's deadline.
    pub(crate) fn budget(&self) -> Duration {
        self.budget_of(self.inner.ctx.timeout)
    }

    /// `limit`, cut short by the test's deadline.
    pub(crate) fn budget_of(&self, limit: Duration) -> Duration {
        match self.inner.ctx.clock.left() {
            Some(left) => limit.min(left),
            None => limit,
        }
    }

    /// The clock of the test on this page.
    pub(crate) fn clock(&self) -> &TestClock {
        &self.inner.ctx.clock
    }

    /// Runs a step of the framework's own (clearing, restoring, capturing, about:blank):
    /// bounded by the wait limit, not charged to the test's time limit.
    pub(crate) fn uncharged<T>(&self, step: impl FnOnce() -> T) -> T {
        self.inner.ctx.clock.paused(step)
    }

    /// Marks the page as the one non-isolated tests share: `session!` does not clear it.
    pub(crate) fn set_shared(&self) {
        self.inner.ctx.isolated.store(false, Ordering::SeqCst);
    }

    /// False on the page shared by `#[session_test(test_isolation = false)]` tests.
    pub fn is_isolated(&self) -> bool {
        self.inner.ctx.isolated.load(Ordering::SeqCst)
    }

    /// False once the page's browser died or the page was closed.
    pub(crate) fn is_usable(&self) -> bool {
        !self.is_closed() && self.inner.ctx.browser.is_alive()
    }

    /// The timeout of one protocol call: the budget, but never so short that a reply
    /// already on its way is missed.
    pub(crate) fn call_timeout(&self) -> Duration {
        let timeout = self.budget().max(MIN_CALL_TIMEOUT);
        match CALL_DEADLINE.get() {
            Some(end) => timeout.min(
                end.saturating_duration_since(Instant::now())
                    .max(MIN_LIMITED_CALL),
            ),
            None => timeout,
        }
    }

    pub(crate) fn call(&self, method: &str, params: Value) -> Result<Value> {
        if self.is_closed() {
            return Err(Error::TabClosed {
                waiting_for: format!("the reply to `{method}`"),
            });
        }
        let reply = self
            .inner
            .session
            .call_raw(method, params, self.call_timeout());
        match reply {
            // ("Session with given id not found": it closed as the call went out.)
            Err(Error::Cdp { method, .. }) if self.is_closed() => Err(Error::TabClosed {
                waiting_for: format!("the reply to `{method}`"),
            }),
            other => other,
        }
    }

    /// The record of what this context's tabs loaded.
    pub(crate) fn origin_log(&self) -> MutexGuard<'_, OriginLog> {
        self.inner.ctx.origins()
    }

    /// Keeps a session line (status or warning) for this test's failure report.
    pub(crate) fn note_session(&self, line: String) {
        lock(&self.inner.ctx.session_log).push(line);
    }

    /// Starts a test's session lines afresh (the shared page outlives its tests).
    pub(crate) fn clear_session_notes(&self) {
        lock(&self.inner.ctx.session_log).clear();
    }

    /// The last `n` session lines of this test.
    pub(crate) fn session_notes(&self, n: usize) -> Vec<String> {
        let log = lock(&self.inner.ctx.session_log);
        log[log.len().saturating_sub(n)..].to_vec()
    }

    /// Runs `hook` when the test on this page ends (its body returned), once however often
    /// it is asked for under one `key`.
    pub(crate) fn at_test_end(&self, key: &'static str, hook: TestEndHook) {
        let mut hooks = lock(&self.inner.ctx.test_end);
        if !hooks.iter().any(|(k, _)| *k == key) {
            hooks.push((key, hook));
        }
    }

    /// The test on this page ended: runs what [`Page::at_test_end`] was given.
    pub(crate) fn end_test(&self) {
        let hooks = std::mem::take(&mut *lock(&self.inner.ctx.test_end));
        for (_, hook) in hooks {
            hook(self);
        }
    }

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

    /// The main frame's origin (`None` on about:blank).
    pub(crate) fn current_origin(&self) -> Option<String> {
        lock(&self.inner.location).origin.clone()
    }

    /// The main frame's URL as last navigated (no protocol call).
    pub(crate) fn current_url(&self) -> String {
        lock(&self.inner.location).url.clone()
    }

    /// Sends every call at once and then collects the replies in order: the browser runs
    /// them in order anyway, and no round trip waits for another.
    pub(crate) fn call_many(&self, calls: Vec<(&str, Value)>) -> Vec<Result<Value>> {
        self.call_many_within(calls, self.call_timeout())
    }

    fn call_many_within(&self, calls: Vec<(&str, Value)>, timeout: Duration) -> Vec<Result<Value>> {
        let conn = self.inner.session.connection();
        let sent: Vec<_> = calls
            .into_iter()
            .map(|(method, params)| conn.send_raw(Some(self.inner.session.id()), method, params))
            .collect();
        sent.into_iter()
            .map(|pending| pending.and_then(|p| p.wait(timeout)))
            .collect()
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
        remove_scripts(self.inner.session.connection(), old);
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
            scripts.push(vec![(self.session_id(), script_id(reply)?)]);
        }
        let popups = self.inner.ctx.open_popups();
        for popup in &popups {
            let added = popup.add_restore_scripts(&restores, popup.call_timeout());
            for (tab_scripts, id) in scripts.iter_mut().zip(added) {
                // A popup that closed meanwhile needs none.
                if let Ok(id) = id {
                    tab_scripts.push((popup.session_id(), id));
                }
            }
        }
        // Cross-site iframes get theirs in each frame (those born later, at birth).
        let mut frame_scripts = vec![Vec::new(); framed.len()];
        for frame in std::iter::once(self).chain(&popups).flat_map(Page::frames) {
            let sent: Vec<_> = framed
                .iter()
                .map(|r| {
                    let (method, params) = add_script(r, true);
                    frame.session.send_raw(method, params)
                })
                .collect();
            for (ids, reply) in frame_scripts.iter_mut().zip(sent) {
                // A frame that went meanwhile needs none.
                if let Ok(id) = script_id(reply.and_then(|r| r.wait(self.call_timeout()))) {
                    ids.push((frame.session.id().to_string(), id));
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

    fn session_id(&self) -> String {
        self.inner.session.id().to_string()
    }

    /// Adds a script per restore to this tab; their ids, in order.
    fn add_restore_scripts(&self, restores: &[Restore], timeout: Duration) -> Vec<Result<String>> {
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

    /// Loads an empty document of `origin` in this tab without contacting its server: the
    /// request is answered by the Fetch domain. Storage of an origin can only be read and
    /// written from a document of that origin.
    pub(crate) fn visit_stub(&self, origin: &str) -> Result<()> {
        if !self.inner.stubs_enabled.swap(true, Ordering::SeqCst) {
            let enabled = self.call(
                "Fetch.enable",
                json!({ "patterns": [{ "urlPattern": format!("*{STUB_PATH}*"), "requestStage": "Request" }] }),
            );
            if let Err(e) = enabled {
                self.inner.stubs_enabled.store(false, Ordering::SeqCst);
                return Err(e);
            }
        }
        // An app's service worker would answer the stub's navigation before the Fetch domain
        // sees it (with its app shell, whose scripts run): bypassed while the stub loads.
        // (The bypass takes effect with the Network domain on, for the stub's time only: its
        // events are not wanted otherwise.)
        let on = self.call_many(vec![
            ("Network.enable", json!({})),
            ("Network.setBypassServiceWorker", json!({ "bypass": true })),
        ]);
        let loaded = on
            .into_iter()
            .collect::<Result<Vec<_>>>()
            .and_then(|_| self.load_stub(origin));
        let off = self.call_many(vec![
            ("Network.setBypassServiceWorker", json!({ "bypass": false })),
            ("Network.disable", json!({})),
        ]);
        loaded.and(off.into_iter().collect::<Result<Vec<_>>>().map(drop))
    }

    /// Answers an intercepted stub request with an empty document.
    fn fulfill_stub(&self, request_id: &str) -> Result<()> {
        self.call(
            "Fetch.fulfillRequest",
            json!({
                "requestId": request_id,
                "responseCode": 200,
                "responseHeaders": [
                    { "name": "Content-Type", "value": "text/html; charset=utf-8" },
                    { "name": "Cache-Control", "value": "no-store" },
                ],
                "body": "PCFkb2N0eXBlIGh0bWw+", // "<!doctype html>"
            }),
        )
        .map(drop)
    }

    fn load_stub(&self, origin: &str) -> Result<()> {
        let url = format!("{origin}{STUB_PATH}");
        let events = self.inner.session.subscribe();
        // Page.navigate answers only once the request is fulfilled: send it, serve, then wait.
        let pending = self.inner.session.connection().send_raw(
            Some(self.inner.session.id()),
            "Page.navigate",
            json!({ "url": url }),
        )?;
        let mut navigated = false;
        self.wait_events(
            &events,
            || format!("the stub document of {origin}"),
            |ev| {
                match ev.method.as_str() {
                    "Fetch.requestPaused" => {
                        if let Err(e) = self.fulfill_stub(ev.str_param("requestId")) {
                            return Some(Err(e));
                        }
                    }
                    "Page.frameNavigated" if ev.params["frame"]["id"] == self.target_id() => {
                        navigated = true
                    }
                    "Page.loadEventFired" if navigated => return Some(Ok(())),
                    _ => {}
                }
                None
            },
        )?;
        let reply = pending.wait(self.call_timeout())?;
        match reply.get("errorText").and_then(Value::as_str) {
            Some(err) if !err.is_empty() => Err(Error::Navigation {
                url,
                reason: err.to_string(),
            }),
            _ => Ok(()),
        }
    }

    /// Navigates to `url` and waits for its `load` event (not for network idle).
    ///
    /// A path such as `/login` resolves against [`set_base_url`](crate::set_base_url) or
    /// `$SESSION_TEST_BASE_URL`; absolute URLs are used as they are.
    pub fn visit(&self, url: &str) -> Result<()> {
        let url = resolve_url(url)?;
        if url != "about:blank" {
            self.slowmo();
        }
        let events = self.inner.session.subscribe();
        // The browser answers Page.navigate only once the response starts: a server that
        // never answers is a page that never loads.
        let reply = self
            .call("Page.navigate", json!({ "url": url }))
            .map_err(|e| match e {
                Error::Timeout { after, .. } => Error::Timeout {
                    what: format!("the `load` event of {url}"),
                    after,
                },
                other => other,
            })?;
        if let Some(err) = reply.get("errorText").and_then(Value::as_str) {
            if !err.is_empty() {
                return Err(Error::Navigation {
                    url,
                    reason: err.to_string(),
                });
            }
        }
        let Some(loader) = reply.get("loaderId").and_then(Value::as_str) else {
            return Ok(()); // same-document navigation: no load event follows
        };
        let mut navigated = false;
        self.wait_events(
            &events,
            || format!("the `load` event of {url}"),
            |ev| {
                match ev.method.as_str() {
                    "Page.frameNavigated" => {
                        let frame = &ev.params["frame"];
                        if frame["id"] == self.target_id() && frame["loaderId"] == loader {
                            navigated = true;
                        }
                    }
                    "Page.loadEventFired" if navigated => return Some(Ok(())),
                    _ => {}
                }
                None
            },
        )
    }

    /// Waits on `events` until `step` returns a result; fails after the page's budget.
    fn wait_events<T>(
        &self,
        events: &EventStream,
        what: impl Fn() -> String,
        mut step: impl FnMut(&RawEvent) -> Option<Result<T>>,
    ) -> Result<T> {
        let budget = self.budget();
        let start = Instant::now();
        loop {
            let left = budget.saturating_sub(start.elapsed());
            if left.is_zero() {
                return Err(Error::Timeout {
                    what: what(),
                    after: budget,
                });
            }
            if let Some(ev) = events.next_timeout(left)? {
                if ev.method == "Inspector.targetCrashed" {
                    return Err(Error::BrowserClosed {
                        reason: "the page's renderer crashed".into(),
                    });
                }
                if ends_session(&ev, self.inner.session.id()) {
                    return Err(Error::TabClosed {
                        waiting_for: what(),
                    });
                }
                if let Some(done) = step(&ev) {
                    return done;
                }
            }
        }
    }

    /// Runs `action`, then, if it started a navigation of the page (a link, a form
    /// submission), waits until the new document has loaded.
    fn with_navigation<T>(&self, action: impl FnOnce() -> Result<T>) -> Result<T> {
        let events = self.inner.session.subscribe();
        let out = action()?;
        // Events the action caused arrive before the reply to a later call on the same
        // renderer; a task turn lets scheduled form submissions start.
        let _ = self.evaluate("new Promise(r => setTimeout(r, 0))");
        let main = self.target_id().to_string();
        let is_main = |ev: &RawEvent| ev.str_param("frameId") == main;
        let mut started = false;
        let mut navigated = false;
        while let Some(ev) = events.try_next() {
            match ev.method.as_str() {
                // The action closed the tab (a popup's last step): it did what it had to.
                DETACHED if ends_session(&ev, self.inner.session.id()) => return Ok(out),
                "Page.frameRequestedNavigation"
                | "Page.frameStartedNavigating"
                | "Page.frameStartedLoading"
                    if is_main(&ev) =>
                {
                    started = true
                }
                "Page.frameNavigated" if ev.params["frame"]["id"] == main.as_str() => {
                    navigated = true
                }
                "Page.loadEventFired" if navigated => return Ok(out),
                "Page.frameStoppedLoading" if is_main(&ev) && started && !navigated => {
                    return Ok(out)
                }
                _ => {}
            }
        }
        if !started && !navigated {
            return Ok(out);
        }
        self.wait_events(
            &events,
            || "the page to load after the action".into(),
            |ev| {
                match ev.method.as_str() {
                    "Page.frameNavigated" if ev.params["frame"]["id"] == main.as_str() => {
                        navigated = true
                    }
                    "Page.loadEventFired" if navigated => return Some(Ok(())),
                    "Page.frameStoppedLoading" if is_main(ev) && !navigated => return Some(Ok(())),
                    _ => {}
                }
                None
            },
        )?;
        Ok(out)
    }

    /// `Runtime.evaluate` with the value returned as JSON and promises awaited.
    fn evaluate(&self, expression: &str) -> Result<Value> {
        if self.is_closed() {
            return Err(Error::TabClosed {
                waiting_for: "the reply to `Runtime.evaluate`".into(),
            });
        }
        evaluate_on(&self.inner.session, expression, self.call_timeout()).map_err(|e| match e {
            Error::Cdp { method, .. } if self.is_closed() => Error::TabClosed {
                waiting_for: format!("the reply to `{method}`"),
            },
            other => other,
        })
    }

    /// Calls the JavaScript function `function` with JSON `args`.
    pub(crate) fn call_js(&self, function: &str, args: &[Value]) -> Result<Value> {
        let args = args
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join(",");
        self.evaluate(&format!("({function})({args})"))
    }

    /// Calls `probe` every few ms until it yields a value (`Some`), or `budget` runs out
    /// (`None`). Errors from a document being replaced mid-probe count as "not yet".
    pub(crate) fn retry<T>(
        &self,
        budget: Duration,
        mut probe: impl FnMut() -> Result<Option<T>>,
    ) -> Result<Option<T>> {
        let start = Instant::now();
        loop {
            match probe() {
                Ok(Some(v)) => return Ok(Some(v)),
                Ok(None) => {}
                Err(e) if is_navigation_race(&e) => {}
                Err(Error::Timeout { .. }) if start.elapsed() >= budget => {}
                Err(e) => return Err(e),
            }
            if start.elapsed() >= budget {
                return Ok(None);
            }
            std::thread::sleep(POLL);
        }
    }

    /// Clicks the first element matching `selector` once it is visible, enabled, stable and
    /// not covered (scrolled into view), then waits for a navigation the click started.
    /// [`Page::locator`] does the same for exactly one element.
    pub fn click(&self, selector: &str) -> Result<()> {
        self.first_match(selector).click()
    }

    /// Replaces the value of the first input matching `selector` with `text` (clears it
    /// first), firing the input events a user's typing would.
    pub fn fill(&self, selector: &str, text: &str) -> Result<()> {
        self.first_match(selector).fill(text)
    }

    /// Types `text` key by key into the first element matching `selector`, after its
    /// current value.
    pub fn type_text(&self, selector: &str, text: &str) -> Result<()> {
        self.first_match(selector).type_text(text)
    }

    /// Pauses `$SESSION_TEST_SLOWMO` ms before an action (none by default).
    pub(crate) fn slowmo(&self) {
        let pause = config::slowmo();
        if !pause.is_zero() {
            std::thread::sleep(pause.min(self.budget()));
        }
    }

    /// A left click at viewport point (`x`, `y`); waits for a navigation it started.
    pub(crate) fn click_at(&self, x: f64, y: f64) -> Result<()> {
        self.slowmo();
        let clicked = self.with_navigation(|| {
            self.call(
                "Input.dispatchMouseEvent",
                json!({ "type": "mouseMoved", "x": x, "y": y }),
            )?;
            for kind in ["mousePressed", "mouseReleased"] {
                self.call(
                    "Input.dispatchMouseEvent",
                    json!({ "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1 }),
                )?;
            }
            Ok(())
        });
        self.closing_is_done(clicked)
    }

    /// An action whose effect closed the tab (a popup's callback page calling
    /// `window.close()`) succeeded, even if the tab went before it answered.
    fn closing_is_done(&self, outcome: Result<()>) -> Result<()> {
        match outcome {
            Err(Error::TabClosed { .. }) if self.is_closed() => Ok(()),
            other => other,
        }
    }

    /// Inserts `text` into the focused element, as an IME would (one input event).
    pub(crate) fn insert_text(&self, text: &str) -> Result<()> {
        self.slowmo();
        self.call("Input.insertText", json!({ "text": text }))
            .map(|_| ())
    }

    /// Types `text` into the focused element, a key event pair per character.
    pub(crate) fn type_keys(&self, text: &str) -> Result<()> {
        self.slowmo();
        for ch in text.chars() {
            let s = ch.to_string();
            self.call(
                "Input.dispatchKeyEvent",
                json!({ "type": "keyDown", "key": s, "text": s, "unmodifiedText": s }),
            )?;
            self.call(
                "Input.dispatchKeyEvent",
                json!({ "type": "keyUp", "key": s }),
            )?;
        }
        Ok(())
    }

    /// Presses a key on the focused element: a character, or a name such as `Enter`, `Tab`,
    /// `Escape`, `Backspace`, `Delete`, `ArrowDown`, `Home`. Waits for a navigation it starts
    /// (Enter in a form).
    pub fn press(&self, key: &str) -> Result<()> {
        let def = key_definition(key).ok_or_else(|| Error::JavaScript {
            message: format!(
                "unknown key `{key}`; expected one character or one of {}",
                KEYS.iter().map(|k| k.0).collect::<Vec<_>>().join(", ")
            ),
        })?;
        self.slowmo();
        let pressed = self.with_navigation(|| {
            let mut down = json!({
                "type": if def.text.is_empty() { "rawKeyDown" } else { "keyDown" },
                "key": def.key, "code": def.code,
                "windowsVirtualKeyCode": def.key_code, "nativeVirtualKeyCode": def.key_code,
            });
            if !def.text.is_empty() {
                down["text"] = json!(def.text);
                down["unmodifiedText"] = json!(def.text);
            }
            self.call("Input.dispatchKeyEvent", down)?;
            self.call(
                "Input.dispatchKeyEvent",
                json!({ "type": "keyUp", "key": def.key, "code": def.code,
                        "windowsVirtualKeyCode": def.key_code, "nativeVirtualKeyCode": def.key_code }),
            )?;
            Ok(())
        });
        self.closing_is_done(pressed)
    }

    /// The rendered text (`innerText`) of the first element matching `selector`, waiting
    /// for it.
    pub fn text(&self, selector: &str) -> Result<String> {
        self.first_match(selector).text()
    }

    /// The attribute `name` of the first element matching `selector` (waiting for the
    /// element); `None` when the element has no such attribute.
    pub fn attr(&self, selector: &str, name: &str) -> Result<Option<String>> {
        self.first_match(selector).attribute(name)
    }

    /// Whether an element matches `selector` right now (no waiting).
    pub fn exists(&self, selector: &str) -> Result<bool> {
        Ok(self.first_match(selector).count()? > 0)
    }

    /// Waits until an element matches `selector`.
    pub fn wait_for(&self, selector: &str) -> Result<()> {
        self.first_match(selector).wait_attached()
    }

    /// Evaluates a JavaScript expression in the page and returns its value as JSON (a
    /// returned promise is awaited; `undefined` is `null`).
    ///
    /// ```no_run
    /// # fn t(page: &session_test::Page) -> session_test::Result<()> {
    /// let n = page.eval("1 + 2")?;
    /// assert_eq!(n, 3);
    /// # Ok(()) }
    /// ```
    pub fn eval(&self, expression: &str) -> Result<Value> {
        self.evaluate(expression)
    }

    /// The page's current URL.
    pub fn url(&self) -> Result<String> {
        let reply = self.inner.ctx.browser.connection().call_raw(
            None,
            "Target.getTargetInfo",
            json!({ "targetId": self.target_id() }),
            self.call_timeout(),
        )?;
        Ok(reply["targetInfo"]["url"]
            .as_str()
            .unwrap_or_default()
            .to_string())
    }

    /// The document's title.
    pub fn title(&self) -> Result<String> {
        Ok(self
            .evaluate("document.title")?
            .as_str()
            .unwrap_or_default()
            .to_string())
    }

    /// A PNG screenshot of the viewport.
    pub fn screenshot(&self) -> Result<Vec<u8>> {
        let reply = self.call("Page.captureScreenshot", json!({ "format": "png" }))?;
        let data = reply["data"].as_str().unwrap_or_default();
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|e| Error::Protocol {
                method: "Page.captureScreenshot".into(),
                reason: e.to_string(),
            })
    }

    /// Every cookie of this page's browser context (all domains, HttpOnly included).
    pub fn cookies(&self) -> Result<Vec<Cookie>> {
        let reply = self.call("Network.getAllCookies", json!({}))?;
        serde_json::from_value(reply["cookies"].clone()).map_err(|e| Error::Protocol {
            method: "Network.getAllCookies".into(),
            reason: e.to_string(),
        })
    }

    /// Runs `f` while a document of `origin` is loaded: the page itself when it is on that
    /// origin, else a stub document of it (served without contacting its server), after which
    /// the page goes back to about:blank or reloads the URL it was on.
    fn on_origin<T>(&self, origin: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
        let origin = normalize_origin(origin)?;
        if self.current_origin().as_deref() == Some(origin.as_str()) {
            return f();
        }
        let back = self.url()?;
        self.visit_stub(&origin)?;
        let out = f();
        self.visit(if back.is_empty() {
            "about:blank"
        } else {
            &back
        })?;
        out
    }

    fn storage_js(&self, origin: &str, script: &str, args: &[Value]) -> Result<Value> {
        self.on_origin(origin, || self.call_js(script, args))
    }

    /// The localStorage items of `origin` (e.g. `http://app.localhost:8080`) in this context.
    pub fn local_storage(&self, origin: &str) -> Result<StorageItems> {
        self.storage_items(origin, "localStorage")
    }

    /// The sessionStorage items of `origin` in this tab.
    pub fn session_storage(&self, origin: &str) -> Result<StorageItems> {
        self.storage_items(origin, "sessionStorage")
    }

    fn storage_items(&self, origin: &str, area: &str) -> Result<StorageItems> {
        let v = self.storage_js(origin, &format!("() => Object.entries({area})"), &[])?;
        Ok(items_from_entries(&v))
    }

    /// Sets a localStorage item of `origin` (works from about:blank or another origin).
    pub fn set_local_storage(&self, origin: &str, key: &str, value: &str) -> Result<()> {
        self.storage_js(
            origin,
            "(k, v) => localStorage.setItem(k, v)",
            &[json!(key), json!(value)],
        )
        .map(|_| ())
    }

    /// Removes a localStorage item of `origin`.
    pub fn remove_local_storage(&self, origin: &str, key: &str) -> Result<()> {
        self.storage_js(origin, "k => localStorage.removeItem(k)", &[json!(key)])
            .map(|_| ())
    }

    /// Sets a sessionStorage item of `origin` in this tab.
    pub fn set_session_storage(&self, origin: &str, key: &str, value: &str) -> Result<()> {
        self.storage_js(
            origin,
            "(k, v) => sessionStorage.setItem(k, v)",
            &[json!(key), json!(value)],
        )
        .map(|_| ())
    }

    /// Removes a sessionStorage item of `origin` in this tab.
    pub fn remove_session_storage(&self, origin: &str, key: &str) -> Result<()> {
        self.storage_js(origin, "k => sessionStorage.removeItem(k)", &[json!(key)])
            .map(|_| ())
    }

    /// Sets a cookie in this context.
    pub fn set_cookie(&self, cookie: &Cookie) -> Result<()> {
        self.call(
            "Network.setCookies",
            json!({ "cookies": [crate::session::cookie_param(cookie)] }),
        )
        .map(|_| ())
    }

    /// Removes the cookies named `name` for `domain` (any path).
    pub fn remove_cookie(&self, name: &str, domain: &str) -> Result<()> {
        self.call(
            "Network.deleteCookies",
            json!({ "name": name, "domain": domain }),
        )
        .map(|_| ())
    }

    /// An HTTP client that sends this context's cookies and stores the cookies it receives.
    pub fn request(&self) -> crate::request::Request<'_> {
        crate::request::Request::new(self)
    }

    /// headless_chrome's `Tab` for this same tab, for anything `Page` lacks. It talks over a
    /// connection of its own (headless_chrome's, ~100 ms a call), opened on first use.
    ///
    /// ```no_run
    /// # fn t(page: &session_test::Page) -> session_test::Result<()> {
    /// let tab = page.tab()?;
    /// let heading = tab.find_element("h1")?.get_inner_text()?;
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "headless_chrome")]
    pub fn tab(&self) -> Result<Arc<headless_chrome::Tab>> {
        let made = self.inner.tab.get_or_try_init(|| {
            let reply = self.inner.ctx.browser.connection().call_raw(
                None,
                "Target.getTargetInfo",
                json!({ "targetId": self.target_id() }),
                self.call_timeout(),
            )?;
            let info = serde_json::from_value(reply["targetInfo"].clone()).map_err(|e| {
                Error::Protocol {
                    method: "Target.getTargetInfo".into(),
                    reason: e.to_string(),
                }
            })?;
            let url = url::Url::parse(self.inner.ctx.browser.ws_url()).map_err(|e| {
                Error::InvalidUrl {
                    url: self.inner.ctx.browser.ws_url().into(),
                    reason: e.to_string(),
                }
            })?;
            // A bare transport: headless_chrome's `Browser` would also attach to every other
            // test's tabs, and shuts its connection down when one vanishes first.
            let transport = Arc::new(headless_chrome::browser::transport::Transport::new(
                url,
                None,
                Duration::from_secs(60 * 60 * 24 * 7),
                None,
            )?);
            let tab = headless_chrome::Tab::new(info, Arc::clone(&transport))?;
            Ok::<_, Error>(HeadlessTab {
                tab: Arc::new(tab),
                transport,
            })
        })?;
        Ok(Arc::clone(&made.tab))
    }
}

/// `Runtime.evaluate` on `session` (a tab's or a frame's), the value returned as JSON and
/// promises awaited; a thrown exception is [`Error::JavaScript`].
pub(crate) fn evaluate_on(
    session: &TargetSession,
    expression: &str,
    timeout: Duration,
) -> Result<Value> {
    let reply = session.call_raw(
        "Runtime.evaluate",
        json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        timeout,
    )?;
    evaluated(reply)
}

/// The value of a `Runtime.evaluate` reply; a thrown exception is [`Error::JavaScript`].
pub(crate) fn evaluated(reply: Value) -> Result<Value> {
    if let Some(ex) = reply.get("exceptionDetails") {
        let message = ex["exception"]["description"]
            .as_str()
            .or_else(|| ex["text"].as_str())
            .unwrap_or("unknown exception")
            .to_string();
        return Err(Error::JavaScript { message });
    }
    Ok(reply["result"].get("value").cloned().unwrap_or(Value::Null))
}

/// The call that adds `restore`'s script to a tab.
fn add_script(restore: &Restore, with_session_storage: bool) -> (&'static str, Value) {
    (
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": restore.source(with_session_storage) }),
    )
}

/// The id in a reply to `Page.addScriptToEvaluateOnNewDocument`.
fn script_id(reply: Result<Value>) -> Result<String> {
    str_field(
        &reply?,
        "identifier",
        "Page.addScriptToEvaluateOnNewDocument",
    )
}

/// `[[key, value], …]` (what `Object.entries(localStorage)` returns) as storage items.
pub(crate) fn items_from_entries(entries: &Value) -> StorageItems {
    entries
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|kv| Some((kv[0].as_str()?.to_string(), kv[1].as_str()?.to_string())))
        .collect()
}

fn normalize_origin(origin: &str) -> Result<String> {
    let url = url::Url::parse(origin).map_err(|e| Error::InvalidUrl {
        url: origin.into(),
        reason: format!("not an origin: {e}"),
    })?;
    match url.origin() {
        o @ url::Origin::Tuple(..) => Ok(o.ascii_serialization()),
        url::Origin::Opaque(_) => Err(Error::InvalidUrl {
            url: origin.into(),
            reason: "an opaque origin has no storage of its own".into(),
        }),
    }
}

fn is_navigation_race(e: &Error) -> bool {
    match e {
        Error::Cdp { message, .. } => [
            "Execution context was destroyed",
            "Cannot find context with specified id",
            "Cannot find default execution context",
            "Inspected target navigated or closed",
        ]
        .iter()
        .any(|m| message.contains(m)),
        _ => false,
    }
}

/// Resolves `url` against the configured base URL unless it is absolute.
pub(crate) fn resolve_url(url: &str) -> Result<String> {
    resolve_against(config::base_url(), url)
}

fn resolve_against(base: Option<String>, url: &str) -> Result<String> {
    if let Ok(abs) = url::Url::parse(url) {
        return Ok(abs.to_string());
    }
    let Some(base) = base else {
        return Err(Error::InvalidUrl {
            url: url.into(),
            reason: "a relative URL needs a base URL: call session_test::set_base_url(…) or set \
                     $SESSION_TEST_BASE_URL"
                .into(),
        });
    };
    let base = url::Url::parse(&base)
        .map_err(|e| e.to_string())
        .and_then(|b| {
            if b.cannot_be_a_base() || b.host_str().is_none() {
                Err("it needs a scheme and a host, e.g. http://app.localhost:8080".to_string())
            } else {
                Ok(b)
            }
        })
        .map_err(|reason| Error::InvalidUrl {
            url: base.clone(),
            reason: format!("the base URL is not valid: {reason}"),
        })?;
    base.join(url)
        .map(|u| u.to_string())
        .map_err(|e| Error::InvalidUrl {
            url: url.into(),
            reason: e.to_string(),
        })
}

struct KeyDef {
    key: String,
    code: &'static str,
    key_code: u32,
    text: String,
}

const KEYS: [(&str, &str, u32, &str); 14] = [
    ("Enter", "Enter", 13, "\r"),
    ("Tab", "Tab", 9, ""),
    ("Escape", "Escape", 27, ""),
    ("Backspace", "Backspace", 8, ""),
    ("Delete", "Delete", 46, ""),
    ("ArrowUp", "ArrowUp", 38, ""),
    ("ArrowDown", "ArrowDown", 40, ""),
    ("ArrowLeft", "ArrowLeft", 37, ""),
    ("ArrowRight", "ArrowRight", 39, ""),
    ("Home", "Home", 36, ""),
    ("End", "End", 35, ""),
    ("PageUp", "PageUp", 33, ""),
    ("PageDown", "PageDown", 34, ""),
    ("Space", "Space", 32, " "),
];

fn key_definition(key: &str) -> Option<KeyDef> {
    if let Some(&(name, code, key_code, text)) = KEYS.iter().find(|k| k.0 == key) {
        return Some(KeyDef {
            key: name.into(),
            code,
            key_code,
            text: text.into(),
        });
    }
    let mut chars = key.chars();
    let ch = chars.next()?;
    if chars.next().is_some() {
        return None;
    }
    Some(KeyDef {
        key: key.into(),
        code: "",
        key_code: ch.to_ascii_uppercase() as u32,
        text: key.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::resolve_against;

    #[test]
    fn relative_urls_need_a_base_that_parses() {
        assert_eq!(
            resolve_against(Some("http://app.localhost:8080/x/".into()), "/login").unwrap(),
            "http://app.localhost:8080/login"
        );
        assert_eq!(
            resolve_against(None, "http://a.localhost/").unwrap(),
            "http://a.localhost/"
        );
        assert_eq!(
            resolve_against(None, "/login").unwrap_err().to_string(),
            "invalid URL `/login`: a relative URL needs a base URL: call \
             session_test::set_base_url(…) or set $SESSION_TEST_BASE_URL"
        );
        assert_eq!(
            resolve_against(Some("app.localhost:8080".into()), "/login")
                .unwrap_err()
                .to_string(),
            "invalid URL `app.localhost:8080`: the base URL is not valid: it needs a scheme and a \
             host, e.g. http://app.localhost:8080"
        );
        assert_eq!(
            resolve_against(Some("not a url".into()), "/login")
                .unwrap_err()
                .to_string(),
            "invalid URL `not a url`: the base URL is not valid: relative URL without a base"
        );
    }
}
