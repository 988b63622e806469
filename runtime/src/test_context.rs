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
    CURRENT
        .with(|c| c.borrow().as_ref().map(|(_, name)| name.clone()))
        .filter(|name| !name.is_empty())
}

impl Page {
    /// Runs `f` with this page as the current test's page, and returns what `f` returns:
    /// `session!`, `use_session!`, `define_session!` handles and the
    /// session helpers in `f` act on this page. With [`Page::new_context`], the login
    /// helpers a suite already has sign a second user in, unchanged:
    ///
    /// ```no_run
    /// # use session_test::{session, Page};
    /// fn login(user: &str) -> session_test::Result<()> {
    ///     session!(["user", user], |page: &Page| {
    ///         page.visit("/login")?;
    ///         page.get_by_test_id("name").fill(user)?;
    ///         page.get_by_test_id("password").fill("s3cr3t")?;
    ///         page.get_by_role("button", Some("Log in")).click()
    ///     })?;
    ///     Ok(())
    /// }
    ///
    /// # fn t(page: &Page) -> session_test::Result<()> {
    /// login("alice")?; // the test's own page
    /// let other = page.new_context()?;
    /// other.within(|| login("bob"))?; // the same helper, on the other page
    /// # Ok(()) }
    /// ```
    ///
    /// The page that was current before is current again when `f` returns or panics. A
    /// session behaves here as on the test's own page (restored, validated, recreated,
    /// persisted), except that a rotating session one page holds is not handed to another
    /// at the same time: that page gets an instance of its own. Outside a test, `f` runs
    /// with this page current.
    pub fn within<T>(&self, f: impl FnOnce() -> T) -> T {
        let name = current_test_name().unwrap_or_default();
        let before = CURRENT.with(|c| c.borrow_mut().replace((self.clone(), name)));
        let _back = Restore(Some(before));
        f()
    }
}

/// Puts back the current test as it was before [`Page::within`].
struct Restore(Option<Option<(Page, String)>>);

impl Drop for Restore {
    fn drop(&mut self) {
        if let Some(before) = self.0.take() {
            CURRENT.with(|c| *c.borrow_mut() = before);
        }
    }
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
