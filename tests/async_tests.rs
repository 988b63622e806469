//! Async tests (`#[session_test] async fn`): a test that panics fails with its panic, one
//! that blocks its runtime past its time limit fails with the limit's message, and neither
//! leaves its runtime's threads behind; a failed awaited action is framed at its line; async
//! sessions log in once, also on a second context; the async face's waits, frames, routes
//! and HTTP client. The app served on the test's runtime and the multi-thread flavor are
//! `examples/axum_app.rs`, which `tests/examples.rs` runs.

mod support;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use session_test::async_api::{expect, Page};
use session_test::session_test;

/// Ticks while the runtime of `async_probe_panics` runs.
static TICKS: AtomicU64 = AtomicU64::new(0);

/// Leaves a task ticking on its runtime's workers, then panics.
#[session_test(ignore, flavor = "multi_thread", worker_threads = 1)]
async fn async_probe_panics(page: &Page) -> session_test::Result<()> {
    tokio::spawn(async {
        loop {
            TICKS.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    });
    page.visit(&support::sites().app.url("/blank")).await?;
    expect(page)
        .to_have_url(support::sites().app.url("/blank"))
        .await?;
    panic!("on purpose, after a visit");
}

/// Blocks its own runtime (a blocking call in async code): the harness still ends it.
#[session_test(ignore, timeout = 2)]
async fn async_probe_blocks_its_runtime(page: &Page) -> session_test::Result<()> {
    page.visit(&support::sites().app.url("/blank")).await?;
    std::thread::sleep(Duration::from_secs(8));
    Ok(())
}

/// A session whose setup awaits async code (here a timer of the test's runtime and a
/// request of tokio's), from the blocking thread it runs on.
#[session_test]
async fn a_setup_can_await_on_the_tests_runtime(page: &Page) -> session_test::Result<()> {
    let sites = support::sites();
    let home = sites.app.url("/home");
    let status = page
        .run(move |_| {
            session_test::session!("async-setup", |page: &session_test::Page| {
                let waited = tokio::runtime::Handle::current().block_on(async {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    "waited"
                });
                assert_eq!(waited, "waited");
                page.visit(&support::sites().app.url("/login"))?;
                page.get_by_test_id("name").fill("ada")?;
                page.get_by_test_id("password").fill("s3cr3t")?;
                page.get_by_role("button", Some("Log in")).click()
            })
        })
        .await?;
    assert_eq!(status, session_test::SessionStatus::Created);
    page.visit(&home).await?;
    expect(&page.locator("#hello"))
        .to_have_text("hello ada")
        .await
}

/// A login helper of an async suite: `session!` with async setup and validate, awaited.
async fn login_async(user: &'static str) -> session_test::Result<session_test::SessionStatus> {
    let sites = support::sites();
    let (form, whoami) = (sites.app.url("/login"), sites.app.url("/whoami"));
    session_test::session!(
        ["async-login", user],
        // The page's shortcuts here; the locators in `examples/axum_app.rs`.
        async move |page: Page| {
            page.visit(&form).await?;
            page.fill("[data-test=name]", user).await?;
            page.fill("[data-test=password]", "s3cr3t").await?;
            page.press("Enter").await
        },
        validate = async move |page: Page| {
            let whoami = whoami.clone();
            let reply = page.run(move |page| page.request().get(&whoami)).await?;
            session_test::Result::Ok(reply.status() == 200)
        }
    )
    .await
}

/// Three async tests that need grace signed in.
macro_rules! async_login_probes {
    ($($name:ident),*) => {$(
        #[session_test(ignore)]
        async fn $name(page: &Page) -> session_test::Result<()> {
            login_async("grace").await?;
            page.visit(&support::sites().app.url("/home")).await?;
            expect(&page.locator("#hello")).to_have_text("hello grace").await
        }
    )*};
}

async_login_probes!(
    async_login_probe_1,
    async_login_probe_2,
    async_login_probe_3
);

#[test]
fn an_async_session_logs_in_once_for_several_async_tests() {
    let (outcome, logins) = support::run_counting_logins("async_login_probe_");
    assert_eq!(outcome, (3, 0));
    assert_eq!(logins, 1, "one login, two restores");
}

/// The async face's waits are armed before the awaited action: a dialog and a popup it
/// opens, a request and the response a route gave it; frames; the page's HTTP client.
#[session_test]
async fn the_async_face_waits_for_what_an_action_causes(page: &Page) -> session_test::Result<()> {
    let sites = support::sites();
    page.visit("/dialogs").await?;
    let prompt = page.wait_for_dialog(page.click("#prompt")).await?;
    assert_eq!(prompt.message(), "your name?");
    expect(&page.locator("#result"))
        .to_have_text("prompt: null")
        .await?;
    let popup = page.wait_for_popup(page.click("#popup")).await?;
    expect(&popup.locator("#draft")).to_be_visible().await?;
    // A route answers; the request and its response are seen.
    page.route("**/api/stubbed", |route| {
        route.fulfill(session_test::Fulfill::json(
            200,
            &serde_json::json!({ "from": "route" }),
        ))
    })?;
    let fetch = page.eval("fetch('/api/stubbed').then(r => r.text())");
    let response = page
        .wait_for_response("**/api/stubbed", async { fetch.await.map(drop) })
        .await?;
    assert_eq!(response.status(), 200);
    let post = page.eval("fetch('/api/stubbed', { method: 'POST' }).then(r => r.status)");
    let request = page
        .wait_for_request("**/api/stubbed", async { post.await.map(drop) })
        .await?;
    assert_eq!(request.method(), "POST");
    // A same-site iframe, reached through the async Frame.
    let login = sites.app.url("/login");
    page.visit(&sites.app.url(&format!("/frame?src={login}")))
        .await?;
    expect(&page.locator("#frame")).to_be_visible().await?;
    let frames = page.frames().await?;
    let inner = frames
        .iter()
        .find(|f| !f.is_main())
        .expect("the iframe's frame");
    assert_eq!(inner.url().await?, login);
    inner.get_by_test_id("name").fill("bob").await?;
    let parent = inner.parent_frame().await?.map(|f| f.id().to_owned());
    assert_eq!(parent.as_deref(), Some(page.main_frame().id()));
    // The page's HTTP client shares the context's cookies: signed in through it, the page is.
    let signed_in = page
        .request()
        .post_form("/login", &[("name", "ada"), ("password", "s3cr3t")])
        .await?;
    assert_eq!(signed_in.status(), 200);
    assert_eq!(page.request().get("/whoami").await?.status(), 200);
    page.visit("/home").await?;
    expect(&page.locator("#hello"))
        .to_have_text("hello ada")
        .await
}

/// A second context signs its user in with the same async helper, through `within`, while
/// the first stays signed in as its own.
#[session_test]
async fn within_runs_an_async_login_helper_on_another_page(
    page: &Page,
) -> session_test::Result<()> {
    login_async("turing").await?;
    let other = page.new_context().await?;
    other.within(login_async("hopper")).await?;
    let home = support::sites().app.url("/home");
    other.visit(&home).await?;
    expect(&other.locator("#hello"))
        .to_have_text("hello hopper")
        .await?;
    page.visit(&home).await?;
    expect(&page.locator("#hello"))
        .to_have_text("hello turing")
        .await
}

/// Fails at an `expect` it awaits: its failure report's code frame is that line.
#[session_test(ignore)]
async fn async_probe_fails_at_an_expect(page: &Page) -> session_test::Result<()> {
    page.visit(&support::sites().app.url("/blank")).await?;
    expect(&page.locator("#not-there-async"))
        .timeout(Duration::from_millis(200))
        .to_be_visible()
        .await
}

#[test]
fn an_async_tests_failure_is_framed_at_the_line_it_awaited() {
    support::sites();
    failure_of("async_probe_fails_at_an_expect");
    let path = std::env::temp_dir().join(format!("st-async-report-{}.html", std::process::id()));
    session_test::report::write_report_to(&path).unwrap();
    let html = std::fs::read_to_string(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    let frame = html
        .split("<figure class=code-frame>")
        .nth(1)
        .and_then(|rest| rest.split("</figure>").next())
        .unwrap_or_else(|| panic!("no code frame in the report"));
    let failing = frame
        .split("<span class=\"line failing\">")
        .nth(1)
        .and_then(|rest| rest.split("</span>").next())
        .unwrap_or_else(|| panic!("no failing line in {frame}"));
    // The awaited call's last line (rustfmt puts `.await` on a line of its own).
    assert!(failing.trim_end().ends_with(".await"), "{failing}");
    assert!(frame.contains("#not-there-async"), "{frame}");
    assert!(frame.contains("tests/async_tests.rs:"), "{frame}");
}

/// Runs the registered test `name` through the harness; it must fail with a message that
/// says `expected`.
fn fails_saying(name: &str, expected: &str) {
    support::sites();
    let message = failure_of(name);
    assert!(message.contains(expected), "{message}");
}

/// Runs the registered test `name` through the harness; its failure message.
fn failure_of(name: &str) -> String {
    let entry = session_test::harness::tests()
        .into_iter()
        .find(|t| t.name().ends_with(name))
        .unwrap_or_else(|| panic!("no test {name}"));
    match session_test::__private::run_test(entry) {
        Ok(()) => panic!("{name} passed"),
        Err(failure) => failure.message,
    }
}

#[test]
fn an_async_test_that_panics_fails_with_its_panic_and_leaves_no_runtime() {
    fails_saying(
        "async_probe_panics",
        "panicked: on purpose, after a visit\n  page URL: http://app.localhost:",
    );
    // Its runtime is gone, and the task it left with it: the ticks stop.
    assert!(TICKS.load(Ordering::SeqCst) > 0, "the task ran");
    let ticks = TICKS.load(Ordering::SeqCst);
    // A task that stopped is an absence, with no condition to wait for: 200 ms is forty of
    // its 5 ms ticks.
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        TICKS.load(Ordering::SeqCst),
        ticks,
        "the test's runtime still runs"
    );
}

#[test]
fn an_async_test_that_blocks_its_runtime_fails_at_its_time_limit() {
    fails_saying(
        "async_probe_blocks_its_runtime",
        "did not finish within its time limit of 2.0 s",
    );
}
