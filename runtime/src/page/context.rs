//! `Context`: one browser context, what its tabs share (cookies, localStorage, permissions,
//! the dialog policy) and its lifetime. Playwright's `BrowserContext`; a test reaches its own
//! with [`Page::context`].

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Deref;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, Weak};

use serde_json::json;

use super::frame_hub::Worker;
use super::{Page, PageInner, TestEndHook};
use crate::context::ContextState;
use crate::data::{cookie_param, Cookie, StorageItems};
use crate::error::{Error, Result};
use crate::sync::lock;

/// A browser context: an isolated set of tabs with cookies, storage, cache and permissions of
/// their own. Every `#[session_test]` runs in a context of its own (reset and reused when the
/// test passes, README "Context reuse"); it is disposed with every tab in it when its first
/// tab closes.
///
/// Cheap to clone; all clones are the same context. `Page`'s cookie, localStorage and
/// dialog methods are these, reached through the page.
///
/// ```no_run
/// use session_test::{session_test, Page};
///
/// #[session_test]
/// fn starts_signed_out(page: &Page) -> session_test::Result<()> {
///     let context = page.context();
///     assert!(context.cookies()?.is_empty());
///     context.grant_permissions(&["geolocation"], Some("http://app.localhost:8080"))?;
///     assert_eq!(context.pages().len(), 1);
///     Ok(())
/// }
/// ```
#[derive(Clone)]
pub struct Context {
    pub(super) state: Arc<ContextInner>,
}

/// A context with its tabs: the context layer's shared state, and the pages.
pub(super) struct ContextInner {
    pub state: Arc<ContextState>,
    /// Work for the end of the test in this context, once per key.
    pub test_end: Mutex<Vec<(&'static str, TestEndHook)>>,
    /// The tabs opened in this context besides the first, in the order they opened.
    pub popups: Mutex<Popups>,
    /// Signalled when a tab joins `popups`.
    pub popup_opened: Condvar,
    /// The first tab, which owns the context (weak: the tab holds the context).
    pub first: OnceLock<Weak<PageInner>>,
    /// The permissions granted through [`Context::grant_permissions`], by origin (`None`:
    /// every origin): the browser's call replaces an origin's grants, so each call sends
    /// them all.
    pub granted: Mutex<BTreeMap<Option<String>, BTreeSet<String>>>,
    /// The virtual authenticators [`Context::credentials`] installed: each tab's, by tab.
    pub authenticators: Mutex<Vec<(Weak<PageInner>, String)>>,
    /// How they were made (`WebAuthn.addVirtualAuthenticator`'s parameters), for the tabs
    /// opened after.
    pub authenticator: Mutex<Option<serde_json::Value>>,
    /// The first tab of each context [`Page::new_context`] opened from this one's tabs:
    /// closed with it, or at the end of the test.
    pub others: Mutex<Vec<Page>>,
    /// The service workers started in this context during its test, on the browser's
    /// sessions (`workers.rs`), each detached when it goes: at the reset, which leaves none
    /// here (a worker born after it is let go), or with this state.
    pub service_workers: Mutex<Option<Vec<Worker>>>,
}

/// The tabs a context's pages opened.
#[derive(Default)]
pub(super) struct Popups {
    /// How many have opened so far (a popup's number is its place in this count).
    pub opened: u64,
    pub tabs: Vec<(u64, Page)>,
}

impl Deref for ContextInner {
    type Target = ContextState;

    fn deref(&self) -> &ContextState {
        &self.state
    }
}

impl ContextInner {
    pub fn new(state: ContextState) -> Self {
        ContextInner {
            state: Arc::new(state),
            test_end: Mutex::default(),
            popups: Mutex::default(),
            popup_opened: Condvar::new(),
            first: OnceLock::new(),
            granted: Mutex::default(),
            authenticators: Mutex::default(),
            authenticator: Mutex::default(),
            others: Mutex::default(),
            service_workers: Mutex::new(Some(Vec::new())),
        }
    }

    pub fn popups(&self) -> MutexGuard<'_, Popups> {
        lock(&self.popups)
    }

    /// The first tab, while a handle on it is kept.
    pub fn first_tab(&self) -> Option<Page> {
        let inner = self.first.get()?.upgrade()?;
        Some(Page { inner, cap: None })
    }

    /// The open tabs besides the first.
    pub fn open_popups(&self) -> Vec<Page> {
        self.popups()
            .tabs
            .iter()
            .map(|(_, p)| p.clone())
            .filter(|p| !p.is_closed())
            .collect()
    }
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("id", &self.state.context_id)
            .finish()
    }
}

impl Page {
    /// The browser context this tab belongs to (with the tabs it opened).
    pub fn context(&self) -> Context {
        Context {
            state: Arc::clone(&self.inner.ctx),
        }
    }
}

impl Context {
    /// The browser's id of this context (`Target.createBrowserContext`'s
    /// `browserContextId`).
    pub fn id(&self) -> &str {
        &self.state.context_id
    }

    /// Its open tabs: the first (the test's page), then those opened since, in the order
    /// they opened.
    pub fn pages(&self) -> Vec<Page> {
        let first = self.state.first_tab().filter(|p| !p.is_closed());
        first.into_iter().chain(self.state.open_popups()).collect()
    }

    /// Closes the context with every tab in it (what closing its first tab does).
    pub fn close(&self) {
        match self.state.first_tab() {
            Some(first) => first.close(),
            None => super::dispose_context(&self.state),
        }
    }

    /// False for the context that `#[session_test(test_isolation = false)]` tests share.
    pub fn is_isolated(&self) -> bool {
        self.state.is_isolated()
    }

    pub(super) fn state(&self) -> &ContextInner {
        &self.state
    }

    /// The tab that speaks for the context in calls any of its tabs could make.
    fn main_page(&self) -> Result<Page> {
        match self.state.first_tab() {
            Some(page) if !page.is_closed() => Ok(page),
            _ => Err(Error::TabClosed {
                waiting_for: format!("its context {}", self.id()),
            }),
        }
    }

    /// Every cookie of the context (all domains, HttpOnly included).
    pub fn cookies(&self) -> Result<Vec<Cookie>> {
        let reply = self.main_page()?.call("Network.getAllCookies", json!({}))?;
        serde_json::from_value(reply["cookies"].clone())
            .map_err(|e| Error::protocol("Network.getAllCookies", e))
    }

    /// Sets a cookie (Playwright's `addCookies` takes several: call this for each).
    pub fn set_cookie(&self, cookie: &Cookie) -> Result<()> {
        self.main_page()?
            .call(
                "Network.setCookies",
                json!({ "cookies": [cookie_param(cookie)] }),
            )
            .map(|_| ())
    }

    /// Removes the cookies named `name` for `domain` (any path).
    pub fn remove_cookie(&self, name: &str, domain: &str) -> Result<()> {
        self.main_page()?
            .call(
                "Network.deleteCookies",
                json!({ "name": name, "domain": domain }),
            )
            .map(|_| ())
    }

    /// Removes every cookie of the context, those its pages' scripts just set too.
    pub fn clear_cookies(&self) -> Result<()> {
        let page = self.main_page()?;
        page.flush_context_cookie_writes();
        page.call("Network.clearBrowserCookies", json!({}))
            .map(|_| ())
    }

    /// The localStorage items of `origin` (e.g. `http://app.localhost:8080`).
    pub fn local_storage(&self, origin: &str) -> Result<StorageItems> {
        self.main_page()?.storage_items(origin, "localStorage")
    }

    /// Sets a localStorage item of `origin` (from about:blank or any other origin).
    pub fn set_local_storage(&self, origin: &str, key: &str, value: &str) -> Result<()> {
        self.main_page()?
            .write_item("localStorage", origin, key, Some(value))
    }

    /// Removes a localStorage item of `origin`.
    pub fn remove_local_storage(&self, origin: &str, key: &str) -> Result<()> {
        self.main_page()?
            .write_item("localStorage", origin, key, None)
    }

    /// Grants `permissions` (the DevTools protocol's names: `geolocation`, `clipboardReadWrite`,
    /// `notifications`) to `origin`, or to every origin with `None`, besides those granted
    /// before. The grants last until [`Context::clear_permissions`] or the end of the test (a
    /// reused context starts with none).
    pub fn grant_permissions(&self, permissions: &[&str], origin: Option<&str>) -> Result<()> {
        let origin = origin.map(super::storage::normalize_origin).transpose()?;
        let mut all = lock(&self.state.granted)
            .get(&origin)
            .cloned()
            .unwrap_or_default();
        all.extend(permissions.iter().map(|p| p.to_string()));
        let mut params = json!({
            "permissions": all,
            "browserContextId": self.state.context_id,
        });
        if let Some(origin) = &origin {
            params["origin"] = json!(origin);
        }
        // (Kept once the browser took them: an unknown name fails the whole call.)
        self.browser_call("Browser.grantPermissions", params)?;
        lock(&self.state.granted).insert(origin, all);
        Ok(())
    }

    /// Takes back every permission granted in this context.
    pub fn clear_permissions(&self) -> Result<()> {
        lock(&self.state.granted).clear();
        let params = json!({ "browserContextId": self.state.context_id });
        self.browser_call("Browser.resetPermissions", params)
    }

    /// A browser-level call about this context, bounded as its pages' calls are.
    fn browser_call(&self, method: &str, params: serde_json::Value) -> Result<()> {
        let page = self.main_page()?;
        let conn = self.state.browser.connection();
        conn.call_raw(None, method, params, page.call_timeout())
            .map(|_| ())
    }
}
