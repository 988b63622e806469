//! A login on another site that sets the app's cookie through a redirect (single sign-on):
//! `cargo run --example cross_origin_login`.
//!
//! The auth site checks the password and redirects to the app's callback, which sets the
//! app's session cookie. The session captures cookies of every domain, so later tests are
//! logged in on the app without visiting the auth site.

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
    let conclusion =
        session_test::harness::run_tests(&session_test::harness::Arguments::from_args());
    let s = sites();
    println!("server logins: {}", s.app.logins() + s.auth.logins());
    conclusion.exit();
}
