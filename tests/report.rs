//! The run report (issue: ecosystem): a self-contained HTML file with each test (status,
//! duration, failure with its screenshot inline), each session (id, status, time spent and
//! saved) and a timeline. Two registered tests run through the harness; the report is then
//! loaded in Chromium and read with locators.

mod support;

use std::process::{Command, Stdio};
use std::time::Duration;

use session_test::{expect, session, session_test, Page};

fn login() -> session_test::Result<()> {
    session!("report-user", |page: &Page| {
        page.visit("/set-cookie?name=sid&value=cookie-SECRET-7")?;
        page.set_local_storage(
            &support::sites().app.base_url(),
            "token",
            "storage-SECRET-8",
        )
    })?;
    Ok(())
}

#[session_test(ignore)]
fn together_report_passes(page: &Page) -> session_test::Result<()> {
    support::sites();
    login()?;
    login()?;
    page.visit("/blank")
}

/// Meets a page that logs a console error, throws and fetches, types a password, and
/// fails at an `expect` whose text has markup in it: its code frame, trace and report are
/// in the report.
#[session_test(ignore)]
fn together_report_fails(page: &Page) -> session_test::Result<()> {
    support::sites();
    page.visit("/noisy")?;
    expect(page).to_have_title("thrown")?;
    expect(&page.locator("body")).to_have_attribute("data-fetched", "1")?;
    page.visit("/login")?;
    page.fill("[data-test=password]", "typed-SECRET-9")?;
    expect(&page.get_by_text("<on purpose>"))
        .timeout(Duration::from_millis(300))
        .to_be_visible()
}

#[test]
fn the_report_shows_tests_sessions_and_a_timeline_without_secrets() {
    assert_eq!(support::run_together("together_report", 2), (1, 1));
    let path =
        std::env::temp_dir().join(format!("session-test-report-{}.html", std::process::id()));
    session_test::report::write_report_to(&path).unwrap();
    let html = std::fs::read_to_string(&path).unwrap();
    for secret in [
        "cookie-SECRET-7",
        "storage-SECRET-8",
        "typed-SECRET-9",
        "noisy-secret-token",
    ] {
        assert!(!html.contains(secret), "{secret} in the report");
    }
    // The harness keeps target/session-test/report.html up to date after each test.
    assert!(session_test::config::output_dir()
        .join("report.html")
        .is_file());

    let page = Page::new_isolated().unwrap();
    let check = || -> session_test::Result<()> {
        let report = format!("file://{}", path.display());
        page.visit(&report)?;
        expect(&page.locator("#summary"))
            .to_contain_text("2 tests: 1 passed, 1 failed; 2 session! calls")?;
        let passed = page.locator("details.test[data-test=together_report_passes]");
        let failed = page.locator("details.test[data-test=together_report_fails]");
        expect(&passed.locator(".status")).to_have_text("passed")?;
        expect(&failed.locator(".status")).to_have_text("failed")?;
        // Failed tests first, the failure open; a passed test closed.
        expect(&page.locator("details.test").first()).to_have_attribute("data-status", "failed")?;
        expect(&failed).to_have_attribute("open", "")?;
        expect(&passed.locator(".status")).to_be_visible()?;
        // The filters and the search.
        page.get_by_role("button", Some("failed 1")).click()?;
        expect(&passed).to_be_hidden()?;
        expect(&failed).to_be_visible()?;
        page.get_by_role("button", Some("all 2")).click()?;
        page.locator("#search").fill("report passes")?;
        expect(&failed).to_be_hidden()?;
        expect(&passed).to_be_visible()?;
        page.locator("#search").fill("")?;
        expect(&failed).to_be_visible()?;
        // The failure first: the error, the code frame of the failing line (the password
        // typed two lines above it masked), the URL, the page's errors, the screenshot.
        expect(&failed.locator("pre.error")).to_contain_text("<on purpose>")?;
        let frame = failed.locator(".code-frame");
        expect(&frame.locator("figcaption")).to_contain_text("tests/report.rs:")?;
        expect(&frame.locator(".failing")).to_contain_text(".to_be_visible()")?;
        expect(&frame).to_contain_text("get_by_text(\"<on purpose>\")")?;
        expect(&frame).to_contain_text("page.fill(\"[data-test=password]\", \"•••\")")?;
        expect(&failed.locator(".url")).to_contain_text("/login")?;
        expect(&failed.locator(".page-errors")).to_contain_text("noisy: console error 42")?;
        expect(&failed.locator("img.screenshot")).to_have_attribute(
            "src",
            session_test::regex::Regex::new("^data:image/png;base64,iVBOR").unwrap(),
        )?;
        // The backtrace folded, the user's frames first.
        let backtrace = failed.locator("details.backtrace");
        expect(&backtrace.locator("summary").first()).to_contain_text("1 frame of your code")?;
        backtrace.locator("summary").first().click()?;
        expect(&backtrace).to_have_attribute("open", "")?;
        expect(&backtrace.locator("pre.users")).to_contain_text("report::together_report_fails")?;
        expect(&backtrace.locator("pre.users"))
            .not()
            .to_contain_text("session_test_runtime::")?;
        picture_for_the_readme(&page, "report.png", "window.scrollTo(0, 0)")?;
        // The failing test's trace: its actions, the film strip, the page's console errors
        // and uncaught error, its request; the typed password as •••.
        let trace = failed.locator(".trace");
        expect(&trace.locator(".actions tr")).to_have_count(7)?; // header + 6
        expect(&trace.locator(".actions tr").nth(5)).to_contain_text("fill")?;
        expect(&trace.locator(".actions tr").nth(5)).to_contain_text("•••")?;
        expect(&trace.locator(".filmstrip img").first()).to_have_attribute(
            "src",
            session_test::regex::Regex::new("^data:image/jpeg;base64,/9j/").unwrap(),
        )?;
        expect(&trace.locator(".console tr.error")).to_contain_text("noisy: console error 42")?;
        expect(&trace.locator(".console tr.uncaught"))
            .to_contain_text("TypeError: noisy: uncaught error")?;
        expect(
            &trace
                .locator(".network tr")
                .filter(session_test::Filter::has_text("/whoami?token=•••")),
        )
        .to_contain_text("Fetch")?;
        // The viewer: the last action chosen at first; choosing an action with a picture
        // (which actions have one depends on when the screencast's frames came) shows the
        // page after it, large; choosing the visit of /noisy marks the console and network
        // lines of its span.
        let stage = trace.locator(".stage");
        expect(&stage.locator("figcaption")).to_contain_text("6 expect")?;
        trace.locator(".actions tr[data-frame]").first().click()?;
        expect(&stage.locator("figcaption")).to_contain_text("after ")?;
        expect(&stage.locator("img")).to_have_attribute(
            "src",
            session_test::regex::Regex::new("^data:image/jpeg;base64,/9j/").unwrap(),
        )?;
        trace.locator(".actions tr").nth(1).click()?;
        expect(&stage.locator("figcaption")).to_contain_text("1 visit")?;
        expect(&trace.locator(".console tr.in-span").first())
            .to_contain_text("noisy: console error 42")?;
        expect(&trace.locator(".network tr.in-span").first()).to_contain_text("/noisy")?;
        expect(&trace.locator(".network tr").nth(1).locator(".timing span")).to_have_count(1)?;
        let to_the_viewer = "document.querySelector('.trace .viewer').scrollIntoView()";
        picture_for_the_readme(&page, "report-trace.png", to_the_viewer)?;
        let to_the_viewer = "document.querySelector('.trace .viewer').scrollIntoView()";
        picture_for_the_readme(&page, "report-trace.png", to_the_viewer)?;
        expect(&passed.locator(".trace")).to_have_count(0)?;
        expect(&page.locator("#sessions tr")).to_have_count(3)?; // header + 2
        expect(&page.locator("#sessions tr").nth(1)).to_contain_text("created")?;
        expect(&page.locator("#sessions tr").nth(2)).to_contain_text("restored")?;
        // The sessions panel: the id's calls per test, what it holds by name, where kept.
        let session = page.locator("#sessions details.session");
        expect(&session.locator("summary")).to_contain_text("1 created, 1 restored")?;
        expect(&session.locator("summary")).to_contain_text("in memory")?;
        let app = support::sites().app.base_url();
        expect(&session.locator(".holds")).to_contain_text(&app)?;
        expect(&session.locator(".holds")).to_contain_text("cookies of app.localhost")?;
        expect(&session.locator("td a").first()).to_have_text("together_report_passes")?;
        expect(&page.locator("#timeline .bar")).to_have_count(2)?;
        expect(&page.locator("#timeline .bar.failed")).to_have_text("together_report_fails")?;
        // A test's section can be linked to: it opens.
        page.visit(&format!("{report}?linked#test=together_report_passes"))?;
        expect(&passed).to_have_attribute("open", "")?;
        Ok(())
    };
    let outcome = check();
    page.close();
    let _ = std::fs::remove_file(&path);
    outcome.unwrap();
}

/// A picture of the report for the README, as this test left it once `scroll` ran: written
/// to `target/session-test/<name>`, and to `docs/<name>` with `SESSION_TEST_UPDATE_DOCS=1`
/// (how the README's pictures are made).
fn picture_for_the_readme(page: &Page, name: &str, scroll: &str) -> session_test::Result<()> {
    page.eval(scroll)?;
    let png = page.screenshot()?;
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    let out = session_test::config::output_dir();
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join(name), &png).unwrap();
    if std::env::var_os("SESSION_TEST_UPDATE_DOCS").is_some() {
        let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
        std::fs::write(docs.join(name), &png).unwrap();
    }
    Ok(())
}

/// Test binaries started by one parent (cargo, nextest, or here this test) share one report,
/// also when they finish together (nextest starts a process per test): the last written
/// report has every binary's tests. An ignored test the `main!` harness leaves out counts
/// as skipped.
#[test]
fn the_binaries_of_one_run_share_one_report() {
    let target = std::env::temp_dir().join(format!("session-test-runs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&target);
    let children: Vec<_> = [
        ("fixture_default", "fixture_passes"),
        ("fixture_main", "alpha_passes"),
        ("fixture_default", "fixture_other"),
        ("fixture_main", "beta_passes"),
        // Matches the ignored `failing_on_purpose` alone: left out, so skipped.
        ("fixture_main", "failing"),
    ]
    .into_iter()
    .map(|(binary, test)| {
        let exact = if test == "failing" {
            None
        } else {
            Some("--exact")
        };
        Command::new(support::children::fixture(binary))
            .args(exact.into_iter().chain([test]))
            .env("CARGO_TARGET_DIR", &target)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    })
    .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", support::children::text(&out));
    }
    let html = std::fs::read_to_string(target.join("session-test").join("report.html")).unwrap();
    assert!(
        html.contains("5 tests: 4 passed, 0 failed, 1 skipped")
            && html.contains("test binaries: fixture_default, fixture_main")
            && html.contains("data-test=\"failing_on_purpose\" data-status=skipped"),
        "{html}"
    );
    let _ = std::fs::remove_dir_all(&target);
}

/// Passing tests finishing within a second of each other (the report is rewritten at most
/// once a second after passing tests) are all in the report once their process exits, under
/// either harness.
#[test]
fn the_report_has_every_test_once_its_process_exits() {
    let target = std::env::temp_dir().join(format!("session-test-exit-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&target);
    for (binary, filter) in [("fixture_main", "_passes"), ("fixture_default", "fixture_")] {
        let out = Command::new(support::children::fixture(binary))
            .arg(filter)
            .env("CARGO_TARGET_DIR", &target)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", support::children::text(&out));
    }
    let html = std::fs::read_to_string(target.join("session-test").join("report.html")).unwrap();
    assert!(html.contains("4 tests: 4 passed, 0 failed"), "{html}");
    for test in [
        "alpha_passes",
        "beta_passes",
        "fixture_passes",
        "fixture_other",
    ] {
        assert!(
            html.contains(&format!("data-test=\"{test}\"")),
            "{test}: {html}"
        );
    }
    let _ = std::fs::remove_dir_all(&target);
}
