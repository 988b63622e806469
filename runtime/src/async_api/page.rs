//! `Page`: the async face of a test's tab.

use std::future::Future;

use serde_json::Value;

use super::locator::Locator;
use crate::data::Cookie;
use crate::error::Result;

/// A browser tab, as [`crate::Page`] with async calls; cheap to clone. An async
/// `#[session_test]` receives one. [`Page::run`] reaches the rest of the blocking API,
/// `session!` and a suite's login helpers included, without blocking the runtime.
///
/// ```no_run
/// # use session_test::Page as BlockingPage;
/// # fn login(user: &str) -> session_test::Result<()> { Ok(()) }
/// # async fn t(page: &session_test::async_api::Page) -> session_test::Result<()> {
/// page.run(|_| login("alice")).await?;
/// page.visit("/login").await?;
/// page.fill("[data-test=name]", "alice").await?;
/// page.click("#submit").await?;
/// assert_eq!(page.text("#hello").await?, "hello alice");
/// let cookies = page.run(|page: &BlockingPage| page.cookies()).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Page {
    page: crate::page::Page,
    /// The name of its test, for what the blocking calls report.
    test: String,
}

impl Page {
    faced!(page: crate::page::Page, blocking);

    awaiting! {
        /// Navigates to `url` (relative paths resolve against the base URL) and waits for
        /// its `load` event.
        fn visit(url) -> Result<()>;
        /// Clicks the first element matching `selector`, as [`crate::Page::click`].
        fn click(selector) -> Result<()>;
        /// Fills the first input matching `selector` with `text`.
        fn fill(selector, text) -> Result<()>;
        /// Types `text` key by key after the input's current value.
        fn type_text(selector, text) -> Result<()>;
        /// Presses `key` on the focused element.
        fn press(key) -> Result<()>;
        /// The `innerText` of the first element matching `selector`, once there is one.
        fn text(selector) -> Result<String>;
        /// Evaluates `expression` in the page; a returned promise is awaited.
        fn eval(expression) -> Result<Value>;
        /// Waits until an element matches `selector`.
        fn wait_for(selector) -> Result<()>;
    }

    /// The tab's URL.
    pub async fn url(&self) -> Result<String> {
        self.run(|page| page.url()).await
    }

    /// The document's title.
    pub async fn title(&self) -> Result<String> {
        self.run(|page| page.title()).await
    }

    /// Every cookie of the tab's context.
    pub async fn cookies(&self) -> Result<Vec<Cookie>> {
        self.run(|page| page.cookies()).await
    }

    /// A second isolated browser context of the test ([`crate::Page::new_context`]).
    pub async fn new_context(&self) -> Result<Page> {
        let test = self.test.clone();
        let other = self.run(|page| page.new_context()).await?;
        Ok(Page::new(other, &test))
    }

    /// Awaits `work` with this page as the current test's page, and returns its output:
    /// an async `session!` (and the login helpers made of it) in `work` acts on this page,
    /// as [`crate::Page::within`] does for blocking code.
    ///
    /// ```no_run
    /// # use session_test::async_api::Page;
    /// # async fn login(user: &'static str) -> session_test::Result<()> { Ok(()) }
    /// # async fn t(page: &Page) -> session_test::Result<()> {
    /// login("alice").await?; // the test's own page
    /// let other = page.new_context().await?;
    /// other.within(login("bob")).await?; // the same helper, on the other page
    /// # Ok(()) }
    /// ```
    pub async fn within<T>(&self, work: impl Future<Output = T>) -> T {
        let mut work = std::pin::pin!(work);
        // Current while `work` is polled only: between polls the task may move threads,
        // and other tasks run on this one.
        std::future::poll_fn(|cx| self.page.within(|| work.as_mut().poll(cx))).await
    }

    locating!(page);

    fn wrap(&self, locator: crate::locator::Locator) -> Locator {
        Locator::new(locator, &self.test)
    }
}
