//! A login on another site that sets the app's cookie through a redirect (single sign-on):
//! `cargo run --example cross_origin_login`.
//!
//! The auth site checks the password and redirects to the app's callback, which sets the
//! app's session cookie. The session captures cookies of every domain, so later tests are
//! logged in on the app without visiting the auth site.

mod support;

use session_test::{expect, session, session_test, Page};
use support::sites;

fn login(user: &str) -> session_test::Result<()> {
    let sites = sites();
    session!(
        ["sso", user],
        |page: &Page| {
            let back = sites.app.url("/sso/callback");
            page.visit(
                &sites
                    .auth
                    .url(&format!("/sso?name={user}&password=s3cr3t&return={back}")),
            )?;
            // auth → app's callback (sets the cookie) → /home
            expect(page).to_have_url(sites.app.url("/home"))
        },
        validate = |page: &Page| Ok(page.request().get("/whoami")?.status() == 200)
    )?;
    Ok(())
}

#[session_test]
fn logged_in_on_the_app(page: &Page) -> session_test::Result<()> {
    login("erin")?;
    page.visit("/home")?;
    expect(&page.locator("#hello")).to_have_text("hello erin")
}

#[session_test]
fn still_logged_in(page: &Page) -> session_test::Result<()> {
    login("erin")?;
    page.visit("/home")?;
    expect(&page.locator("#hello")).to_have_text("hello erin")
}

fn main() {
    support::run_tests_then_print_logins(|sites| sites.app.logins() + sites.auth.logins());
}
