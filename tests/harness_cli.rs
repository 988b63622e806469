//! The command line of both harnesses, failure reports, and that no browser outlives its
//! test process. Each test runs a fixture test binary as a child process.

mod support;

use std::path::PathBuf;
use std::process::{Command, Stdio};

use support::children::*;

#[test]
fn default_harness_lists_and_filters() {
    let out = run("fixture_default", &["--list"]);
    let listed = text(&out);
    assert!(out.status.success(), "{listed}");
    for name in [
        "fixture_passes: test",
        "fixture_other: test",
        "fixture_fails: test",
    ] {
        assert!(listed.contains(name), "missing {name} in:\n{listed}");
    }
    let out = run("fixture_default", &["fixture_other", "--exact"]);
    let shown = text(&out);
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains("test fixture_other ... ok"), "{shown}");
    assert!(!shown.contains("fixture_passes"), "{shown}");
    assert!(shown.contains("1 passed"), "{shown}");
}

/// What cargo nextest does with a test binary: list its tests with `--list --format terse`
/// (every line `name: test`, nothing else on stdout), then run each alone in a process of
/// its own with `--exact`. Both harnesses must answer it; `make test` then runs the whole
/// suite under nextest when it is installed.
#[test]
fn both_harnesses_answer_the_way_nextest_asks() {
    for (binary, one) in [
        ("fixture_default", "fixture_passes"),
        ("fixture_main", "nested::gamma_in_module"),
    ] {
        let out = Command::new(fixture(binary))
            .args(["--list", "--format", "terse"])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{binary}: {stdout}");
        let names: Vec<&str> = stdout
            .lines()
            .map(|l| {
                l.strip_suffix(": test")
                    .unwrap_or_else(|| panic!("{binary}: `{l}` is not `name: test`"))
            })
            .collect();
        assert!(names.contains(&one), "{binary}: {names:?}");
        let out = run(binary, &["--exact", one, "--nocapture"]);
        let shown = text(&out);
        assert!(out.status.success(), "{binary} {one}: {shown}");
        assert!(shown.contains("1 passed"), "{shown}");
    }
}

#[test]
fn main_harness_lists_filters_and_skips() {
    let out = run("fixture_main", &["--list"]);
    let listed = text(&out);
    assert!(out.status.success(), "{listed}");
    for name in [
        "alpha_passes",
        "beta_passes",
        "nested::gamma_in_module",
        "failing_on_purpose",
    ] {
        assert!(
            listed.contains(&format!("{name}: test")),
            "missing {name} in:\n{listed}"
        );
    }
    let out = run("fixture_main", &["passes", "--skip", "beta"]);
    let shown = text(&out);
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains("test alpha_passes ... ok"), "{shown}");
    assert!(!shown.contains("test beta_passes"), "{shown}");
    assert!(shown.contains("1 passed"), "{shown}");
    let out = run("fixture_main", &["--ignored", "--list"]);
    let listed = text(&out);
    assert!(listed.contains("failing_on_purpose: test"), "{listed}");
    assert!(!listed.contains("alpha_passes"), "{listed}");
}

#[test]
fn main_harness_reports_a_failure_with_url_and_screenshot() {
    let shot = session_test::report::screenshot_path("failing_on_purpose");
    let _ = std::fs::remove_file(&shot);
    let out = run(
        "fixture_main",
        &["--ignored", "--exact", "failing_on_purpose"],
    );
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(101), "{shown}");
    assert!(
        shown.contains("test `failing_on_purpose` failed"),
        "{shown}"
    );
    // The 4 s test timeout cuts the wait short: it reports how long it really waited.
    assert!(shown.contains("timed out after "), "{shown}");
    assert!(
        shown.contains(" s waiting for an element matching `#no-such-element-here`"),
        "{shown}"
    );
    assert!(shown.contains("page URL: http://app.localhost:"), "{shown}");
    assert!(shown.contains("/login"), "{shown}");
    assert!(
        shown.contains(&format!("screenshot: {}", shot.display())),
        "{shown}"
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(png.starts_with(b"\x89PNG\r\n"), "not a PNG");
}

#[test]
fn default_harness_reports_a_failure_and_a_panic() {
    for (test, expected) in [
        ("fixture_fails", "assertion `left == right` failed"),
        ("fixture_panics", "panicked: deliberate panic"),
    ] {
        let shot = session_test::report::screenshot_path(test);
        let _ = std::fs::remove_file(&shot);
        let out = run("fixture_default", &["--ignored", "--exact", test]);
        let shown = text(&out);
        assert_eq!(out.status.code(), Some(101), "{shown}");
        assert!(shown.contains(&format!("test `{test}` failed")), "{shown}");
        assert!(shown.contains(expected), "{shown}");
        assert!(shown.contains("page URL: http://app.localhost:"), "{shown}");
        assert!(shot.is_file(), "no screenshot at {}", shot.display());
    }
}

#[test]
fn no_browser_outlives_a_passing_or_failing_run() {
    for (bin, args) in [
        ("fixture_main", vec!["alpha_passes", "--exact"]),
        (
            "fixture_default",
            vec!["fixture_passes", "--exact", "--nocapture"],
        ),
        (
            "fixture_default",
            vec!["--ignored", "--exact", "fixture_fails", "--nocapture"],
        ),
        (
            "fixture_default",
            vec!["--ignored", "--exact", "fixture_panics", "--nocapture"],
        ),
    ] {
        let child = Command::new(fixture(bin))
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let pid = child.id();
        let out = child.wait_with_output().unwrap();
        let shown = text(&out);
        assert!(
            !browser_pids(&shown).is_empty(),
            "{bin} {args:?} launched no browser:\n{shown}"
        );
        assert_eq!(
            leftovers_after_exit(pid),
            Vec::<String>::new(),
            "{bin} {args:?}"
        );
        assert_eq!(
            profiles_of(pid),
            Vec::<PathBuf>::new(),
            "profile left by {bin} {args:?}"
        );
    }
}

#[test]
fn no_browser_outlives_a_killed_test_process() {
    let (mut child, pid) = blocked_fixture();
    let _stdin = child.stdin.take();
    child.kill().unwrap(); // SIGKILL: no destructor, no atexit, no signal handler runs
    child.wait().unwrap();
    assert_eq!(leftovers_after_exit(pid), Vec::<String>::new());
    // Its profile could not be removed by it; the next launch of any test process sweeps it
    // (a launch by a test running alongside may already have).
    let out = run("fixture_default", &["fixture_other", "--exact"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        profiles_of(pid),
        Vec::<PathBuf>::new(),
        "swept at the next launch"
    );
}
