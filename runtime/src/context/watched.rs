//! What the runtime does with every DevTools session of a test's context (a tab, a
//! cross-site iframe, a worker), on the connection's reader thread: answers its paused
//! requests (`interception.rs`), watches it for state no reset clears (`leftovers.rs`) and
//! answers its JavaScript dialogs (`dialogs.rs`).

use std::sync::{Arc, Weak};

use serde_json::Value;

use super::dialogs::DialogHub;
use super::leftovers::Leftovers;
use super::routes::RouteTable;
use super::state::ContextState;
use super::{interception, leftovers};
use crate::cdp::{Connection, RawEvent};

/// One session of the context, as its watch sees it.
pub(crate) struct Watched {
    conn: Weak<Connection>,
    session_id: String,
    /// The test's tab it belongs to (0 its own), for the trace's dialog lines.
    tab: u64,
    leftovers: Arc<Leftovers>,
    dialogs: Arc<DialogHub>,
    routes: Arc<RouteTable>,
}

impl Watched {
    pub fn new(ctx: &ContextState, conn: &Arc<Connection>, session_id: &str, tab: u64) -> Self {
        Watched {
            conn: Arc::downgrade(conn),
            session_id: session_id.to_owned(),
            tab,
            leftovers: Arc::clone(&ctx.leftovers),
            dialogs: Arc::clone(&ctx.dialogs),
            routes: Arc::clone(&ctx.routes),
        }
    }

    /// Takes one event of the session (one-way sends and short locks only).
    pub fn see(&self, ev: &RawEvent) {
        // A page's request, not the runtime's own stub: waiters see it, and routes take it.
        let url = ev.params["request"]["url"].as_str();
        let routed = match url {
            Some(url) if ev.method == "Fetch.requestPaused" && !interception::is_stub(url) => {
                self.routes.observe(url, ev);
                self.routes.take(&self.conn, &self.session_id, url, ev)
            }
            _ => false,
        };
        if let (false, Some(conn)) = (routed, self.conn.upgrade()) {
            interception::answer(&conn, &self.session_id, ev);
        }
        self.leftovers.see(ev);
        self.dialogs.see(&self.conn, &self.session_id, self.tab, ev);
    }
}

/// The calls that make a session send what [`Watched::see`] reads.
pub(crate) fn enable_calls() -> [(&'static str, Value); 2] {
    [leftovers::enable_call(), interception::enable_call()]
}
