//! Refresh tokens that rotate: `cargo run --example rotating_tokens`.
//!
//! The app keeps OAuth tokens in localStorage and every refresh replaces the refresh token;
//! presenting a used one revokes the login (OAuth 2.1 for browser apps: Auth0, Okta, Azure
//! AD B2C). With `rotating = true` each test takes the session from where the previous test
//! left it, so no refresh token is ever presented twice: four tests, one login, no refused
//! refresh.

use std::sync::OnceLock;

use session_test::{expect, session, session_test, Page};
use session_test_demo_app::DemoApp;

fn app() -> &'static DemoApp {
    static APP: OnceLock<DemoApp> = OnceLock::new();
    APP.get_or_init(|| {
        let app = DemoApp::start("app.localhost").expect("start the demo app");
        session_test::config::set_base_url(app.base_url());
        app
    })
}

fn sign_in(page: &Page) -> session_test::Result<()> {
    page.visit("/spa")?;
    page.eval(r#"signIn("rita", "s3cr3t")"#)?;
    Ok(())
}

/// A refresh, as the app does when its access token runs out: valid while the chain stands.
fn refresh(page: &Page) -> session_test::Result<bool> {
    page.visit("/spa")?;
    Ok(page.eval("refresh()")? == "rita")
}

fn login() -> session_test::Result<()> {
    app();
    // The validate runs again when the test ends, on what the test left: a fn, or a `move`
    // closure that owns what it uses.
    session!("rita", sign_in, validate = refresh, rotating = true)?;
    Ok(())
}

macro_rules! tests {
    ($($name:ident),*) => {$(
        #[session_test]
        fn $name(page: &Page) -> session_test::Result<()> {
            login()?;
            assert!(refresh(page)?, "the refresh token was refused");
            expect(&page.locator("#who")).to_have_text("rita")
        }
    )*};
}

tests!(
    reads_the_inbox,
    sends_a_message,
    archives_a_thread,
    changes_settings
);

fn main() {
    let mut args = session_test::harness::Arguments::from_args();
    // One at a time by default, so the one login is exact; with `--test-threads 2` two tests
    // at once each hold an instance of the session (two logins), and still none is refused.
    args.test_threads.get_or_insert(1);
    let conclusion = session_test::harness::run_tests(&args);
    println!("server logins: {}", app().logins());
    println!("refused refreshes: {}", app().rejected_refreshes());
    conclusion.exit();
}
