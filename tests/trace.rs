//! A failing test's trace (kept for failing tests by default, `SESSION_TEST_TRACE`): its
//! actions with their targets and outcomes, the page's console errors and uncaught errors
//! with their source lines, its requests with their status; the failure message lists the
//! page's errors. Nothing typed into a password field, and no query value, is in it.

mod support;

use std::time::Duration;

use serde_json::Value;
use session_test::{expect, session, session_test, Page, SessionStatus};

const PASSWORD: &str = "trace-probe-password-7781";

/// Logs in through the form (a password typed), then visits the noisy page and fails.
#[session_test(ignore)]
fn trace_probe_fails(page: &Page) -> session_test::Result<()> {
    let sites = support::sites();
    let status = session!("trace-probe", |page: &Page| {
        page.visit(&support::sites().app.url("/login"))?;
        page.fill("[data-test=name]", "alice")?;
        page.fill("[data-test=password]", PASSWORD)?;
        page.click("#submit")?;
        Ok(())
    })?;
    assert_eq!(status, SessionStatus::Created);
    // A cookie and a storage value of the test's own.
    page.visit(
        &sites
            .app
            .url("/set-cookie?name=probe&value=cookie-SECRET-1"),
    )?;
    page.set_local_storage(&sites.app.base_url(), "token", "storage-SECRET-2")?;
    page.visit(&sites.app.url("/noisy"))?;
    // A routed request: marked in the trace with the route, its body not.
    page.route("**/probe-routed", |route| {
        route.fulfill(session_test::Fulfill::new(200).body("route-body-SECRET-3"))
    })?;
    page.eval("fetch('/probe-routed').then(r => r.text())")?;
    // The page's timer threw; its fetch was answered.
    expect(page).to_have_title("thrown")?;
    expect(&page.locator("body")).to_have_attribute("data-fetched", "1")?;
    page.request()
        .get(&sites.app.url("/whoami?token=request-secret"))?;
    // A request that fails: its error names the URL, its token left out.
    let refused = page
        .request()
        .get("http://127.0.0.1:1/x?token=refused-secret");
    assert!(refused.is_err());
    expect(&page.locator("#noisy"))
        .timeout(Duration::from_millis(300))
        .to_have_text("quiet")
}

/// The trace file a failure message names.
fn trace_of(message: &str) -> (String, Value) {
    let path = message
        .lines()
        .find_map(|l| l.trim().strip_prefix("trace: "))
        .unwrap_or_else(|| panic!("no trace line in:\n{message}"));
    let text = std::fs::read_to_string(path).unwrap();
    let json = serde_json::from_str(&text).unwrap();
    (text, json)
}

/// A rotating session, then a failure.
#[session_test(ignore)]
fn trace_probe_rotating_fails(page: &Page) -> session_test::Result<()> {
    assert_eq!(
        support::rotating::login("trace-rotating")?,
        SessionStatus::Created
    );
    expect(&page.locator("#no-such-element"))
        .timeout(Duration::from_millis(300))
        .to_be_visible()
}

#[session_test(ignore)]
fn trace_probe_passes(page: &Page) -> session_test::Result<()> {
    page.visit(&support::sites().app.url("/noisy"))?;
    expect(page).to_have_title("thrown")
}

/// Runs the probe `name` in a process of its own with `SESSION_TEST_TRACE` unset (the
/// default) or `mode`; returns whether it passed, and its output.
fn run_traced(name: &str, mode: Option<&str>) -> (bool, String) {
    let mut child = std::process::Command::new(std::env::current_exe().unwrap());
    child.args(["--ignored", "--exact", name]);
    match mode {
        Some(mode) => child.env("SESSION_TEST_TRACE", mode),
        None => child.env_remove("SESSION_TEST_TRACE"),
    };
    let out = child.output().unwrap();
    let all = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), all)
}

#[test]
fn a_failing_tests_trace_holds_its_actions_page_errors_and_requests() {
    let (passed, message) = run_traced("trace_probe_fails", None);
    assert!(!passed, "{message}");
    // The failure message: the page's errors, with where they came from.
    assert!(
        message.contains("console.error: noisy: console error 42 (at http://app.localhost:"),
        "{message}"
    );
    assert!(
        message
            .contains("uncaught error: TypeError: noisy: uncaught error (at http://app.localhost:"),
        "{message}"
    );
    let (text, trace) = trace_of(&message);
    assert_eq!(trace["test"], "trace_probe_fails");
    assert_eq!(trace["passed"], false);
    // Actions: in the order they began (the session before its setup's), with targets;
    // the password typed is not shown.
    let actions = trace["actions"].as_array().unwrap();
    let kinds: Vec<&str> = actions
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "session", "visit", "fill", "fill", "click", "visit", "visit", "expect", "expect",
            "request", "request", "expect"
        ],
        "{text}"
    );
    assert_eq!(actions[0]["detail"], "created");
    assert_eq!(actions[2]["detail"], "\"alice\"");
    assert_eq!(actions[3]["detail"], "•••");
    assert_eq!(actions[3]["target"], "[data-test=password]");
    assert_eq!(actions[11]["target"], "#noisy");
    assert_eq!(actions[10]["outcome"]["status"], "failed");
    assert!(
        actions[10]["outcome"]["error"]
            .as_str()
            .unwrap()
            .contains("http://127.0.0.1:1/x?token=•••"),
        "{}",
        actions[10]
    );
    assert_eq!(
        actions[9]["target"].as_str().unwrap().split('?').nth(1),
        Some("token=•••")
    );
    let last = &actions[11];
    assert_eq!(last["outcome"]["status"], "failed", "{last}");
    assert!(last["outcome"]["error"].as_str().unwrap().contains("quiet"));
    // The film strip: JPEG frames of the tab, one showing each action once the page had
    // painted (the first visit's page at the latest).
    let frames = trace["frames"].as_array().unwrap();
    assert!(!frames.is_empty(), "no frames");
    for f in frames {
        assert!(
            f["jpeg_base64"].as_str().unwrap().starts_with("/9j/"),
            "not a JPEG"
        );
    }
    for a in &actions[4..] {
        let frame = a["frame"]
            .as_u64()
            .unwrap_or_else(|| panic!("no frame: {a}"));
        assert!((frame as usize) < frames.len());
        assert!(a["duration_ms"].as_f64().unwrap() >= 0.0);
    }
    // Console: the error and the uncaught error, each with its line in the page.
    let console = trace["console"].as_array().unwrap();
    let error = console
        .iter()
        .find(|c| c["level"] == "error")
        .expect("console error");
    assert_eq!(error["text"], "noisy: console error 42");
    assert!(
        error["source"].as_str().unwrap().contains("/noisy:3:"),
        "{error}"
    );
    let uncaught = console
        .iter()
        .find(|c| c["level"] == "uncaught")
        .expect("uncaught");
    assert!(
        uncaught["source"].as_str().unwrap().contains("/noisy:"),
        "{uncaught}"
    );
    // Network: the page's fetch, its status, its query value left out.
    let network = trace["network"].as_array().unwrap();
    let fetched = network
        .iter()
        .find(|r| r["url"].as_str().unwrap().ends_with("/whoami?token=•••"))
        .unwrap_or_else(|| panic!("the page's fetch in {network:?}"));
    assert_eq!(fetched["method"], "GET");
    assert_eq!(fetched["type"], "Fetch");
    assert!(fetched["status"].as_u64().is_some(), "{fetched}");
    assert!(network
        .iter()
        .any(|r| r["type"] == "Document" && r["status"] == 200));
    let routed = network
        .iter()
        .find(|r| r["url"].as_str().unwrap().ends_with("/probe-routed"))
        .unwrap_or_else(|| panic!("the routed fetch in {network:?}"));
    assert_eq!(
        routed["route"],
        serde_json::json!({ "pattern": "**/probe-routed", "verdict": "fulfilled" })
    );
    assert!(fetched.get("route").is_none(), "{fetched}");
    // Nothing secret: the password, the query values, the cookie and the storage value.
    for secret in [
        PASSWORD,
        "noisy-secret-token",
        "request-secret",
        "refused-secret",
        "cookie-SECRET-1",
        "storage-SECRET-2",
        "route-body-SECRET-3",
    ] {
        assert!(!text.contains(secret), "{secret} in the trace");
        assert!(!message.contains(secret), "{secret} in the message");
    }
    // No headers at all, so no cookie or authorization values.
    for header in ["Set-Cookie", "\"Cookie", "Authorization"] {
        assert!(!text.contains(header), "{header} in the trace");
    }
}

#[test]
fn a_rotating_session_is_an_action_of_the_trace() {
    let (passed, message) = run_traced("trace_probe_rotating_fails", None);
    assert!(!passed, "{message}");
    let (text, trace) = trace_of(&message);
    let first = &trace["actions"][0];
    assert_eq!(first["kind"], "session", "{text}");
    assert_eq!(first["target"], "trace-rotating", "{text}");
    assert_eq!(first["detail"], "created", "{text}");
}

#[test]
fn a_passing_tests_trace_is_kept_only_when_asked() {
    let path = session_test::config::output_dir()
        .join("traces")
        .join("trace_probe_passes.json");
    let _ = std::fs::remove_file(&path);
    let (passed, output) = run_traced("trace_probe_passes", None);
    assert!(passed, "{output}");
    assert!(!path.exists(), "{} was written", path.display());
    let (passed, output) = run_traced("trace_probe_passes", Some("on"));
    assert!(passed, "{output}");
    let trace: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(trace["passed"], true);
}

#[test]
fn with_tracing_off_a_failure_has_no_trace_and_no_page_errors() {
    let (passed, message) = run_traced("trace_probe_fails", Some("off"));
    assert!(!passed, "{message}");
    assert!(message.contains("to have text \"quiet\""), "{message}");
    assert!(!message.contains("trace: "), "{message}");
    assert!(!message.contains("last page errors"), "{message}");
}
