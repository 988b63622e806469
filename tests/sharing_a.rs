//! SPEC D6: a `define_session!` from `tests/support/` used from two modules of this binary
//! (and from `sharing_b.rs`, another binary).

mod support;

use std::sync::atomic::Ordering;

use session_test::harness::run_page_test;
use session_test::{use_session, Error, SessionStatus};

mod one {
    pub fn use_it() -> session_test::Result<session_test::SessionStatus> {
        session_test::use_session!(crate::support::sessions::shared_alice)
    }
}

mod two {
    pub fn use_it() -> session_test::Result<session_test::SessionStatus> {
        // Found by name at run time.
        session_test::use_session("shared_alice")
    }
}

#[test]
fn before_and_after_run_for_new_and_saved_sessions() {
    let sites = support::sites();
    for (i, expected) in [
        SessionStatus::Created,
        SessionStatus::Restored,
        SessionStatus::Restored,
    ]
    .into_iter()
    .enumerate()
    {
        run_page_test(&format!("use_{i}"), |page| {
            let status = if i % 2 == 0 {
                one::use_it()?
            } else {
                two::use_it()?
            };
            assert_eq!(status, expected);
            // `after` left the page on /home, logged in.
            assert_eq!(page.text("#hello")?, "hello alice");
            Ok(())
        })
        .unwrap();
    }
    assert_eq!(support::sessions::BEFORE.load(Ordering::SeqCst), 3);
    assert_eq!(support::sessions::AFTER.load(Ordering::SeqCst), 3);
    assert_eq!(sites.app.logins(), 1);
}

#[test]
fn an_unknown_name_lists_the_defined_ones() {
    let err = run_page_test("unknown", |_| {
        let err = use_session("nobody").unwrap_err();
        assert!(matches!(err, Error::UnknownSession { .. }));
        Err(err)
    })
    .unwrap_err();
    assert!(
        err.message
            .contains("no session is defined with the name \"nobody\"; defined: shared_alice"),
        "{}",
        err.message
    );
    // The failure keeps the error itself, not only its text.
    assert!(
        matches!(err.error.as_deref(), Some(Error::UnknownSession { .. })),
        "{err:?}"
    );
}
