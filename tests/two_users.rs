//! Two users signed in at once (`page.new_context()`, `other.within(..)`): each context is
//! isolated and restored from its own session, one login per user for the whole suite;
//! rotating and persisted sessions work in a second context; a second context ends with its
//! test, passed, failed or panicked, and a failure names and screenshots both pages.

mod support;

use std::time::Duration;

use serde_json::{json, Value};
use session_test::{expect, session, session_test, Page, SessionStatus};

fn app_url(path: &str) -> String {
    support::rotating::use_app();
    format!(
        "{}{path}",
        session_test::config::base_url().unwrap_or_default()
    )
}

/// `user`'s session, through the app's login API (the cookie lands in the page's
/// context), checked with `/whoami`.
fn login(user: &str) -> session_test::Result<SessionStatus> {
    support::rotating::use_app();
    let signed_in = |page: &Page| Ok(page.request().get(&app_url("/whoami"))?.status() == 200);
    session!(
        ["two-users", user],
        |page: &Page| {
            let credentials = json!({ "name": user, "password": "s3cr3t" });
            let reply = page
                .request()
                .post_json(&app_url("/api/login"), &credentials)?;
            assert_eq!(reply.status(), 200, "{user} signs in");
            Ok(())
        },
        validate = signed_in
    )
}

/// Who the page's cookies sign in, asked from the page.
fn whoami(page: &Page) -> session_test::Result<Value> {
    page.visit("/blank")?;
    page.eval("fetch('/whoami').then(r => r.json()).then(j => j.name || null)")
}

/// Bob asks for `what` on the test's page; the admin, signed in at the same time in a
/// second context, sees it and approves it; bob sees that without reloading.
fn bob_asks_the_admin_approves(page: &Page, what: &str) -> session_test::Result<()> {
    login("bob")?;
    let admin = page.new_context()?;
    admin.within(|| login("admin"))?;
    // Both signed in at once, each as themselves.
    assert_eq!(whoami(page)?, json!("bob"));
    assert_eq!(whoami(&admin)?, json!("admin"));
    page.visit("/requests")?;
    page.get_by_test_id("request-text").fill(what)?;
    page.get_by_role("button", Some("Submit")).click()?;
    admin.visit("/requests")?;
    let request = admin
        .get_by_test_id("request")
        .filter(session_test::Filter::has_text(what));
    expect(&request).to_contain_text("(by bob): waiting")?;
    request.get_by_role("button", Some("Approve")).click()?;
    let mine = page
        .get_by_test_id("request")
        .filter(session_test::Filter::has_text(what));
    expect(&mine).to_contain_text("approved")
}

#[session_test(ignore)]
fn two_users_probe_1(page: &Page) -> session_test::Result<()> {
    bob_asks_the_admin_approves(page, "a laptop")
}

/// Signed in the other way round: the admin's context first, then bob on the test's page.
#[session_test(ignore)]
fn two_users_probe_2(page: &Page) -> session_test::Result<()> {
    let admin = page.new_context()?;
    admin.within(|| login("admin"))?;
    login("bob")?;
    for (on, user) in [(page, "bob"), (&admin, "admin")] {
        on.visit("/home")?;
        expect(&on.locator("#hello")).to_have_text(format!("hello {user}"))?;
    }
    Ok(())
}

/// The admin first this time, on the test's own page; bob in the second context.
#[session_test(ignore)]
fn two_users_probe_3(page: &Page) -> session_test::Result<()> {
    login("admin")?;
    let bob = page.new_context()?;
    assert_eq!(bob.within(|| login("bob"))?, SessionStatus::Restored);
    assert_eq!(whoami(page)?, json!("admin"));
    assert_eq!(whoami(&bob)?, json!("bob"));
    Ok(())
}

#[test]
fn two_users_are_signed_in_at_once_and_log_in_once_each_across_the_suite() {
    let (outcome, logins) = support::run_counting_logins("two_users_probe_");
    assert_eq!(outcome, (3, 0));
    assert_eq!(
        logins, 2,
        "one login for bob and one for the admin, for three tests"
    );
}

#[test]
fn a_rotating_session_in_a_second_context_is_an_instance_of_its_own_saved_at_the_end() {
    let sites = support::sites();
    let rejected = sites.app.rejected_refreshes();
    let outcome = session_test::harness::run_page_test("rotating_twice", |page| {
        assert_eq!(
            support::rotating::login("two-contexts")?,
            SessionStatus::Created
        );
        let other = page.new_context()?;
        // Held by the test's page: the other page gets a chain of its own.
        let status = other.within(|| support::rotating::login("two-contexts"))?;
        assert_eq!(status, SessionStatus::Created);
        assert!(support::rotating::refreshes(page)?);
        assert!(support::rotating::refreshes(&other)?);
        Ok(())
    });
    assert!(outcome.is_ok(), "{outcome:?}");
    // Both were let go at the end of the test, validated and saved: a later test restores
    // both, one into each of its contexts.
    let outcome = session_test::harness::run_page_test("rotating_restored", |page| {
        let other = page.new_context()?;
        let status = other.within(|| support::rotating::login("two-contexts"))?;
        assert_eq!(status, SessionStatus::Restored);
        assert_eq!(
            support::rotating::login("two-contexts")?,
            SessionStatus::Restored
        );
        assert!(support::rotating::refreshes(&other)?);
        assert!(support::rotating::refreshes(page)?);
        Ok(())
    });
    assert!(outcome.is_ok(), "{outcome:?}");
    assert_eq!(
        sites.app.rejected_refreshes(),
        rejected,
        "no chain was used twice"
    );
}

#[test]
fn a_popup_sign_in_databases_and_a_recreate_work_in_a_second_context() {
    let sites = support::sites();
    let outcome = session_test::harness::run_page_test("more_in_a_second_context", |page| {
        let other = page.new_context()?;
        // A sign-in in a popup the second context's page opens.
        let popup_login = || {
            session!(
                "two-users-popup",
                support::popup::sign_in_in_a_popup,
                validate = support::popup::signed_in
            )
        };
        assert_eq!(other.within(popup_login)?, SessionStatus::Created);
        assert_eq!(other.within(popup_login)?, SessionStatus::Restored);
        // IndexedDB, captured and written back.
        let databases = || session!("two-users-idb", write_all_databases, indexed_db = true);
        assert_eq!(other.within(databases)?, SessionStatus::Created);
        assert_eq!(other.within(databases)?, SessionStatus::Restored);
        other.visit("/idb")?;
        assert_eq!(other.eval("checkAll()")?, json!([]));
        // A session the server forgot fails validate and is set up again there.
        assert_eq!(other.within(|| login("dora"))?, SessionStatus::Created);
        sites.app.reset_sessions();
        assert_eq!(other.within(|| login("dora"))?, SessionStatus::Recreated);
        assert_eq!(whoami(&other)?, json!("dora"));
        // The test's own page saw none of it.
        assert!(page.cookies()?.is_empty());
        Ok(())
    });
    assert!(outcome.is_ok(), "{outcome:?}");
}

/// The demo's `/idb` page writes its databases (the login of an offline-first app).
fn write_all_databases(page: &Page) -> session_test::Result<()> {
    page.visit("/idb")?;
    assert_eq!(page.eval("writeAll()")?, "written");
    Ok(())
}

/// Carol's session on disk, in a second context; prints its status.
#[session_test(ignore)]
fn persisted_in_a_second_context(page: &Page) -> session_test::Result<()> {
    support::rotating::use_app();
    let other = page.new_context()?;
    let status = other.within(|| {
        session!(
            "two-users-carol-on-disk",
            |page: &Page| {
                page.visit("/login")?;
                page.get_by_test_id("name").fill("carol")?;
                page.get_by_test_id("password").fill("s3cr3t")?;
                page.get_by_role("button", Some("Log in")).click()
            },
            persist = true
        )
    })?;
    println!("status: {status}");
    assert_eq!(whoami(&other)?, json!("carol"));
    assert_eq!(
        whoami(page)?,
        Value::Null,
        "the test's own page is not signed in"
    );
    Ok(())
}

#[test]
fn a_persisted_session_in_a_second_context_restores_in_another_process() {
    let app = session_test_demo_app::DemoApp::start("app.localhost").unwrap();
    let dir = std::env::temp_dir().join(format!("st-two-users-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let run = || {
        let shown = support::children::run_on_disk(
            "two_users",
            "persisted_in_a_second_context",
            &app.base_url(),
            &dir,
        );
        support::children::printed_after(&shown, "status: ")
    };
    assert_eq!(run(), "created");
    assert_eq!(run(), "restored");
    assert_eq!(app.logins(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The browser's contexts now.
fn browser_contexts() -> Vec<String> {
    let browser = session_test::browser::browser().unwrap();
    let reply = browser
        .connection()
        .call_raw(
            None,
            "Target.getBrowserContexts",
            json!({}),
            Duration::from_secs(10),
        )
        .unwrap();
    serde_json::from_value(reply["browserContextIds"].clone()).unwrap()
}

#[test]
fn a_panicking_test_leaves_no_context_behind_and_its_pages_say_the_test_ended() {
    support::sites();
    let opened = std::sync::Mutex::new(None);
    let outcome = session_test::harness::run_page_test("panics_with_two", |page| {
        let other = page.new_context()?;
        other.visit("/blank")?;
        let before = browser_contexts();
        assert!(before.contains(&other.browser_context_id().to_string()));
        *opened.lock().unwrap() = Some((page.clone(), other, before));
        panic!("on purpose");
    });
    assert!(outcome.is_err());
    let (page, other, during) = opened.lock().unwrap().take().unwrap();
    assert!(during.contains(&page.browser_context_id().to_string()));
    // Counted by id: a runner that runs tests as threads of one process may open others.
    let after = browser_contexts();
    let ours = [page.browser_context_id(), other.browser_context_id()];
    let left = ours
        .iter()
        .filter(|c| after.contains(&c.to_string()))
        .count();
    assert_eq!(
        left, 0,
        "contexts of the failed test left: {ours:?} in {after:?}"
    );
    let late = other.visit("/blank").unwrap_err().to_string();
    assert!(
        late.contains("the test this page belongs to has ended"),
        "{late}"
    );
    // Outside a test, a context opened from a page goes with that page.
    let owner = Page::new_isolated().unwrap();
    let other = owner.new_context().unwrap();
    assert!(browser_contexts().contains(&other.browser_context_id().to_string()));
    owner.close();
    assert!(!browser_contexts().contains(&other.browser_context_id().to_string()));
}

#[test]
fn a_failure_names_and_screenshots_both_pages_and_the_trace_marks_each() {
    support::sites();
    let failure = session_test::harness::run_page_test("fails_with_two", |page| {
        page.visit("/blank")?;
        let other = page.new_context()?;
        other.visit("/home?who=other")?;
        // The current page moves for the closure and comes back, even after a panic.
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            other.within(|| {
                let current = session_test::current_page("test").unwrap();
                assert_eq!(current.target_id(), other.target_id());
                panic!("inside");
            })
        }));
        assert!(panicked.is_err());
        let current = session_test::current_page("test")?;
        assert_eq!(current.target_id(), page.target_id());
        expect(&other.locator("#no-such-thing"))
            .timeout(Duration::from_millis(200))
            .to_be_visible()
    })
    .unwrap_err();
    let message = failure.message;
    assert!(
        message.contains("context 1 (page.new_context())"),
        "{message}"
    );
    assert!(
        message.contains("/login"),
        "the other page's URL: {message}"
    );
    let shot = session_test::report::screenshot_path("fails_with_two.context-1");
    assert!(shot.exists(), "{message}");
    assert!(session_test::report::screenshot_path("fails_with_two").exists());
    // The trace: the other context's tab, its actions and requests marked with it.
    let path = message
        .lines()
        .find_map(|l| l.trim().strip_prefix("trace: "))
        .unwrap_or_else(|| panic!("no trace in {message}"));
    let trace: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(
        trace["tabs"],
        json!([{ "tab": 0, "context": 0 }, { "tab": 1, "context": 1 }])
    );
    let tabs_of = |kind: &str| -> Vec<u64> {
        let actions = trace["actions"].as_array().unwrap();
        let of_kind = actions.iter().filter(|a| a["kind"] == kind);
        of_kind.map(|a| a["tab"].as_u64().unwrap()).collect()
    };
    assert_eq!(tabs_of("visit"), [0, 1]);
    assert_eq!(tabs_of("expect"), [1]);
    let requests = trace["network"].as_array().unwrap();
    assert!(requests
        .iter()
        .any(|r| r["tab"] == 1 && r["url"].as_str().unwrap().ends_with("/login")));
    // The film strip: the failed expect is shown by a frame of the page that acted.
    let frames = trace["frames"].as_array().unwrap();
    let expect = trace["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "expect")
        .unwrap();
    let frame = expect["frame"]
        .as_u64()
        .expect("a frame shows the failed expect");
    assert_eq!(frames[frame as usize]["tab"], 1);
}
