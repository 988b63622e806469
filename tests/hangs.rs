//! SPEC F1: a test that hangs in any way fails on time, with a message naming what it waited
//! for, and the run goes on. The limits have margin for a loaded machine (4 s for the test's
//! own code; the framework's steps and opening the page are not charged to it), and nextest
//! runs this alone (`.config/nextest.toml`); under `cargo test` it is alone in its binary.

mod support;

use support::children::*;

#[test]
fn hangs_fail_their_tests_on_time_and_the_run_goes_on() {
    let started = std::time::Instant::now();
    let (out, text) = run_with_env(
        "fixture_hangs",
        &["--ignored", "--test-threads", "4"],
        &[
            ("SESSION_TEST_TIMEOUT", "4"),
            ("SESSION_TEST_WAIT_TIMEOUT", "10"),
        ],
    );
    assert_eq!(out.status.code(), Some(101), "{text}");
    assert!(text.contains("test hang_then_this_passes ... ok"), "{text}");
    assert!(text.contains("1 passed; 6 failed"), "{text}");
    let expect = [
        ("hang_page_never_loads", "waiting for the `load` event of http://app.localhost:"),
        ("hang_selector_never_appears", "waiting for an element matching `#never`"),
        ("hang_setup_blocks", "the test did not finish within its time limit of 4.0 s"),
        ("hang_validate_never_returns", "the test did not finish within its time limit of 4.0 s"),
        ("hang_with_global_timeout", "the test did not finish within its time limit of 4.0 s"),
        (
            "hang_waits_for_a_stuck_setup",
            "timed out after 10.0 s waiting for another test to finish creating session \"hang-shared\"",
        ),
    ];
    for (test, message) in expect {
        let report = report_of(&text, test);
        assert!(report.contains(message), "{test}: {report}");
    }
    // Hangs of 4 to 10 s on 4 threads: the run is bounded by the limits, not the hangs.
    assert!(started.elapsed().as_secs() < 120, "{:?}", started.elapsed());
}
