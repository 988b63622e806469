//! More browser contexts in one test (`page.new_context()`): two users signed in at once.
//! Each is isolated as the test's own is, but shares the test's clock, trace and session
//! lines, and ends with the test: reset and kept for a later test when it passed (the
//! same reset, and the same isolation probe, as the test's own context), disposed when it
//! failed. What the harness does at a test's end for its own page it does for these too.

use std::sync::atomic::Ordering;

use super::context::ContextInner;
use super::reuse::Spare;
use super::Page;
use crate::error::Result;
use crate::sync::lock;

impl Page {
    /// Opens a new, isolated browser context in the same browser with one tab on
    /// `about:blank`, and returns that tab: a second user, signed in beside the first.
    ///
    /// The new page is the test's as its own page is: the test's time limit, trace (its
    /// actions, console and network marked with its tab), base URL and test-id attribute.
    /// [`Page::within`] makes it the page `session!` and the login helpers act on. It is
    /// closed with everything in it when the test ends, passed, failed or panicked; when
    /// the test passed, it is reset and kept for a later test as the test's own context is
    /// (README, "Context reuse"). On a page made outside a test
    /// ([`Page::new_isolated`]), the new context lives until that page closes.
    ///
    /// ```no_run
    /// use session_test::{expect, session_test, Page};
    /// # fn login(user: &str) -> session_test::Result<()> { Ok(()) }
    ///
    /// #[session_test]
    /// fn the_admin_sees_the_request(page: &Page) -> session_test::Result<()> {
    ///     login("alice")?; // on the test's page
    ///     let admin = page.new_context()?;
    ///     admin.within(|| login("admin"))?;
    ///     page.visit("/requests")?;
    ///     page.get_by_test_id("request-text").fill("a new laptop")?;
    ///     page.get_by_role("button", Some("Submit")).click()?;
    ///     admin.visit("/requests")?;
    ///     expect(&admin.get_by_text("a new laptop")).to_be_visible()
    /// }
    /// ```
    pub fn new_context(&self) -> Result<Page> {
        let ctx = &self.inner.ctx;
        if self.is_closed() {
            return Err(self.closed_error("a new context (`new_context`)"));
        }
        let page = Page::open_for(ctx.timeout, ctx.test.clone())?;
        page.start_dialogs();
        page.start_routes();
        lock(&ctx.others).push(page.clone());
        Ok(page)
    }

    /// This page, then the first pages of the contexts opened from its context.
    pub(crate) fn with_other_contexts(&self) -> Vec<Page> {
        std::iter::once(self.clone())
            .chain(self.other_contexts())
            .collect()
    }

    /// The test in this page's context ended: calls on its pages say so when they fail.
    fn end_context(&self) {
        self.inner.ctx.ended.store(true, Ordering::SeqCst);
    }

    /// Runs `end` (a handler's end) in this page's context and in each one opened from it,
    /// every one whatever the others return; the first failure it returned.
    pub(super) fn end_in_each_context(
        &self,
        end: impl Fn(&ContextInner) -> Option<String>,
    ) -> Option<String> {
        let pages = self.with_other_contexts();
        let failures: Vec<String> = pages.iter().filter_map(|p| end(&p.inner.ctx)).collect();
        failures.into_iter().next()
    }

    /// The pages of the contexts opened from this page's context, and from theirs.
    pub(crate) fn other_contexts(&self) -> Vec<Page> {
        let mut all = Vec::new();
        for page in lock(&self.inner.ctx.others).iter() {
            all.push(page.clone());
            all.extend(page.other_contexts());
        }
        all
    }

    /// The test on this page ended: its contexts are reset and kept for a later test when
    /// `keep` (the test passed, and contexts are reused), else disposed; its own is left
    /// alone when it is not `isolated` (the page `test_isolation = false` tests share).
    /// Either way calls on their pages fail from now on, saying the test ended.
    ///
    /// The resets run side by side (each waits on the browser), and the contexts are kept
    /// in one order: the others first, so the next test's own page gets this one's.
    pub(crate) fn end_contexts(&self, isolated: bool, keep: bool) {
        // Taken first: closing this page's context would close them too, unended.
        let others = self.take_other_contexts();
        let (others, own) = std::thread::scope(|s| {
            let others = s.spawn(|| end_all(others, keep));
            let own = isolated.then(|| self.clone().end_in(keep)).flatten();
            (others.join().unwrap_or_default(), own)
        });
        super::reuse::keep_spares(others.into_iter().chain(own).collect());
    }

    /// The first pages of the contexts opened from this page's context, and of theirs,
    /// taken from it.
    fn take_other_contexts(&self) -> Vec<Page> {
        let others = std::mem::take(&mut *lock(&self.inner.ctx.others));
        let nested = others
            .iter()
            .flat_map(Page::take_other_contexts)
            .collect::<Vec<_>>();
        others.into_iter().chain(nested).collect()
    }

    /// Ends this page's context: a spare when `keep` and its reset works, else disposed.
    fn end_in(self, keep: bool) -> Option<Spare> {
        self.end_context();
        if keep {
            self.into_spare()
        } else {
            self.close();
            None
        }
    }
}

/// Ends each of `pages`' contexts: the spares they leave.
fn end_all(pages: Vec<Page>, keep: bool) -> Vec<Spare> {
    pages.into_iter().filter_map(|p| p.end_in(keep)).collect()
}
