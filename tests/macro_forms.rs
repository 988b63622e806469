//! Every accepted form of `#[session_test]` compiles, runs and registers with its options
//! (the rejected forms are compile-error cases in `ui-tests/`).

mod support;

use session_test::{session_test, Page};

#[session_test]
fn plain(page: &Page) -> session_test::Result<()> {
    support::sites();
    page.visit("/blank")
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

#[test]
fn every_form_registers_with_its_options() {
    let forms: Vec<_> = session_test::harness::tests()
        .into_iter()
        .map(|t| (t.name(), t.ignore, t.timeout_secs, t.test_isolation))
        .collect();
    assert_eq!(
        forms,
        [
            ("all_options", true, Some(60), false),
            ("no_page_unit_return", false, None, true),
            ("plain", false, None, true),
            ("with_attrs", false, None, true),
        ]
    );
}
