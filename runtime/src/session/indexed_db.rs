//! IndexedDB in sessions (`indexed_db = true`, SPEC C12): every database of an origin read
//! out in the origin's document, and written back into a document of the origin before the
//! app's own pages load. The work happens in indexeddb.js; values travel as typed JSON that
//! Rust keeps opaque.

use std::time::Duration;

use serde_json::{json, Value};

use crate::data::OriginDatabases;
use crate::error::{Error, Result};
use crate::page::{Embedded, Page};

const INDEXED_DB_JS: &str = include_str!("indexeddb.js");

/// The longest any step waits on a database a transaction of the app holds.
pub(crate) const LOCK_LIMIT: Duration = Duration::from_secs(5);

/// Where indexeddb.js runs: the page's current document, or a cross-site iframe's document
/// in its partition under a top-level origin.
#[derive(Clone, Copy)]
enum Place<'a> {
    Page,
    Embedded(&'a Embedded),
}

/// Runs one operation of indexeddb.js at `place` (a document of `origin`).
fn run(
    page: &Page,
    (origin, place): (&str, Place),
    op: &str,
    arg: Value,
    during: &'static str,
) -> Result<Value> {
    let mut arg = arg;
    arg["limit_ms"] = json!(LOCK_LIMIT.as_millis() as u64);
    let reply = match place {
        Place::Page => page.call_js(INDEXED_DB_JS, &[json!(op), arg])?,
        Place::Embedded(frame) => {
            let call = format!("({INDEXED_DB_JS})({}, {arg})", json!(op));
            page.eval_in_embedded(frame, &call)?
        }
    };
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
    let databases = read(page, (origin, Place::Page))?;
    Ok(databases.map(|databases| OriginDatabases {
        origin: origin.into(),
        databases,
    }))
}

/// The databases of a cross-site iframe's partition; `None` when it has none.
pub(crate) fn capture_embedded(page: &Page, frame: &Embedded) -> Result<Option<Value>> {
    read(page, (&partition(frame), Place::Embedded(frame)))
}

/// Writes `databases` into a cross-site iframe's partition, next to what is there.
pub(crate) fn restore_embedded(page: &Page, frame: &Embedded, databases: &Value) -> Result<()> {
    let arg = json!({ "databases": databases });
    let at = (&partition(frame) as &str, Place::Embedded(frame));
    run(page, at, "restore", arg, "restore").map(drop)
}

/// Deletes every database of a cross-site iframe's partition.
pub(crate) fn clear_embedded(page: &Page, frame: &Embedded) -> Result<()> {
    let at = (&partition(frame) as &str, Place::Embedded(frame));
    run(page, at, "clear", json!({}), "clear").map(drop)
}

/// How an error names a partition: the iframe's origin and the top-level one.
fn partition(frame: &Embedded) -> String {
    format!("{} (inside {})", frame.origin, frame.top)
}

/// Every database at `at`, warnings for what cannot be carried; `None` when there is none.
fn read(page: &Page, at: (&str, Place)) -> Result<Option<Value>> {
    let mut reply = run(page, at, "capture", json!({}), "capture")?;
    for warning in reply["warnings"].as_array().into_iter().flatten() {
        let warning = warning.as_str().unwrap_or_default();
        crate::log::warn(&format!("{}: {warning}", at.0));
    }
    let databases = reply["databases"].take();
    Ok(databases
        .as_array()
        .is_some_and(|d| !d.is_empty())
        .then_some(databases))
}

/// Writes `saved` in the page's current document (of its origin), next to what is there.
pub(crate) fn restore(page: &Page, saved: &OriginDatabases) -> Result<()> {
    let arg = json!({ "databases": saved.databases });
    run(
        page,
        (&saved.origin, Place::Page),
        "restore",
        arg,
        "restore",
    )
    .map(drop)
}
