//! `cargo nextest run` itself (`make test` installs cargo-nextest) on the fixture binaries: both
//! harnesses pass a process per test, and a session reaches across those processes only when
//! it is persisted, as the README says.

mod support;

use std::process::{Command, Stdio};

use session_test_demo_app::DemoApp;

fn nextest_installed() -> bool {
    Command::new(env!("CARGO"))
        .args(["nextest", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn nextest_runs_both_harnesses_and_persisted_sessions_cross_processes() {
    assert!(
        nextest_installed(),
        "cargo-nextest is not installed: `make test` installs it \
         (`cargo install cargo-nextest --locked`)"
    );
    let app = DemoApp::start("app.localhost").unwrap();
    let dir = std::env::temp_dir().join(format!("st-nextest-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut command = support::children::cargo();
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        // The workspace's feature set, so that the already built binaries are reused.
        .args([
            "nextest",
            "run",
            "--workspace",
            "--no-fail-fast",
            "--no-capture",
        ])
        .args(["--test", "fixture_nextest", "--test", "fixture_main"])
        .args(["--run-ignored", "all"])
        .args([
            "-E",
            "binary(fixture_nextest) | (binary(fixture_main) & !test(failing_on_purpose))",
        ]);
    command
        .env("DEMO_APP_URL", app.base_url())
        .env("SESSION_TEST_CACHE_DIR", &dir);
    let out = command.output().unwrap();
    let shown = support::children::text(&out);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains("7 tests run: 7 passed"), "{shown}");
    let status = |test: &str| {
        shown
            .lines()
            .find_map(|l| l.strip_prefix(&format!("status of {test}: ")))
            .unwrap_or_else(|| panic!("no status of {test} in:\n{shown}"))
            .to_string()
    };
    // Each process has its own memory: the second test logs in again.
    assert_eq!(status("memory_first"), "created");
    assert_eq!(status("memory_second"), "created");
    // On disk, the session crosses into the next process.
    assert_eq!(status("persisted_first"), "created");
    assert_eq!(status("persisted_second"), "restored");
    assert_eq!(app.logins(), 3, "{shown}");
}
