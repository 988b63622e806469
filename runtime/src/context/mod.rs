//! A browser context below its tabs: created and disposed, and what its tabs, frames and
//! workers share (the test's clock and trace, the origins they loaded, the dialogs, the state
//! no reset clears), with the watch every DevTools session of it gets. The [`Context`] handle
//! and the tabs are the page layer's: a context hands out its pages.
//!
//! [`Context`]: crate::Context

mod create;
mod dialogs;
mod har;
mod interception;
mod leftovers;
mod origins;
mod request;
mod response;
mod route;
mod routes;
mod state;
mod test_share;
mod traffic;
mod url_pattern;
mod watched;

pub(crate) use create::{create, dispose, str_field};
pub use dialogs::{Dialog, DialogKind};
pub(crate) use har::{Entry, Har};
pub(crate) use interception::STUB_PATH;
pub(crate) use origins::{
    file_scripts, remove_scripts, Embedded, Navigated, OriginLog, Pending, Restore, TabLocation,
};
pub use request::Request;
pub use response::{Response, Timing};
pub(crate) use route::is_as_sent;
pub use route::{Fulfill, Overrides, Route};
pub(crate) use routes::RouteHandler;
pub(crate) use state::ContextState;
pub(crate) use test_share::TestShare;
pub(crate) use traffic::offline_call;
pub use url_pattern::{IntoUrlPattern, UrlPattern};
pub(crate) use watched::{enable_calls, Watched};
