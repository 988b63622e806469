//! The example suite that `make demo` runs against the demo app (two sites).
//!
//! Twelve tests in three modules share two login helpers, each wrapping `session!`: a form
//! login on the app site, an API login whose token the auth site keeps in localStorage, and
//! a session combining both. The summary compares logins the server performed with the
//! tests that needed one.

mod support;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use session_test::{expect, session, session_test, Page};
use support::sites;

static NEEDED_LOGIN: AtomicU64 = AtomicU64::new(0);

/// Shared login helpers, as a suite keeps them (e.g. in `tests/support/`).
mod login {
    use super::*;

    /// Form login on the app site; the session cookie is HttpOnly.
    pub fn as_user(user: &str) -> session_test::Result<()> {
        NEEDED_LOGIN.fetch_add(1, Ordering::SeqCst);
        let status = session!(
            ["form", user],
            |page: &Page| {
                page.visit("/login")?;
                page.get_by_test_id("name").fill(user)?;
                page.get_by_test_id("password").fill("s3cr3t")?;
                page.get_by_role("button", Some("Log in")).click()?;
                page.set_session_storage(&sites().app.base_url(), "tab", "opened")
            },
            validate = |page: &Page| Ok(page.request().get("/whoami")?.status() == 200)
        )?;
        println!("    session [form, {user}]: {status}");
        Ok(())
    }

    /// API login against the auth site, token kept in its localStorage.
    pub fn with_token(user: &str) -> session_test::Result<()> {
        NEEDED_LOGIN.fetch_add(1, Ordering::SeqCst);
        let auth = &sites().auth;
        let status = session!(["token", user], |page: &Page| {
            let reply = page.request().post_json(
                &auth.url("/api/login"),
                &serde_json::json!({ "name": user, "password": "s3cr3t" }),
            )?;
            let token: serde_json::Value = reply.json()?;
            page.set_local_storage(
                &auth.base_url(),
                "token",
                token["token"].as_str().unwrap_or(""),
            )
        })?;
        println!("    session [token, {user}]: {status}");
        Ok(())
    }

    /// Both at once: one session holding the cookie of one site and the token of the other.
    pub fn everywhere(user: &str) -> session_test::Result<()> {
        NEEDED_LOGIN.fetch_add(1, Ordering::SeqCst);
        let status = session!(["both", user], |page: &Page| {
            let auth = &sites().auth;
            page.visit("/login")?;
            page.get_by_test_id("name").fill(user)?;
            page.get_by_test_id("password").fill("s3cr3t")?;
            page.get_by_role("button", Some("Log in")).click()?;
            page.visit(&auth.url("/api-login"))?;
            page.get_by_test_id("name").fill(user)?;
            page.get_by_test_id("password").fill("s3cr3t")?;
            page.get_by_role("button", Some("Log in")).click()?;
            expect(&page.locator("#hello")).to_have_text(format!("hello {user}"))
        })?;
        println!("    session [both, {user}]: {status}");
        Ok(())
    }
}

mod home {
    use super::*;

    #[session_test]
    fn greets_alice(page: &Page) -> session_test::Result<()> {
        login::as_user("alice")?;
        page.visit("/home")?;
        expect(&page.locator("#hello")).to_have_text("hello alice")?;
        Ok(())
    }

    #[session_test]
    fn greets_bob(page: &Page) -> session_test::Result<()> {
        login::as_user("bob")?;
        page.visit("/home")?;
        expect(&page.locator("#hello")).to_have_text("hello bob")?;
        Ok(())
    }

    #[session_test]
    fn alice_again(page: &Page) -> session_test::Result<()> {
        login::as_user("alice")?;
        page.visit("/home")?;
        expect(&page.locator("#hello")).to_have_text("hello alice")?;
        Ok(())
    }

    #[session_test]
    fn keeps_session_storage(page: &Page) -> session_test::Result<()> {
        login::as_user("alice")?;
        page.visit("/session-page")?;
        assert_eq!(
            page.session_storage(&sites().app.base_url())?.get("tab"),
            Some("opened")
        );
        Ok(())
    }
}

mod api {
    use super::*;

    #[session_test]
    fn token_app_greets(page: &Page) -> session_test::Result<()> {
        login::with_token("carol")?;
        page.visit(&sites().auth.url("/app"))?;
        expect(&page.locator("#hello")).to_have_text("hello carol")?;
        Ok(())
    }

    #[session_test]
    fn token_is_kept(page: &Page) -> session_test::Result<()> {
        login::with_token("carol")?;
        assert!(page
            .local_storage(&sites().auth.base_url())?
            .get("token")
            .is_some());
        page.visit(&sites().auth.url("/app"))?;
        expect(&page.locator("#hello"))
            .not()
            .to_have_text("not logged in")?;
        Ok(())
    }

    #[session_test]
    fn whoami_with_token(page: &Page) -> session_test::Result<()> {
        login::with_token("carol")?;
        let token = page.local_storage(&sites().auth.base_url())?;
        let who = page
            .request()
            .header(
                "Authorization",
                &format!("Bearer {}", token.get("token").unwrap_or("")),
            )
            .get(&sites().auth.url("/whoami"))?;
        assert_eq!(who.status(), 200);
        Ok(())
    }

    #[session_test]
    fn another_user(page: &Page) -> session_test::Result<()> {
        login::with_token("erin")?;
        page.visit(&sites().auth.url("/app"))?;
        expect(&page.locator("#hello")).to_have_text("hello erin")?;
        Ok(())
    }
}

mod both {
    use super::*;

    #[session_test]
    fn logged_in_on_both_sites(page: &Page) -> session_test::Result<()> {
        login::everywhere("dave")?;
        page.visit("/home")?;
        expect(&page.locator("#hello")).to_have_text("hello dave")?;
        page.visit(&sites().auth.url("/app"))?;
        expect(&page.locator("#hello")).to_have_text("hello dave")?;
        Ok(())
    }

    #[session_test]
    fn both_again(page: &Page) -> session_test::Result<()> {
        login::everywhere("dave")?;
        page.visit("/home")?;
        expect(&page.locator("#hello")).to_have_text("hello dave")?;
        Ok(())
    }

    #[session_test]
    fn switch_users_in_one_test(page: &Page) -> session_test::Result<()> {
        login::as_user("alice")?;
        page.visit("/home")?;
        expect(&page.locator("#hello")).to_have_text("hello alice")?;
        login::as_user("bob")?;
        page.visit("/home")?;
        expect(&page.locator("#hello")).to_have_text("hello bob")?;
        Ok(())
    }

    #[session_test]
    fn no_login_needed(page: &Page) -> session_test::Result<()> {
        page.visit("/login")?;
        expect(&page.get_by_role("button", Some("Log in"))).to_be_enabled()
    }
}

fn main() {
    let started = Instant::now();
    let sites = sites();
    let args = session_test::harness::Arguments::from_args();
    let conclusion = session_test::harness::run_tests(&args);
    if let Some(summary) = session_test::report::session_summary() {
        println!("\n{summary}");
    }
    println!(
        "demo: {} passed, {} failed; the servers performed {} logins for {} session! calls \
         (each would have been a login without sessions); {:.1} s in all",
        conclusion.num_passed,
        conclusion.num_failed,
        sites.logins(),
        NEEDED_LOGIN.load(Ordering::SeqCst),
        started.elapsed().as_secs_f64()
    );
    conclusion.exit();
}
