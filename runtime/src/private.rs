//! What the macros' generated code calls, through `::session_test::__private`. Not an API.

pub use crate::harness::{run_main, run_test, TestFailure};
pub use crate::registry::{IntoTestOutcome, TestEntry, TestOutcome, TestRegistration};
pub use crate::session::define::{use_definition, DefinitionRegistration, SessionDefinition};
pub use crate::session::{
    session, session_waiters, IntoSetupOutcome, IntoValidation, SessionOptions,
};
#[cfg(feature = "headless_chrome")]
pub use headless_chrome;
pub use inventory;

use crate::page::Page;

/// Gives a setup closure a higher-ranked `&Page` signature.
pub fn setup_fn<F, R>(f: F) -> F
where
    F: FnMut(&Page) -> R,
    R: IntoSetupOutcome,
{
    f
}

/// Gives a validate closure a higher-ranked `&Page` signature.
pub fn validate_fn<F, R>(f: F) -> Option<F>
where
    F: FnMut(&Page) -> R,
    R: IntoValidation,
{
    Some(f)
}

/// The validate of a `session!` without one.
pub fn no_validate() -> Option<fn(&Page) -> bool> {
    None
}

/// A definition's step (setup, validate, before, after) as a plain result.
pub fn step_outcome<R: IntoSetupOutcome>(r: R) -> Result<(), String> {
    r.into_setup_outcome()
}

/// A definition's validate as a plain result.
pub fn validate_outcome<R: IntoValidation>(r: R) -> Result<(), String> {
    r.into_validation()
}

/// Gives a definition's validate closure a higher-ranked `&Page` signature.
pub fn validate_step<F, R>(f: F) -> F
where
    F: FnMut(&Page) -> R,
    R: IntoValidation,
{
    f
}
