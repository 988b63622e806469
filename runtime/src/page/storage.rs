//! Cookies and storage of the context, read and written from any page.

use serde_json::{json, Value};

use crate::data::{Cookie, StorageItems};
use crate::error::{Error, Result};

use super::Page;

impl Page {
    /// Every cookie of this page's browser context (all domains, HttpOnly included):
    /// [`Context::cookies`](super::Context::cookies).
    pub fn cookies(&self) -> Result<Vec<Cookie>> {
        self.context().cookies()
    }

    /// Waits until the cookies this tab's document set by script are in the context's cookie
    /// store: the browser writes them asynchronously, and reading `document.cookie` goes the
    /// same way, so once it returns they are in, and a clear that follows removes them. (A
    /// test that set one and then called `session!` found it again in setup, 2 times in 300 on
    /// a busy machine.) Nothing to wait for without a document of an origin.
    pub(crate) fn flush_cookie_writes(&self) {
        if self.current_origin().is_some() && !self.is_closed() {
            let flush = json!({ "expression": "document.cookie.length" });
            let _ = self.call("Runtime.evaluate", flush);
        }
    }

    /// [`Page::flush_cookie_writes`] on this tab and every other of its context.
    pub(crate) fn flush_context_cookie_writes(&self) {
        for tab in self.context().pages() {
            tab.flush_cookie_writes();
        }
    }

    /// Runs `f` while a document of `origin` is loaded: the page itself when it is on that
    /// origin, else a stub document of it (served without contacting its server), after which
    /// the page goes back to about:blank or reloads the URL it was on.
    pub(super) fn on_origin<T>(&self, origin: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
        let origin = normalize_origin(origin)?;
        if self.current_origin().as_deref() == Some(origin.as_str()) {
            return f();
        }
        let back = self.url()?;
        self.visit_stub(&origin)?;
        let out = f();
        self.go_to(if back.is_empty() {
            "about:blank"
        } else {
            &back
        })?;
        out
    }

    pub(super) fn storage_js(&self, origin: &str, script: &str, args: &[Value]) -> Result<Value> {
        self.on_origin(origin, || self.call_js(script, args))
    }

    /// The localStorage items of `origin` (e.g. `http://app.localhost:8080`) in this context:
    /// [`Context::local_storage`](super::Context::local_storage).
    pub fn local_storage(&self, origin: &str) -> Result<StorageItems> {
        self.context().local_storage(origin)
    }

    /// The sessionStorage items of `origin` in this tab.
    pub fn session_storage(&self, origin: &str) -> Result<StorageItems> {
        self.storage_items(origin, "sessionStorage")
    }

    pub(super) fn storage_items(&self, origin: &str, area: &str) -> Result<StorageItems> {
        let v = self.storage_js(origin, &format!("() => Object.entries({area})"), &[])?;
        Ok(items_from_entries(&v))
    }

    /// Sets a localStorage item of `origin` (works from about:blank or another origin):
    /// [`Context::set_local_storage`](super::Context::set_local_storage).
    pub fn set_local_storage(&self, origin: &str, key: &str, value: &str) -> Result<()> {
        self.context().set_local_storage(origin, key, value)
    }

    /// Removes a localStorage item of `origin`:
    /// [`Context::remove_local_storage`](super::Context::remove_local_storage).
    pub fn remove_local_storage(&self, origin: &str, key: &str) -> Result<()> {
        self.context().remove_local_storage(origin, key)
    }

    /// Sets a sessionStorage item of `origin` in this tab.
    pub fn set_session_storage(&self, origin: &str, key: &str, value: &str) -> Result<()> {
        self.write_item("sessionStorage", origin, key, Some(value))
    }

    /// Removes a sessionStorage item of `origin` in this tab.
    pub fn remove_session_storage(&self, origin: &str, key: &str) -> Result<()> {
        self.write_item("sessionStorage", origin, key, None)
    }

    /// Sets (`Some`) or removes (`None`) the item `key` of `area` (`localStorage` or
    /// `sessionStorage`) of `origin`.
    pub(super) fn write_item(
        &self,
        area: &str,
        origin: &str,
        key: &str,
        value: Option<&str>,
    ) -> Result<()> {
        let script = format!("(k, v) => v === null ? {area}.removeItem(k) : {area}.setItem(k, v)");
        self.storage_js(origin, &script, &[json!(key), json!(value)])
            .map(|_| ())
    }

    /// Sets a cookie in this context: [`Context::set_cookie`](super::Context::set_cookie).
    pub fn set_cookie(&self, cookie: &Cookie) -> Result<()> {
        self.context().set_cookie(cookie)
    }

    /// Removes the cookies named `name` for `domain` (any path):
    /// [`Context::remove_cookie`](super::Context::remove_cookie).
    pub fn remove_cookie(&self, name: &str, domain: &str) -> Result<()> {
        self.context().remove_cookie(name, domain)
    }
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

pub(super) fn normalize_origin(origin: &str) -> Result<String> {
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
