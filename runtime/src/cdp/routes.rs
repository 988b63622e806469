//! Where replies and events go: the calls awaiting a reply, by call id, and the
//! subscribers, by target session.

use std::collections::HashMap;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::Value;

use super::event::{EventCallback, RawEvent};
use crate::error::Error;
use crate::sync::lock;

/// A call's reply: its result, or the error of the browser or of the connection.
pub(super) type Reply = std::result::Result<Value, Error>;

/// Where a subscriber's events go: an `EventStream`'s channel, or a watcher run on the
/// reader thread (the runtime's own; see the module `cdp`).
pub(super) enum Sink {
    Channel(Sender<Arc<RawEvent>>),
    Callback(EventCallback),
}

/// One subscription: the events of `session` (`None`: the browser's own).
pub(super) struct Subscriber {
    pub(super) id: u64,
    pub(super) session: Option<String>,
    pub(super) sink: Sink,
}

impl Subscriber {
    /// Queues `event` to a stream of its session; false when the stream's receiver is gone.
    /// (Watchers are run by the reader, without the lock.)
    pub(super) fn deliver(&self, event: &Arc<RawEvent>) -> bool {
        match &self.sink {
            Sink::Channel(tx) if self.session == event.session_id => {
                tx.send(Arc::clone(event)).is_ok()
            }
            _ => true,
        }
    }
}

/// What the reader thread routes by, behind one lock.
#[derive(Default)]
pub(super) struct Routes {
    /// Calls awaiting their reply: method, target session (`None`: the browser), reply channel.
    pub(super) pending: HashMap<u64, (String, Option<String>, Sender<Reply>)>,
    pub(super) subscribers: Vec<Subscriber>,
    pub(super) closed: Option<String>,
}

/// The routes, shared by the connection's handles and its reader thread.
pub(super) struct Shared {
    pub(super) routes: Mutex<Routes>,
}

impl Shared {
    pub(super) fn routes(&self) -> MutexGuard<'_, Routes> {
        // A panicking subscriber must not take the connection down with it.
        lock(&self.routes)
    }

    /// The error for a caller whose channel was closed with the connection.
    pub(super) fn closed_error(&self) -> Error {
        Error::BrowserClosed {
            reason: self
                .routes()
                .closed
                .clone()
                .unwrap_or_else(|| "connection closed".into()),
        }
    }
}
