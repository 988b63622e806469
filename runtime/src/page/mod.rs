//! `Page`: the test's handle on its tab, over the runtime's own connection.

mod armed;
#[cfg(feature = "headless_chrome")]
mod bridge;
mod calls;
mod context;
mod credentials;
mod dialogs;
mod eval;
mod film;
mod frame_hub;
mod frames;
mod har;
mod input;
mod navigation;
mod notes;
mod other_contexts;
mod popup;
mod restores;
mod reuse;
mod routes;
mod shortcuts;
mod storage;
mod stub;
mod traced;
mod traffic;
mod workers;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use base64::Engine as _;
use serde_json::json;

use crate::browser;
use crate::cdp::{ends_session, RawEvent, TargetSession, Watch};
use crate::config;
use crate::context::{remove_scripts, ContextState, Navigated, TabLocation, TestShare};
pub use crate::context::{Dialog, DialogKind};
pub(crate) use crate::context::{Embedded, OriginLog, Restore};
use crate::deadline::Deadline;
use crate::error::{Error, Result};
use crate::sync::lock;
use crate::test_clock::TestClock;
pub(crate) use armed::Armed;
#[cfg(feature = "headless_chrome")]
use bridge::HeadlessTab;
pub use context::Context;
use context::ContextInner;
pub use credentials::{AuthenticatorOptions, AuthenticatorProtocol, Credentials};
pub(crate) use eval::{evaluate_on, evaluated};
use film::Film;
use frame_hub::FrameHub;
pub use har::{HarNotFound, HarOptions};
use navigation::is_navigation_race;
pub(crate) use navigation::{resolve_url, shown_url};
pub(crate) use notes::TestEndHook;
use restores::{add_script, script_id};
pub(crate) use storage::items_from_entries;
pub use traffic::LoadState;

/// How often polling waits look again (the spec allows at most 10 ms).
const POLL: Duration = Duration::from_millis(5);

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
    /// When set, this handle's waits and calls end by then (see [`Page::until`]).
    cap: Option<Deadline>,
}

/// One tab; what its context's tabs share is in `ctx`.
struct PageInner {
    ctx: Arc<ContextInner>,
    /// The tab's DevTools target session.
    target: TargetSession,
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
    /// Its number in the test's trace: 0 for the test's own tab, then each tab any of the
    /// test's contexts opened, in order.
    tab_number: u64,
    /// The test's own tab's film strip (handed on with the tab when it is reused).
    film: Mutex<Option<Film>>,
    _watch: Watch,
    #[cfg(feature = "headless_chrome")]
    tab: once_cell::sync::OnceCell<HeadlessTab>,
}

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
fn dispose_context(ctx: &ContextInner) {
    // The contexts opened from it go with it.
    for other in std::mem::take(&mut *lock(&ctx.others)) {
        other.close();
    }
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
        Self::open_for(timeout, TestShare::default())
    }

    /// [`Page::open`], for the test that `test` tells of (its clock, trace and tabs).
    fn open_for(timeout: Duration, test: TestShare) -> Result<Page> {
        let browser = browser::browser()?;
        let spare = if config::reuse_contexts() {
            reuse::take_spare(&browser)
        } else {
            None
        };
        let (context_id, session, film, before) = match spare {
            Some(spare) => (
                spare.context_id,
                spare.session,
                spare.film,
                Some((spare.sent_requests, spare.tests_served)),
            ),
            None => {
                let made = crate::context::create(&browser, timeout)?;
                (made.context_id, made.session, None, None)
            }
        };
        let ctx = Arc::new(ContextInner::new(ContextState::new(
            browser, context_id, timeout, test,
        )));
        if let Some((sent_requests, served)) = before {
            if sent_requests {
                ctx.traffic.note_sent();
            }
            ctx.tests_served.store(served + 1, Ordering::SeqCst);
        }
        let tab = ctx.test.next_tab();
        let film = match film {
            Some(film) => Some(film),
            // A tab without a film strip is still the test's.
            None if crate::trace::mode().records() => {
                Film::start(session.connection(), session.target_id(), timeout).ok()
            }
            None => None,
        };
        if let Some(film) = &film {
            film.show_to(Some((Arc::clone(&ctx.test.trace), tab)));
        }
        let page = Page::over(&ctx, session, tab, true, true);
        let _ = ctx.first.set(Arc::downgrade(&page.inner));
        *lock(&page.inner.film) = film;
        popup::watch_for_popups(&ctx);
        // The trace's events are sent without waiting for their replies: the tab takes its
        // calls in order, so they are on before the test's first action, and a trace that
        // could not start must not fail the test.
        let conn = page.inner.target.connection();
        for (method, params) in crate::context::enable_calls(&ctx.state)
            .into_iter()
            .chain(traced::enable_calls())
        {
            let _ = conn.send_oneway(Some(page.inner.target.id()), method, params);
        }
        let (method, params) = frame_hub::auto_attach_call();
        page.call(method, params)?;
        Ok(page)
    }

    /// A page on `session`, tab number `tab` of the test's trace, in `ctx`'s context, recording what it loads
    /// (and, traced, what it says and fetches).
    fn over(
        ctx: &Arc<ContextInner>,
        session: TargetSession,
        tab: u64,
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
            tab,
            frames: Arc::default(),
            workers: Arc::default(),
            tab_location: Arc::clone(&location),
            conn: Arc::downgrade(conn),
        };
        let hub = frames.clone();
        let trace = crate::trace::mode().records().then(|| {
            ctx.trace().tab_opened(tab, ctx.number);
            Arc::clone(&ctx.test.trace)
        });
        let watched = crate::context::Watched::new(ctx, conn, session.id(), tab);
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
                watched.see(ev);
                if let Some(trace) = &trace {
                    if traced::is_traced(&ev.method) {
                        lock(trace).event(tab, &ev.method, &ev.params);
                        return;
                    }
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
            cap: None,
            inner: Arc::new(PageInner {
                ctx: Arc::clone(ctx),
                target: session,
                owns_context,
                copies_session_storage,
                closed,
                location,
                frames,
                tab_number: tab,
                film: Mutex::default(),
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
        self.inner.target.target_id()
    }

    /// The browser context id of this tab (`page.context().id()`).
    pub fn browser_context_id(&self) -> &str {
        &self.inner.ctx.context_id
    }

    /// The runtime's flattened DevTools session on this tab, for raw protocol calls.
    pub fn cdp(&self) -> &TargetSession {
        &self.inner.target
    }

    /// The pid of the browser process this page lives in (when this process launched it).
    pub fn browser_pid(&self) -> Option<u32> {
        self.inner.ctx.browser.pid()
    }

    /// How long a wait may still take: the page's timeout, cut short by the test's deadline
    /// and this handle's cap.
    pub(crate) fn budget(&self) -> Duration {
        self.budget_of(self.inner.ctx.timeout)
    }

    /// `limit`, cut short by the test's deadline and this handle's cap.
    pub(crate) fn budget_of(&self, limit: Duration) -> Duration {
        let budget = self.inner.ctx.budget_of(limit);
        match self.cap {
            Some(cap) => budget.min(cap.left()),
            None => budget,
        }
    }

    /// This tab, with every wait and protocol call made through the returned handle ending
    /// by `deadline` (each call still gets 100 ms): an assertion's 1 s must not become 30 s
    /// because the renderer stopped answering.
    pub(crate) fn until(&self, deadline: Deadline) -> Page {
        Page {
            inner: Arc::clone(&self.inner),
            cap: Some(deadline.capped(self.cap)),
        }
    }

    /// The clock of the test on this page.
    pub(crate) fn clock(&self) -> &TestClock {
        &self.inner.ctx.test.clock
    }

    /// Runs a step of the framework's own (clearing, restoring, capturing, about:blank):
    /// bounded by the wait limit, not charged to the test's time limit.
    pub(crate) fn uncharged<T>(&self, step: impl FnOnce() -> T) -> T {
        self.inner.ctx.test.clock.paused(step)
    }

    /// Marks the page as the one non-isolated tests share: `session!` does not clear it.
    pub(crate) fn set_shared(&self) {
        self.inner.ctx.isolated.store(false, Ordering::SeqCst);
    }

    /// False on the page shared by `#[session_test(test_isolation = false)]` tests.
    pub fn is_isolated(&self) -> bool {
        self.inner.ctx.is_isolated()
    }

    /// False once the page's browser died or the page was closed.
    pub(crate) fn is_usable(&self) -> bool {
        !self.is_closed() && self.inner.ctx.browser.is_alive()
    }

    /// The record of what this context's tabs loaded.
    pub(crate) fn origin_log(&self) -> MutexGuard<'_, OriginLog> {
        self.inner.ctx.origins()
    }

    /// A PNG screenshot of the viewport.
    pub fn screenshot(&self) -> Result<Vec<u8>> {
        let reply = self.call("Page.captureScreenshot", json!({ "format": "png" }))?;
        let data = reply["data"].as_str().unwrap_or_default();
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|e| Error::protocol("Page.captureScreenshot", e))
    }
}
