//! `Page`: the async face of a test's tab.

use serde_json::Value;

use super::blocking::on_blocking_thread;
use super::locator::Locator;
use crate::data::Cookie;
use crate::error::Result;

/// A browser tab, as [`crate::Page`] with async calls; cheap to clone. An async
/// `#[session_test]` receives one.
///
/// ```no_run
/// # async fn t(page: &session_test::async_api::Page) -> session_test::Result<()> {
/// page.visit("/login").await?;
/// page.fill("[data-test=name]", "alice").await?;
/// page.fill("[data-test=password]", "s3cr3t").await?;
/// page.click("#submit").await?;
/// assert_eq!(page.text("#hello").await?, "hello alice");
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Page {
    page: crate::page::Page,
    /// The name of its test, for what the blocking calls report.
    test: String,
}

impl Page {
    /// The async face of `page`, for the test named `test` (empty outside a test).
    pub fn new(page: crate::page::Page, test: &str) -> Page {
        Page {
            page,
            test: test.to_owned(),
        }
    }

    /// The blocking face of the same tab, for calls that do not wait (locators are built
    /// from either).
    pub fn blocking(&self) -> &crate::page::Page {
        &self.page
    }

    /// Runs `call` with the blocking face of the tab on one of tokio's blocking threads, with
    /// this page as the current page there: any blocking API, `session!` and the login
    /// helpers a suite already has, without blocking the runtime.
    ///
    /// ```no_run
    /// # use session_test::{session, Page as BlockingPage};
    /// # fn login(user: &str) -> session_test::Result<()> { Ok(()) }
    /// # async fn t(page: &session_test::async_api::Page) -> session_test::Result<()> {
    /// page.run(|_| login("alice")).await?;
    /// let cookies = page.run(|page: &BlockingPage| page.cookies()).await?;
    /// # Ok(()) }
    /// ```
    pub async fn run<T, F>(&self, call: F) -> T
    where
        F: FnOnce(&crate::page::Page) -> T + Send + 'static,
        T: Send + 'static,
    {
        let page = self.page.clone();
        on_blocking_thread(&self.page, &self.test, move || call(&page)).await
    }

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

    /// A locator of the elements matching the CSS `selector`.
    pub fn locator(&self, selector: &str) -> Locator {
        self.locate(self.page.locator(selector))
    }

    /// A locator of the elements whose text contains `text`.
    pub fn get_by_text(&self, text: &str) -> Locator {
        self.locate(self.page.get_by_text(text))
    }

    /// A locator of the elements whose test-id attribute is `id`.
    pub fn get_by_test_id(&self, id: &str) -> Locator {
        self.locate(self.page.get_by_test_id(id))
    }

    /// A locator of the elements of ARIA `role` (and accessible `name`).
    pub fn get_by_role(&self, role: &str, name: Option<&str>) -> Locator {
        self.locate(self.page.get_by_role(role, name))
    }

    pub(super) fn locate(&self, locator: crate::locator::Locator) -> Locator {
        Locator::new(locator, &self.test)
    }

    pub(super) fn test(&self) -> &str {
        &self.test
    }
}
