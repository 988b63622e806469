//! Passkeys: `cargo run --example passkey_login`.
//!
//! The demo app signs users up and in with passkeys, verified on its server by a WebAuthn
//! library with the strict signature-counter rule (an assertion whose counter does not grow
//! is refused). The session registers the passkey once (`passkeys = true`); each later test
//! restores it, key and counter, and proves it again before something sensitive (a step-up):
//! three tests, one registration, one login, no refused counter.

use std::sync::OnceLock;

use session_test::{expect, session, session_test, Page};
use session_test_demo_app::DemoApp;

/// The demo app, started by `main` before the tests run.
static APP: OnceLock<DemoApp> = OnceLock::new();

/// Signs up with a passkey (the registration); the app signs the new user in.
fn sign_up(page: &Page) -> session_test::Result<()> {
    page.visit("/passkey")?;
    assert_eq!(page.eval(r#"signUp("alice")"#)?, "alice");
    Ok(())
}

/// Signed in while the app's session cookie is good.
fn signed_in(page: &Page) -> session_test::Result<bool> {
    Ok(page.request().get("/whoami")?.status() == 200)
}

/// Signed in with the passkey, and the key proved again to the server before something
/// sensitive (a step-up).
fn signed_in_with_the_key(page: &Page) -> session_test::Result<()> {
    session!(
        "alice-passkey",
        sign_up,
        validate = signed_in,
        passkeys = true
    )?;
    page.visit("/passkey")?;
    assert_eq!(
        page.eval("stepUp()")?,
        "alice",
        "the server refused the passkey"
    );
    expect(&page.locator("#who")).to_have_text("alice")
}

#[session_test]
fn changes_the_password(page: &Page) -> session_test::Result<()> {
    signed_in_with_the_key(page)
}

#[session_test]
fn exports_the_data(page: &Page) -> session_test::Result<()> {
    signed_in_with_the_key(page)
}

#[session_test]
fn deletes_a_device(page: &Page) -> session_test::Result<()> {
    signed_in_with_the_key(page)
}

fn main() {
    let app = APP.get_or_init(|| DemoApp::start("app.localhost").expect("start the demo app"));
    session_test::config::set_base_url(app.base_url());
    // One at a time, so the one registration is exact (a passkey session is held by one
    // test; with more threads each test that finds it held registers a passkey of its own).
    let mut args = session_test::harness::Arguments::from_args();
    args.test_threads.get_or_insert(1);
    let conclusion = session_test::harness::run_tests(&args);
    let counts = [
        ("server logins", app.logins()),
        ("passkey registrations", app.passkey_registrations()),
        ("passkey step-ups", app.passkey_assertions()),
        ("refused counters", app.refused_passkey_counters()),
    ];
    for (what, count) in counts {
        println!("{what}: {count}");
    }
    conclusion.exit();
}
