//! Network control in a suite: `cargo run --example network`.
//!
//! The app keeps OAuth tokens in localStorage and reads the user's name from the identity
//! provider's userinfo, refreshing its token on a 401. The login waits for its own POST; one
//! test stubs the provider's userinfo, one makes it answer 401 once so that the app
//! refreshes, and one changes the real answer on its way to the page. Four tests, one login.

use std::sync::LazyLock;

use session_test::{expect, session, session_test, Fulfill, Page};
use session_test_demo_app::DemoApp;

/// The demo app, started by the first test that logs in; pages visit it by relative paths.
static APP: LazyLock<DemoApp> = LazyLock::new(|| {
    let app = DemoApp::start("app.localhost").expect("start the demo app");
    session_test::config::set_base_url(app.base_url());
    app
});

/// Signs in, and checks the login POST the page sent: a password grant.
fn sign_in(page: &Page) -> session_test::Result<()> {
    page.visit("/spa")?;
    let post = page.wait_for_request("**/oauth/token", || {
        page.eval(r#"signIn("rita", "s3cr3t"); true"#).map(drop)
    })?;
    assert_eq!(post.method(), "POST");
    assert!(post
        .post_data()
        .unwrap_or_default()
        .contains("grant_type=password"));
    expect(&page.locator("#who")).to_have_text("rita")
}

/// A refresh, as the app does when its access token runs out: valid while the chain stands.
fn refresh(page: &Page) -> session_test::Result<bool> {
    page.visit("/spa")?;
    Ok(page.eval("refresh()")? == "rita")
}

/// The session: refreshes rotate the refresh token, so each test takes it on from the last.
fn login(page: &Page) -> session_test::Result<()> {
    LazyLock::force(&APP);
    session!("rita", sign_in, validate = refresh, rotating = true)?;
    page.visit("/spa")
}

#[session_test]
fn shows_the_real_profile(page: &Page) -> session_test::Result<()> {
    login(page)?;
    assert_eq!(page.eval("profile()")?, "rita");
    Ok(())
}

#[session_test]
fn shows_a_stubbed_profile(page: &Page) -> session_test::Result<()> {
    login(page)?;
    page.route("**/oauth/userinfo", |route| {
        route.fulfill(Fulfill::json(200, &serde_json::json!({ "name": "stub" })))
    })?;
    assert_eq!(page.eval("profile()")?, "stub");
    expect(&page.locator("#who")).to_have_text("stub")
}

#[session_test]
fn refreshes_its_token_after_a_401(page: &Page) -> session_test::Result<()> {
    login(page)?;
    // The provider refuses the access token once, as when it ran out.
    page.context()
        .route_times("**/oauth/userinfo", 1, |route| {
            route.fulfill(Fulfill::json(
                401,
                &serde_json::json!({ "error": "invalid_token" }),
            ))
        })?;
    let refreshed = page.wait_for_response("**/oauth/token", || {
        assert_eq!(page.eval("profile()")?, "rita");
        Ok(())
    })?;
    assert_eq!(refreshed.status(), 200);
    let grant = refreshed.request().post_data().unwrap_or_default();
    assert!(grant.contains("grant_type=refresh_token"), "{grant}");
    Ok(())
}

#[session_test]
fn changes_the_real_answer_on_its_way(page: &Page) -> session_test::Result<()> {
    login(page)?;
    page.route("**/oauth/userinfo", |route| {
        let real = route.fetch()?;
        let mut user: serde_json::Value = real.json()?;
        user["name"] = format!("{} (changed)", user["name"].as_str().unwrap_or_default()).into();
        route.fulfill(Fulfill::from(&real).body(user.to_string()))
    })?;
    assert_eq!(page.eval("profile()")?, "rita (changed)");
    Ok(())
}

fn main() {
    let mut args = session_test::harness::Arguments::from_args();
    // One at a time, so the one login is exact (a rotating session is held by one test).
    args.test_threads.get_or_insert(1);
    let conclusion = session_test::harness::run_tests(&args);
    println!("server logins: {}", APP.logins());
    conclusion.exit();
}
