//! SPEC F2–F3: the browser dying fails only the test using it; a browser that is not one, or
//! cannot be reached, is a clear error; a remote browser is left running; test processes
//! started together each get their own browser. Hangs (F1) are in `hangs.rs`.

mod support;

use std::process::{Command, Stdio};

use support::children::*;

/// F3: the browser killed mid-test fails that test with a clear error; the next test gets a
/// new browser, and saved sessions (data, not tabs) restore into it.
#[test]
fn a_killed_browser_fails_only_its_test_and_sessions_survive() {
    use session_test::harness::run_page_test;
    use session_test::{session, Page, SessionStatus};
    let sites = session_test_demo_app::DemoSites::start().unwrap();
    let login = || {
        session!("survives-crash", |page: &Page| {
            page.visit(&sites.app.url("/login"))?;
            page.fill("[data-test=name]", "kim")?;
            page.fill("[data-test=password]", "s3cr3t")?;
            page.click("#submit")
        })
    };
    run_page_test("before_crash", |_| login().map(drop)).unwrap();
    let mut killed = 0;
    let failure = run_page_test("during_crash", |page| {
        killed = page.browser_pid().expect("launched here");
        // SAFETY: signalling the browser this process launched.
        unsafe { libc::kill(killed as i32, libc::SIGKILL) };
        page.visit(&sites.app.url("/blank"))
    })
    .unwrap_err();
    assert!(
        failure
            .message
            .contains("the browser died or closed its connection"),
        "{}",
        failure.message
    );
    run_page_test("after_crash", |page| {
        assert_ne!(
            page.browser_pid(),
            Some(killed),
            "a new browser was launched"
        );
        assert_eq!(login()?, SessionStatus::Restored);
        page.visit(&sites.app.url("/home"))?;
        assert_eq!(page.text("#hello")?, "hello kim");
        Ok(())
    })
    .unwrap();
    assert_eq!(sites.app.logins(), 1);
}

#[test]
fn a_chrome_that_is_not_a_browser_is_a_clear_launch_error() {
    let (out, text) = run_with_env(
        "fixture_default",
        &["fixture_other", "--exact"],
        &[("CHROME", "/bin/true")],
    );
    assert_eq!(out.status.code(), Some(101), "{text}");
    assert!(
        text.contains(
            "could not open a page: could not launch Chromium `/bin/true`: it exited before \
             printing its DevTools URL"
        ),
        "{text}"
    );
}

#[test]
fn an_unreachable_remote_browser_is_a_clear_error() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("ws://127.0.0.1:{port}/devtools/browser/none");
    let (out, text) = run_with_env(
        "fixture_default",
        &["fixture_other", "--exact"],
        &[("SESSION_TEST_BROWSER_WS", url.as_str())],
    );
    assert_eq!(out.status.code(), Some(101), "{text}");
    assert!(
        text.contains(&format!(
            "cannot reach the browser at $SESSION_TEST_BROWSER_WS = {url}"
        )),
        "{text}"
    );
    assert!(text.contains("Connection refused"), "{text}");
}

/// SPEC F2: with `$SESSION_TEST_BROWSER_WS` the tests use a running browser, and the
/// framework never closes a browser it did not launch.
#[test]
fn a_remote_browser_is_used_and_left_running() {
    use std::io::BufRead;
    let profile = std::env::temp_dir().join(format!("st-remote-{}", std::process::id()));
    let mut chrome = Command::new(session_test::browser::find_chromium().unwrap())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--remote-debugging-port=0",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("about:blank")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(chrome.stderr.take().unwrap()).lines();
    let url = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| {
            l.split_once("DevTools listening on ")
                .map(|(_, u)| u.trim().to_string())
        })
        .expect("the browser printed its DevTools URL");
    std::thread::spawn(move || lines.for_each(drop));
    let (out, text) = run_with_env(
        "fixture_default",
        &["fixture_other", "--exact"],
        &[("SESSION_TEST_BROWSER_WS", url.as_str())],
    );
    assert!(out.status.success(), "{text}");
    assert!(
        chrome.try_wait().unwrap().is_none(),
        "the remote browser was closed"
    );
    // It is still usable.
    let again = run_with_env(
        "fixture_default",
        &["fixture_other", "--exact"],
        &[("SESSION_TEST_BROWSER_WS", url.as_str())],
    );
    assert!(again.0.status.success(), "{}", again.1);
    chrome.kill().unwrap();
    chrome.wait().unwrap();
    let _ = std::fs::remove_dir_all(profile);
}

/// Eight test processes started together (as `cargo nextest` does) each get a browser of
/// their own: no debugging-port clash, no shared profile.
#[test]
fn eight_test_processes_at_once_each_get_their_browser() {
    let children: Vec<_> = (0..8)
        .map(|_| {
            Command::new(fixture("fixture_default"))
                .args(["fixture_passes", "--exact", "--nocapture"])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut pids = Vec::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let shown = text(&out);
        assert!(out.status.success(), "{shown}");
        pids.extend(browser_pids(&shown));
    }
    pids.sort();
    pids.dedup();
    assert_eq!(pids.len(), 8, "eight distinct browsers: {pids:?}");
}
