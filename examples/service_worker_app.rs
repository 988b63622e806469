//! An offline-first app whose pages a service worker controls: `cargo run --example
//! service_worker_app`.
//!
//! The worker answers the app's navigations itself; the session captures and restores the
//! app's storage all the same (the runtime's stub documents bypass the worker): three tests,
//! one login.

use std::sync::OnceLock;

use session_test::{expect, session, session_test, Page};
use session_test_demo_app::DemoApp;

fn app() -> &'static DemoApp {
    static APP: OnceLock<DemoApp> = OnceLock::new();
    APP.get_or_init(|| {
        let app = DemoApp::start("app.localhost").expect("start the demo app");
        session_test::config::set_base_url(app.base_url());
        app
    })
}

/// Signs in through the app's API and keeps the token in localStorage, under the worker.
fn sign_in(page: &Page) -> session_test::Result<()> {
    page.visit("/sw/app")?;
    assert_eq!(page.eval("ready()")?, true, "the service worker took over");
    page.eval(
        r#"fetch('/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
                                 body: JSON.stringify({ name: 'sam', password: 's3cr3t' }) })
             .then(r => r.json()).then(b => localStorage.setItem('token', b.token))"#,
    )?;
    Ok(())
}

/// The saved token still names sam, once the app's service worker controls its page. (In a
/// new context this visit installs the worker again: a visit that starts before the worker
/// is active, as the test's next one would, stays uncontrolled, since Chromium's
/// `clients.claim()` skips a page still loading.)
fn signed_in(page: &Page) -> session_test::Result<bool> {
    page.visit("/sw/app")?;
    if page.eval("ready()")? != true {
        return Ok(false);
    }
    let token = page.eval("localStorage.getItem('token')")?;
    let token = token.as_str().unwrap_or_default();
    let reply = page
        .request()
        .header("Authorization", &format!("Bearer {token}"))
        .get("/whoami")?;
    Ok(reply.status() == 200)
}

fn login() -> session_test::Result<()> {
    app();
    session!("sam-offline", sign_in, validate = signed_in)?;
    Ok(())
}

macro_rules! tests {
    ($($name:ident),*) => {$(
        #[session_test]
        fn $name(page: &Page) -> session_test::Result<()> {
            login()?;
            page.visit("/sw/app")?;
            expect(&page.locator("#controlled")).to_have_text("controlled")?;
            assert!(signed_in(page)?, "the restored token is refused");
            Ok(())
        }
    )*};
}

tests!(opens_the_inbox, works_offline, syncs_drafts);

fn main() {
    let mut args = session_test::harness::Arguments::from_args();
    // One at a time, so the one login is exact.
    args.test_threads.get_or_insert(1);
    let conclusion = session_test::harness::run_tests(&args);
    println!("server logins: {}", app().logins());
    conclusion.exit();
}
