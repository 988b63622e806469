//! The app under test started by the suite (`$SESSION_TEST_WEB_SERVER`, `WebServer`): two
//! test binaries of one run start it once, it stops after the last, and the run report
//! shows its output; a command that exits early fails the test with its status and last
//! lines; a killed run leaves no server; a server already answering is reused locally and
//! refused in CI. The app is `tests/fixture_web_app.rs`; each case runs the probes (this
//! binary's, and `fixture_default`'s) as child processes.

mod support;
#[path = "support/web_app_probe.rs"]
mod web_app_probe;

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use web_app_probe::probes;

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
        self.probe_in(std::env::current_exe().unwrap(), wait_for, env)
    }

    /// The probe of the test binary `binary` as a child process.
    fn probe_in(&self, binary: PathBuf, wait_for: usize, env: &[(&str, &str)]) -> Command {
        let mut child = Command::new(binary);
        child
            .args([
                "--ignored",
                "--exact",
                "web_app_probe::web_server_probe_sees_the_app",
            ])
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
            .env("CARGO_TARGET_DIR", self.dir.join("target"))
            .env_remove("SESSION_TEST_BASE_URL")
            .env_remove("CI")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        child
    }

    /// The run report the probes wrote.
    fn report(&self) -> String {
        let path = self.dir.join("target/session-test/report.html");
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
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
fn two_test_binaries_of_a_run_start_the_server_once_and_it_stops_after_the_last() {
    let case = Case::new("two");
    // Two test binaries at once, in CI, where a server already answering is refused: the
    // second joins the run's own server, it does not reuse it as a stranger's.
    let first = case.probe(2, &[("CI", "true")]).spawn().unwrap();
    let other_binary = support::children::fixture("fixture_default");
    let second = case
        .probe_in(other_binary, 2, &[("CI", "true")])
        .spawn()
        .unwrap();
    for out in [wait(first), wait(second)] {
        assert!(out.status.success(), "{}", shown(&out));
    }
    assert_eq!(case.probes(), 2);
    assert_eq!(
        case.starts(),
        1,
        "the run's two test binaries started one server"
    );
    case.assert_stops();
    // The report says which server the run used, and shows what it printed.
    let report = case.report();
    let started = format!(
        "<code>{}</code> at {}: started for this run",
        support::children::fixture("fixture_web_app").display(),
        case.url()
    );
    let printed = format!("web app starting on port {}", case.port);
    for part in [started, printed] {
        assert!(report.contains(&part), "{part:?} in the report:\n{report}");
    }
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
