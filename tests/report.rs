//! The run report (issue: ecosystem): a self-contained HTML file with each test (status,
//! duration, failure with its screenshot inline), each session (id, status, time spent and
//! saved) and a timeline. Two registered tests run through the harness; the report is then
//! loaded in Chromium and read with locators.

mod support;

use std::process::{Command, Stdio};

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

/// Types a password, meets a page that logs a console error, throws and fetches, and fails:
/// its trace is in the report.
#[session_test(ignore)]
fn together_report_fails(page: &Page) -> session_test::Result<()> {
    support::sites();
    page.visit("/login")?;
    page.fill("[data-test=password]", "typed-SECRET-9")?;
    page.visit("/noisy")?;
    expect(page).to_have_title("thrown")?;
    expect(&page.locator("body")).to_have_attribute("data-fetched", "1")?;
    Err(session_test::Error::msg("failing <on purpose>"))
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
        page.visit(&format!("file://{}", path.display()))?;
        expect(&page.locator("#summary"))
            .to_contain_text("2 tests: 1 passed, 1 failed; 2 session! calls")?;
        let passed = page.locator("#tests tr[data-test=together_report_passes]");
        expect(&passed.locator("td.passed")).to_have_text("passed")?;
        let failed = page.locator("#tests tr[data-test=together_report_fails]");
        expect(&failed.locator("td.failed")).to_have_text("failed")?;
        expect(&failed.locator("pre")).to_contain_text("failing <on purpose>")?;
        expect(&failed.locator("td > img")).to_have_attribute(
            "src",
            session_test::regex::Regex::new("^data:image/png;base64,iVBOR").unwrap(),
        )?;
        // The failing test's trace: its actions, the film strip, the page's console errors
        // and uncaught error, its request; the typed password as •••.
        let trace = failed.locator(".trace");
        expect(&trace.locator(".actions tr")).to_have_count(6)?; // header + 5
        expect(&trace.locator(".actions tr").nth(2)).to_contain_text("fill")?;
        expect(&trace.locator(".actions tr").nth(2)).to_contain_text("•••")?;
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
        expect(&passed.locator(".trace")).to_have_count(0)?;
        expect(&page.locator("#sessions tr")).to_have_count(3)?; // header + 2
        expect(&page.locator("#sessions tr").nth(1)).to_contain_text("created")?;
        expect(&page.locator("#sessions tr").nth(2)).to_contain_text("restored")?;
        expect(&page.locator("#timeline .bar")).to_have_count(2)?;
        expect(&page.locator("#timeline .bar.failed")).to_have_text("together_report_fails")?;
        Ok(())
    };
    let outcome = check();
    page.close();
    let _ = std::fs::remove_file(&path);
    outcome.unwrap();
}

/// Test binaries started by one parent (cargo, nextest, or here this test) share one report,
/// also when they finish together (nextest starts a process per test): the last written
/// report has every binary's tests.
#[test]
fn the_binaries_of_one_run_share_one_report() {
    let target = std::env::temp_dir().join(format!("session-test-runs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&target);
    let children: Vec<_> = [
        ("fixture_default", "fixture_passes"),
        ("fixture_main", "alpha_passes"),
        ("fixture_default", "fixture_other"),
        ("fixture_main", "beta_passes"),
    ]
    .into_iter()
    .map(|(binary, test)| {
        Command::new(support::children::fixture(binary))
            .args(["--exact", test])
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
        html.contains("4 tests: 4 passed, 0 failed")
            && html.contains("test binaries: fixture_default, fixture_main"),
        "{html}"
    );
    let _ = std::fs::remove_dir_all(&target);
}
