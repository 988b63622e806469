//! The values the runtime hands out and keeps: cookies, storage items, a session's data and
//! what a `session!` call did. Their `Debug` never shows a value: these are credentials.
//! Nothing here imports anything of the runtime's.

mod cookie;
mod credential;
mod databases;
mod session_data;
mod status;
mod storage;

use std::fmt;

pub(crate) use cookie::cookie_param;
pub use cookie::{Cookie, PartitionKey};
pub use credential::Credential;
pub use databases::OriginDatabases;
pub use session_data::SessionData;
pub use status::SessionStatus;
pub use storage::{EmbeddedStorage, OriginStorage, StorageItems};

/// Stands for a value in `Debug`.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
