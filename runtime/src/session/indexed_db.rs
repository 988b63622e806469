//! IndexedDB in sessions (`indexed_db = true`, SPEC C12): every database of an origin read
//! out in the origin's document, and written back into a document of the origin before the
//! app's own pages load. The work happens in indexeddb.js; values travel as typed JSON that
//! Rust keeps opaque.

use std::time::Duration;

use serde_json::{json, Value};

use crate::data::OriginDatabases;
use crate::error::{Error, Result};
use crate::page::Page;

const INDEXED_DB_JS: &str = include_str!("indexeddb.js");

/// The longest any step waits on a database a transaction of the app holds.
pub(crate) const LOCK_LIMIT: Duration = Duration::from_secs(5);

/// Runs one operation of indexeddb.js in the page's current document (of `origin`).
fn run(page: &Page, origin: &str, op: &str, arg: Value, during: &'static str) -> Result<Value> {
    let mut arg = arg;
    arg["limit_ms"] = json!(LOCK_LIMIT.as_millis() as u64);
    let reply = page.call_js(INDEXED_DB_JS, &[json!(op), arg])?;
    if let Some(database) = reply.get("blocked").and_then(Value::as_str) {
        return Err(Error::IndexedDbBlocked {
            origin: origin.into(),
            database: database.into(),
            during,
            after: LOCK_LIMIT,
        });
    }
    if let Some(reason) = reply.get("error").and_then(Value::as_str) {
        return Err(Error::IndexedDb {
            origin: origin.into(),
            during,
            reason: reason.into(),
        });
    }
    Ok(reply)
}

/// Every database of `origin`, read in the page's current document (which must be of that
/// origin). Records that cannot be carried are reported as warnings. `None` when the origin
/// has no database.
pub(crate) fn capture(page: &Page, origin: &str) -> Result<Option<OriginDatabases>> {
    let mut reply = run(page, origin, "capture", json!({}), "capture")?;
    for warning in reply["warnings"].as_array().into_iter().flatten() {
        crate::log::warn(&format!(
            "{origin}: {}",
            warning.as_str().unwrap_or_default()
        ));
    }
    let databases = reply["databases"].take();
    if databases.as_array().is_none_or(Vec::is_empty) {
        return Ok(None);
    }
    Ok(Some(OriginDatabases {
        origin: origin.into(),
        databases,
    }))
}

/// Writes `saved` in the page's current document (of its origin), next to what is there.
pub(crate) fn restore(page: &Page, saved: &OriginDatabases) -> Result<()> {
    run(
        page,
        &saved.origin,
        "restore",
        json!({ "databases": saved.databases }),
        "restore",
    )
    .map(|_| ())
}
