//! Two users signed in at once: `cargo run --example two_users_at_once`.
//!
//! Bob asks for something on the test's own page; the admin, signed in at the same time in
//! a second browser context (`page.new_context()`), sees the request and approves it; bob
//! sees that without reloading. Each user's login is the same helper, `login(user)`, run
//! on the other page with `admin.within(..)`: one login per user for the whole suite.
//! The last test switches the one page from one user to the other instead (`session!`
//! with the other id clears the first user's state), for flows that need one at a time.

mod support;

use session_test::{expect, session, session_test, Filter, Page};
use support::{fill_login_form, sites};

/// The one login helper of the suite, for any user, on whichever page is current.
fn login(user: &str) -> session_test::Result<()> {
    sites();
    session!(["user", user], |page: &Page| fill_login_form(page, user))?;
    Ok(())
}

/// Bob asks for `what`; returns his page's line for it.
fn bob_asks(page: &Page, what: &str) -> session_test::Result<session_test::Locator> {
    page.visit("/requests")?;
    page.get_by_test_id("request-text").fill(what)?;
    page.get_by_role("button", Some("Submit")).click()?;
    let mine = page
        .get_by_test_id("request")
        .filter(Filter::has_text(what));
    expect(&mine).to_contain_text("waiting")?;
    Ok(mine)
}

#[session_test]
fn the_admin_approves_what_bob_asked_for(page: &Page) -> session_test::Result<()> {
    login("bob")?;
    let admin = page.new_context()?;
    admin.within(|| login("admin"))?;
    let mine = bob_asks(page, "a laptop")?;
    admin.visit("/requests")?;
    let request = admin
        .get_by_test_id("request")
        .filter(Filter::has_text("a laptop"));
    expect(&request).to_contain_text("(by bob)")?;
    request.get_by_role("button", Some("Approve")).click()?;
    expect(&mine).to_contain_text("approved")
}

#[session_test]
fn bob_sees_only_his_own_requests(page: &Page) -> session_test::Result<()> {
    login("bob")?;
    bob_asks(page, "a desk")?;
    let carol = page.new_context()?;
    carol.within(|| login("carol"))?;
    carol.visit("/requests")?;
    expect(&carol.locator("#who")).to_have_text("carol")?;
    expect(&carol.get_by_test_id("request")).to_have_count(0)
}

#[session_test]
fn the_admin_sees_every_request(page: &Page) -> session_test::Result<()> {
    login("admin")?;
    let bob = page.new_context()?;
    bob.within(|| login("bob"))?;
    bob_asks(&bob, "a chair")?;
    page.visit("/requests")?;
    let request = page
        .get_by_test_id("request")
        .filter(Filter::has_text("a chair"));
    expect(&request).to_contain_text("(by bob): waiting")
}

#[session_test]
fn switching_users_on_one_page(page: &Page) -> session_test::Result<()> {
    login("bob")?;
    page.visit("/home")?;
    expect(&page.locator("#hello")).to_have_text("hello bob")?;
    login("admin")?;
    page.visit("/home")?;
    expect(&page.locator("#hello")).to_have_text("hello admin")
}

fn main() {
    support::run_tests_then_print_logins(|sites| sites.app.logins());
}
