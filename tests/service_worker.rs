//! An app whose pages a service worker controls (the demo's `/sw/app` installs one for the
//! whole origin that answers other navigations itself, marking localStorage): its session
//! captures and restores like any other, and the stub documents that read an origin's
//! storage are never answered by the app's service worker.

mod support;

use session_test::{expect, session, session_test, Page, SessionStatus};

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
