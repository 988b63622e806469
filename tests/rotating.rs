//! Rotating sessions (`rotating = true`) against the demo app's refresh-token rotation, where
//! a retired refresh token revokes its grant and is counted as a rejected refresh: a session
//! is held by one test at a time and saved again as that test leaves it, so no token chain
//! is ever used in two places.

mod support;

use session_test::{session_test, Page, SessionStatus};
use session_test_demo_app::DemoApp;
use support::rotating::{login, refreshes};

/// The tests below count the logins of one demo app: one at a time (under `cargo test` they
/// share a process).
static COUNTING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Each test restores (or sets up) the session, whose validate refreshes, then refreshes
/// once more itself.
fn uses_the_chain(page: &Page) -> session_test::Result<()> {
    login("rotating-six")?;
    assert!(refreshes(page)?, "the test's own refresh was refused");
    Ok(())
}

macro_rules! six {
    ($($name:ident),*) => {$(
        #[session_test(ignore)]
        fn $name(page: &Page) -> session_test::Result<()> {
            uses_the_chain(page)
        }
    )*};
}

six!(six_1, six_2, six_3, six_4, six_5, six_6);

#[test]
fn six_tests_on_two_threads_never_present_a_used_refresh_token() {
    let _counting = COUNTING.lock().unwrap_or_else(|e| e.into_inner());
    let app = &support::sites().app;
    let (logins, rejected) = (app.logins(), app.rejected_refreshes());
    let (passed, failed) = support::run_together("six_", 2);
    assert_eq!((passed, failed), (6, 0), "see the failure reports above");
    // At most one instance per test running at once, each with its own chain.
    let logins = app.logins() - logins;
    assert!((1..=2).contains(&logins), "{logins} logins");
    assert_eq!(app.rejected_refreshes() - rejected, 0);
}

#[session_test(ignore)]
fn logs_out(page: &Page) -> session_test::Result<()> {
    assert_eq!(login("rotating-logout")?, SessionStatus::Created);
    page.visit("/spa")?;
    page.eval("signOut()")?;
    Ok(())
}

#[session_test(ignore)]
fn after_the_logout(_page: &Page) -> session_test::Result<()> {
    assert_eq!(login("rotating-logout")?, SessionStatus::Created);
    Ok(())
}

#[test]
fn a_test_that_logs_out_leaves_nothing_saved() {
    let _counting = COUNTING.lock().unwrap_or_else(|e| e.into_inner());
    let app = &support::sites().app;
    let logins = app.logins();
    assert_eq!(support::run_together("logs_out", 1), (1, 0));
    // Validate failed when the test let the session go: it was dropped, not saved.
    let saved = session_test::sessions::get_session("rotating-logout").unwrap_err();
    assert_eq!(
        saved.to_string(),
        "session with id \"rotating-logout\" not found"
    );
    assert_eq!(support::run_together("after_the_logout", 1), (1, 0));
    assert_eq!(app.logins() - logins, 2, "the next use logged in again");
}

#[test]
fn a_persisted_rotating_session_crosses_two_binaries_with_one_login() {
    let app = DemoApp::start("app.localhost").unwrap();
    let dir = std::env::temp_dir().join(format!("st-rotating-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let run = |binary: &str, test: &str| {
        let shown = support::children::run_on_disk(binary, test, &app.base_url(), &dir);
        support::children::printed_after(&shown, "status: ")
    };
    assert_eq!(
        run("fixture_rotating_a", "rotating_on_disk_first"),
        "created"
    );
    assert_eq!(
        run("fixture_rotating_b", "rotating_on_disk_second"),
        "restored"
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(app.logins(), 1);
    assert_eq!(app.rejected_refreshes(), 0);
}
