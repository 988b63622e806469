//! SPEC B6: `#[session_test(test_isolation = false)]` tests share one context and page, one
//! at a time, and nothing but the clearing helpers clears it; isolated tests running meanwhile see none of it.
//! The three run together through the harness from one plain test, so that they share a
//! process under any runner (cargo nextest runs each test in a process of its own).

mod support;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use session_test::{session, session_test, Page, SessionStatus};

static TURN: AtomicUsize = AtomicUsize::new(0);
static SHARED_STATE_SET: AtomicBool = AtomicBool::new(false);
/// The second context the second shared test opened.
static OTHER: std::sync::Mutex<Option<Page>> = std::sync::Mutex::new(None);

/// Whichever shared test runs first leaves a cookie and a URL; the second finds both, and
/// then checks that `session!` clears nothing and leaves the page where setup left it.
fn shared_step(page: &Page) -> session_test::Result<()> {
    let app = &support::sites().app;
    assert!(!page.is_isolated());
    if TURN.fetch_add(1, Ordering::SeqCst) == 0 {
        page.visit(&app.url("/blank"))?;
        page.eval("document.cookie = 'left=by-first; path=/'")?;
        SHARED_STATE_SET.store(true, Ordering::SeqCst);
        return Ok(());
    }
    assert_eq!(page.url()?, app.url("/blank"), "the previous test's URL");
    assert_eq!(page.eval("document.cookie")?, "left=by-first");
    let status = session!("shared-page-login", |page: &Page| {
        page.visit(&app.url("/login"))?;
        page.fill("[data-test=name]", "sam")?;
        page.fill("[data-test=password]", "s3cr3t")?;
        page.click("#submit")
    })?;
    assert_eq!(status, SessionStatus::Created);
    assert_eq!(
        page.url()?,
        app.url("/home"),
        "left where setup left it, not about:blank"
    );
    assert_eq!(page.text("#hello")?, "hello sam");
    let names: Vec<String> = page.cookies()?.into_iter().map(|c| c.name).collect();
    assert!(
        names.contains(&"left".to_string()),
        "session! cleared nothing: {names:?}"
    );
    // The clearing helper (D2) clears the shared page too: where isolation is off, that is
    // what it is for.
    page.eval("localStorage.setItem('k', 'v')")?;
    session_test::sessions::clear_current_session_data()?;
    assert_eq!(page.url()?, "about:blank");
    assert!(page.cookies()?.is_empty(), "cookies left");
    page.visit(&app.url("/blank"))?;
    assert_eq!(page.eval("localStorage.length")?, 0);
    // A second context opened from the shared page is isolated, and ends with this test.
    let other = page.new_context()?;
    assert!(other.is_isolated());
    assert!(other.cookies()?.is_empty());
    *OTHER.lock().unwrap() = Some(other);
    Ok(())
}

#[session_test(ignore, test_isolation = false)]
fn together_shared_a(page: &Page) -> session_test::Result<()> {
    shared_step(page)
}

#[session_test(ignore, test_isolation = false)]
fn together_shared_b(page: &Page) -> session_test::Result<()> {
    shared_step(page)
}

#[session_test(ignore)]
fn together_isolated_alongside_sees_none_of_it(page: &Page) -> session_test::Result<()> {
    let app = &support::sites().app;
    assert!(
        support::poll_until(std::time::Duration::from_secs(60), || {
            SHARED_STATE_SET.load(Ordering::SeqCst)
        }),
        "the shared tests never ran"
    );
    assert!(page.is_isolated());
    assert_eq!(page.url()?, "about:blank");
    assert!(page.cookies()?.is_empty());
    page.visit(&app.url("/blank"))?;
    assert_eq!(page.eval("document.cookie")?, "");
    Ok(())
}

#[test]
fn non_isolated_tests_share_one_page_and_isolated_ones_see_none_of_it() {
    assert_eq!(support::run_together("together_", 3), (3, 0));
    let other = OTHER
        .lock()
        .unwrap()
        .take()
        .expect("a second context was opened");
    assert!(other.is_closed(), "the second context ended with its test");
    let late = other.eval("1").unwrap_err().to_string();
    assert!(late.contains("has ended"), "{late}");
}
