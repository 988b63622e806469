//! Reading a context's state out (capture) and putting it back (clear, restore).
//!
//! Storage of an origin can only be touched from a document of that origin, so origins that
//! are not loaded get a stub document served by the Fetch domain (their servers are never
//! contacted). Cookies go through `Network.*` on the page's own context.

use serde_json::{json, Value};

use super::data::{OriginStorage, SessionData};
use crate::data::{Cookie, StorageItems};
use crate::error::{Error, Result};
use crate::page::{items_from_entries, Page};

const READ_BOTH: &str = "({ l: Object.entries(localStorage), s: Object.entries(sessionStorage) })";

/// localStorage and sessionStorage of `origin`, loading a stub of it when the page is on
/// another origin.
fn read_origin(page: &Page, origin: &str) -> Result<(StorageItems, StorageItems)> {
    if page.current_origin().as_deref() != Some(origin) {
        page.visit_stub(origin)?;
    }
    let v = page.eval(READ_BOTH)?;
    Ok((items_from_entries(&v["l"]), items_from_entries(&v["s"])))
}

/// Cookies of the context plus both storages of `origins` (the current origin first, so
/// the page is left only once).
pub fn capture(page: &Page, mut origins: Vec<String>) -> Result<SessionData> {
    let mut data = SessionData {
        cookies: page.cookies()?,
        ..SessionData::default()
    };
    if let Some(current) = page.current_origin() {
        if let Some(i) = origins.iter().position(|o| *o == current) {
            let first = origins.remove(i);
            origins.insert(0, first);
        }
    }
    for origin in origins {
        let (local, session) = read_origin(page, &origin)?;
        if !local.is_empty() {
            data.local_storage
                .push(OriginStorage::new(origin.clone(), local));
        }
        if !session.is_empty() {
            data.session_storage
                .push(OriginStorage::new(origin, session));
        }
    }
    Ok(data)
}

/// Clears every cookie of the context and both storages of every origin this tab has
/// loaded, then writes `data` (when given) and leaves the page on about:blank.
pub fn clear_and_restore(page: &Page, data: Option<&SessionData>) -> Result<()> {
    if !page.is_isolated() {
        return restore_in_place(page, data);
    }
    let mut prelude = vec![("Network.clearBrowserCookies", json!({}))];
    if let Some(data) = data.filter(|d| !d.cookies.is_empty()) {
        let params: Vec<Value> = data.cookies.iter().map(cookie_param).collect();
        prelude.push(("Network.setCookies", json!({ "cookies": params })));
    }
    // Storage is put back on demand: a script per origin clears it and writes the saved
    // items when that origin's first top-level document is created, before the page's own
    // scripts run. No origin is loaded now and no server is contacted.
    let mut origins: Vec<String> = page.origin_log().ever.iter().cloned().collect();
    if let Some(data) = data {
        origins.extend(data.origins());
    }
    origins.sort();
    origins.dedup();
    let scripts = origins
        .into_iter()
        .map(|origin| {
            let (local, session) = data
                .map(|d| (d.local_storage_of(&origin), d.session_storage_of(&origin)))
                .unwrap_or_default();
            let source = format!(
                "(() => {{ if (window.top !== window || location.origin !== {o}) return; \
                 try {{ localStorage.clear(); sessionStorage.clear(); \
                 for (const [k, v] of {l}) localStorage.setItem(k, v); \
                 for (const [k, v] of {s}) sessionStorage.setItem(k, v); }} catch (e) {{}} }})()",
                o = json!(origin),
                l = entries(&local),
                s = entries(&session)
            );
            (origin, source)
        })
        .collect();
    page.set_pending_restores(prelude, scripts)
        .map_err(|e| match (e, data) {
            (
                Error::Cdp {
                    method, message, ..
                },
                Some(data),
            ) if method == "Network.setCookies" => Error::CookieRejected {
                reason: message,
                names: data.cookies.iter().map(|c| c.name.clone()).collect(),
            },
            (e, _) => e,
        })?;
    if page.current_url() != "about:blank" {
        page.visit("about:blank")?;
    }
    Ok(())
}

/// On the page non-isolated tests share nothing is cleared (SPEC B6, C7): cookies and
/// storage are added, the current origin's storage at once, the others' when they load.
fn restore_in_place(page: &Page, data: Option<&SessionData>) -> Result<()> {
    let Some(data) = data else {
        return Ok(());
    };
    let mut prelude = Vec::new();
    if !data.cookies.is_empty() {
        let params: Vec<Value> = data.cookies.iter().map(cookie_param).collect();
        prelude.push(("Network.setCookies", json!({ "cookies": params })));
    }
    let current = page.current_origin();
    let write = |origin: &str| {
        format!(
            "for (const [k, v] of {}) localStorage.setItem(k, v); \
             for (const [k, v] of {}) sessionStorage.setItem(k, v);",
            entries(&data.local_storage_of(origin)),
            entries(&data.session_storage_of(origin))
        )
    };
    let scripts = data
        .origins()
        .into_iter()
        .filter(|o| Some(o) != current.as_ref())
        .map(|origin| {
            let source = format!(
                "(() => {{ if (window.top !== window || location.origin !== {}) return; \
                 try {{ {} }} catch (e) {{}} }})()",
                json!(origin),
                write(&origin)
            );
            (origin, source)
        })
        .collect();
    page.set_pending_restores(prelude, scripts)?;
    if let Some(origin) = current.filter(|o| data.origins().contains(o)) {
        page.eval(&format!("(() => {{ {} }})()", write(&origin)))?;
    }
    Ok(())
}

fn entries(items: &StorageItems) -> String {
    Value::Array(items.iter().map(|(k, v)| json!([k, v])).collect()).to_string()
}

/// `Network.CookieParam` for a captured cookie; host-only cookies are set by URL so they
/// stay host-only.
pub(crate) fn cookie_param(c: &Cookie) -> Value {
    let mut p = json!({
        "name": c.name, "value": c.value, "path": c.path,
        "secure": c.secure, "httpOnly": c.http_only,
    });
    if c.host_only() {
        let scheme = if c.secure { "https" } else { "http" };
        p["url"] = json!(format!("{scheme}://{}{}", c.domain, c.path));
    } else {
        p["domain"] = json!(c.domain);
    }
    if let Some(same_site) = &c.same_site {
        p["sameSite"] = json!(same_site);
    }
    if let Some(expires) = c.expires {
        p["expires"] = json!(expires);
    }
    p
}
