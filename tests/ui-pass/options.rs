//! Every accepted form of the attribute compiles.
use session_test::{session_test, Page};

#[session_test]
fn plain(page: &Page) -> session_test::Result<()> {
    page.visit("/")
}

#[session_test]
fn no_page_unit_return() {}

#[session_test(ignore, timeout = 60, test_isolation = false)]
fn all_options(_page: &Page) -> Result<(), String> {
    Err("never run".into())
}

#[session_test(ignore = false)]
/// Doc comments and other attributes stay on the function.
#[allow(unused_variables)]
fn with_attrs(page: &Page) {
    let unused = 1;
}

fn main() {
    // Registered for main!: four tests.
    assert_eq!(session_test::tests().len(), 4);
}
