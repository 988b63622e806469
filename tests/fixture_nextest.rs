//! A fixture for `nextest.rs`: run by `cargo nextest` (a process per test) against one demo
//! server whose URL comes in `$DEMO_APP_URL`. Its tests are ignored in a normal run.

use session_test::{session, session_test, Page, SessionStatus};

fn app() -> String {
    std::env::var("DEMO_APP_URL").expect("DEMO_APP_URL")
}

fn log_in(page: &Page) -> session_test::Result<()> {
    page.visit(&format!("{}/login", app()))?;
    page.fill("[data-test=name]", "nia")?;
    page.fill("[data-test=password]", "s3cr3t")?;
    page.click("#submit")
}

fn logged_in(page: &Page) -> session_test::Result<bool> {
    Ok(page.request().get(&format!("{}/whoami", app()))?.status() == 200)
}

/// Kept for the process only: under nextest, every test process logs in again.
fn in_memory() -> session_test::Result<SessionStatus> {
    session!(["nextest", "memory"], log_in, validate = logged_in)
}

/// Kept on disk: later test processes restore it.
fn on_disk() -> session_test::Result<SessionStatus> {
    session!(
        ["nextest", "disk"],
        log_in,
        validate = logged_in,
        persist = true
    )
}

fn check(page: &Page, test: &str, status: SessionStatus) -> session_test::Result<()> {
    println!("status of {test}: {status}");
    page.visit(&format!("{}/home", app()))?;
    assert_eq!(page.text("#hello")?, "hello nia");
    Ok(())
}

#[session_test(ignore)]
fn memory_first(page: &Page) -> session_test::Result<()> {
    let status = in_memory()?;
    check(page, "memory_first", status)
}

#[session_test(ignore)]
fn memory_second(page: &Page) -> session_test::Result<()> {
    let status = in_memory()?;
    check(page, "memory_second", status)
}

#[session_test(ignore)]
fn persisted_first(page: &Page) -> session_test::Result<()> {
    let status = on_disk()?;
    check(page, "persisted_first", status)
}

#[session_test(ignore)]
fn persisted_second(page: &Page) -> session_test::Result<()> {
    let status = on_disk()?;
    check(page, "persisted_second", status)
}
