//! A sign-in widget in a cross-site iframe: `cargo run --example iframe_widget`.
//!
//! The app embeds its identity provider's widget in an iframe of another site; the widget
//! keeps its token in its own localStorage, which Chromium partitions by the embedding site.
//! `frame_locator` reaches into the iframe, and the session captures and restores that
//! partition: three tests, one login.

mod support;

use session_test::{expect, session, session_test, Page};
use support::sites;

/// The app's page with the widget, told where the provider is.
fn host() -> String {
    format!("/widget/host?auth={}", sites().auth.base_url())
}

fn sign_in(page: &Page) -> session_test::Result<()> {
    page.visit(&host())?;
    let widget = page.frame_locator("#widget");
    widget.locator("[data-test=name]").fill("alice")?;
    widget.locator("[data-test=password]").fill("s3cr3t")?;
    widget.get_by_role("button", Some("Sign in")).click()?;
    expect(&widget.locator("#who")).to_have_text("alice")
}

fn login() -> session_test::Result<()> {
    session!("alice-widget", sign_in)?;
    Ok(())
}

macro_rules! tests {
    ($($name:ident),*) => {$(
        #[session_test]
        fn $name(page: &Page) -> session_test::Result<()> {
            login()?;
            page.visit(&host())?;
            expect(&page.frame_locator("#widget").locator("#who")).to_have_text("alice")
        }
    )*};
}

tests!(shows_her_name, still_signed_in, signed_in_once_more);

fn main() {
    let mut args = session_test::harness::Arguments::from_args();
    // One at a time, so the one login is exact.
    args.test_threads.get_or_insert(1);
    let conclusion = session_test::harness::run_tests(&args);
    let s = sites();
    println!("server logins: {}", s.app.logins() + s.auth.logins());
    conclusion.exit();
}
