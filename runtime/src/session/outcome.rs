//! What setup and validate closures may return, normalised (SPEC C3).
//!
//! The error type is session-test's own `Error` (other errors convert into it with `?`,
//! `anyhow::Error` included): a generic `E` would leave `Ok(…)` at the end of a closure
//! without a type, and the documented forms would not compile.

use crate::error::Error;

/// A setup's result: `()` or `Result<(), session_test::Error>`.
pub trait IntoSetupOutcome {
    /// `Err` carries the error's `Debug` text.
    fn into_setup_outcome(self) -> Result<(), String>;
}

impl IntoSetupOutcome for () {
    fn into_setup_outcome(self) -> Result<(), String> {
        Ok(())
    }
}

impl IntoSetupOutcome for Result<(), Error> {
    fn into_setup_outcome(self) -> Result<(), String> {
        self.map_err(|e| e.to_string())
    }
}

/// A validate's result: `()`, `bool`, `Result<()>` or `Result<bool>`.
pub trait IntoValidation {
    /// `Err` says why the session is not valid.
    fn into_validation(self) -> Result<(), String>;
}

impl IntoValidation for () {
    fn into_validation(self) -> Result<(), String> {
        Ok(())
    }
}

impl IntoValidation for bool {
    fn into_validation(self) -> Result<(), String> {
        if self {
            Ok(())
        } else {
            Err("validate returned false".into())
        }
    }
}

impl IntoValidation for Result<(), Error> {
    fn into_validation(self) -> Result<(), String> {
        self.map_err(|e| format!("validate returned an error: {e}"))
    }
}

impl IntoValidation for Result<bool, Error> {
    fn into_validation(self) -> Result<(), String> {
        match self {
            Ok(true) => Ok(()),
            Ok(false) => Err("validate returned Ok(false)".into()),
            Err(e) => Err(format!("validate returned an error: {e}")),
        }
    }
}

/// The text of a caught panic.
pub fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(a non-string panic payload)".into())
}
