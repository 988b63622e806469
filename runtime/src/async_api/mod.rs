//! The async face of the page API (feature `tokio`), for `#[session_test] async fn` tests
//! and anything else on a tokio runtime: [`Page`], [`Locator`] and [`expect`] with the
//! blocking API's names, whose calls await instead of block.
//!
//! One implementation, two faces (reqwest's split, Playwright's `async_api`/`sync_api`
//! names): each async call runs the blocking API's call on one of tokio's blocking threads
//! and awaits it, so the runtime's own threads never wait on the browser. An app under test
//! served on the test's current-thread runtime ([`serve`]) answers the page's requests while
//! the test awaits `visit`. [`Page::run`] reaches the whole blocking API, `session!` and
//! the login helpers a suite already has included.
//!
//! ```no_run
//! use session_test::async_api::{expect, Page};
//! use session_test::session_test;
//!
//! #[session_test]
//! async fn greets_alice(page: &Page) -> session_test::Result<()> {
//!     page.visit("/home").await?;
//!     expect(&page.locator("#hello")).to_have_text("hello alice").await
//! }
//! # fn main() {}
//! ```

/// Async methods that run the blocking method of the same name on a blocking thread: each
/// `&str` argument is owned for the trip.
macro_rules! awaiting {
    ($( $(#[$doc:meta])* fn $name:ident($($arg:ident),*) -> $ret:ty; )*) => {$(
        $(#[$doc])*
        pub async fn $name(&self $(, $arg: &str)*) -> $ret {
            $( let $arg = $arg.to_owned(); )*
            self.run(move |it| it.$name($(&$arg),*)).await
        }
    )*};
}

mod blocking;
mod expect;
mod locator;
mod page;
mod serve;
mod test_runtime;

pub use expect::{expect, Expectable, LocatorAssertions, PageAssertions};
pub use locator::Locator;
pub use page::Page;
pub use serve::{serve, AppServer};
pub use test_runtime::{block_on_test, Flavor};
