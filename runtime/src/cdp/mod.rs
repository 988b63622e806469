//! The runtime's own DevTools (CDP) connection and flattened target sessions.

mod connection;
mod event;
mod reader;
mod routes;
mod session;

pub use connection::{Connection, EventStream, PendingReply, Watch};
pub(crate) use event::{ends_session, DETACHED};
pub use event::{EventCallback, RawEvent};
pub use session::TargetSession;
