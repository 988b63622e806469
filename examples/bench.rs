//! The sessions benchmark: every phase side by side in one run.
//!
//! `cargo run --release --example bench [-- --reps 30] [--records 10000] [--suite 20]
//! [--report-tests 1000] [--growth 1000 200] [--app-url URL --auth-url URL]`
//! (`tests/bench_smoke.rs` runs it small). The report phase writes the run report of that
//! many made-up tests and opens it; the growth phase runs that many trivial tests, then that
//! many that restore a cached session, and prints their cost and memory as they go.
//!
//! By default it starts the demo app on two sites (`app.localhost`, `auth.localhost`);
//! `--app-url` / `--auth-url` point it at any app serving the demo routes (form login on
//! the first, `/api/login` with a localStorage token on the second, `/whoami`, `/stats`).
//! The IndexedDB phase needs the demo app's `/idb` page: against another app it is skipped,
//! and its JSON line says so (`"skipped": …`). Prints one JSON line per phase, then a table.

#[path = "bench_parts/breakdown.rs"]
mod breakdown;
#[path = "bench_parts/growth.rs"]
mod growth;
#[path = "bench_parts/report.rs"]
mod report;
#[path = "bench_parts/targets.rs"]
mod targets;

use std::cell::Cell;
use std::time::{Duration, Instant};

use serde_json::json;
use session_test::config::TraceMode;
use session_test::harness::run_page_test;
use session_test::{session, Page, SessionStatus};
use session_test_demo_app::DemoSites;

use report::report_phase;

struct Sites {
    app: String,
    auth: String,
    _demo: Option<DemoSites>,
}

struct Args {
    reps: usize,
    /// Records of the IndexedDB phase.
    records: u64,
    /// Tests of each suite.
    suite: usize,
    /// Tests of the made-up run whose report is opened.
    report_tests: usize,
    /// Trivial tests, then cached-session tests, run in a row for the cost growth.
    growth: (usize, usize),
    app: Option<String>,
    auth: Option<String>,
}

fn args() -> Args {
    let mut out = Args {
        reps: 30,
        records: 10_000,
        suite: 20,
        report_tests: 1000,
        growth: (1000, 200),
        app: None,
        auth: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--reps" => out.reps = it.next().and_then(|n| n.parse().ok()).expect("--reps N"),
            "--records" => {
                out.records = it.next().and_then(|n| n.parse().ok()).expect("--records N")
            }
            "--suite" => out.suite = it.next().and_then(|n| n.parse().ok()).expect("--suite N"),
            "--growth" => {
                let n = |it: Option<String>| it.and_then(|n| n.parse().ok()).expect("--growth N M");
                out.growth = (n(it.next()), n(it.next()));
            }
            "--report-tests" => {
                out.report_tests = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--report-tests N")
            }
            "--app-url" => out.app = it.next(),
            "--auth-url" => out.auth = it.next(),
            other => panic!(
                "unknown argument `{other}`; expected --reps N, --records N, --suite N, \
                 --report-tests N, --growth N M, --app-url URL, --auth-url URL"
            ),
        }
    }
    out
}

fn logins(page: &Page, sites: &Sites) -> u64 {
    [&sites.app, &sites.auth]
        .iter()
        .map(|base| {
            page.request()
                .get(&format!("{base}/stats"))
                .and_then(|r| r.json::<serde_json::Value>())
                .map(|v| v["logins"].as_u64().unwrap_or(0))
                .unwrap_or(0)
        })
        .sum()
}

fn form_login(page: &Page, sites: &Sites, user: &str) -> session_test::Result<()> {
    page.visit(&format!("{}/login", sites.app))?;
    page.fill("[data-test=name]", user)?;
    page.fill("[data-test=password]", "s3cr3t")?;
    page.click("#submit")?;
    page.set_session_storage(&sites.app, "tab", "kept")
}

fn api_login(page: &Page, sites: &Sites, user: &str) -> session_test::Result<()> {
    let reply = page.request().post_json(
        &format!("{}/api/login", sites.auth),
        &json!({ "name": user, "password": "s3cr3t" }),
    )?;
    let token: serde_json::Value = reply.json()?;
    page.set_local_storage(&sites.auth, "token", token["token"].as_str().unwrap_or(""))
}

fn both(page: &Page, sites: &Sites, user: &str) -> session_test::Result<()> {
    form_login(page, sites, user)?;
    api_login(page, sites, user)
}

/// The session of the benchmark, without validate.
fn session_plain(sites: &Sites, id: &str) -> session_test::Result<SessionStatus> {
    session!(["bench", id], |page: &Page| both(page, sites, "bench"))
}

/// The same with a validate that asks `/whoami`.
fn session_validated(sites: &Sites, id: &str) -> session_test::Result<SessionStatus> {
    session!(
        ["bench-validated", id],
        |page: &Page| both(page, sites, "bench"),
        validate = |page: &Page| {
            Ok(page
                .request()
                .get(&format!("{}/whoami", sites.app))?
                .status()
                == 200)
        }
    )
}

/// Why the IndexedDB phase does not run against `--app-url`.
const IDB_SKIPPED: &str = "only the demo app serves /idb; --app-url names another app";

/// Bytes per record of the IndexedDB phase (~5 MB in all at the default 10,000 records).
const IDB_RECORD_BYTES: u64 = 500;

/// A session whose setup writes the IndexedDB bulk; `setup_took` gets the setup's own time.
fn session_bulk(
    sites: &Sites,
    id: &str,
    records: u64,
    setup_took: &Cell<Duration>,
) -> session_test::Result<SessionStatus> {
    session!(
        ["bench-idb", id],
        |page: &Page| {
            let t = Instant::now();
            page.visit(&format!("{}/idb", sites.app))?;
            page.eval(&format!("writeMany({records}, {IDB_RECORD_BYTES})"))?;
            setup_took.set(t.elapsed());
            Ok(())
        },
        indexed_db = true
    )
}

fn check_logged_in(page: &Page, sites: &Sites) -> session_test::Result<()> {
    page.visit(&format!("{}/home", sites.app))?;
    assert_eq!(page.text("#hello")?, "hello bench", "cookie restored");
    assert_eq!(
        page.session_storage(&sites.app)?.get("tab"),
        Some("kept"),
        "sessionStorage restored"
    );
    assert!(
        page.local_storage(&sites.auth)?.get("token").is_some(),
        "token restored"
    );
    Ok(())
}

struct Phase {
    name: &'static str,
    samples: Vec<Duration>,
}

impl Phase {
    fn stat(&self) -> (f64, f64, f64) {
        let mut v: Vec<f64> = self.samples.iter().map(|d| d.as_secs_f64() * 1e3).collect();
        v.sort_by(|a, b| a.total_cmp(b));
        (v[v.len() / 2], v[0], v[v.len() - 1])
    }
}

/// Runs `body` in a fresh test page `reps` times (after one warm-up) and keeps what it timed.
fn phase(
    name: &'static str,
    reps: usize,
    mut body: impl FnMut(&Page, usize) -> session_test::Result<Duration>,
) -> Phase {
    let mut samples = Vec::new();
    for rep in 0..=reps {
        let mut took = Duration::ZERO;
        run_page_test(name, |page| {
            took = body(page, rep)?;
            Ok(())
        })
        .unwrap_or_else(|f| panic!("{f}"));
        if rep > 0 {
            samples.push(took);
        }
    }
    Phase { name, samples }
}

fn main() {
    let args = args();
    let sites = match (args.app, args.auth) {
        (Some(app), Some(auth)) => Sites {
            app,
            auth,
            _demo: None,
        },
        (None, None) => {
            let demo = DemoSites::start().expect("start the demo app");
            Sites {
                app: demo.app.base_url(),
                auth: demo.auth.base_url(),
                _demo: Some(demo),
            }
        }
        _ => panic!("give both --app-url and --auth-url, or neither"),
    };
    let reps = args.reps.max(1);
    breakdown::install();
    let started = Instant::now();
    let mut phases = Vec::new();

    // A fresh isolated context + page, as a test gets it.
    let mut context = Vec::new();
    for rep in 0..=reps {
        let t = Instant::now();
        let page = Page::new_isolated().expect("page");
        if rep > 0 {
            context.push(t.elapsed());
        }
        page.close();
    }
    phases.push(Phase {
        name: "context",
        samples: context,
    });

    // A whole trivial test through the harness (its page, `1` evaluated, its end and report):
    // a reset context handed on (the default), or a new one with SESSION_TEST_REUSE_CONTEXT=0.
    let mut trivial = Vec::new();
    for rep in 0..=reps {
        let t = Instant::now();
        run_page_test(&format!("trivial_{rep}"), |page| page.eval("1").map(|_| ()))
            .unwrap_or_else(|f| panic!("{f}"));
        if rep > 0 {
            trivial.push(t.elapsed());
        }
    }
    phases.push(Phase {
        name: "test",
        samples: trivial,
    });

    phases.push(phase("setup", reps, |_, rep| {
        let t = Instant::now();
        assert_eq!(
            session_plain(&sites, &format!("setup-{rep}"))?,
            SessionStatus::Created
        );
        Ok(t.elapsed())
    }));
    phases.push(phase("restore_only", reps, |page, rep| {
        let t = Instant::now();
        let status = session_plain(&sites, "restore")?;
        let took = t.elapsed();
        assert_eq!(status, expected_status(rep));
        check_logged_in(page, &sites)?;
        Ok(took)
    }));
    phases.push(phase("restore", reps, |page, rep| {
        let t = Instant::now();
        let status = session_validated(&sites, "restore")?;
        page.visit(&format!("{}/home", sites.app))?;
        assert_eq!(page.text("#hello")?, "hello bench");
        let took = t.elapsed();
        assert_eq!(status, expected_status(rep));
        Ok(took)
    }));

    // Two users at once: a whole test (through the harness) that restores one session,
    // against one that restores two different sessions, the second into a context of its
    // own (`new_context` + `within`); the first repetition creates both.
    let (mut one_user, mut two_users) = (Vec::new(), Vec::new());
    for rep in 0..=reps {
        let t = Instant::now();
        run_page_test("one_user", |_| session_plain(&sites, "user-a").map(drop))
            .unwrap_or_else(|f| panic!("{f}"));
        let one = t.elapsed();
        let t = Instant::now();
        run_page_test("two_users", |page| {
            session_plain(&sites, "user-a")?;
            let other = page.new_context()?;
            other.within(|| session_plain(&sites, "user-b"))?;
            Ok(())
        })
        .unwrap_or_else(|f| panic!("{f}"));
        if rep > 0 {
            one_user.push(one);
            two_users.push(t.elapsed());
        }
    }
    phases.push(Phase {
        name: "test_one_user",
        samples: one_user,
    });
    phases.push(Phase {
        name: "test_two_users",
        samples: two_users,
    });

    // IndexedDB: capture (session! minus its setup) and restore of ~5 MB in 10,000 records,
    // the restored count checked in the page each time. Only the demo app serves `/idb`.
    let idb_skipped = sites._demo.is_none();
    let (mut idb_capture, mut idb_restore) = (Vec::new(), Vec::new());
    for rep in (0..=reps).filter(|_| !idb_skipped) {
        run_page_test("indexeddb", |page| {
            let setup_took = Cell::new(Duration::ZERO);
            let t = Instant::now();
            let status = session_bulk(&sites, &rep.to_string(), args.records, &setup_took)?;
            let capture = t.elapsed().saturating_sub(setup_took.get());
            assert_eq!(status, SessionStatus::Created);
            let t = Instant::now();
            let status = session_bulk(&sites, &rep.to_string(), args.records, &setup_took)?;
            let restore = t.elapsed();
            assert_eq!(status, SessionStatus::Restored);
            page.visit(&format!("{}/idb", sites.app))?;
            assert_eq!(page.eval("countMany()")?, args.records, "records restored");
            if rep > 0 {
                idb_capture.push(capture);
                idb_restore.push(restore);
            }
            Ok(())
        })
        .unwrap_or_else(|f| panic!("{f}"));
    }

    // The suite: 20 tests (--suite) that each need both logins and visit /home, three ways.
    let suite = |mode: &str| -> (Duration, Vec<Duration>, u64) {
        let before = Page::new_isolated()
            .map(|p| logins(&p, &sites))
            .unwrap_or(0);
        let start = Instant::now();
        let mut per_test = Vec::new();
        for i in 0..args.suite {
            let t = Instant::now();
            run_page_test(&format!("suite_{mode}_{i}"), |page| {
                match mode {
                    "a" => both(page, &sites, "bench")?,
                    "b" => {
                        session_plain(&sites, "suite")?;
                    }
                    _ => {}
                }
                page.visit(&format!("{}/home", sites.app))?;
                if mode != "c" {
                    assert_eq!(page.text("#hello")?, "hello bench");
                }
                Ok(())
            })
            .unwrap_or_else(|f| panic!("{f}"));
            per_test.push(t.elapsed());
        }
        let total = start.elapsed();
        let after = Page::new_isolated()
            .map(|p| logins(&p, &sites))
            .unwrap_or(0);
        (total, per_test, after - before)
    };
    let (a, a_each, logins_a) = suite("a");
    breakdown::take(1);
    let (b, b_each, logins_b) = suite("b");
    let b_spans = breakdown::take(args.suite);
    let (c, c_each, _) = suite("c");
    let c_spans = breakdown::take(args.suite);
    // What tracing costs passing tests: suite (b) untraced and traced (retain-on-failure:
    // every test traced, no trace kept), alternating, two rounds each.
    let mut untraced = Duration::ZERO;
    let mut traced = Duration::ZERO;
    for _ in 0..2 {
        session_test::config::set_trace_mode(TraceMode::Off);
        untraced += suite("b").0;
        session_test::config::set_trace_mode(TraceMode::RetainOnFailure);
        traced += suite("b").0;
    }

    for p in &phases {
        let (median, min, max) = p.stat();
        println!(
            "{}",
            json!({ "bench": "session-test", "phase": p.name, "n": p.samples.len(),
                    "median_ms": round(median), "min_ms": round(min), "max_ms": round(max) })
        );
    }
    let ms = |d: Duration| round(d.as_secs_f64() * 1e3);
    let med = |v: &[Duration]| {
        let mut v = v.to_vec();
        v.sort();
        ms(v[v.len() / 2])
    };
    let idb = |name: &str, samples: &[Duration]| {
        let p = Phase {
            name: "indexeddb",
            samples: samples.to_vec(),
        };
        let (median, min, max) = p.stat();
        json!({ format!("{name}_median_ms"): round(median), format!("{name}_min_ms"): round(min),
                format!("{name}_max_ms"): round(max) })
    };
    let idb_line = if idb_skipped {
        json!({ "bench": "session-test", "phase": "indexeddb", "skipped": IDB_SKIPPED })
    } else {
        let mut line = json!({ "bench": "session-test", "phase": "indexeddb", "n": idb_capture.len(),
                               "records": args.records, "bytes": args.records * IDB_RECORD_BYTES });
        for part in [idb("capture", &idb_capture), idb("restore", &idb_restore)] {
            for (k, v) in part.as_object().into_iter().flatten() {
                line[k] = v.clone();
            }
        }
        line
    };
    println!("{idb_line}");
    let ratio_a_b = a.as_secs_f64() / b.as_secs_f64();
    let ratio_b_c = b.as_secs_f64() / c.as_secs_f64();
    let suite_line = json!({ "bench": "session-test", "phase": "suite", "tests": args.suite,
            "a_ms": ms(a), "b_ms": ms(b), "c_ms": ms(c),
            "a_test_median_ms": med(&a_each), "b_test_median_ms": med(&b_each), "c_test_median_ms": med(&c_each),
            "logins_a": logins_a, "logins_b": logins_b,
            "ratio_a_b": round(ratio_a_b), "ratio_b_c": round(ratio_b_c) });
    println!("{suite_line}");
    let trace_cost = traced.as_secs_f64() / untraced.as_secs_f64() - 1.0;
    println!(
        "{}",
        json!({ "bench": "session-test", "phase": "trace", "tests": args.suite * 2,
                "untraced_ms": ms(untraced), "traced_ms": ms(traced),
                "cost_pct": round(trace_cost * 100.0) })
    );
    // Where a test of suites (b) and (c) spends its time, span by span.
    for (suite, spans) in [("b", &b_spans), ("c", &c_spans)] {
        println!(
            "{}",
            json!({ "bench": "session-test", "phase": "breakdown", "suite": suite, "spans": spans })
        );
    }
    // Cost growth: trivial tests, then tests that restore the cached session, in a row.
    let home = format!("{}/home", sites.app);
    let (trivial, cached) = args.growth;
    let trivial_line = growth::growth("trivial", trivial, |page| page.visit(&home));
    println!("{trivial_line}");
    let cached_line = growth::growth("cached", cached, |page| {
        session_plain(&sites, "suite")?;
        page.visit(&home)
    });
    println!("{cached_line}");
    let (targets_line, targets_text) = targets::targets(&suite_line, &trivial_line, &cached_line);
    println!("{targets_line}");
    let report_line = report_phase(args.report_tests, &format!("{}/login", sites.app));
    println!("{report_line}");
    println!(
        "\n{:<14} {:>6} {:>11} {:>9} {:>9}",
        "phase", "n", "median ms", "min ms", "max ms"
    );
    for p in &phases {
        let (median, min, max) = p.stat();
        println!(
            "{:<14} {:>6} {:>11.1} {:>9.1} {:>9.1}",
            p.name,
            p.samples.len(),
            median,
            min,
            max
        );
    }
    if idb_skipped {
        println!("indexeddb: skipped: {IDB_SKIPPED}");
    } else {
        println!(
            "indexeddb: {} records, {:.1} MB: capture {} ms, restore {} ms (medians)",
            args.records,
            (args.records * IDB_RECORD_BYTES) as f64 / 1e6,
            idb_line["capture_median_ms"],
            idb_line["restore_median_ms"]
        );
    }
    println!(
        "\nsuite of {} tests on two sites: (a) log in every test {:.0} ms, {logins_a} logins; \
         (b) session! {:.0} ms, {logins_b} logins; (c) no login {:.0} ms\n\
         a/b = {ratio_a_b:.2}x faster with sessions; b/c = {ratio_b_c:.2}x the no-login floor\n\
         tracing (retain-on-failure) costs suite (b) {:+.1} %\n\
         the report of {} tests: {:.1} MB, first paint {} ms\n\
         {targets_text}({:.0} s in all)",
        args.suite,
        ms(a),
        ms(b),
        ms(c),
        trace_cost * 100.0,
        args.report_tests,
        report_line["bytes"].as_f64().unwrap_or(0.0) / 1e6,
        report_line["first_paint_ms"],
        started.elapsed().as_secs_f64()
    );
}

/// The warm-up creates the session; every timed repetition restores it.
fn expected_status(rep: usize) -> SessionStatus {
    if rep == 0 {
        SessionStatus::Created
    } else {
        SessionStatus::Restored
    }
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
