//! SPEC D1 in its own process: clearing every saved session would disturb other tests.

use session_test::{session, session_test, Page, SessionStatus};
use session_test_demo_app::DemoSites;

#[session_test]
fn clear_all_saved_sessions_forgets_everything_and_clears_the_page(
    page: &Page,
) -> session_test::Result<()> {
    let sites = DemoSites::start()?;
    let login = |user: &'static str| {
        session!(["clear-all", user], |page: &Page| {
            page.visit(&sites.app.url("/login"))?;
            page.fill("[data-test=name]", user)?;
            page.fill("[data-test=password]", "s3cr3t")?;
            page.click("#submit")
        })
    };
    login("a")?;
    login("b")?;
    assert_eq!(login("a")?, SessionStatus::Restored);
    assert!(!page.cookies()?.is_empty());
    session_test::sessions::clear_all_saved_sessions()?;
    assert!(
        page.cookies()?.is_empty(),
        "the current page's data is cleared"
    );
    assert!(session_test::sessions::get_session(&["clear-all", "a"]).is_err());
    assert_eq!(login("a")?, SessionStatus::Created);
    assert_eq!(login("b")?, SessionStatus::Created);
    assert_eq!(sites.app.logins(), 4);
    Ok(())
}
