//! The command line of both harnesses, failure reports, and that no browser outlives its
//! test process. Each test runs a fixture test binary as a child process.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// The newest built test binary named `name` (cargo puts it beside this one, in deps/).
fn fixture(name: &str) -> PathBuf {
    let deps = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    let prefix = format!("{name}-");
    std::fs::read_dir(&deps)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let file = p.file_name().unwrap().to_string_lossy().to_string();
            file.starts_with(&prefix) && p.extension().is_none() && is_executable(p)
        })
        .max_by_key(|p| p.metadata().and_then(|m| m.modified()).ok())
        .unwrap_or_else(|| panic!("no built fixture `{name}` in {}", deps.display()))
}

fn is_executable(p: &std::path::Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.metadata()
        .map(|m| m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

fn run(name: &str, args: &[&str]) -> Output {
    Command::new(fixture(name))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run fixture")
}

fn text(out: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn browser_pids(output: &str) -> Vec<i32> {
    output
        .lines()
        .filter_map(|l| l.trim().strip_prefix("browser pid: "))
        .filter_map(|p| p.trim().parse().ok())
        .filter(|p| *p > 0)
        .collect()
}

/// Every process still running whose command line names a profile of `test_pid`.
fn browsers_of(test_pid: u32) -> Vec<String> {
    let marker = format!("session-test-profile-{test_pid}-");
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
        .filter(|c| c.contains(&marker))
        .collect()
}

fn profiles_of(test_pid: u32) -> Vec<PathBuf> {
    let marker = format!("session-test-profile-{test_pid}-");
    std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&marker))
        .map(|e| e.path())
        .collect()
}

/// Waits (bounded) until the browser processes of `pid` are gone: a SIGKILLed browser
/// takes a moment to be reaped. Returns what is still there.
fn leftovers_after_exit(pid: u32) -> Vec<String> {
    let start = std::time::Instant::now();
    loop {
        let left = browsers_of(pid);
        if left.is_empty() || start.elapsed() > std::time::Duration::from_secs(10) {
            return left;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

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
    let shot = session_test::screenshot_path("failing_on_purpose");
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
    // The 2 s test timeout cuts the wait short: it reports how long it really waited.
    assert!(shown.contains("timed out after "), "{shown}");
    assert!(
        shown.contains(" s waiting for an element `#no-such-element-here`"),
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
        let shot = session_test::screenshot_path(test);
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
    let mut child = Command::new(fixture("fixture_default"))
        .args(["--ignored", "--exact", "fixture_blocks", "--nocapture"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let browser = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| browser_pids(&l).first().copied())
        .expect("the fixture printed its browser pid");
    assert!(
        !browsers_of(pid).is_empty(),
        "browser {browser} should be running now"
    );
    child.kill().unwrap(); // SIGKILL: no destructor, no atexit, no signal handler runs
    child.wait().unwrap();
    assert_eq!(leftovers_after_exit(pid), Vec::<String>::new());
}
