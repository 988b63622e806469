//! Micro-benchmark: the runtime's own DevTools connection against headless_chrome's `Tab`,
//! side by side in one run on the same browser and the same local page.
//!
//! `cargo run --release --example micro_bench` (or `make bench`). Prints medians and ratios.

use std::time::{Duration, Instant};

use session_test::Page;
use session_test_demo_app::DemoApp;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(f());
                start.elapsed()
            })
            .collect(),
    )
}

fn row(what: &str, ours: Duration, theirs: Duration) {
    println!(
        "{what:<34} {:>10.2} ms {:>12.2} ms {:>9.1}x",
        ours.as_secs_f64() * 1e3,
        theirs.as_secs_f64() * 1e3,
        theirs.as_secs_f64() / ours.as_secs_f64()
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let app = DemoApp::start("app.localhost")?;
    let url = app.url("/blank");
    let page = Page::new_isolated()?; // launches the browser
    let browser = session_test::browser()?;
    // headless_chrome's Tab on a page of its own, over headless_chrome's transport.
    let other = Page::new_isolated()?;
    let tab = other.tab()?;
    // Warm both paths up once.
    page.visit(&url)?;
    tab.navigate_to(&url)?.wait_until_navigated()?;

    let noop_ours = time(30, || page.eval("1").unwrap());
    let noop_theirs = time(30, || tab.evaluate("1", false).unwrap());
    let visit_ours = time(15, || page.visit(&url).unwrap());
    let visit_theirs = time(15, || {
        tab.navigate_to(&url)
            .unwrap()
            .wait_until_navigated()
            .unwrap();
    });
    let context_ours = time(10, || Page::new_isolated().unwrap().close());
    // headless_chrome's Browser (its own connection, and its own event loop) goes last.
    let hc = browser.headless_chrome()?;
    let context_theirs = time(10, || {
        let t = hc.new_context().unwrap().new_tab().unwrap();
        t.close(false).unwrap();
    });

    println!("median of each; Chromium {:?}", browser.pid());
    println!(
        "{:<34} {:>13} {:>15} {:>10}",
        "operation", "session-test", "headless_chrome", "speed-up"
    );
    row(
        "no-op call (Runtime.evaluate \"1\")",
        noop_ours,
        noop_theirs,
    );
    row("new isolated context + page", context_ours, context_theirs);
    row("visit a local page (load event)", visit_ours, visit_theirs);
    page.close();
    Ok(())
}
