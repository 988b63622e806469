//! What the examples share: the demo app's two sites, started once per example process
//! (the app site is the base URL of relative visits), its login form, and the `main` that
//! runs an example's tests and prints the server's logins.
#![allow(dead_code)]

use std::sync::OnceLock;

use session_test::Page;
use session_test_demo_app::DemoSites;

/// Both demo sites, started on first use.
pub fn sites() -> &'static DemoSites {
    static SITES: OnceLock<DemoSites> = OnceLock::new();
    SITES.get_or_init(|| {
        let sites = DemoSites::start().expect("start the demo app");
        session_test::config::set_base_url(sites.app.base_url());
        sites
    })
}

/// Signs `user` in through the app's login form, as a person would.
pub fn fill_login_form(page: &Page, user: &str) -> session_test::Result<()> {
    page.visit("/login")?;
    page.get_by_test_id("name").fill(user)?;
    page.get_by_test_id("password").fill("s3cr3t")?;
    page.get_by_role("button", Some("Log in")).click()
}

/// An example's `main`: runs its tests with libtest's command line, prints how many logins
/// the servers performed (`logins`; what `tests/examples.rs` checks), and exits with the
/// outcome.
pub fn run_tests_then_print_logins(logins: impl FnOnce(&DemoSites) -> u64) -> ! {
    let conclusion =
        session_test::harness::run_tests(&session_test::harness::Arguments::from_args());
    println!("server logins: {}", logins(sites()));
    conclusion.exit()
}
