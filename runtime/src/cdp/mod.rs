//! The runtime's own DevTools (CDP) connection and flattened target sessions.

mod connection;
mod session;

pub use connection::{Connection, EventStream, RawEvent};
pub use session::TargetSession;
