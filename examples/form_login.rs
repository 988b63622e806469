//! A form login, once for the whole suite: `cargo run --example form_login`.
//!
//! The first test fills the login form; the others restore its cookie in milliseconds.

use std::sync::OnceLock;

use session_test::{expect, session, session_test, Page};
use session_test_demo_app::DemoSites;

fn sites() -> &'static DemoSites {
    static SITES: OnceLock<DemoSites> = OnceLock::new();
    SITES.get_or_init(|| {
        let sites = DemoSites::start().expect("start the demo app");
        session_test::config::set_base_url(sites.app.base_url());
        sites
    })
}

/// Logs `user` in through the form; validated by `/whoami`.
fn login(user: &str) -> session_test::Result<()> {
    sites();
    session!(
        ["form", user],
        |page: &Page| {
            page.visit("/login")?;
            page.get_by_test_id("name").fill(user)?;
            page.get_by_test_id("password").fill("s3cr3t")?;
            page.get_by_role("button", Some("Log in")).click()
        },
        validate = |page: &Page| Ok(page.request().get("/whoami")?.status() == 200)
    )?;
    Ok(())
}

#[session_test]
fn greets_alice(page: &Page) -> session_test::Result<()> {
    login("alice")?;
    page.visit("/home")?;
    expect(&page.locator("#hello")).to_have_text("hello alice")
}

#[session_test]
fn greets_alice_again(page: &Page) -> session_test::Result<()> {
    login("alice")?;
    page.visit("/home")?;
    expect(&page.locator("#hello")).to_have_text("hello alice")
}

fn main() {
    let conclusion =
        session_test::harness::run_tests(&session_test::harness::Arguments::from_args());
    println!("server logins: {}", sites().app.logins());
    conclusion.exit();
}
