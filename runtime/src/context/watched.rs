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
use super::traffic::{at_response_stage, offline_call, Traffic};
use super::{interception, leftovers};
use crate::cdp::{Connection, RawEvent};

/// One session of the context, as its watch sees it.
pub(crate) struct Watched {
    conn: Weak<Connection>,
    session_id: String,
    /// The test's tab it belongs to (0 its own), for the trace's dialog lines and the
    /// tab's requests in flight.
    tab: u64,
    leftovers: Arc<Leftovers>,
    dialogs: Arc<DialogHub>,
    routes: Arc<RouteTable>,
    traffic: Arc<Traffic>,
}

impl Watched {
    pub fn new(ctx: &ContextState, conn: &Arc<Connection>, session_id: &str, tab: u64) -> Self {
        let conn = Arc::downgrade(conn);
        ctx.traffic.add_session(&conn, session_id);
        Watched {
            conn,
            session_id: session_id.to_owned(),
            tab,
            leftovers: Arc::clone(&ctx.leftovers),
            dialogs: Arc::clone(&ctx.dialogs),
            routes: Arc::clone(&ctx.routes),
            traffic: Arc::clone(&ctx.traffic),
        }
    }

    /// Takes one event of the session (one-way sends and short locks only).
    pub fn see(&self, ev: &RawEvent) {
        match ev.method.as_str() {
            "Fetch.requestPaused" => self.paused(ev),
            "Fetch.authRequired" => {
                if let Some(conn) = self.conn.upgrade() {
                    interception::answer(&conn, &self.session_id, ev, false);
                }
            }
            m if m.starts_with("Network.") => {
                self.traffic.see_network(self.tab, &self.session_id, ev);
            }
            _ => {}
        }
        self.leftovers.see(ev);
        self.dialogs.see(&self.conn, &self.session_id, self.tab, ev);
    }

    /// A paused request: the runtime's own stub is answered; a page's is seen by the
    /// waiters, and taken by a route or let go (to pause again at its response when a
    /// `wait_for_response` wants it); one at its response stage goes to who let it go so.
    fn paused(&self, ev: &RawEvent) {
        let Some(conn) = self.conn.upgrade() else {
            return;
        };
        let url = ev.params["request"]["url"].as_str().unwrap_or_default();
        if interception::is_stub(url) {
            return interception::answer(&conn, &self.session_id, ev, false);
        }
        if at_response_stage(&ev.params) {
            return self.traffic.take_response(&self.conn, &self.session_id, ev);
        }
        self.traffic.observe_request(url, ev);
        let traffic = &self.traffic;
        if self
            .routes
            .take(traffic, &self.conn, &self.session_id, url, ev)
        {
            return;
        }
        let wanted = traffic.want_response(ev.str_param("requestId"), url);
        interception::answer(&conn, &self.session_id, ev, wanted);
    }
}

impl Drop for Watched {
    /// The session ended: its requests will not finish, and `set_offline` no longer reaches it.
    fn drop(&mut self) {
        self.traffic.forget_session(&self.session_id);
    }
}

/// The calls that make a session of `ctx` send what [`Watched::see`] reads, and take the
/// context's network conditions.
pub(crate) fn enable_calls(ctx: &ContextState) -> Vec<(&'static str, Value)> {
    let mut calls = vec![leftovers::enable_call(), interception::enable_call()];
    if ctx.traffic.is_offline() {
        calls.push(offline_call(true));
    }
    calls
}
