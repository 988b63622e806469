//! `cargo nextest run` itself (when cargo-nextest is installed) on the fixture binaries: both
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
    if !nextest_installed() {
        eprintln!(
            "cargo-nextest is not installed (`cargo install cargo-nextest --locked`): skipped"
        );
        return;
    }
    let app = DemoApp::start("app.localhost").unwrap();
    let dir = std::env::temp_dir().join(format!("st-nextest-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut command = Command::new(env!("CARGO"));
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
        ])
        .stdin(Stdio::null());
    // What cargo and an outer nextest run set for this test (package variables, NEXTEST_*)
    // would steer the inner run, or make cargo rebuild dependencies whose build scripts
    // watch them; the user's own settings (RUSTFLAGS, CARGO_HOME, a wrapper…) stay.
    for (key, _) in std::env::vars_os() {
        let name = key.to_string_lossy();
        let set_for_this_test = name.contains("NEXTEST")
            || name.starts_with("CARGO_PKG_")
            || name.starts_with("CARGO_MANIFEST_")
            || name.starts_with("CARGO_BIN_")
            || name.starts_with("__CARGO")
            || [
                "CARGO",
                "CARGO_CRATE_NAME",
                "CARGO_PRIMARY_PACKAGE",
                "CARGO_TARGET_TMPDIR",
                "CARGO_RUSTC_CURRENT_DIR",
                "OUT_DIR",
                "RUST_TEST_THREADS",
                "SESSION_TEST_FRESH",
            ]
            .contains(&name.as_ref());
        if set_for_this_test {
            command.env_remove(key);
        }
    }
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
