//! Sessions that expire on the server: `cargo run --example session_age`.
//!
//! The app's server forgets a login after some time, with no cookie expiry to say so.
//! `max_age = 1800` sets the session up again once its setup is 30 minutes old (status
//! `Recreated`), and restores it until then: three tests, one login.

use std::sync::OnceLock;

use session_test::{expect, session, session_test, Page, SessionStatus};
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
    page.visit("/login")?;
    page.fill("[data-test=name]", "olga")?;
    page.fill("[data-test=password]", "s3cr3t")?;
    page.click("#submit")
}

fn login() -> session_test::Result<SessionStatus> {
    app();
    session!("olga", sign_in, max_age = 1800)
}

#[session_test]
fn logs_in_first(page: &Page) -> session_test::Result<()> {
    login()?;
    page.visit("/home")?;
    expect(&page.locator("#hello")).to_have_text("hello olga")
}

#[session_test]
fn is_restored_within_the_half_hour(page: &Page) -> session_test::Result<()> {
    login()?;
    page.visit("/home")?;
    expect(&page.locator("#hello")).to_have_text("hello olga")
}

#[session_test]
fn is_restored_again(page: &Page) -> session_test::Result<()> {
    login()?;
    page.visit("/home")?;
    expect(&page.locator("#hello")).to_have_text("hello olga")
}

fn main() {
    let mut args = session_test::harness::Arguments::from_args();
    // One at a time, so the one login is exact: the first test sets the session up, the
    // others restore it.
    args.test_threads.get_or_insert(1);
    let conclusion = session_test::harness::run_tests(&args);
    println!("server logins: {}", app().logins());
    conclusion.exit();
}
