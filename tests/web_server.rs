//! The app under test started by the suite (`$SESSION_TEST_WEB_SERVER`, `WebServer`): two
//! test processes of one run start it once and it stops after the last; a command that
//! exits early fails the test with its status and last lines; a killed run leaves no
//! server; a server already answering is reused locally and refused in CI. The app is
//! `tests/fixture_web_app.rs`; each case runs this binary's probes as child processes.

mod support;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use session_test::{expect, session_test, Page};

/// The probes append a line here once they have seen the app (`$WEB_APP_PROBES`).
fn seen(page: &Page) -> session_test::Result<()> {
    page.visit("/")?;
    expect(&page.locator("#app")).to_have_text("web app")?;
    if let Ok(path) = std::env::var("WEB_APP_PROBES") {
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .unwrap();
        writeln!(file, "seen").unwrap();
    }
    Ok(())
}

/// How many probes have seen the app.
fn probes(path: &Path) -> usize {
    std::fs::read_to_string(path).map_or(0, |s| s.lines().count())
}

/// Sees the app (at the base URL the server gave), then stays until `$WEB_APP_WAIT_FOR`
/// probes have seen it: so that two processes of one run overlap.
#[session_test(ignore)]
fn web_server_probe_sees_the_app(page: &Page) -> session_test::Result<()> {
    seen(page)?;
    let path = PathBuf::from(std::env::var("WEB_APP_PROBES").unwrap());
    let wanted: usize = std::env::var("WEB_APP_WAIT_FOR").map_or(1, |n| n.parse().unwrap());
    let all_seen = support::poll_until(Duration::from_secs(60), || probes(&path) >= wanted);
    assert!(all_seen, "only {} probes saw the app", probes(&path));
    Ok(())
}

/// One case: a free port for the app, and files for its starts and the probes.
struct Case {
    port: u16,
    dir: PathBuf,
}

impl Case {
    fn new(name: &str) -> Case {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = std::env::temp_dir().join(format!("st-web-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Case { port, dir }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// This binary's probe as a child process, its web server the fixture app.
    fn probe(&self, wait_for: usize, env: &[(&str, &str)]) -> Command {
        let mut child = Command::new(std::env::current_exe().unwrap());
        child
            .args(["--ignored", "--exact", "web_server_probe_sees_the_app"])
            .env(
                "SESSION_TEST_WEB_SERVER",
                support::children::fixture("fixture_web_app"),
            )
            .env("SESSION_TEST_WEB_SERVER_URL", self.url())
            .env("SESSION_TEST_WEB_SERVER_TIMEOUT", "30")
            .env("WEB_APP_PORT", self.port.to_string())
            .env("WEB_APP_STARTS", self.dir.join("starts"))
            .env("WEB_APP_PROBES", self.dir.join("probes"))
            .env("WEB_APP_WAIT_FOR", wait_for.to_string())
            .env_remove("SESSION_TEST_BASE_URL")
            .env_remove("CI")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        child
    }

    fn starts(&self) -> usize {
        probes(&self.dir.join("starts"))
    }

    fn probes(&self) -> usize {
        probes(&self.dir.join("probes"))
    }

    /// Whether the app's port takes connections.
    fn up(&self) -> bool {
        TcpStream::connect(("127.0.0.1", self.port)).is_ok()
    }

    /// Waits (at most 15 s) for the app's port to refuse connections.
    fn assert_stops(&self) {
        let stopped = support::poll_until(Duration::from_secs(15), || !self.up());
        assert!(stopped, "the app on port {} is still up", self.port);
    }
}

impl Drop for Case {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn shown(out: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn wait(child: Child) -> Output {
    child.wait_with_output().unwrap()
}

#[test]
fn two_processes_of_a_run_start_the_server_once_and_it_stops_after_the_last() {
    let case = Case::new("two");
    // In CI, where a server already answering is refused: the second process joins the
    // run's own server, it does not reuse it as a stranger's.
    let first = case.probe(2, &[("CI", "true")]).spawn().unwrap();
    let second = case.probe(2, &[("CI", "true")]).spawn().unwrap();
    for out in [wait(first), wait(second)] {
        assert!(out.status.success(), "{}", shown(&out));
    }
    assert_eq!(case.probes(), 2);
    assert_eq!(
        case.starts(),
        1,
        "the run's two processes started one server"
    );
    case.assert_stops();
}

#[test]
fn a_server_that_exits_early_fails_the_test_with_its_status_and_last_lines() {
    let case = Case::new("crash");
    let out = wait(case.probe(1, &[("WEB_APP_CRASH", "1")]).spawn().unwrap());
    assert!(!out.status.success());
    let all = shown(&out);
    let (command, url) = (support::children::fixture("fixture_web_app"), case.url());
    for part in [
        format!(
            "the web server `{}` exited with status 3 before {url} answered",
            command.display()
        ),
        "boom: the database is not there".to_string(),
    ] {
        assert!(all.contains(&part), "{part:?} in:\n{all}");
    }
}

#[test]
fn a_killed_run_leaves_no_server() {
    let case = Case::new("killed");
    // Waits for a second probe that never comes: it is killed meanwhile.
    let mut probe = case.probe(2, &[]).spawn().unwrap();
    let saw = support::poll_until(Duration::from_secs(60), || case.probes() == 1);
    assert!(saw, "the probe never saw the app");
    assert!(case.up());
    probe.kill().unwrap();
    probe.wait().unwrap();
    case.assert_stops();
}

#[test]
fn a_server_already_answering_is_reused_locally_and_refused_in_ci() {
    let case = Case::new("reuse");
    // The app, started by hand before the run.
    let mut app = Command::new(support::children::fixture("fixture_web_app"))
        .env("WEB_APP_PORT", case.port.to_string())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let up = support::poll_until(Duration::from_secs(30), || case.up());
    assert!(up, "the app did not start");
    let out = wait(case.probe(1, &[]).spawn().unwrap());
    assert!(out.status.success(), "{}", shown(&out));
    assert_eq!(
        case.starts(),
        0,
        "the command did not run: the server was reused"
    );
    let out = wait(case.probe(1, &[("CI", "true")]).spawn().unwrap());
    let all = shown(&out);
    assert!(!out.status.success(), "{all}");
    let refused = format!("{} already answers, so the web server `", case.url());
    assert!(all.contains(&refused), "{all}");
    app.kill().unwrap();
    app.wait().unwrap();
}
