//! The tokio runtime of an async test: built for the test as `#[tokio::test]` builds one
//! (current-thread unless asked), the body run on it with the async face of the test's
//! page, and let go at the end without waiting for what the test left running.

use std::future::Future;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};

use super::Page;
use crate::error::Error;
use crate::registry::{BodyError, TestOutcome};

/// The kind of runtime (`#[session_test(flavor = "…", worker_threads = N)]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// Everything on the test's thread (the default).
    CurrentThread,
    /// A pool of worker threads (tokio's default size, or this many).
    MultiThread {
        /// How many workers; `None`: one per core.
        worker_threads: Option<usize>,
    },
}

/// Runs an async test's `body` on a runtime of `flavor`, given the async face of `page`.
/// What the macros' expansion of an async `#[session_test]` calls.
pub fn block_on_test<F, Fut>(flavor: Flavor, page: &crate::page::Page, body: F) -> TestOutcome
where
    F: FnOnce(Page) -> Fut,
    Fut: Future<Output = TestOutcome>,
{
    let mut builder = match flavor {
        Flavor::CurrentThread => tokio::runtime::Builder::new_current_thread(),
        Flavor::MultiThread { worker_threads } => {
            let mut builder = tokio::runtime::Builder::new_multi_thread();
            if let Some(n) = worker_threads {
                builder.worker_threads(n);
            }
            builder
        }
    };
    let runtime = builder
        .enable_all()
        .build()
        .map_err(|e| BodyError::Error(Error::io("starting the test's tokio runtime", e)))?;
    let test = crate::test_context::current_test_name().unwrap_or_default();
    let page = Page::new(page.clone(), &test);
    let ended = catch_unwind(AssertUnwindSafe(|| runtime.block_on(body(page))));
    // What the test spawned and left running (its app's server) stops here; a blocking
    // call still in flight is not waited for.
    runtime.shutdown_background();
    ended.unwrap_or_else(|panic| resume_unwind(panic))
}
