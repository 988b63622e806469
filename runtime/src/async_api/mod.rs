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

/// What both faces of the async API have: made from their blocking face for a test, that
/// face handed back, and `run`, which calls it on one of tokio's blocking threads with the
/// test's page current there.
macro_rules! faced {
    ($field:ident: $blocking:ty, $page:ident) => {
        /// The async face of `blocking`, for the test named `test` (empty outside a test).
        pub fn new(blocking: $blocking, test: &str) -> Self {
            Self {
                $field: blocking,
                test: test.to_owned(),
            }
        }

        /// The blocking face of the same thing.
        pub fn blocking(&self) -> &$blocking {
            &self.$field
        }

        /// Runs `call` with the blocking face on one of tokio's blocking threads, the test's
        /// page current there (`session!` and the login helpers act on it), and awaits it.
        pub async fn run<T, F>(&self, call: F) -> T
        where
            F: FnOnce(&$blocking) -> T + Send + 'static,
            T: Send + 'static,
        {
            let blocking = self.$field.clone();
            let page = self.$page().clone();
            super::blocking::on_blocking_thread(&page, &self.test, move || call(&blocking)).await
        }

        pub(super) fn test(&self) -> &str {
            &self.test
        }
    };
}

/// The locator builders of a page and of a locator, which wait for nothing: each wraps
/// the blocking face's locator of the same name.
macro_rules! locating {
    ($field:ident) => {
        /// A locator of the elements matching the CSS `selector`.
        pub fn locator(&self, selector: &str) -> Locator {
            self.wrap(self.$field.locator(selector))
        }

        /// A locator of the elements whose text contains `text`.
        pub fn get_by_text(&self, text: &str) -> Locator {
            self.wrap(self.$field.get_by_text(text))
        }

        /// A locator of the elements whose test-id attribute is `id`.
        pub fn get_by_test_id(&self, id: &str) -> Locator {
            self.wrap(self.$field.get_by_test_id(id))
        }

        /// A locator of the elements of ARIA `role` (and accessible `name`).
        pub fn get_by_role(&self, role: &str, name: Option<&str>) -> Locator {
            self.wrap(self.$field.get_by_role(role, name))
        }
    };
}

mod blocking;
mod expect;
mod frame;
mod locator;
mod page;
mod request;
mod serve;
mod session;
mod test_runtime;
mod waiting;

pub use crate::locator::{expect, Expectable};
pub use expect::{LocatorAssertions, PageAssertions};
pub use frame::Frame;
pub use locator::Locator;
pub use page::Page;
pub use request::ApiRequest;
pub use serve::{serve, AppServer};
pub use session::{no_async_validate, session_async};
pub use test_runtime::{block_on_test, Flavor};
