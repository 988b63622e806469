//! An app whose pages a service worker controls (the demo's `/sw/app` installs one for the
//! whole origin that answers other navigations itself, marking localStorage): its session
//! captures and restores like any other, and the stub documents that read an origin's
//! storage are never answered by the app's service worker.

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use session_test::{expect, session, session_test, Fulfill, Page, SessionStatus};

const MARK: &str = "answered-by-service-worker";

fn login() -> session_test::Result<SessionStatus> {
    support::sites();
    session!(
        "service-worker",
        |page: &Page| {
            page.visit("/sw/app")?;
            assert_eq!(page.eval("ready()")?, true, "the service worker took over");
            page.eval("localStorage.setItem('token', 't-42')")?;
            Ok(())
        },
        // Ends away from the app, so that the capture reads its origin in a stub document.
        validate = |page: &Page| {
            page.visit("/sw/app")?;
            let controlled = page.eval("ready()")? == true;
            page.visit("about:blank")?;
            Ok(controlled)
        }
    )
}

#[session_test]
fn a_service_worker_app_captures_and_restores(page: &Page) -> session_test::Result<()> {
    let app = support::sites().app.base_url();
    let first = login()?;
    let saved = session_test::sessions::get_session("service-worker")?;
    let items = saved
        .local_storage
        .iter()
        .find(|o| o.origin == app)
        .expect("the app's storage was captured");
    assert_eq!(items.items.get("token"), Some("t-42"));
    assert_eq!(
        items.items.get(MARK),
        None,
        "the service worker answered a stub"
    );
    // Restored (in this test if it created it, as another test would), then read from a
    // stub while the service worker controls the origin.
    if first == SessionStatus::Created {
        assert_eq!(login()?, SessionStatus::Restored);
    }
    page.visit("/sw/app")?;
    expect(&page.locator("#token")).to_have_text("t-42")?;
    assert_eq!(page.eval("ready()")?, true);
    page.visit("about:blank")?;
    let storage = page.local_storage(&app)?;
    assert_eq!(storage.get("token"), Some("t-42"));
    assert_eq!(
        storage.get(MARK),
        None,
        "the service worker answered a stub"
    );
    Ok(())
}

/// The service worker does answer the app's own navigations: the check above can fail.
#[session_test]
fn the_service_worker_answers_the_apps_navigations(page: &Page) -> session_test::Result<()> {
    support::sites();
    page.visit("/sw/app")?;
    assert_eq!(page.eval("ready()")?, true);
    page.visit("/elsewhere")?;
    assert_eq!(page.title()?, "app shell");
    assert_eq!(
        page.eval(&format!("localStorage.getItem('{MARK}')"))?,
        "/elsewhere"
    );
    Ok(())
}

/// A service worker whose page left while it waited to start still starts and installs.
/// Chromium attaches a new worker paused until the runtime resumes it, which the worker
/// takes once its script arrives; attached through its page, it would lose that session as
/// the page left, and stay paused (its install never runs).
#[session_test]
fn a_service_worker_starts_after_the_page_that_registered_it_left(
    page: &Page,
) -> session_test::Result<()> {
    let app = &support::sites().app;
    let installed = Arc::new(AtomicBool::new(false));
    let seen = Arc::clone(&installed);
    page.route("**/sw/installed", move |route| {
        seen.store(true, Ordering::SeqCst);
        route.fulfill(Fulfill::new(204))
    })?;
    let asked_before = app.held_worker_scripts();
    page.visit("/sw/app")?;
    // Its script arrives a second after the server has the request: the worker is attached
    // (and paused) by then.
    page.eval("navigator.serviceWorker.register('/sw/held.js?ms=1000'); true")?;
    assert!(
        support::poll_until(Duration::from_secs(10), || app.held_worker_scripts()
            > asked_before),
        "the worker's script was never asked for"
    );
    page.visit("about:blank")?;
    assert!(
        support::poll_until(Duration::from_secs(10), || installed.load(Ordering::SeqCst)),
        "the service worker never installed"
    );
    Ok(())
}

/// A test's service workers are let go when it ends: none stays attached to the runtime's
/// browser session with its requests intercepted and no test's watch left to answer them
/// (the browser's session, unlike a tab's, is not detached by the reset). This one is kept
/// running past the test by a request the server never answers.
#[test]
fn a_tests_service_workers_are_let_go_when_it_ends() {
    support::sites();
    let context = std::sync::Mutex::new(String::new());
    session_test::harness::run_page_test("service_worker_kept_running", |page| {
        page.visit("/sw/app")?;
        assert_eq!(page.eval("ready()")?, true);
        page.wait_for_request("**/never", || {
            page.eval("navigator.serviceWorker.controller.postMessage({ fetch: '/never' }); true")
                .map(drop)
        })?;
        *context.lock().unwrap() = page.browser_context_id().to_string();
        Ok(())
    })
    .unwrap_or_else(|f| panic!("{f}"));
    let context = context.into_inner().unwrap();
    let targets = session_test::browser::browser()
        .and_then(|browser| {
            browser.connection().call_raw(
                None,
                "Target.getTargets",
                serde_json::json!({}),
                Duration::from_secs(10),
            )
        })
        .unwrap();
    let attached: Vec<&serde_json::Value> = targets["targetInfos"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["type"] == "service_worker" && t["browserContextId"] == *context)
        .filter(|t| t["attached"] == true)
        .collect();
    assert!(attached.is_empty(), "still attached: {attached:?}");
}
