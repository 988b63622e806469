//! A fixture binary on `session_test::main!()` (harness = false), run as a child process
//! by `harness_cli.rs`.

mod support;

use session_test::{session_test, Page};

#[session_test]
fn alpha_passes(page: &Page) -> session_test::Result<()> {
    support::sites();
    page.visit("/blank")?;
    println!("browser pid: {}", page.browser_pid().unwrap_or(0));
    Ok(())
}

#[session_test]
fn beta_passes(page: &Page) -> session_test::Result<()> {
    support::sites();
    page.visit("/login")?;
    page.wait_for("#submit")
}

mod nested {
    use super::*;

    #[session_test]
    fn gamma_in_module(page: &Page) -> session_test::Result<()> {
        support::sites();
        page.visit("/blank")
    }
}

#[session_test(ignore, timeout = 4)]
fn failing_on_purpose(page: &Page) -> session_test::Result<()> {
    support::sites();
    page.visit("/login")?;
    page.text("#no-such-element-here").map(|_| ())
}

session_test::main!();
