//! Logging in through the API instead of the form: `cargo run --example api_login`.
//!
//! `page.request()` posts the credentials; the session cookie it gets back lands in the
//! page's own cookie jar, so the browser is logged in without ever showing the form.

mod support;

use session_test::{expect, session, session_test, Page};
use support::sites;

fn login(user: &str) -> session_test::Result<()> {
    sites();
    session!(
        ["api", user],
        |page: &Page| {
            let reply = page.request().post_json(
                "/api/login",
                &serde_json::json!({ "name": user, "password": "s3cr3t" }),
            )?;
            match reply.status() {
                200 => Ok(()),
                status => Err(session_test::Error::msg(format!(
                    "API login: HTTP {status}"
                ))),
            }
        },
        validate = |page: &Page| Ok(page.request().get("/whoami")?.status() == 200)
    )?;
    Ok(())
}

#[session_test]
fn home_after_an_api_login(page: &Page) -> session_test::Result<()> {
    login("carol")?;
    page.visit("/home")?;
    expect(&page.locator("#hello")).to_have_text("hello carol")
}

#[session_test]
fn whoami_after_an_api_login(page: &Page) -> session_test::Result<()> {
    login("carol")?;
    let who: serde_json::Value = page.request().get("/whoami")?.json()?;
    assert_eq!(who["name"], "carol");
    Ok(())
}

fn main() {
    support::run_tests_then_print_logins(|sites| sites.app.logins());
}
