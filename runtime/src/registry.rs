//! What `#[session_test]` registers through inventory.

use crate::page::Page;

/// What a test body returns once its own return type is normalised.
pub type TestOutcome = Result<(), String>;

/// One `#[session_test]` function, as registered at compile time.
#[derive(Debug)]
pub struct TestEntry {
    /// `module_path!()` + `::` + the function's name.
    pub path: &'static str,
    /// Source file of the function.
    pub file: &'static str,
    /// Line of the function.
    pub line: u32,
    /// `#[session_test(ignore)]`.
    pub ignore: bool,
    /// `#[session_test(timeout = N)]`, seconds.
    pub timeout_secs: Option<u64>,
    /// `#[session_test(test_isolation = false)]` sets this to false.
    pub test_isolation: bool,
    /// Calls the user's function.
    pub body: fn(&Page) -> TestOutcome,
}

impl TestEntry {
    /// The name libtest gives the test: the module path without the crate's name.
    pub fn name(&self) -> &'static str {
        match self.path.split_once("::") {
            Some((_crate, rest)) => rest,
            None => self.path,
        }
    }
}

/// The inventory item: a pointer to a static [`TestEntry`].
pub struct TestRegistration(pub &'static TestEntry);

inventory::collect!(TestRegistration);

/// Every registered test, sorted by name.
pub fn tests() -> Vec<&'static TestEntry> {
    let mut all: Vec<_> = inventory::iter::<TestRegistration>
        .into_iter()
        .map(|r| r.0)
        .collect();
    all.sort_by_key(|e| e.name());
    all
}

/// Normalises what a test function returns: `()` or `Result<(), E: Debug>`.
pub trait IntoTestOutcome {
    /// `Err` carries the error's `Debug` text.
    fn into_test_outcome(self) -> TestOutcome;
}

impl IntoTestOutcome for () {
    fn into_test_outcome(self) -> TestOutcome {
        Ok(())
    }
}

impl<E: std::fmt::Debug> IntoTestOutcome for Result<(), E> {
    fn into_test_outcome(self) -> TestOutcome {
        self.map_err(|e| format!("{e:?}"))
    }
}
