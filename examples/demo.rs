//! The example suite that `make demo` runs against the demo app (two sites).
//!
//! Every test logs in through the login form or the API first, as suites do before
//! `session!`: the summary at the end counts the logins the server performed.

use std::sync::OnceLock;
use std::time::Instant;

use session_test::{session_test, Page};
use session_test_demo_app::DemoSites;

fn sites() -> &'static DemoSites {
    static SITES: OnceLock<DemoSites> = OnceLock::new();
    SITES.get_or_init(|| {
        let sites = DemoSites::start().expect("start the demo app");
        session_test::set_base_url(sites.app.base_url());
        sites
    })
}

/// Shared login helpers, as a suite keeps them.
mod login {
    use super::*;

    pub fn with_form(page: &Page, user: &str) -> session_test::Result<()> {
        sites();
        page.visit("/login")?;
        page.fill("[data-test=name]", user)?;
        page.fill("[data-test=password]", "s3cr3t")?;
        page.click("#submit")
    }

    pub fn with_api(page: &Page, user: &str) -> session_test::Result<()> {
        page.visit(&sites().auth.url("/api-login"))?;
        page.fill("[data-test=name]", user)?;
        page.fill("[data-test=password]", "s3cr3t")?;
        page.click("#submit")?;
        page.wait_for("#hello:not(:empty)")
    }
}

mod home {
    use super::*;

    #[session_test]
    fn greets_alice(page: &Page) -> session_test::Result<()> {
        login::with_form(page, "alice")?;
        assert_eq!(page.text("#hello")?, "hello alice");
        Ok(())
    }

    #[session_test]
    fn greets_bob(page: &Page) -> session_test::Result<()> {
        login::with_form(page, "bob")?;
        assert_eq!(page.text("#hello")?, "hello bob");
        Ok(())
    }

    #[session_test]
    fn home_again(page: &Page) -> session_test::Result<()> {
        login::with_form(page, "alice")?;
        page.visit("/home")?;
        assert_eq!(page.text("#hello")?, "hello alice");
        Ok(())
    }
}

mod api {
    use super::*;

    #[session_test]
    fn token_app_greets(page: &Page) -> session_test::Result<()> {
        login::with_api(page, "carol")?;
        assert_eq!(page.text("#hello")?, "hello carol");
        Ok(())
    }

    #[session_test]
    fn token_is_kept(page: &Page) -> session_test::Result<()> {
        login::with_api(page, "carol")?;
        let token = page.local_storage(&sites().auth.base_url())?;
        assert!(token.get("token").is_some());
        Ok(())
    }
}

mod both {
    use super::*;

    #[session_test]
    fn logged_in_on_both_sites(page: &Page) -> session_test::Result<()> {
        login::with_form(page, "dave")?;
        login::with_api(page, "dave")?;
        page.visit("/home")?;
        assert_eq!(page.text("#hello")?, "hello dave");
        Ok(())
    }
}

fn main() {
    let started = Instant::now();
    let sites = sites();
    let args = session_test::Arguments::from_args();
    let conclusion = session_test::run_tests(&args);
    println!(
        "\ndemo: {} tests passed, {} failed; the server performed {} logins for {} tests \
         that needed one ({:.1} s)",
        conclusion.num_passed,
        conclusion.num_failed,
        sites.logins(),
        conclusion.num_passed + conclusion.num_failed,
        started.elapsed().as_secs_f64()
    );
    conclusion.exit();
}
