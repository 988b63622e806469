//! A wait armed before the action it waits on, so that what the action causes (a popup, a
//! dialog, a request) is not missed: the blocking `wait_for_*` run their action between
//! arming and settling, and the async face awaits its action there. One implementation of
//! each wait for both faces.

use crate::error::Result;

/// What a `wait_for_*` waits for, armed; [`Armed::settle`] waits for it (at most the page's
/// wait limit from then).
pub(crate) struct Armed<T> {
    settle: Box<dyn FnOnce() -> Result<T> + Send>,
}

impl<T> Armed<T> {
    /// Armed now; `settle` waits for what came since.
    pub(crate) fn new(settle: impl FnOnce() -> Result<T> + Send + 'static) -> Self {
        Armed {
            settle: Box::new(settle),
        }
    }

    /// Runs `action`, then waits: the blocking `wait_for_*`.
    pub(crate) fn after(self, action: impl FnOnce() -> Result<()>) -> Result<T> {
        action()?;
        self.settle()
    }

    /// Waits for what came since it was armed.
    pub(crate) fn settle(self) -> Result<T> {
        (self.settle)()
    }
}
