//! What setup and validate closures may return, normalised (SPEC C3).
//!
//! The error type is session-test's own `Error` (other errors convert into it with `?`,
//! `anyhow::Error` included): a generic `E` would leave `Ok(…)` at the end of a closure
//! without a type, and the documented forms would not compile.

use crate::error::Error;

/// A setup's result: `()` or `Result<(), session_test::Error>`.
pub trait IntoSetupOutcome {
    /// `Err` is the setup's error.
    fn into_setup_outcome(self) -> Result<(), Error>;
}

impl IntoSetupOutcome for () {
    fn into_setup_outcome(self) -> Result<(), Error> {
        Ok(())
    }
}

impl IntoSetupOutcome for Result<(), Error> {
    fn into_setup_outcome(self) -> Result<(), Error> {
        self
    }
}

/// A validate's result: `()`, `bool`, `Result<()>` or `Result<bool>`.
pub trait IntoValidation {
    /// `Err` says why the session is not valid.
    fn into_validation(self) -> Result<(), Error>;
}

impl IntoValidation for () {
    fn into_validation(self) -> Result<(), Error> {
        Ok(())
    }
}

impl IntoValidation for bool {
    fn into_validation(self) -> Result<(), Error> {
        if self {
            Ok(())
        } else {
            Err(Error::NotValid { returned: "false" })
        }
    }
}

impl IntoValidation for Result<(), Error> {
    fn into_validation(self) -> Result<(), Error> {
        self
    }
}

impl IntoValidation for Result<bool, Error> {
    fn into_validation(self) -> Result<(), Error> {
        match self {
            Ok(true) => Ok(()),
            Ok(false) => Err(Error::NotValid {
                returned: "Ok(false)",
            }),
            Err(e) => Err(e),
        }
    }
}
