//! What `#[session_test]` registers through inventory.

use crate::page::Page;

/// What a test body returns once its own return type is normalised.
pub type TestOutcome = Result<(), BodyError>;

/// Why a test's body returned `Err`: the crate's [`Error`](crate::error::Error), kept as it
/// is, or another type's `Debug` text.
#[derive(Debug)]
pub enum BodyError {
    /// A session-test error.
    Error(crate::error::Error),
    /// Another error type, as `Debug` prints it.
    Other(String),
}

impl std::fmt::Display for BodyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BodyError::Error(e) => write!(f, "{e:?}"),
            BodyError::Other(text) => f.write_str(text),
        }
    }
}

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

impl<E: std::fmt::Debug + 'static> IntoTestOutcome for Result<(), E> {
    fn into_test_outcome(self) -> TestOutcome {
        self.map_err(|e| {
            let text = format!("{e:?}");
            match (Box::new(e) as Box<dyn std::any::Any>).downcast::<crate::error::Error>() {
                Ok(error) => BodyError::Error(*error),
                Err(_) => BodyError::Other(text),
            }
        })
    }
}
