//! Load (issue: reliability): 50 tests over 10 session ids on 8 threads log in exactly 10
//! times, never deadlock, never see another test's user; 100 distinct sessions work in one
//! process; every tab and context is disposed (the browser's page targets return to their
//! baseline). A `harness = false` binary so that it can check the whole run at the end.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::json;
use session_test::{session, session_test, Page};
use session_test_demo_app::{DemoOptions, DemoSites};

fn sites() -> &'static DemoSites {
    static SITES: OnceLock<DemoSites> = OnceLock::new();
    SITES.get_or_init(|| DemoSites::start().expect("demo app"))
}

fn login(user: &str) -> session_test::Result<()> {
    let app = &sites().app;
    session!(
        ["load", user],
        |page: &Page| {
            page.visit(&app.url("/login"))?;
            page.fill("[data-test=name]", user)?;
            page.fill("[data-test=password]", "s3cr3t")?;
            page.click("#submit")
        },
        validate = |page: &Page| Ok(page.request().get(&app.url("/whoami"))?.status() == 200)
    )?;
    Ok(())
}

/// Logs in as user `i % 10` and checks the page shows that user and nobody else.
fn as_user(page: &Page, i: usize) -> session_test::Result<()> {
    let user = format!("user{}", i % 10);
    login(&user)?;
    page.visit(&sites().app.url("/home"))?;
    assert_eq!(page.text("#hello")?, format!("hello {user}"));
    let who: serde_json::Value = page.request().get(&sites().app.url("/whoami"))?.json()?;
    assert_eq!(who["name"], user.as_str());
    Ok(())
}

macro_rules! load_tests {
    ($($name:ident = $i:expr),* $(,)?) => {
        $(
            #[session_test]
            fn $name(page: &Page) -> session_test::Result<()> {
                as_user(page, $i)
            }
        )*
    };
}

load_tests!(
    t00 = 0,
    t01 = 1,
    t02 = 2,
    t03 = 3,
    t04 = 4,
    t05 = 5,
    t06 = 6,
    t07 = 7,
    t08 = 8,
    t09 = 9,
    t10 = 10,
    t11 = 11,
    t12 = 12,
    t13 = 13,
    t14 = 14,
    t15 = 15,
    t16 = 16,
    t17 = 17,
    t18 = 18,
    t19 = 19,
    t20 = 20,
    t21 = 21,
    t22 = 22,
    t23 = 23,
    t24 = 24,
    t25 = 25,
    t26 = 26,
    t27 = 27,
    t28 = 28,
    t29 = 29,
    t30 = 30,
    t31 = 31,
    t32 = 32,
    t33 = 33,
    t34 = 34,
    t35 = 35,
    t36 = 36,
    t37 = 37,
    t38 = 38,
    t39 = 39,
    t40 = 40,
    t41 = 41,
    t42 = 42,
    t43 = 43,
    t44 = 44,
    t45 = 45,
    t46 = 46,
    t47 = 47,
    t48 = 48,
    t49 = 49,
);

/// 100 distinct sessions in one process (API logins on a server with no login delay).
#[session_test]
fn hundred_sessions(page: &Page) -> session_test::Result<()> {
    let fast = session_test_demo_app::DemoApp::start_with(
        "auth.localhost",
        DemoOptions {
            login_delay: Duration::ZERO,
        },
    )?;
    let make = |i: usize| {
        session!(json!(["hundred", i]), |page: &Page| {
            let reply = page.request().post_json(
                &fast.url("/api/login"),
                &json!({ "name": format!("h{i}"), "password": "s3cr3t" }),
            )?;
            assert_eq!(reply.status(), 200);
            Ok(())
        })
    };
    for i in 0..100 {
        make(i)?;
    }
    for i in (0..100).rev() {
        assert_eq!(make(i)?, session_test::SessionStatus::Restored);
        let who: serde_json::Value = page.request().get(&fast.url("/whoami"))?.json()?;
        assert_eq!(who["name"], format!("h{i}"));
    }
    assert_eq!(fast.logins(), 100);
    Ok(())
}

/// Page targets open in the browser right now.
fn page_targets() -> usize {
    let browser = session_test::browser::browser().expect("browser");
    let reply = browser
        .connection()
        .call_raw(
            None,
            "Target.getTargets",
            json!({}),
            Duration::from_secs(10),
        )
        .expect("Target.getTargets");
    reply["targetInfos"]
        .as_array()
        .map(|t| t.iter().filter(|t| t["type"] == "page").count())
        .unwrap_or(0)
}

fn main() {
    let mut args = session_test::harness::Arguments::from_args();
    if args.test_threads.is_none() {
        args.test_threads = Some(8);
    }
    if args.list {
        // Only the names (what nextest reads), no browser and no summary line.
        session_test::harness::run_tests(&args).exit();
    }
    sites();
    session_test::Page::new_isolated().expect("launch").close();
    let baseline = page_targets();
    let started = Instant::now();
    let conclusion = session_test::harness::run_tests(&args);
    let took = started.elapsed();
    let mut problems = Vec::new();
    if args.filter.is_none() && args.skip.is_empty() && !args.list {
        if sites().app.logins() != 10 {
            problems.push(format!(
                "expected exactly 10 logins, the server saw {}",
                sites().app.logins()
            ));
        }
        // With context reuse, each thread may keep one reset context (and its tab) for the
        // next test; without, every tab is gone.
        let reuse = std::env::var("SESSION_TEST_REUSE_CONTEXT").map_or(true, |v| v.trim() != "0");
        let kept = if reuse {
            args.test_threads.unwrap_or(1)
        } else {
            0
        };
        if page_targets() > baseline + kept {
            problems.push(format!(
                "page targets: {} before, {} after ({kept} kept for reuse at most)",
                baseline,
                page_targets()
            ));
        }
        // A deadlock would hang here, not finish late: this bound only catches one.
        if took > Duration::from_secs(240) {
            problems.push(format!("the run took {took:?}"));
        }
    }
    println!(
        "load: {} passed, {} failed in {:.1} s on {} threads; {} logins; page targets {} -> {}",
        conclusion.num_passed,
        conclusion.num_failed,
        took.as_secs_f64(),
        args.test_threads.unwrap_or(0),
        sites().app.logins(),
        baseline,
        page_targets()
    );
    if !problems.is_empty() {
        eprintln!("load test failed:\n  {}", problems.join("\n  "));
        std::process::exit(101);
    }
    conclusion.exit();
}
