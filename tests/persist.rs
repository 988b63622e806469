//! Persistent sessions (SPEC E1–E4) across processes: each case runs the `fixture_persist`
//! binary as separate processes against one demo server and a temporary cache directory.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use session_test_demo_app::DemoApp;
use support::children::{fixture, text};

struct Case {
    app: DemoApp,
    dir: PathBuf,
}

impl Case {
    fn new(name: &str) -> Case {
        let dir = std::env::temp_dir().join(format!("st-persist-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Case {
            app: DemoApp::start("app.localhost").unwrap(),
            dir,
        }
    }

    fn command(&self, test: &str) -> Command {
        let mut c = Command::new(fixture("fixture_persist"));
        c.args(["--ignored", "--exact", test, "--nocapture"])
            .env("DEMO_APP_URL", self.app.base_url())
            .env("SESSION_TEST_CACHE_DIR", &self.dir)
            .env_remove("SESSION_TEST_FRESH")
            .stdin(Stdio::null());
        c
    }

    /// Runs one fixture test in a new process; returns its status line and all its output.
    fn run(&self, test: &str) -> (String, String) {
        let out: Output = self.command(test).output().unwrap();
        let shown = text(&out);
        assert!(out.status.success(), "{test}:\n{shown}");
        let status = shown
            .lines()
            .find_map(|l| l.strip_prefix("status: "))
            .unwrap_or_else(|| panic!("no status in:\n{shown}"))
            .to_string();
        (status, shown)
    }

    fn files(&self) -> Vec<PathBuf> {
        std::fs::read_dir(&self.dir)
            .map(|d| {
                d.flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "json"))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn only_file(&self) -> PathBuf {
        let files = self.files();
        assert_eq!(files.len(), 1, "{files:?}");
        files[0].clone()
    }
}

impl Drop for Case {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn sid_value(file: &Path) -> String {
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
    v["data"]["cookies"][0]["value"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_second_process_restores_from_disk_without_logging_in() {
    let case = Case::new("restore");
    let (first, out1) = case.run("persist_login");
    assert_eq!(first, "created");
    assert_eq!(case.app.logins(), 1);
    let (second, out2) = case.run("persist_login");
    assert_eq!(second, "restored", "{out2}");
    assert_eq!(case.app.logins(), 1, "no login in the second process");
    let file = case.only_file();
    assert_eq!(mode(&file), 0o600);
    assert_eq!(mode(&case.dir), 0o700);
    let secret = sid_value(&file);
    assert!(
        !out1.contains(&secret) && !out2.contains(&secret),
        "a cookie value was printed"
    );
    // What `session-test list` shows: names, origins and expiry, never values.
    let listed = session_test::persisted::list_in(&case.dir);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, r#"["persist","pia"]"#);
    assert_eq!(listed[0].cookies, vec![("sid".to_string(), None)]);
    assert!(!format!("{listed:?}").contains(&secret));
    // SESSION_TEST_FRESH ignores the disk (and writes anew).
    let out = case
        .command("persist_login")
        .env("SESSION_TEST_FRESH", "1")
        .output()
        .unwrap();
    assert!(text(&out).contains("status: created"), "{}", text(&out));
    assert_eq!(case.app.logins(), 2);
}

#[test]
fn changed_setup_code_does_not_reuse_the_file() {
    let case = Case::new("fingerprint");
    assert_eq!(case.run("persist_login").0, "created");
    assert_eq!(case.run("persist_login_changed").0, "created");
    assert_eq!(case.app.logins(), 2);
    assert_eq!(case.files().len(), 2, "one file per definition");
    assert_eq!(case.run("persist_login_changed").0, "restored");
    assert_eq!(case.app.logins(), 2);
}

#[test]
fn a_session_whose_cookies_all_expired_is_recreated() {
    let case = Case::new("expired");
    case.run("persist_login");
    let file = case.only_file();
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    for c in v["data"]["cookies"].as_array_mut().unwrap() {
        c["expires"] = serde_json::json!(1_000_000.0); // long past
    }
    std::fs::write(&file, serde_json::to_vec(&v).unwrap()).unwrap();
    assert_eq!(case.run("persist_login").0, "created");
    assert_eq!(case.app.logins(), 2);
}

#[test]
fn corrupt_and_truncated_files_are_replaced_with_one_warning_each() {
    let case = Case::new("corrupt");
    case.run("persist_login");
    let file = case.only_file();
    let good = std::fs::read(&file).unwrap();
    for (what, bytes) in [
        ("corrupt", b"{not json".to_vec()),
        ("truncated", good[..good.len() / 2].to_vec()),
    ] {
        std::fs::write(&file, bytes).unwrap();
        let (status, shown) = case.run("persist_login");
        assert_eq!(status, "created", "{what}");
        let warnings = shown
            .matches("is corrupt or truncated; it is ignored and will be replaced")
            .count();
        assert_eq!(warnings, 1, "{what}: {shown}");
        let replaced: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        assert_eq!(
            replaced["version"], 1,
            "{what}: the file was replaced by a good one"
        );
        assert!(!shown.contains(&sid_value(&file)));
    }
}

#[test]
fn an_unwritable_directory_still_passes_with_a_warning() {
    let case = Case::new("unwritable");
    std::fs::write(&case.dir, b"a file where the directory should be").unwrap();
    let out = case
        .command("persist_login")
        .env("SESSION_TEST_CACHE_DIR", case.dir.join("sessions"))
        .output()
        .unwrap();
    let shown = text(&out);
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains("status: created"), "{shown}");
    assert!(
        shown.contains("cannot use the session cache directory"),
        "{shown}"
    );
    let _ = std::fs::remove_file(&case.dir);
}

/// Eight test processes at once (as `cargo nextest` starts them) on one persisted id: one
/// logs in, seven restore.
#[test]
fn processes_started_together_log_in_once() {
    let case = Case::new("together");
    let children: Vec<_> = (0..8)
        .map(|_| {
            case.command("persist_login")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut statuses: Vec<String> = children
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output().unwrap();
            let shown = text(&out);
            assert!(out.status.success(), "{shown}");
            shown
                .lines()
                .find_map(|l| l.strip_prefix("status: "))
                .unwrap()
                .to_string()
        })
        .collect();
    statuses.sort();
    assert_eq!(statuses[0], "created");
    assert!(
        statuses[1..].iter().all(|s| s == "restored"),
        "{statuses:?}"
    );
    assert_eq!(case.app.logins(), 1);
}

/// A cookie the browser refuses on restore is reported by name, never swallowed (and its
/// value never printed).
#[test]
fn a_cookie_the_browser_refuses_on_restore_is_reported() {
    let case = Case::new("refused");
    case.run("persist_login");
    let file = case.only_file();
    let secret = sid_value(&file);
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    // SameSite=None without Secure: Chromium refuses to set it.
    v["data"]["cookies"][0]["sameSite"] = serde_json::json!("None");
    v["data"]["cookies"][0]["secure"] = serde_json::json!(false);
    v["data"]["cookies"][0]["domain"] = serde_json::json!("");
    std::fs::write(&file, serde_json::to_vec(&v).unwrap()).unwrap();
    let out = case.command("persist_login").output().unwrap();
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(101), "{shown}");
    assert!(
        shown.contains("the browser rejected the session's cookies (sid)"),
        "{shown}"
    );
    assert!(!shown.contains(&secret), "{shown}");
}

#[test]
fn the_session_test_tool_lists_without_values_and_clears() {
    let case = Case::new("tool");
    case.run("persist_login");
    let secret = sid_value(&case.only_file());
    let tool = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_session-test"))
            .args(["--dir", case.dir.to_str().unwrap()])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out));
        text(&out)
    };
    let listed = tool(&["list"]);
    assert!(listed.contains(r#"["persist","pia"]"#), "{listed}");
    assert!(listed.contains("cookies: sid (session cookie)"), "{listed}");
    assert!(
        listed.contains("defined at tests/fixture_persist.rs:"),
        "{listed}"
    );
    assert!(!listed.contains(&secret), "list shows a cookie value");
    assert!(tool(&["clear"]).contains("deleted 1 persisted session(s)"));
    assert!(case.files().is_empty());
    assert!(tool(&["list"]).contains("no persisted sessions"));
}

/// `max_age`: a file whose setup ran longer ago than that is not restored; setup runs again.
#[test]
fn a_persisted_session_past_its_max_age_is_recreated() {
    let case = Case::new("max-age");
    assert_eq!(case.run("persist_login_max_age").0, "created");
    assert_eq!(case.run("persist_login_max_age").0, "restored");
    // Its setup ran two minutes ago, as far as the file says.
    let file = case.only_file();
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let two_minutes_ago = v["created_at"].as_u64().expect("created_at") - 120;
    v["created_at"] = two_minutes_ago.into();
    std::fs::write(&file, serde_json::to_vec(&v).unwrap()).unwrap();
    let (status, shown) = case.run("persist_login_max_age");
    assert_eq!(status, "recreated", "{shown}");
    assert!(
        shown.contains("past its max_age of 60 s; recreating it"),
        "{shown}"
    );
    assert_eq!(case.app.logins(), 2);
    // The new one is young again.
    assert_eq!(case.run("persist_login_max_age").0, "restored");
    assert_eq!(case.app.logins(), 2);
}
