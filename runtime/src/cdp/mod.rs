//! The runtime's own DevTools (CDP) connection and flattened target sessions.
//!
//! # The event rule
//!
//! One reader thread owns the socket's reading half. For each message it does only what
//! never waits for the browser: a reply goes to the call awaiting it; an event goes first to
//! the runtime's own watchers of its session (crate-only), then to the [`EventStream`]s
//! subscribed to it. The routes' lock is held only to look up and to queue, never while a
//! watcher runs, so a watcher may send (without waiting for the reply), subscribe, or drop a
//! watch. A watcher updates state and hands anything longer to a thread of its own: a new
//! tab's adoption, a cross-site frame's, a dialog's handler. User code (dialog handlers, and
//! route handlers as they come) always runs on such a thread, never on the reader: it may call
//! the page, and a handler that blocks holds up nothing but itself. Users read events through
//! [`TargetSession::subscribe`] or [`Connection::subscribe`], a channel read on their thread.

mod connection;
mod event;
mod reader;
mod routes;
mod session;

pub(crate) use connection::Watch;
pub use connection::{Connection, EventStream, PendingReply};
pub(crate) use event::EventCallback;
pub use event::RawEvent;
pub(crate) use event::{ends_session, DETACHED};
pub use session::TargetSession;
