//! Micro-benchmark: the runtime's own DevTools connection against headless_chrome's `Tab`,
//! side by side in one run on the same browser and the same local page.
//!
//! `cargo run --release --example micro_bench` (or `make micro-bench`). Prints medians and
//! ratios, then where a new context's time goes and what a context made ahead would buy.

use std::time::{Duration, Instant};

use serde_json::json;
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
    let browser = session_test::browser::browser()?;
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
    let text_ours = time(30, || page.locator("title").text().unwrap());
    let text_theirs = time(30, || {
        tab.find_element("title").unwrap().get_inner_text().unwrap()
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
    row("text of an element (locator)", text_ours, text_theirs);
    row("visit a local page (load event)", visit_ours, visit_theirs);
    routing(&app)?;
    // Raw tabs beside the runtime's own: the runtime takes every new tab at birth (its
    // dispatcher), which may close one it does not own before the breakdown attaches.
    if let Err(e) = context_breakdown(&page) {
        println!("\nwhere a new context's time goes: not measured ({e})");
    }
    made_ahead(&app)?;
    page.close();
    Ok(())
}

/// The four protocol calls that make a test's context, timed one by one, and a second tab in
/// a context that already had one (what reusing contexts would cost instead).
fn context_breakdown(page: &Page) -> Result<(), Box<dyn std::error::Error>> {
    let conn = page.cdp().connection().clone();
    let t = Duration::from_secs(10);
    let id = |v: serde_json::Value, key: &str| v[key].as_str().unwrap_or_default().to_owned();
    let mut steps: [Vec<Duration>; 6] = Default::default();
    for _ in 0..10 {
        let mut clock = Instant::now();
        let ctx = id(
            conn.call_raw(None, "Target.createBrowserContext", json!({}), t)?,
            "browserContextId",
        );
        steps[0].push(lap(&mut clock));
        let open = json!({ "url": "about:blank", "browserContextId": ctx });
        let target = id(
            conn.call_raw(None, "Target.createTarget", open.clone(), t)?,
            "targetId",
        );
        steps[1].push(lap(&mut clock));
        let attach = json!({ "targetId": target, "flatten": true });
        let session = id(
            conn.call_raw(None, "Target.attachToTarget", attach, t)?,
            "sessionId",
        );
        steps[2].push(lap(&mut clock));
        conn.call_raw(Some(&session), "Page.enable", json!({}), t)?;
        steps[3].push(lap(&mut clock));
        conn.call_raw(None, "Target.closeTarget", json!({ "targetId": target }), t)?;
        clock = Instant::now();
        let second = id(
            conn.call_raw(None, "Target.createTarget", open, t)?,
            "targetId",
        );
        let attach = json!({ "targetId": second, "flatten": true });
        let session = id(
            conn.call_raw(None, "Target.attachToTarget", attach, t)?,
            "sessionId",
        );
        conn.call_raw(Some(&session), "Page.enable", json!({}), t)?;
        steps[4].push(lap(&mut clock));
        conn.call_raw(
            None,
            "Target.disposeBrowserContext",
            json!({ "browserContextId": ctx }),
            t,
        )?;
        steps[5].push(lap(&mut clock));
    }
    println!("\nwhere a new context's time goes (median of 10)");
    let names = [
        "Target.createBrowserContext",
        "Target.createTarget (about:blank)",
        "Target.attachToTarget",
        "Page.enable (waits for the renderer)",
        "instead: a new tab in a used context",
        "Target.disposeBrowserContext",
    ];
    for (name, samples) in names.iter().zip(steps) {
        println!("{name:<40} {:>8.2} ms", ms(median(samples)));
    }
    Ok(())
}

/// 20 tests of three visits each, run once with a fresh context per test and once with the
/// next test's context made on another thread while the current test runs.
fn made_ahead(app: &DemoApp) -> Result<(), Box<dyn std::error::Error>> {
    let url = app.url("/blank");
    let run = |ahead: bool| -> Result<(Duration, Duration, Duration), session_test::Error> {
        let (mut waits, mut bodies) = (Vec::new(), Vec::new());
        let make = || std::thread::spawn(Page::new_isolated);
        let mut next = ahead.then(make);
        let start = Instant::now();
        for _ in 0..20 {
            let waited = Instant::now();
            let page = match next.take() {
                Some(made) => made.join().expect("context thread")?,
                None => Page::new_isolated()?,
            };
            next = ahead.then(make);
            waits.push(waited.elapsed());
            let body = Instant::now();
            for _ in 0..3 {
                page.visit(&url)?;
            }
            bodies.push(body.elapsed());
            page.close();
        }
        let total = start.elapsed();
        if let Some(made) = next {
            let _ = made.join();
        }
        Ok((median(waits), median(bodies), total))
    };
    println!("\n20 tests of 3 visits: a fresh context per test vs one made ahead");
    println!(
        "{:<28} {:>14} {:>14} {:>12}",
        "", "context wait", "test body", "suite"
    );
    for (name, ahead) in [("made when the test starts", false), ("made ahead", true)] {
        let (wait, body, total) = run(ahead)?;
        println!(
            "{name:<28} {:>11.2} ms {:>11.2} ms {:>9.0} ms",
            ms(wait),
            ms(body),
            ms(total)
        );
    }
    Ok(())
}

/// What a route costs a request: 20 requests of a page passed on by a `continue_` route
/// against none, and 1,000 requests a route fulfills.
fn routing(app: &DemoApp) -> Result<(), Box<dyn std::error::Error>> {
    let page = Page::new_isolated()?;
    page.visit(&app.url("/blank"))?;
    let mut n = 0;
    // Twenty requests at once, each to a URL not asked before (nothing from the cache).
    let mut twenty = |page: &Page| {
        n += 1;
        let script = format!(
            "Promise.all(Array.from({{ length: 20 }}, (_, i) => fetch(`/blank?r={n}-${{i}}`)\
             .then(r => r.text()))).then(a => a.length)"
        );
        page.eval(&script).unwrap()
    };
    twenty(&page);
    let plain = time(15, || twenty(&page));
    page.route("**/blank?r=*", |route| route.continue_())?;
    twenty(&page);
    let routed = time(15, || twenty(&page));
    page.route("**/api/stub?*", |route| {
        route.fulfill(session_test::Fulfill::new(200).body("stub"))
    })?;
    let thousand = |path: &str| {
        format!(
            "(async () => {{ for (let i = 0; i < 1000; i++) \
             await (await fetch('{path}?i=' + i)).text(); return 1000; }})()"
        )
    };
    let start = Instant::now();
    page.eval(&thousand("/blank-unrouted"))?;
    let served = start.elapsed();
    let start = Instant::now();
    page.eval(&thousand("/api/stub"))?;
    let fulfilled = start.elapsed();
    println!("\nroutes: 20 requests at once, each passed on by a continue_ route, against none");
    println!(
        "{:<28} {:>8.2} ms {:>8.2} ms   routing adds {:.2} ms a request",
        "no route / continue_ route",
        ms(plain),
        ms(routed),
        ms(routed.saturating_sub(plain)) / 20.0
    );
    println!("1,000 requests one after another: the server's answer against a route's");
    println!(
        "{:<28} {:>8.0} ms {:>8.0} ms   {:.2} / {:.2} ms a request",
        "server / fulfilled by a route",
        ms(served),
        ms(fulfilled),
        ms(served) / 1000.0,
        ms(fulfilled) / 1000.0
    );
    page.close();
    Ok(())
}

/// The time since `clock`, restarting it.
fn lap(clock: &mut Instant) -> Duration {
    let elapsed = clock.elapsed();
    *clock = Instant::now();
    elapsed
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
