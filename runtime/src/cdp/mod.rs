//! The runtime's own DevTools (CDP) connection and flattened target sessions.

mod connection;
mod session;

pub(crate) use connection::{ends_session, DETACHED};
pub use connection::{Connection, EventCallback, EventStream, PendingReply, RawEvent, Watch};
pub use session::TargetSession;
