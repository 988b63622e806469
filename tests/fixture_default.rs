//! A fixture binary on the default libtest harness, run as a child process by
//! `harness_cli.rs`. Its ignored tests fail or block on purpose.

mod support;
#[path = "support/web_app_probe.rs"]
mod web_app_probe;

use std::io::BufRead;

use session_test::{session_test, Page};

#[session_test]
fn fixture_passes(page: &Page) -> session_test::Result<()> {
    support::sites();
    page.visit("/blank")?;
    println!("browser pid: {}", page.browser_pid().unwrap_or(0));
    Ok(())
}

#[session_test]
fn fixture_other(page: &Page) -> session_test::Result<()> {
    support::sites();
    page.visit("/blank")
}

#[session_test(ignore)]
fn fixture_fails(page: &Page) -> session_test::Result<()> {
    support::sites();
    page.visit("/blank")?;
    println!("browser pid: {}", page.browser_pid().unwrap_or(0));
    assert_eq!(page.title()?, "a title the page does not have");
    Ok(())
}

#[session_test(ignore)]
fn fixture_panics(page: &Page) {
    support::sites();
    page.visit("/blank").unwrap();
    println!("browser pid: {}", page.browser_pid().unwrap_or(0));
    panic!("deliberate panic");
}

/// Prints the browser's pid, then blocks until its stdin closes (the parent kills it).
#[session_test(ignore)]
fn fixture_blocks(page: &Page) -> session_test::Result<()> {
    page.visit("about:blank")?;
    println!("browser pid: {}", page.browser_pid().unwrap_or(0));
    let mut line = String::new();
    let _ = std::io::stdin().lock().read_line(&mut line);
    Ok(())
}

/// Launches the browser, then leaves through `process::exit` (no destructors run).
#[session_test(ignore)]
fn fixture_exits(page: &Page) -> session_test::Result<()> {
    page.visit("about:blank")?;
    println!("browser pid: {}", page.browser_pid().unwrap_or(0));
    std::process::exit(3);
}
