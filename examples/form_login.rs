//! A form login, once for the whole suite: `cargo run --example form_login`.
//!
//! The first test fills the login form; the others restore its cookie in milliseconds.

mod support;

use session_test::{expect, session, session_test, Page};
use support::{fill_login_form, sites};

/// Logs `user` in through the form; validated by `/whoami`.
fn login(user: &str) -> session_test::Result<()> {
    sites();
    session!(
        ["form", user],
        |page: &Page| fill_login_form(page, user),
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
    support::run_tests_then_print_logins(|sites| sites.app.logins());
}
