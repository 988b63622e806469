//! SPEC D6 in a second test binary: the shared definition works here too, and two
//! definitions with one name are an error naming both places.

mod support;

use session_test::{define_session, session_test, use_session, Page, SessionStatus};

#[session_test]
fn the_shared_definition_works_in_another_binary(page: &Page) -> session_test::Result<()> {
    assert_eq!(
        use_session!(support::sessions::shared_alice)?,
        SessionStatus::Created
    );
    assert_eq!(page.text("#hello")?, "hello alice");
    Ok(())
}

mod first {
    use super::*;
    define_session!(twice, setup = |_: &Page| Ok(()));
}

mod second {
    use super::*;
    define_session!(twice, setup = |page: &Page| page.visit("about:blank"));
}

#[session_test]
fn two_definitions_with_one_name_are_an_error(_page: &Page) -> session_test::Result<()> {
    for err in [
        use_session!(first::twice).unwrap_err().to_string(),
        session_test::use_session("twice").unwrap_err().to_string(),
    ] {
        assert!(
            err.starts_with("the session name \"twice\" is defined twice: at tests/sharing_b.rs:"),
            "{err}"
        );
        assert_eq!(err.matches("tests/sharing_b.rs:").count(), 2, "{err}");
    }
    Ok(())
}
