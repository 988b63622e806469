//! Waiting on the context's traffic (a request, a response, a quiet network) and taking its
//! network offline, as the test asks through a page or its context.

use std::time::Duration;

use super::{Armed, Context, Page};
use crate::context::{offline_call, IntoUrlPattern, Request, Response};
use crate::deadline::Deadline;
use crate::error::{Error, Result};

/// How long a tab's network must stay quiet to count as idle (Playwright's `networkidle`).
const NETWORK_QUIET: Duration = Duration::from_millis(500);

/// A state of a page's loading that [`Page::wait_for_load_state`] waits for (Playwright's
/// names).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoadState {
    /// The document was parsed (`DOMContentLoaded`).
    DomContentLoaded,
    /// The document and its resources loaded (the `load` event).
    Load,
    /// Loaded, and no request of the tab (its frames and workers included) in flight for
    /// 500 ms.
    NetworkIdle,
}

impl Page {
    /// Runs `action` (usually a click) and returns the first request from then on whose URL
    /// `pattern` takes (a glob, a `Regex`, or [`UrlPattern::predicate`](crate::UrlPattern::predicate)),
    /// from any tab, frame or worker of the context; the wait starts before the action, so
    /// nothing is missed. Fails at the wait limit when none came.
    ///
    /// ```no_run
    /// # fn t(page: &session_test::Page) -> session_test::Result<()> {
    /// let login = page.wait_for_request("**/api/login", || page.click("#submit"))?;
    /// assert_eq!(login.method(), "POST");
    /// # Ok(()) }
    /// ```
    pub fn wait_for_request<F>(&self, pattern: impl IntoUrlPattern, action: F) -> Result<Request>
    where
        F: FnOnce() -> Result<()>,
    {
        self.arm_request(pattern)?.after(action)
    }

    /// The wait of [`Page::wait_for_request`], armed: for a request from now on.
    pub(crate) fn arm_request(&self, pattern: impl IntoUrlPattern) -> Result<Armed<Request>> {
        let pattern = pattern.into_url_pattern()?;
        let what = format!("a request matching {pattern} (`wait_for_request`)");
        Ok(self.armed(self.inner.ctx.traffic.wait_for_request(pattern), what))
    }

    /// Runs `action` and returns the first response from then on to a request whose URL
    /// `pattern` takes, with its whole body, from any tab, frame or worker of the context
    /// (a route's answer included); the wait starts before the action, so nothing is
    /// missed. A request that fails without a response is not one: the wait goes on. Fails
    /// at the wait limit when none came.
    ///
    /// ```no_run
    /// # fn t(page: &session_test::Page) -> session_test::Result<()> {
    /// let saved = page.wait_for_response("**/api/items", || page.click("#save"))?;
    /// assert!(saved.ok(), "saving answered {}", saved.status());
    /// # Ok(()) }
    /// ```
    pub fn wait_for_response(
        &self,
        pattern: impl IntoUrlPattern,
        action: impl FnOnce() -> Result<()>,
    ) -> Result<Response> {
        self.arm_response(pattern)?.after(action)
    }

    /// The wait of [`Page::wait_for_response`], armed: for a response from now on.
    pub(crate) fn arm_response(&self, pattern: impl IntoUrlPattern) -> Result<Armed<Response>> {
        let pattern = pattern.into_url_pattern()?;
        let traffic = &self.inner.ctx.traffic;
        let what = format!("a response to a request matching {pattern} (`wait_for_response`)");
        Ok(self.armed(traffic.wait_for_response(pattern), what))
    }

    /// A wait for what `waiting` gets, at most the wait limit from when it settles.
    fn armed<T: Send + 'static>(
        &self,
        waiting: std::sync::mpsc::Receiver<T>,
        what: String,
    ) -> Armed<T> {
        let page = self.clone();
        Armed::new(move || {
            let budget = page.budget();
            waiting.recv_timeout(budget).map_err(|_| Error::Timeout {
                what,
                after: budget,
            })
        })
    }

    /// Waits until the page reached `state`: for [`LoadState::NetworkIdle`], loaded and no
    /// request of this tab (its frames and workers included) in flight for 500 ms. Fails at
    /// the wait limit, naming the requests still in flight.
    ///
    /// ```no_run
    /// use session_test::LoadState;
    /// # fn t(page: &session_test::Page) -> session_test::Result<()> {
    /// page.click("#refresh")?;
    /// page.wait_for_load_state(LoadState::NetworkIdle)?;
    /// # Ok(()) }
    /// ```
    pub fn wait_for_load_state(&self, state: LoadState) -> Result<()> {
        let budget = self.budget();
        let deadline = Deadline::after(budget);
        let ready = match state {
            LoadState::DomContentLoaded => "document.readyState !== 'loading'",
            LoadState::Load | LoadState::NetworkIdle => "document.readyState === 'complete'",
        };
        let page = self.until(deadline);
        let loaded = page.retry(deadline, || {
            Ok((page.evaluate(ready)? == true).then_some(()))
        })?;
        if loaded.is_none() {
            return Err(Error::Timeout {
                what: format!("the page to reach {state:?} (`wait_for_load_state`)"),
                after: budget,
            });
        }
        if state != LoadState::NetworkIdle {
            return Ok(());
        }
        let traffic = &self.inner.ctx.traffic;
        traffic
            .wait_idle(self.inner.tab_number, NETWORK_QUIET, deadline)
            .map_err(|open| Error::Timeout {
                what: format!(
                    "the page's network to be idle (`wait_for_load_state(NetworkIdle)`); \
                     in flight: {}",
                    open.join(", ")
                ),
                after: budget,
            })
    }

    /// [`Context::set_offline`].
    pub fn set_offline(&self, offline: bool) -> Result<()> {
        self.context().set_offline(offline)
    }
}

impl Context {
    /// Takes the network of the context's tabs, frames and workers offline (their requests
    /// fail as without a connection, and `navigator.onLine` is false), or back online; tabs
    /// opened later follow. A context taken offline is not reused for a later test
    /// (README, "Context reuse").
    ///
    /// ```no_run
    /// # fn t(page: &session_test::Page) -> session_test::Result<()> {
    /// page.set_offline(true)?;
    /// page.click("#save")?;
    /// session_test::expect(&page.locator("#status")).to_have_text("offline: saved locally")?;
    /// # Ok(()) }
    /// ```
    pub fn set_offline(&self, offline: bool) -> Result<()> {
        let state = self.state();
        if offline {
            state.leftovers.add("network conditions set by set_offline");
        }
        let (method, params) = offline_call(offline);
        for (conn, session_id) in state.traffic.set_offline(offline) {
            let Some(conn) = conn.upgrade() else {
                continue;
            };
            match conn.call_raw(Some(&session_id), method, params.clone(), state.timeout) {
                // A session that ended meanwhile (a closed popup, a removed iframe).
                Err(Error::Cdp { message, .. }) if message.contains("not found") => {}
                other => {
                    other?;
                }
            }
        }
        Ok(())
    }
}
