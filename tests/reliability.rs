//! SPEC F1–F3: hangs fail their test on time with a message naming what was awaited; the
//! browser dying fails only the test using it; no browser or profile outlives its process.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

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
            use std::os::unix::fs::PermissionsExt;
            file.starts_with(&prefix)
                && p.extension().is_none()
                && p.metadata()
                    .map(|m| m.permissions().mode() & 0o111 != 0)
                    .unwrap_or(false)
        })
        .max_by_key(|p| p.metadata().and_then(|m| m.modified()).ok())
        .unwrap_or_else(|| panic!("no built fixture `{name}`"))
}

fn run(name: &str, args: &[&str], env: &[(&str, &str)]) -> (Output, String) {
    let out = Command::new(fixture(name))
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out, text)
}

/// The failure report of `test` in `output` (from its header to the next blank line).
fn report_of<'a>(output: &'a str, test: &str) -> &'a str {
    let start = output
        .find(&format!("test `{test}` failed"))
        .unwrap_or_else(|| panic!("no report for {test} in:\n{output}"));
    let rest = &output[start..];
    &rest[..rest.find("\n\n").unwrap_or(rest.len())]
}

#[test]
fn hangs_fail_their_tests_on_time_and_the_run_goes_on() {
    let started = std::time::Instant::now();
    let (out, text) = run(
        "fixture_hangs",
        &["--ignored", "--test-threads", "4"],
        &[
            ("SESSION_TEST_TIMEOUT", "2"),
            ("SESSION_TEST_WAIT_TIMEOUT", "1"),
        ],
    );
    assert_eq!(out.status.code(), Some(101), "{text}");
    assert!(text.contains("test hang_then_this_passes ... ok"), "{text}");
    assert!(text.contains("1 passed; 6 failed"), "{text}");
    let expect = [
        ("hang_page_never_loads", "waiting for the `load` event of http://app.localhost:"),
        ("hang_selector_never_appears", "waiting for an element matching `#never`"),
        ("hang_setup_blocks", "the test did not finish within its time limit of 2.0 s"),
        ("hang_validate_never_returns", "the test did not finish within its time limit of 2.0 s"),
        ("hang_with_global_timeout", "the test did not finish within its time limit of 2.0 s"),
        (
            "hang_waits_for_a_stuck_setup",
            "timed out after 1.0 s waiting for another test to finish creating session \"hang-shared\"",
        ),
    ];
    for (test, message) in expect {
        let report = report_of(&text, test);
        assert!(report.contains(message), "{test}: {report}");
    }
    // Six hangs of 1-2 s on 4 threads: the run is bounded by the limits, not the hangs.
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
}
