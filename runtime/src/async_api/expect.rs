//! `expect` for async tests: the one [`expect`](crate::expect) takes the async face's
//! locators and pages too, and gives assertions whose checks are the blocking ones, retried
//! on a blocking thread until they hold or their time is up, awaited.
//!
//! ```no_run
//! use session_test::async_api::{expect, Page};
//! # async fn t(page: &Page) -> session_test::Result<()> {
//! expect(&page.locator("#hello")).to_have_text("hello alice").await?;
//! expect(page).to_have_url("/home").await?;
//! # Ok(()) }
//! ```

use super::blocking::on_blocking_thread;
use super::{Locator, Page};
use crate::error::Result;
use crate::locator::TextMatch;
use std::time::Duration;

/// Assertions on a [`Locator`]; see [`crate::LocatorAssertions`] for each.
#[must_use = "an assertion checks nothing until one of its `to_…` methods is awaited"]
pub struct LocatorAssertions {
    locator: Locator,
    negate: bool,
    timeout: Option<Duration>,
}

/// Assertions on a [`Page`]; see [`crate::PageAssertions`] for each.
#[must_use = "an assertion checks nothing until one of its `to_…` methods is awaited"]
pub struct PageAssertions {
    page: Page,
    negate: bool,
    timeout: Option<Duration>,
}

/// What both kinds of assertions share: [`expect`](crate::expect) taking their target, the
/// builder methods, and the runner.
macro_rules! assertions {
    ($kind:ident, $blocking:ident, $target:ident, $type:ident) => {
        impl crate::locator::Expectable for $type {
            type Assertions = $kind;
            fn assertions(&self) -> $kind {
                $kind {
                    $target: self.clone(),
                    negate: false,
                    timeout: None,
                }
            }
        }

        impl $kind {
            /// Expects the opposite of the assertion that follows.
            #[allow(clippy::should_implement_trait)] // reads as English: expect(&l).not().to_…
            pub fn not(mut self) -> Self {
                self.negate = !self.negate;
                self
            }

            /// Waits up to `timeout` instead of the default.
            pub fn timeout(mut self, timeout: Duration) -> Self {
                self.timeout = Some(timeout);
                self
            }

            /// Runs `check` on the blocking assertions on a blocking thread.
            async fn check<F>(self, check: F) -> Result<()>
            where
                F: FnOnce(crate::locator::$blocking) -> Result<()> + Send + 'static,
            {
                let target = self.$target.blocking().clone();
                let mut assertions = crate::locator::expect(&target);
                if self.negate {
                    assertions = assertions.not();
                }
                if let Some(timeout) = self.timeout {
                    assertions = assertions.timeout(timeout);
                }
                let page = self.page_of();
                let test = self.$target.test().to_owned();
                on_blocking_thread(&page, &test, move || check(assertions)).await
            }
        }
    };
}

assertions!(LocatorAssertions, LocatorAssertions, locator, Locator);
assertions!(PageAssertions, PageAssertions, page, Page);

impl LocatorAssertions {
    fn page_of(&self) -> crate::page::Page {
        self.locator.blocking().page().clone()
    }

    /// The one match is visible.
    pub async fn to_be_visible(self) -> Result<()> {
        self.check(|a| a.to_be_visible()).await
    }

    /// No match is visible.
    pub async fn to_be_hidden(self) -> Result<()> {
        self.check(|a| a.to_be_hidden()).await
    }

    /// The match's text is `expected` (a string is compared whole, whitespace normalised).
    pub async fn to_have_text(self, expected: impl Into<TextMatch>) -> Result<()> {
        let expected = expected.into();
        self.check(move |a| a.to_have_text(expected)).await
    }

    /// The match's text contains `part`.
    pub async fn to_contain_text(self, part: &str) -> Result<()> {
        let part = part.to_owned();
        self.check(move |a| a.to_contain_text(&part)).await
    }

    /// The matching input's value is `expected`.
    pub async fn to_have_value(self, expected: impl Into<TextMatch>) -> Result<()> {
        let expected = expected.into();
        self.check(move |a| a.to_have_value(expected)).await
    }

    /// `count` elements match.
    pub async fn to_have_count(self, count: usize) -> Result<()> {
        self.check(move |a| a.to_have_count(count)).await
    }
}

impl PageAssertions {
    fn page_of(&self) -> crate::page::Page {
        self.page.blocking().clone()
    }

    /// The page's URL is `expected` (a path resolves against the base URL).
    pub async fn to_have_url(self, expected: impl Into<TextMatch>) -> Result<()> {
        let expected = expected.into();
        self.check(move |a| a.to_have_url(expected)).await
    }

    /// The document's title is `expected`.
    pub async fn to_have_title(self, expected: impl Into<TextMatch>) -> Result<()> {
        let expected = expected.into();
        self.check(move |a| a.to_have_title(expected)).await
    }
}
