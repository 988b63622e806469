//! Two users in one suite, and both in one test: `cargo run --example two_users`.
//!
//! Each user is a session of its own; calling `session!` with the other id switches the
//! page's login (the first user's cookies and storage are cleared), with no logout.

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
    session!(["user", user], |page: &Page| {
        page.visit("/login")?;
        page.get_by_test_id("name").fill(user)?;
        page.get_by_test_id("password").fill("s3cr3t")?;
        page.get_by_role("button", Some("Log in")).click()
    })?;
    Ok(())
}

#[session_test]
fn alice_sees_her_name(page: &Page) -> session_test::Result<()> {
    login("alice")?;
    page.visit("/home")?;
    expect(&page.locator("#hello")).to_have_text("hello alice")
}

#[session_test]
fn bob_sees_his_name(page: &Page) -> session_test::Result<()> {
    login("bob")?;
    page.visit("/home")?;
    expect(&page.locator("#hello")).to_have_text("hello bob")
}

#[session_test]
fn switching_users_in_one_test(page: &Page) -> session_test::Result<()> {
    login("alice")?;
    page.visit("/home")?;
    expect(&page.locator("#hello")).to_have_text("hello alice")?;
    login("bob")?;
    page.visit("/home")?;
    expect(&page.locator("#hello")).to_have_text("hello bob")
}

fn main() {
    let conclusion =
        session_test::harness::run_tests(&session_test::harness::Arguments::from_args());
    println!("server logins: {}", sites().app.logins());
    conclusion.exit();
}
