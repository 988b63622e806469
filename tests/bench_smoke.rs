//! The benchmark runs end to end, small (`--reps 1 --records 1000 --suite 2
//! --report-tests 100 --growth 3 2`: the dev
//! profile, and every phase still runs), prints every phase, and its server login counts
//! are exact. Its timings are not asserted.

use std::process::Command;

/// Runs the bench example with `args`; returns its stdout and its JSON lines.
fn run_bench(args: &[&str]) -> (String, Vec<serde_json::Value>) {
    let exe = std::env::current_exe().unwrap();
    let bench = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples")
        .join("bench");
    assert!(
        bench.is_file(),
        "build the example first: {}",
        bench.display()
    );
    let out = Command::new(&bench).args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (stdout.into_owned(), lines)
}

/// The JSON line of `phase`.
fn phase_line<'a>(
    stdout: &str,
    lines: &'a [serde_json::Value],
    phase: &str,
) -> &'a serde_json::Value {
    lines
        .iter()
        .find(|l| l["phase"] == phase)
        .unwrap_or_else(|| panic!("no {phase} line in:\n{stdout}"))
}

/// Every timed phase has its line, with one sample.
fn assert_timed_phases(stdout: &str, lines: &[serde_json::Value]) {
    for phase in [
        "context",
        "test",
        "setup",
        "restore_only",
        "restore",
        "test_one_user",
        "test_two_users",
    ] {
        let line = phase_line(stdout, lines, phase);
        assert_eq!(line["n"], 1, "{line}");
        for key in ["median_ms", "min_ms", "max_ms"] {
            assert!(line[key].as_f64().is_some(), "{phase}: {key} missing");
        }
    }
}

/// The suite line: exact login counts on the app's own counter.
fn assert_suite(stdout: &str, lines: &[serde_json::Value]) {
    let suite = phase_line(stdout, lines, "suite");
    assert_eq!(suite["tests"], 2);
    assert_eq!(
        suite["logins_a"], 4,
        "two logins per test when logging in every test"
    );
    assert_eq!(suite["logins_b"], 2, "one login per site with session!");
    for key in ["a_ms", "b_ms", "c_ms", "ratio_a_b", "ratio_b_c"] {
        assert!(suite[key].as_f64().is_some(), "suite: {key} missing");
    }
    assert!(stdout.contains("a/b = "), "{stdout}");
}

#[test]
fn bench_prints_every_phase_with_exact_login_counts() {
    let (stdout, lines) = run_bench(&[
        "--reps",
        "1",
        "--records",
        "1000",
        "--suite",
        "2",
        "--report-tests",
        "100",
        "--growth",
        "3",
        "2",
    ]);
    assert_timed_phases(&stdout, &lines);
    // Where a cached test's time goes: the runtime's spans, summed per test.
    let breakdown = phase_line(&stdout, &lines, "breakdown");
    assert_eq!(breakdown["suite"], "b");
    let spans = breakdown["spans"].as_object().expect("the spans");
    for span in ["test", "open", "session", "restore", "reset"] {
        assert!(
            spans[span]["ms_per_test"].as_f64().is_some(),
            "{span} in {breakdown}"
        );
    }
    let app_visits = spans
        .keys()
        .filter(|k| k.starts_with("navigate http://app.localhost:"))
        .count();
    assert_eq!(
        app_visits, 1,
        "the app's visits, summed under its site: {breakdown}"
    );
    // Cost growth: each suite's per-test times and the memory, sampled.
    for (suite, n) in [("trivial", 3), ("cached", 2)] {
        let line = lines
            .iter()
            .find(|l| l["phase"] == "growth" && l["suite"] == suite)
            .unwrap_or_else(|| panic!("no {suite} growth line in:\n{stdout}"));
        assert_eq!(line["tests"], n);
        assert!(
            line["per_test"][0]["median_ms"].as_f64().is_some(),
            "{line}"
        );
        let memory = line["memory"].as_array().expect("memory samples");
        assert!(
            memory.iter().all(|m| m["browser_mb"].as_f64() > Some(0.0)),
            "{line}"
        );
    }
    // The targets that the bench measures alone, each with its goal and verdict.
    let targets = phase_line(&stdout, &lines, "targets");
    let targets = targets["targets"].as_array().expect("the targets");
    // The memory targets need a run past 100 tests: none here.
    assert_eq!(targets.len(), 4, "{targets:?}");
    for t in targets {
        assert!(
            t["value"].as_f64().is_some() && t["met"].is_boolean(),
            "{t}"
        );
    }
    assert!(stdout.contains("login-each / cached"), "{stdout}");
    // The report of a long run (here 100 made-up tests): its size, and its first paint.
    let report = phase_line(&stdout, &lines, "report");
    assert_eq!(report["tests"], 100);
    for key in ["bytes", "write_ms", "first_paint_ms", "load_ms"] {
        assert!(
            report[key].as_f64().is_some(),
            "report: {key} missing in {report}"
        );
    }
    let idb = phase_line(&stdout, &lines, "indexeddb");
    assert_eq!(
        (idb["n"].as_u64(), idb["records"].as_u64()),
        (Some(1), Some(1000))
    );
    // Suite (b) twice untraced and twice traced: what tracing costs passing tests.
    let trace = phase_line(&stdout, &lines, "trace");
    assert_eq!(trace["tests"], 4);
    for key in ["untraced_ms", "traced_ms", "cost_pct"] {
        assert!(trace[key].as_f64().is_some(), "trace: {key} missing");
    }
    for key in ["capture_median_ms", "restore_median_ms"] {
        assert!(idb[key].as_f64().is_some(), "indexeddb: {key} missing");
    }
    assert_suite(&stdout, &lines);
}

/// `--app-url` names an app other than the demo app (here the demo app started by this
/// test, which the bench cannot tell from another): the IndexedDB phase, which needs the
/// demo app's `/idb`, is skipped and says so; the rest runs.
#[test]
fn bench_against_another_app_skips_only_the_indexeddb_phase() {
    let sites = session_test_demo_app::DemoSites::start().unwrap();
    let (app, auth) = (sites.app.base_url(), sites.auth.base_url());
    let (stdout, lines) = run_bench(&[
        "--reps",
        "1",
        "--suite",
        "2",
        "--growth",
        "1",
        "1",
        "--report-tests",
        "10",
        "--app-url",
        &app,
        "--auth-url",
        &auth,
    ]);
    assert_timed_phases(&stdout, &lines);
    let idb = phase_line(&stdout, &lines, "indexeddb");
    assert!(
        idb["skipped"]
            .as_str()
            .is_some_and(|why| why.contains("/idb")),
        "{idb}"
    );
    assert!(stdout.contains("indexeddb: skipped: "), "{stdout}");
    assert_suite(&stdout, &lines);
}
