//! Headed runs and debugging aids (issue: ecosystem): `SESSION_TEST_HEADED` without a display
//! is a clear error, `SESSION_TEST_SLOWMO` pauses before each action,
//! `SESSION_TEST_SCREENSHOTS=always` keeps a picture of passing tests too, and a failure
//! report carries the page URL and the test's last session lines. Each fixture runs in a
//! child process with the variable set.

mod support;

use std::process::{Command, Output};

use session_test::{session, session_test, Page};

#[session_test(ignore)]
fn fixture_passes(page: &Page) -> session_test::Result<()> {
    support::sites();
    page.visit("/blank")
}

#[session_test(ignore)]
fn fixture_fails_after_a_session(page: &Page) -> session_test::Result<()> {
    support::sites();
    session!("debugging-session", |page: &Page| page.visit("/blank"))?;
    page.visit("/login")?;
    Err(session_test::Error::msg("failing on purpose"))
}

#[session_test(ignore)]
fn fixture_two_clicks(page: &Page) -> session_test::Result<()> {
    support::sites();
    page.visit("/dynamic?ms=0")?;
    page.eval(
        "window.at = []; document.querySelector('#covered')\
         .addEventListener('click', () => at.push(performance.now()))",
    )?;
    page.locator("#covered").click()?;
    page.locator("#covered").click()?;
    println!("gap: {}", page.eval("Math.round(at[1] - at[0])")?);
    Ok(())
}

fn run(test: &str, env: &[(&str, &str)], unset: &[&str]) -> (Output, String) {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args(["--ignored", "--exact", test, "--nocapture"]);
    for (k, v) in env {
        command.env(k, v);
    }
    for k in unset {
        command.env_remove(k);
    }
    let out = command.output().unwrap();
    let shown = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out, shown)
}

#[test]
fn headed_without_a_display_says_so() {
    let (out, shown) = run(
        "fixture_passes",
        &[("SESSION_TEST_HEADED", "1")],
        &["DISPLAY", "WAYLAND_DISPLAY"],
    );
    assert!(!out.status.success(), "{shown}");
    assert!(
        shown.contains(
            "SESSION_TEST_HEADED is set but there is no display ($DISPLAY and $WAYLAND_DISPLAY \
             are unset): run under `xvfb-run`, or unset SESSION_TEST_HEADED"
        ),
        "{shown}"
    );
}

#[test]
fn screenshots_always_keeps_one_of_a_passing_test() {
    let shot = session_test::report::screenshot_path("fixture_passes");
    let _ = std::fs::remove_file(&shot);
    let (out, shown) = run(
        "fixture_passes",
        &[("SESSION_TEST_SCREENSHOTS", "always")],
        &[],
    );
    assert!(out.status.success(), "{shown}");
    let png = std::fs::read(&shot).expect("a screenshot of the passing test");
    assert!(png.starts_with(b"\x89PNG"));
    // Without the variable, a passing test leaves none.
    std::fs::remove_file(&shot).unwrap();
    let (out, shown) = run("fixture_passes", &[], &["SESSION_TEST_SCREENSHOTS"]);
    assert!(out.status.success(), "{shown}");
    assert!(!shot.exists());
}

#[test]
fn slowmo_pauses_before_each_action() {
    let (out, shown) = run("fixture_two_clicks", &[("SESSION_TEST_SLOWMO", "300")], &[]);
    assert!(out.status.success(), "{shown}");
    let gap: u64 = shown
        .lines()
        .find_map(|l| l.strip_prefix("gap: "))
        .and_then(|g| g.trim().parse().ok())
        .unwrap_or_else(|| panic!("no gap in {shown}"));
    // A lower bound only: the pause is at least what was asked.
    assert!(gap >= 300, "clicks {gap} ms apart; {shown}");
}

#[test]
fn a_failure_report_has_the_url_and_the_last_session_lines() {
    let (out, shown) = run("fixture_fails_after_a_session", &[], &[]);
    assert!(!out.status.success(), "{shown}");
    assert!(shown.contains("failed: failing on purpose"), "{shown}");
    assert!(shown.contains("page URL: http://app.localhost:"), "{shown}");
    assert!(
        shown.contains("last session lines:\n    session \"debugging-session\": created ("),
        "{shown}"
    );
}
