//! `Page` shortcuts that act on the first element matching a CSS selector.

use crate::error::Result;

use super::Page;

impl Page {
    /// Clicks the first element matching `selector` once it is visible, enabled, stable and
    /// not covered (scrolled into view), then waits for a navigation the click started.
    /// [`Page::locator`] does the same for exactly one element.
    pub fn click(&self, selector: &str) -> Result<()> {
        self.first_match(selector).click()
    }

    /// Replaces the value of the first input matching `selector` with `text` (clears it
    /// first), firing the input events a user's typing would.
    pub fn fill(&self, selector: &str, text: &str) -> Result<()> {
        self.first_match(selector).fill(text)
    }

    /// Types `text` key by key into the first element matching `selector`, after its
    /// current value.
    pub fn type_text(&self, selector: &str, text: &str) -> Result<()> {
        self.first_match(selector).type_text(text)
    }

    /// The rendered text (`innerText`) of the first element matching `selector`, waiting
    /// for it.
    pub fn text(&self, selector: &str) -> Result<String> {
        self.first_match(selector).text()
    }

    /// The attribute `name` of the first element matching `selector` (waiting for the
    /// element); `None` when the element has no such attribute.
    pub fn attr(&self, selector: &str, name: &str) -> Result<Option<String>> {
        self.first_match(selector).attribute(name)
    }

    /// Whether an element matches `selector` right now (no waiting).
    pub fn exists(&self, selector: &str) -> Result<bool> {
        Ok(self.first_match(selector).count()? > 0)
    }

    /// Waits until an element matches `selector`.
    pub fn wait_for(&self, selector: &str) -> Result<()> {
        self.first_match(selector).wait_attached()
    }
}
