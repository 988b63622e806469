//! A token kept in localStorage of a second origin: `cargo run --example token_second_origin`.
//!
//! The auth site's page logs in with `fetch` and stores a bearer token in its localStorage;
//! the session carries that origin's storage, so later tests open the app there logged in.

use std::sync::OnceLock;

use session_test::{expect, session, session_test, Page};
use session_test_demo_app::DemoSites;

fn sites() -> &'static DemoSites {
    static SITES: OnceLock<DemoSites> = OnceLock::new();
    SITES.get_or_init(|| DemoSites::start().expect("start the demo app"))
}

fn login(user: &str) -> session_test::Result<()> {
    let auth = &sites().auth;
    session!(["token", user], |page: &Page| {
        page.visit(&auth.url("/api-login"))?;
        page.get_by_test_id("name").fill(user)?;
        page.get_by_test_id("password").fill("s3cr3t")?;
        page.get_by_role("button", Some("Log in")).click()?;
        // The page stores the token, then shows who is logged in.
        expect(&page.locator("#hello")).to_have_text(format!("hello {user}"))
    })?;
    Ok(())
}

#[session_test]
fn the_app_reads_the_token(page: &Page) -> session_test::Result<()> {
    login("dana")?;
    page.visit(&sites().auth.url("/app"))?;
    expect(&page.locator("#hello")).to_have_text("hello dana")
}

#[session_test]
fn the_token_is_in_local_storage(page: &Page) -> session_test::Result<()> {
    login("dana")?;
    let storage = page.local_storage(&sites().auth.base_url())?;
    assert!(storage.get("token").is_some());
    Ok(())
}

fn main() {
    let conclusion =
        session_test::harness::run_tests(&session_test::harness::Arguments::from_args());
    println!("server logins: {}", sites().auth.logins());
    conclusion.exit();
}
