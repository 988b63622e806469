//! `max_age = N` on sessions kept in memory: once the setup ran more than N seconds ago, the
//! next use runs setup again (`Recreated`). The session clock is moved forward; nothing
//! waits. Its own binary, since the clock is the process's.

mod support;

use std::time::Duration;

use session_test::{define_session, session, session_test, use_session, Page, SessionStatus};

fn form_login(page: &Page) -> session_test::Result<()> {
    page.visit("/login")?;
    page.get_by_test_id("name").fill("max")?;
    page.get_by_test_id("password").fill("s3cr3t")?;
    page.get_by_role("button", Some("Log in")).click()
}

fn login() -> session_test::Result<SessionStatus> {
    support::sites();
    session!("max-age", form_login, max_age = 1800)
}

define_session!(max_age_defined, setup = form_login, max_age = 1800);

#[session_test]
fn a_session_past_its_max_age_is_recreated(_page: &Page) -> session_test::Result<()> {
    let app = &support::sites().app;
    let before = app.logins();
    assert_eq!(login()?, SessionStatus::Created);
    assert_eq!(use_session!(max_age_defined)?, SessionStatus::Created);
    session_test::__private::advance_session_clock(Duration::from_secs(1700));
    assert_eq!(login()?, SessionStatus::Restored, "29 minutes: still young");
    assert_eq!(use_session!(max_age_defined)?, SessionStatus::Restored);
    session_test::__private::advance_session_clock(Duration::from_secs(200));
    assert_eq!(login()?, SessionStatus::Recreated, "31 minutes: too old");
    assert_eq!(use_session!(max_age_defined)?, SessionStatus::Recreated);
    assert_eq!(login()?, SessionStatus::Restored, "the new one is young");
    assert_eq!(app.logins() - before, 4);
    Ok(())
}
