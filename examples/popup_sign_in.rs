//! Sign-in in a popup: `cargo run --example popup_sign_in`.
//!
//! The app opens its identity provider's login in a popup (oidc-client-ts's `signinPopup`,
//! MSAL's `loginPopup`, "Sign in with Google"); the provider's callback page hands a token to
//! the app's window and closes itself. `wait_for_popup` gives the test that popup as a
//! `Page`; the session covers both tabs, so later tests restore it: three tests, one login.

mod support;

use session_test::{expect, session, session_test, Page};
use support::sites;

/// The app, told where its identity provider is.
fn app() -> String {
    let sites = sites();
    format!("/popup/app?auth={}", sites.auth.base_url())
}

fn sign_in(page: &Page) -> session_test::Result<()> {
    page.visit(&app())?;
    let popup = page.wait_for_popup(|| page.click("#sign-in"))?;
    popup.fill("[data-test=name]", "alice")?;
    popup.fill("[data-test=password]", "s3cr3t")?;
    // The provider redirects to the app's callback page, which closes the popup.
    popup.click("#submit")?;
    expect(&page.locator("#who")).to_have_text("alice")
}

fn login() -> session_test::Result<()> {
    session!(
        "alice-popup",
        sign_in,
        validate = |page: &Page| {
            page.visit(&app())?;
            expect(&page.locator("#who")).to_have_text("alice")?;
            Ok(true)
        }
    )?;
    Ok(())
}

#[session_test]
fn sees_her_name(page: &Page) -> session_test::Result<()> {
    login()?;
    page.visit(&app())?;
    expect(&page.locator("#who")).to_have_text("alice")
}

#[session_test]
fn is_still_signed_in(page: &Page) -> session_test::Result<()> {
    login()?;
    page.visit(&app())?;
    expect(&page.locator("#who")).to_have_text("alice")
}

#[session_test]
fn a_new_tab_is_signed_in_too(page: &Page) -> session_test::Result<()> {
    login()?;
    // A tab the app opens (here from the provider's site) gets the restored localStorage.
    let url = sites().app.url(&app());
    page.visit(
        &sites()
            .auth
            .url(&format!("/popup/opener?url={}", encode(&url))),
    )?;
    let tab = page.wait_for_popup(|| page.click("#new-tab"))?;
    expect(&tab.locator("#who")).to_have_text("alice")
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn main() {
    let mut args = session_test::harness::Arguments::from_args();
    // One at a time, so the one login is exact (two tests at once may both log in first).
    args.test_threads.get_or_insert(1);
    let conclusion = session_test::harness::run_tests(&args);
    let s = sites();
    println!("server logins: {}", s.app.logins() + s.auth.logins());
    conclusion.exit();
}
