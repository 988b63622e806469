//! Dialog handling as the test sees it: the context's handler, and waiting for a dialog.

use std::sync::Arc;

use super::{Armed, Context, Page};
use crate::context::Dialog;
use crate::error::{Error, Result};

impl Context {
    /// Sets the handler of the JavaScript dialogs of this context (its tabs and their
    /// frames), replacing the one set before; each dialog is handed to it on a thread of its
    /// own, so it may call the page. A dialog the handler leaves unanswered gets the default
    /// answer (dismissed; "leave this page?" accepted); a handler that fails, panics or
    /// answers twice fails the test, with the dialog named. Without a handler, every dialog
    /// gets the default answer. The handler goes at the end of the test.
    ///
    /// ```no_run
    /// # fn t(page: &session_test::Page) -> session_test::Result<()> {
    /// page.context().on_dialog(|dialog| dialog.accept(None)); // `confirm` returns true
    /// page.click("#delete")?;
    /// # Ok(()) }
    /// ```
    pub fn on_dialog<F>(&self, handler: F)
    where
        F: Fn(&Dialog) -> Result<()> + Send + Sync + 'static,
    {
        self.state().dialogs.set_handler(Arc::new(handler));
    }

    /// Runs `action` and returns the first dialog a tab of this context opened from then on,
    /// once answered (by the handler, or by default) and its handler returned. Fails at the
    /// wait limit when none opened, and with the handler's failure when it failed on that
    /// dialog.
    pub fn wait_for_dialog<F>(&self, action: F) -> Result<Dialog>
    where
        F: FnOnce() -> Result<()>,
    {
        self.arm_dialog().after(action)
    }

    /// The wait of [`Context::wait_for_dialog`], armed: for a dialog opened from now on.
    pub(crate) fn arm_dialog(&self) -> Armed<Dialog> {
        let before = self.state().dialogs.count();
        let context = self.clone();
        Armed::new(move || context.dialog_after(before))
    }

    /// The first dialog after the context's `before`-th, once answered.
    fn dialog_after(&self, before: usize) -> Result<Dialog> {
        let state = self.state();
        let budget = state.budget_of(state.timeout);
        match state.dialogs.settled_after(before, budget) {
            Some(Ok(dialog)) => Ok(dialog),
            Some(Err(message)) => Err(Error::DialogHandler { message }),
            None => Err(Error::Timeout {
                what: "a dialog opened by the action given to `wait_for_dialog`".into(),
                after: budget,
            }),
        }
    }
}

impl Page {
    /// Sets the handler of the JavaScript dialogs of this page's browser context (this tab,
    /// the tabs it opens and their frames): [`Context::on_dialog`].
    ///
    /// ```no_run
    /// # fn t(page: &session_test::Page) -> session_test::Result<()> {
    /// page.on_dialog(|dialog| dialog.accept(None)); // `confirm` returns true
    /// page.click("#delete")?;
    /// # Ok(()) }
    /// ```
    pub fn on_dialog<F>(&self, handler: F)
    where
        F: Fn(&Dialog) -> Result<()> + Send + Sync + 'static,
    {
        self.context().on_dialog(handler);
    }

    /// Runs `action` and returns the first dialog a tab of this context opened from then on,
    /// once answered and its handler returned: [`Context::wait_for_dialog`].
    ///
    /// ```no_run
    /// # fn t(page: &session_test::Page) -> session_test::Result<()> {
    /// let dialog = page.wait_for_dialog(|| page.click("#delete"))?;
    /// assert_eq!(dialog.message(), "delete it?");
    /// assert_eq!(dialog.accepted(), Some(false)); // dismissed by default
    /// # Ok(()) }
    /// ```
    pub fn wait_for_dialog<F>(&self, action: F) -> Result<Dialog>
    where
        F: FnOnce() -> Result<()>,
    {
        self.context().wait_for_dialog(action)
    }

    /// A new test begins on this page: its context's dialog handler and dialogs start afresh.
    pub(crate) fn start_dialogs(&self) {
        self.inner.ctx.dialogs.start();
    }

    /// The test's body ended: its dialog handler goes; returns how the handler failed, if
    /// it did.
    /// Those of the contexts the test opened besides end too.
    pub(crate) fn end_dialogs(&self) -> Option<String> {
        self.end_in_each_context(|ctx| ctx.dialogs.end())
    }

    /// The last `n` dialogs of the test, for its failure report.
    pub(crate) fn last_dialogs(&self, n: usize) -> Vec<String> {
        self.inner.ctx.dialogs.last(n)
    }
}
