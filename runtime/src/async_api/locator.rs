//! `Locator`: the async face of a locator. Building one waits for nothing; its actions and
//! reads run the blocking locator's on a blocking thread.

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
    faced!(locator: crate::locator::Locator, page);

    fn page(&self) -> &crate::page::Page {
        self.locator.page()
    }

    fn wrap(&self, locator: crate::locator::Locator) -> Locator {
        Locator::new(locator, &self.test)
    }

    locating!(locator);

    /// The `index`-th match (from the end when negative).
    pub fn nth(&self, index: i32) -> Locator {
        self.wrap(self.locator.nth(index))
    }

    /// The first match.
    pub fn first(&self) -> Locator {
        self.wrap(self.locator.first())
    }

    /// The last match.
    pub fn last(&self) -> Locator {
        self.wrap(self.locator.last())
    }

    /// The matches that pass `filter`.
    pub fn filter(&self, filter: Filter) -> Locator {
        self.wrap(self.locator.filter(filter))
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
