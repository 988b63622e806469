//! Tabs the browser opens (the runtime's own, popups, `target=_blank` links) and service
//! workers. Every new tab is attached and paused at birth (browser-level auto-attach with
//! `waitForDebuggerOnStart`), so that a tab a test's page opens gets the context's pending
//! restores before its first document runs. The first tab of a new context goes to whoever
//! made the context; a later tab of a test's context, or a service worker of one, to the
//! adopter the page layer registers; any other (another client's, on a shared browser) is
//! resumed and let go at once.
//!
//! Service workers are attached here, not through the tab that registered them: a tab's
//! session loses its worker when the tab navigates away, and a worker that loses its
//! session while paused at its start stays paused (Chromium does not resume it), leaving
//! the app's pages uncontrolled. The browser's session keeps it for the worker's lifetime.

use std::collections::{HashMap, HashSet};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use once_cell::sync::OnceCell;
use serde_json::{json, Value};

use crate::cdp::{Connection, RawEvent, Watch};
use crate::error::Result;
use crate::sync::lock;

/// A target the browser just attached to the runtime's connection, paused.
#[derive(Debug)]
pub(crate) struct Birth {
    /// The flattened session the browser made for it.
    pub session_id: String,
    pub target_id: String,
    pub context_id: String,
    /// Whether it may reach its opener (`window.open` without `noopener`): such a popup
    /// starts with a copy of its opener's sessionStorage.
    pub can_access_opener: bool,
    /// Whether it waits for `Runtime.runIfWaitingForDebugger`.
    pub waiting: bool,
    /// A service worker, not a tab.
    pub service_worker: bool,
}

/// Takes a newborn tab or service worker of one of the test's contexts (and resumes it);
/// false when it is none of theirs.
pub(crate) type Adopter = fn(&Arc<Connection>, &Birth) -> bool;

static ADOPTER: OnceCell<Adopter> = OnceCell::new();

/// Told the browser context id of each shared worker as it is created (on the reader thread:
/// it must not block). Shared workers belong to no tab, so no tab's watch sees them.
pub(crate) type SharedWorkerWatcher = fn(&str);

static SHARED_WORKERS: OnceCell<SharedWorkerWatcher> = OnceCell::new();

/// Sets who is told of new shared workers (the page layer, once).
pub(crate) fn set_shared_worker_watcher(watcher: SharedWorkerWatcher) {
    let _ = SHARED_WORKERS.set(watcher);
}

/// Tabs this process is attaching to again (a reused context's tab gets a new session): their
/// attach is no birth.
static REATTACHING: once_cell::sync::Lazy<Mutex<HashSet<String>>> =
    once_cell::sync::Lazy::new(Default::default);

/// The next attach to `target_id` is this process's own (`Target.attachToTarget`): it is left
/// to the caller, neither adopted nor let go.
pub(crate) fn reattaching(target_id: &str) {
    lock(&REATTACHING).insert(target_id.to_string());
}

/// The attach to `target_id` announced with [`reattaching`] did not happen.
pub(crate) fn forget_reattaching(target_id: &str) {
    lock(&REATTACHING).remove(target_id);
}

/// New contexts whose first tab someone waits for, by context id.
static EXPECTED: once_cell::sync::Lazy<Mutex<HashMap<String, mpsc::Sender<Birth>>>> =
    once_cell::sync::Lazy::new(Default::default);

/// The birth of the first tab of context `context_id`, once it is created: its session is
/// the one to use, and the tab stays paused until its new owner resumes it.
pub(crate) fn expect_first_tab(context_id: &str) -> mpsc::Receiver<Birth> {
    let (tx, rx) = mpsc::channel();
    lock(&EXPECTED).insert(context_id.to_string(), tx);
    rx
}

/// No longer waits for the first tab of `context_id` (its creation failed).
pub(crate) fn forget_expected(context_id: &str) {
    lock(&EXPECTED).remove(context_id);
}

/// Sets who takes the tabs of test contexts (the page layer, once).
pub(crate) fn set_adopter(adopter: Adopter) {
    let _ = ADOPTER.set(adopter);
}

/// Pauses every new target of `conn`'s browser at birth and hands each to a thread that
/// gives it to the adopter or resumes it. The returned watch keeps it going.
pub(crate) fn watch_births(conn: &Arc<Connection>) -> Result<Watch> {
    let (tx, rx) = mpsc::channel::<Birth>();
    // The callback runs on the reader thread and must not block: the work is the thread's.
    let watch = conn.watch(
        None,
        Arc::new(move |ev: &RawEvent| {
            if let Some(birth) = birth_of(ev) {
                let _ = tx.send(birth);
            } else if let Some(context_id) = shared_worker_of(ev) {
                if let Some(watcher) = SHARED_WORKERS.get() {
                    watcher(context_id);
                }
            }
        }),
    );
    let weak = Arc::downgrade(conn);
    std::thread::Builder::new()
        .name("session-test-targets".into())
        .spawn(move || {
            for birth in rx {
                let Some(conn) = weak.upgrade() else { break };
                if lock(&REATTACHING).remove(&birth.target_id) {
                    continue;
                }
                let expected = if birth.service_worker {
                    None
                } else {
                    lock(&EXPECTED).remove(&birth.context_id)
                };
                if let Some(tx) = expected {
                    if let Err(mpsc::SendError(birth)) = tx.send(birth) {
                        let_go(&conn, &birth);
                    }
                    continue;
                }
                let adopted = ADOPTER.get().is_some_and(|adopt| adopt(&conn, &birth));
                if !adopted {
                    let_go(&conn, &birth);
                }
            }
        })
        .map_err(|e| crate::error::Error::io("starting the targets thread", e))?;
    conn.call_raw(
        None,
        "Target.setAutoAttach",
        // Pages and service workers: the other workers are attached through their tabs.
        json!({
            "autoAttach": true, "waitForDebuggerOnStart": true, "flatten": true,
            "filter": [{ "type": "page" }, { "type": "service_worker" }, { "exclude": true }],
        }),
        Duration::from_secs(30),
    )?;
    // For the shared workers' births. Discovery's filter is also what `Target.getTargets`
    // lists by default, so it is the browser's default: every target but the browser's own.
    conn.call_raw(
        None,
        "Target.setDiscoverTargets",
        json!({ "discover": true, "filter": [
            { "type": "browser", "exclude": true }, { "type": "tab", "exclude": true }, {},
        ] }),
        Duration::from_secs(30),
    )?;
    Ok(watch)
}

/// The browser context of a shared worker just created.
fn shared_worker_of(ev: &RawEvent) -> Option<&str> {
    let info = &ev.params["targetInfo"];
    (ev.method == "Target.targetCreated" && info["type"] == "shared_worker")
        .then(|| info["browserContextId"].as_str())
        .flatten()
}

fn birth_of(ev: &RawEvent) -> Option<Birth> {
    if ev.method != "Target.attachedToTarget" || ev.session_id.is_some() {
        return None;
    }
    let info = &ev.params["targetInfo"];
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    Some(Birth {
        session_id: text(&ev.params["sessionId"]),
        target_id: text(&info["targetId"]),
        context_id: text(&info["browserContextId"]),
        can_access_opener: info["canAccessOpener"].as_bool().unwrap_or(false),
        waiting: ev.params["waitingForDebugger"].as_bool().unwrap_or(false),
        service_worker: info["type"] == "service_worker",
    })
}

/// Resumes a tab (or service worker) that is none of the tests' and detaches from it.
pub(crate) fn let_go(conn: &Connection, birth: &Birth) {
    if birth.waiting {
        let _ = conn.send_oneway(
            Some(&birth.session_id),
            "Runtime.runIfWaitingForDebugger",
            json!({}),
        );
    }
    let _ = conn.send_oneway(
        None,
        "Target.detachFromTarget",
        json!({ "sessionId": birth.session_id }),
    );
}
