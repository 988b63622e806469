//! What the macros' generated code calls, through `::session_test::__private`. Not an API.

pub use crate::harness::{run_main, run_test, TestFailure};
pub use crate::registry::{IntoTestOutcome, TestEntry, TestOutcome, TestRegistration};
pub use headless_chrome;
pub use inventory;
