//! Logging in through the API instead of the form: `cargo run --example api_login`.
//!
//! `page.request()` posts the credentials; the session cookie it gets back lands in the
//! page's own cookie jar, so the browser is logged in without ever showing the form.

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
    let conclusion =
        session_test::harness::run_tests(&session_test::harness::Arguments::from_args());
    println!("server logins: {}", sites().app.logins());
    conclusion.exit();
}
