//! Reading a context's state out (capture) and putting it back (clear, restore).
//!
//! Storage of an origin can only be touched from a document of that origin, so origins that
//! are not loaded get a stub document served by the Fetch domain (their servers are never
//! contacted). Cookies go through `Network.*` on the page's own context.

use serde_json::{json, Value};

use super::indexed_db;
use crate::data::{cookie_param, EmbeddedStorage, OriginStorage, SessionData, StorageItems};
use crate::error::{Error, Result};
use crate::page::{items_from_entries, Embedded, Page, Restore};

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

/// What a capture reads besides cookies and storage.
#[derive(Clone, Copy, Default)]
pub struct Extras {
    /// The IndexedDB databases of the origins (`indexed_db = true`).
    pub indexed_db: bool,
    /// The virtual authenticator's passkeys (`passkeys = true`).
    pub passkeys: bool,
}

/// Cookies of the context plus both storages of `origins` (the current origin first, so
/// the page is left only once), both storages of the cross-site iframe partitions
/// `frames`, and the `extras`.
pub fn capture(
    page: &Page,
    mut origins: Vec<String>,
    frames: Vec<Embedded>,
    extras: Extras,
) -> Result<SessionData> {
    let indexed_db = extras.indexed_db;
    let mut data = SessionData {
        cookies: page.cookies()?,
        ..SessionData::default()
    };
    if extras.passkeys {
        data.credentials = page.context().credentials().list()?;
    }
    if let Some(current) = page.current_origin() {
        if let Some(i) = origins.iter().position(|o| *o == current) {
            let first = origins.remove(i);
            origins.insert(0, first);
        }
    }
    for origin in origins {
        let (local, session) = read_origin(page, &origin)?;
        if indexed_db {
            data.indexed_db.extend(indexed_db::capture(page, &origin)?);
        }
        if !local.is_empty() {
            data.local_storage
                .push(OriginStorage::new(origin.clone(), local));
        }
        if !session.is_empty() {
            data.session_storage
                .push(OriginStorage::new(origin, session));
        }
    }
    for frame in frames {
        let v = page.eval_in_embedded(&frame, READ_BOTH)?;
        let (local, session) = (items_from_entries(&v["l"]), items_from_entries(&v["s"]));
        let databases = match indexed_db {
            true => indexed_db::capture_embedded(page, &frame)?,
            false => None,
        };
        if !local.is_empty() || !session.is_empty() || databases.is_some() {
            data.embedded.push(EmbeddedStorage {
                origin: frame.origin,
                top_level_origin: frame.top,
                local_storage: local,
                session_storage: session,
                databases,
            });
        }
    }
    Ok(data)
}

/// What `session!` does before setup (`None`) and to restore (`Some`): on an isolated page,
/// [`clear_then_restore`], then, for a session with `indexed_db`, the IndexedDB of the
/// cross-site iframe partitions; on the page non-isolated tests share, nothing is cleared.
pub fn clear_and_restore(page: &Page, data: Option<&SessionData>, extras: Extras) -> Result<()> {
    if !page.is_isolated() {
        return restore_in_place(page, data);
    }
    // The partitions the tabs loaded, as before the clear (for IndexedDB only).
    let seen = extras.indexed_db.then(|| page.frames_with_state());
    clear_then_restore(page, data)?;
    match seen {
        Some(seen) => restore_partition_databases(page, seen, data),
        None => Ok(()),
    }
}

/// Empties the IndexedDB of each partition in `seen` and of each that `data` restores into
/// (partitioned storage no DevTools call reaches: a document of the partition does it), then
/// writes `data`'s; the page ends on about:blank.
pub fn restore_partition_databases(
    page: &Page,
    mut seen: Vec<Embedded>,
    data: Option<&SessionData>,
) -> Result<()> {
    let saved: Vec<(Embedded, &serde_json::Value)> = data
        .into_iter()
        .flat_map(|d| &d.embedded)
        .filter_map(|e| {
            let frame = Embedded {
                origin: e.origin.clone(),
                top: e.top_level_origin.clone(),
            };
            Some((frame, e.databases.as_ref()?))
        })
        .collect();
    seen.extend(saved.iter().map(|(frame, _)| frame.clone()));
    seen.sort();
    seen.dedup();
    if seen.is_empty() {
        return Ok(());
    }
    for frame in &seen {
        indexed_db::clear_embedded(page, frame)?;
    }
    for (frame, databases) in &saved {
        indexed_db::restore_embedded(page, frame, databases)?;
    }
    page.go_to("about:blank")
}

/// Clears every cookie of the context and both storages of every origin this tab has
/// loaded, then writes `data` (when given) and leaves the page on about:blank. The helpers
/// that clear (SPEC D1, D2) do this on any page, the shared one too.
pub fn clear_then_restore(page: &Page, data: Option<&SessionData>) -> Result<()> {
    // Cookies the tabs' scripts set are written asynchronously: in before they are cleared.
    page.flush_context_cookie_writes();
    // Other tabs hold documents of the state being replaced (sessionStorage above all).
    page.close_other_tabs();
    let mut prelude = vec![("Network.clearBrowserCookies", json!({}))];
    // IndexedDB of every origin this tab loaded, and of the session's: cleared by the
    // browser, which also closes the app's connections, so nothing can block the restore.
    let mut idb_origins: Vec<String> = page.origin_log().ever.iter().cloned().collect();
    if let Some(data) = data {
        idb_origins.extend(data.indexed_db.iter().map(|d| d.origin.clone()));
    }
    idb_origins.sort();
    idb_origins.dedup();
    for origin in idb_origins {
        prelude.push((
            "Storage.clearDataForOrigin",
            json!({ "origin": origin, "storageTypes": "indexeddb" }),
        ));
    }
    if let Some(data) = data.filter(|d| !d.cookies.is_empty()) {
        let params: Vec<Value> = data.cookies.iter().map(cookie_param).collect();
        prelude.push(("Network.setCookies", json!({ "cookies": params })));
    }
    // Storage is put back on demand: a script per origin clears it and writes the saved
    // items when that origin's first top-level document is created (in any tab of the
    // context), before the page's own scripts run. No origin is loaded now and no server is
    // contacted.
    let mut origins: Vec<String> = page.origin_log().ever.iter().cloned().collect();
    if let Some(data) = data {
        origins.extend(data.origins());
    }
    origins.sort();
    origins.dedup();
    let restores = origins
        .into_iter()
        .map(|origin| {
            let (local, session) = data
                .map(|d| (d.local_storage_of(&origin), d.session_storage_of(&origin)))
                .unwrap_or_default();
            Restore {
                origin,
                top: None,
                local,
                session,
                clear: true,
            }
        })
        .chain(embedded_restores(page.frames_with_state(), data, true))
        .collect();
    page.set_pending_restores(prelude, restores)
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
    restore_passkeys(page, data)?;
    if page.current_url() != "about:blank" {
        page.go_to("about:blank")?;
    }
    // IndexedDB is asynchronous, so a script at document start could not finish before the
    // app's scripts: each origin's databases are written now, in a stub document of it.
    if let Some(data) = data.filter(|d| !d.indexed_db.is_empty()) {
        for saved in &data.indexed_db {
            page.visit_stub(&saved.origin)?;
            indexed_db::restore(page, saved)?;
        }
        page.go_to("about:blank")?;
    }
    Ok(())
}

/// On the page non-isolated tests share nothing is cleared (SPEC B6, C7): cookies and
/// storage are added, the current origin's storage at once, the others' when they load.
fn restore_in_place(page: &Page, data: Option<&SessionData>) -> Result<()> {
    let Some(data) = data else {
        return Ok(());
    };
    restore_passkeys(page, Some(data))?;
    let mut prelude = Vec::new();
    if !data.cookies.is_empty() {
        let params: Vec<Value> = data.cookies.iter().map(cookie_param).collect();
        prelude.push(("Network.setCookies", json!({ "cookies": params })));
    }
    let current = page.current_origin();
    let restores = data
        .origins()
        .into_iter()
        .map(|origin| Restore {
            local: data.local_storage_of(&origin),
            session: data.session_storage_of(&origin),
            origin,
            top: None,
            clear: false,
        })
        .collect::<Vec<_>>();
    let (now, later): (Vec<Restore>, Vec<Restore>) = restores
        .into_iter()
        .partition(|r| Some(&r.origin) == current.as_ref());
    let later = later
        .into_iter()
        .chain(embedded_restores(Vec::new(), Some(data), false))
        .collect();
    page.set_pending_restores(prelude, later)?;
    if let Some(restore) = now.first() {
        page.eval(&restore.source(true))?;
    }
    // IndexedDB: in the current document for its origin, in stubs for the others; then
    // back to where the page was.
    let back = page.current_url();
    for saved in &data.indexed_db {
        if page.current_origin().as_deref() != Some(saved.origin.as_str()) {
            page.visit_stub(&saved.origin)?;
        }
        indexed_db::restore(page, saved)?;
    }
    if page.current_url() != back {
        page.go_to(&back)?;
    }
    Ok(())
}

/// A passkey session's authenticator, installed before its setup (`passkeys = true`); a
/// browser that refuses one (a remote browser without the WebAuthn domain) is an error
/// naming the option.
pub fn install_authenticator(page: &Page) -> Result<()> {
    page.context()
        .credentials()
        .install(crate::page::AuthenticatorOptions::default())
        .map_err(|e| {
            Error::msg(format!(
                "passkeys = true needs a virtual authenticator: {e}"
            ))
        })
}

/// The authenticator's passkeys replaced by `data`'s: an installed one is emptied (the
/// passkeys of the session before go), and one is installed for a session that has any.
fn restore_passkeys(page: &Page, data: Option<&SessionData>) -> Result<()> {
    let passkeys = page.context().credentials();
    if passkeys.is_installed() {
        passkeys.clear()?;
    }
    let Some(data) = data.filter(|d| !d.credentials.is_empty()) else {
        return Ok(());
    };
    install_authenticator(page)?;
    data.credentials.iter().try_for_each(|c| {
        passkeys.add(c).map_err(|e| Error::PasskeyNotRestored {
            rp_id: c.rp_id().to_owned(),
            reason: e.to_string(),
        })
    })
}

/// A restore per cross-site iframe partition: those `seen` (cleared, when `clear`) and the
/// saved ones of `data`.
fn embedded_restores(
    seen: Vec<Embedded>,
    data: Option<&SessionData>,
    clear: bool,
) -> impl Iterator<Item = Restore> {
    let saved: Vec<&EmbeddedStorage> = data
        .map(|d| d.embedded.iter().collect())
        .unwrap_or_default();
    let mut all: Vec<Embedded> = seen;
    all.extend(saved.iter().map(|e| Embedded {
        origin: e.origin.clone(),
        top: e.top_level_origin.clone(),
    }));
    all.sort();
    all.dedup();
    let restores: Vec<Restore> = all
        .into_iter()
        .map(|key| {
            let items = saved
                .iter()
                .find(|e| e.origin == key.origin && e.top_level_origin == key.top);
            Restore {
                origin: key.origin,
                top: Some(key.top),
                local: items.map(|e| e.local_storage.clone()).unwrap_or_default(),
                session: items.map(|e| e.session_storage.clone()).unwrap_or_default(),
                clear,
            }
        })
        .collect();
    restores.into_iter()
}
