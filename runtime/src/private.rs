//! What the macros' generated code calls, through `::session_test::__private`. Not an API.

#[cfg(feature = "tokio")]
pub use crate::async_api::{block_on_test, no_async_validate, session_async, Flavor};
pub use crate::harness::{run_main, run_test, TestFailure};
pub use crate::registry::{BodyError, IntoTestOutcome, TestEntry, TestOutcome, TestRegistration};
pub use crate::session::define::{use_definition, DefinitionRegistration, SessionDefinition};
use crate::session::keep_validate;
pub use crate::session::{
    advance_session_clock, session, session_rotating, session_waiters, IntoSetupOutcome,
    IntoValidation, KeptValidate, SessionOptions,
};
pub use crate::web_server::set_web_server;
#[cfg(feature = "headless_chrome")]
pub use headless_chrome;
pub use inventory;
pub use regex;

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

/// A rotating session's validate, kept to run again when the test lets the session go: it
/// must own what it uses (`move`, or a function).
pub fn kept_validate<F, R>(f: F) -> KeptValidate
where
    F: FnMut(&Page) -> R + Send + 'static,
    R: IntoValidation + 'static,
{
    keep_validate(Some(f))
}

/// The validate of a rotating `session!` without one.
pub fn no_kept_validate() -> KeptValidate {
    keep_validate(None::<fn(&Page) -> bool>)
}

/// The validate of a `session!` without one.
pub fn no_validate() -> Option<fn(&Page) -> bool> {
    None
}

/// A definition's step (setup, validate, before, after) as a plain result.
pub fn step_outcome<R: IntoSetupOutcome>(r: R) -> crate::Result<()> {
    r.into_setup_outcome()
}

/// A definition's validate as a plain result.
pub fn validate_outcome<R: IntoValidation>(r: R) -> crate::Result<()> {
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
