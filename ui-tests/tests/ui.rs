//! Compile errors of the macros, checked against the `.stderr` files beside each case.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
