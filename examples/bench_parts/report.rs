//! The report phase of the benchmark: how large the run report of a long run is, how long
//! writing it takes, and how soon Chromium paints it.

use std::time::Instant;

use serde_json::json;
use session_test::Page;

/// Writes the report of `tests` made-up tests (failures with a real screenshot of `url`),
/// opens it in a page of its own, and returns the phase's JSON line.
pub fn report_phase(tests: usize, url: &str) -> serde_json::Value {
    let dir = std::env::temp_dir().join(format!("st-bench-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a directory for the report");
    let page = Page::new_isolated().expect("a page");
    page.visit(url).expect("the app");
    let shot = dir.join("failure.png");
    std::fs::write(&shot, page.screenshot().expect("a screenshot")).expect("the screenshot");
    let report = dir.join("report.html");
    let started = Instant::now();
    session_test::report::write_sample_report(&report, tests, Some(&shot)).expect("the report");
    let write_ms = started.elapsed().as_secs_f64() * 1e3;
    let bytes = std::fs::metadata(&report).expect("the report").len();
    // In front, as a user's tab is: a hidden tab paints nothing.
    let front = std::time::Duration::from_secs(5);
    page.cdp()
        .call_raw("Page.bringToFront", json!({}), front)
        .expect("the page in front");
    page.visit(&format!("file://{}", report.display()))
        .expect("the report opens");
    // The first contentful paint is recorded when its frame is presented, which may be
    // after the load event: awaited (at most 5 s).
    let timing = page
        .eval(
            "new Promise(done => {
                const load = performance.getEntriesByType('navigation')[0].loadEventEnd;
                new PerformanceObserver((list, seen) => {
                    const paint = list.getEntries().find(e => e.name === 'first-contentful-paint');
                    if (paint) { seen.disconnect(); done({ paint: paint.startTime, load }); }
                }).observe({ type: 'paint', buffered: true });
                setTimeout(() => done({ paint: null, load }), 5000);
            })",
        )
        .expect("the report's timing");
    page.close();
    let _ = std::fs::remove_dir_all(&dir);
    json!({ "bench": "session-test", "phase": "report", "tests": tests,
            "bytes": bytes, "write_ms": (write_ms * 10.0).round() / 10.0,
            "first_paint_ms": timing["paint"], "load_ms": timing["load"] })
}
