//! The runtime of [session-test](https://docs.rs/session-test): Chromium over a fast
//! DevTools connection, isolated pages, and the test harness. Depend on `session-test`,
//! which re-exports everything public here.

#![warn(missing_docs)]

// Chromium's life is tied to the test process with Linux's parent-death signal
// (`prctl(PR_SET_PDEATHSIG)`) and Unix process groups; persisted sessions are 0600 files.
#[cfg(not(target_os = "linux"))]
compile_error!(
    "session-test runs on Linux only for now (it ties Chromium's life to the test process \
     with prctl(PR_SET_PDEATHSIG)); README, \"Platforms\""
);

#[cfg(feature = "tokio")]
pub mod async_api;
mod browser;
pub mod cdp;
mod config;
mod context;
mod data;
mod deadline;
mod error;
mod frame;
mod harness;
mod locator;
mod log;
mod page;
#[doc(hidden)]
pub mod private;
mod private_file;
mod registry;
mod report;
mod request;
mod screenshots;
mod session;
mod sync;
mod targets;
mod test_clock;
mod test_context;
mod trace;
mod web_server;

pub use browser::{browser, find_chromium, find_chromium_in, running_browser_pid, Browser};
pub use config::{
    base_url, expect_timeout, output_dir, set_base_url, set_test_id_attribute, test_timeout,
    wait_timeout, DEFAULT_EXPECT_TIMEOUT, DEFAULT_TEST_TIMEOUT, DEFAULT_WAIT_TIMEOUT,
};
pub use context::{
    Fulfill, IntoUrlPattern, Overrides, Request, Response, Route, Timing, UrlPattern,
};
pub use data::{
    Cookie, Credential, EmbeddedStorage, OriginDatabases, OriginStorage, PartitionKey, SessionData,
    SessionStatus, StorageItems,
};
pub use error::{Cause, Error, Result};
pub use frame::Frame;
pub use harness::{run_page_test, run_tests, TestFailure};
pub use libtest_mimic::{Arguments, Conclusion};
pub use locator::{
    expect, Expectable, Filter, FrameLocator, Locator, LocatorAssertions, PageAssertions, TextMatch,
};
pub use page::{
    AuthenticatorOptions, AuthenticatorProtocol, Context, Credentials, Dialog, DialogKind,
    HarNotFound, HarOptions, LoadState, Page,
};
/// Regular expressions for [`TextMatch`] (the `regex` crate's `Regex`).
pub use regex::Regex;
pub use registry::{tests, TestEntry};
pub use report::summary as session_summary;
pub use report::{write_report, write_report_to, write_sample_report};
pub use request::{ApiRequest, ApiResponse};
pub use screenshots::screenshot_path;
pub use session::canonical_id;
pub use session::define::use_session;
pub use session::helpers::{
    clear_all_saved_sessions, clear_current_session_data, clear_session, get_current_session_data,
    get_session,
};
pub use test_context::current_page;
pub use trace::{set_trace_mode, TraceMode};
pub use web_server::WebServer;

/// Persisted sessions (`persist = true`): where they are, what is there, deleting them.
pub mod persisted {
    pub use crate::session::persist::{cache_dir, delete_in, fresh, list_in, Persisted};
}
