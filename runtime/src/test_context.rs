//! The test running on this thread: its name and its page, for everything that acts on
//! "the current test" (`session!`, a failed `expect`'s screenshot, the run report). The
//! harness enters it; the modules below the harness ask it.

use std::cell::RefCell;

use crate::error::{Error, Result};
use crate::page::Page;

thread_local! {
    /// The test running on this thread: its page and its name.
    static CURRENT: RefCell<Option<(Page, String)>> = const { RefCell::new(None) };
}

/// The page of the test running on this thread; `what` names the caller in the error.
pub fn current_page(what: &'static str) -> Result<Page> {
    CURRENT
        .with(|c| c.borrow().as_ref().map(|(page, _)| page.clone()))
        .ok_or(Error::NotInTest { what })
}

/// The name of the test running on this thread.
pub(crate) fn current_test_name() -> Option<String> {
    CURRENT.with(|c| c.borrow().as_ref().map(|(_, name)| name.clone()))
}

/// While it lives, the test named `name` on `page` is this thread's current test.
pub(crate) struct CurrentTest;

impl CurrentTest {
    pub(crate) fn enter(page: &Page, name: &str) -> Self {
        CURRENT.with(|c| *c.borrow_mut() = Some((page.clone(), name.to_owned())));
        CurrentTest
    }
}

impl Drop for CurrentTest {
    fn drop(&mut self) {
        CURRENT.with(|c| c.borrow_mut().take());
    }
}
