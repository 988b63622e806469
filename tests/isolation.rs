//! B5: tests running in parallel threads never see each other's cookies or storage.
//! Two tests meet at a rendezvous after both have written, then each checks its own view.
//! They are run together by one plain test through the harness, so that they share a process
//! under any runner (cargo nextest runs each test in a process of its own).

mod support;

use std::sync::{Condvar, Mutex};
use std::time::Duration;

use session_test::{session_test, Page};

static ARRIVED: Mutex<u32> = Mutex::new(0);
static BOTH: Condvar = Condvar::new();

/// Blocks until both tests have written their data (bounded, with a clear failure).
fn rendezvous() {
    let mut arrived = ARRIVED.lock().unwrap();
    *arrived += 1;
    BOTH.notify_all();
    let (arrived, timeout) = BOTH
        .wait_timeout_while(arrived, Duration::from_secs(60), |n| *n < 2)
        .unwrap();
    assert!(
        !timeout.timed_out() || *arrived >= 2,
        "the other isolation test never ran alongside this one (needs --test-threads >= 2)"
    );
}

fn write_then_check(page: &Page, me: &str) -> session_test::Result<()> {
    let sites = support::sites();
    page.visit("/blank")?;
    page.eval(&format!(
        "document.cookie = 'who={me}; path=/'; localStorage.setItem('who', '{me}'); \
         sessionStorage.setItem('who', '{me}')"
    ))?;
    rendezvous();
    page.visit("/blank")?;
    assert_eq!(page.eval("document.cookie")?, format!("who={me}"));
    assert_eq!(page.eval("localStorage.getItem('who')")?, me);
    let cookies = page.cookies()?;
    assert_eq!(cookies.len(), 1, "{cookies:?}");
    assert_eq!(cookies[0].value, me);
    let origin = sites.app.base_url();
    assert_eq!(page.local_storage(&origin)?.get("who"), Some(me));
    assert_eq!(page.session_storage(&origin)?.get("who"), Some(me));
    Ok(())
}

#[session_test(ignore)]
fn together_isolated_a(page: &Page) -> session_test::Result<()> {
    write_then_check(page, "a")
}

#[session_test(ignore)]
fn together_isolated_b(page: &Page) -> session_test::Result<()> {
    write_then_check(page, "b")
}

#[test]
fn parallel_tests_never_see_each_others_cookies_or_storage() {
    assert_eq!(support::run_together("together_", 2), (2, 0));
}

/// A browser context is reset and kept for at most 100 tests, then disposed and a new one
/// made: its renderer, kept across resets, would get slower test after test.
#[test]
fn a_context_serves_at_most_a_hundred_tests() {
    let mut served: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for i in 0..101 {
        let context = Mutex::new(String::new());
        session_test::harness::run_page_test(&format!("served_{i}"), |page| {
            *context.lock().unwrap() = page.browser_context_id().to_string();
            Ok(())
        })
        .unwrap_or_else(|f| panic!("{f}"));
        *served.entry(context.into_inner().unwrap()).or_default() += 1;
    }
    let most = served.values().copied().max().unwrap_or(0);
    // Other tests of the process (under cargo test) may take a kept context in between.
    assert!(most >= 2, "contexts were reused: {served:?}");
    assert!(most <= 100, "a context served {most} tests");
}
