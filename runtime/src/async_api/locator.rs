//! `Locator`: the async face of a locator. Building one waits for nothing; its actions and
//! reads run the blocking locator's on a blocking thread.

use super::blocking::on_blocking_thread;
use crate::error::Result;
use crate::locator::Filter;

/// Elements of a page, found when acted on, as [`crate::Locator`] with async actions.
///
/// ```no_run
/// # async fn t(page: &session_test::async_api::Page) -> session_test::Result<()> {
/// page.get_by_role("button", Some("Log in")).click().await?;
/// let items = page.locator("li").count().await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Locator {
    locator: crate::locator::Locator,
    test: String,
}

impl std::fmt::Display for Locator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.locator.fmt(f)
    }
}

impl Locator {
    pub(super) fn new(locator: crate::locator::Locator, test: &str) -> Locator {
        Locator {
            locator,
            test: test.to_owned(),
        }
    }

    /// The blocking face of the same locator.
    pub fn blocking(&self) -> &crate::locator::Locator {
        &self.locator
    }

    /// Runs `call` with the blocking locator on one of tokio's blocking threads.
    pub async fn run<T, F>(&self, call: F) -> T
    where
        F: FnOnce(&crate::locator::Locator) -> T + Send + 'static,
        T: Send + 'static,
    {
        let locator = self.locator.clone();
        on_blocking_thread(self.locator.page(), &self.test, move || call(&locator)).await
    }

    pub(super) fn test(&self) -> &str {
        &self.test
    }

    fn with(&self, locator: crate::locator::Locator) -> Locator {
        Locator::new(locator, &self.test)
    }

    /// The elements matching `selector` inside these.
    pub fn locator(&self, selector: &str) -> Locator {
        self.with(self.locator.locator(selector))
    }

    /// The elements inside these whose text contains `text`.
    pub fn get_by_text(&self, text: &str) -> Locator {
        self.with(self.locator.get_by_text(text))
    }

    /// The elements inside these whose test-id attribute is `id`.
    pub fn get_by_test_id(&self, id: &str) -> Locator {
        self.with(self.locator.get_by_test_id(id))
    }

    /// The elements inside these of ARIA `role` (and accessible `name`).
    pub fn get_by_role(&self, role: &str, name: Option<&str>) -> Locator {
        self.with(self.locator.get_by_role(role, name))
    }

    /// The `index`-th match (from the end when negative).
    pub fn nth(&self, index: i32) -> Locator {
        self.with(self.locator.nth(index))
    }

    /// The first match.
    pub fn first(&self) -> Locator {
        self.with(self.locator.first())
    }

    /// The last match.
    pub fn last(&self) -> Locator {
        self.with(self.locator.last())
    }

    /// The matches that pass `filter`.
    pub fn filter(&self, filter: Filter) -> Locator {
        self.with(self.locator.filter(filter))
    }

    awaiting! {
        /// Fills the one matching input with `text`.
        fn fill(text) -> Result<()>;
        /// Types `text` key by key after the input's value.
        fn type_text(text) -> Result<()>;
        /// The value of attribute `name` of the one match.
        fn attribute(name) -> Result<Option<String>>;
    }

    /// Clicks the one match once it is visible, enabled, stable and not covered.
    pub async fn click(&self) -> Result<()> {
        self.run(|l| l.click()).await
    }

    /// How many elements match now.
    pub async fn count(&self) -> Result<usize> {
        self.run(|l| l.count()).await
    }

    /// Whether the one match is visible now.
    pub async fn is_visible(&self) -> Result<bool> {
        self.run(|l| l.is_visible()).await
    }

    /// The `innerText` of the one match.
    pub async fn text(&self) -> Result<String> {
        self.run(|l| l.text()).await
    }

    /// The value of the one matching input.
    pub async fn value(&self) -> Result<String> {
        self.run(|l| l.value()).await
    }
}
