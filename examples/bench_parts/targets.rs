//! The targets of issue "the visit floor" that one run of the bench can measure alone, each
//! printed with its goal (never asserted: the machine is shared and noisy). The ratios to
//! Playwright come from `../shared/peers/compare .`, which runs both side by side.

use serde_json::{json, Value};

/// A figure of the run against its goal.
struct Target {
    name: String,
    value: f64,
    goal: String,
    met: bool,
}

/// The targets of the suite line and the two growth lines, as one JSON line and as text.
pub fn targets(suite: &Value, trivial: &Value, cached: &Value) -> (Value, String) {
    let mut all = Vec::new();
    if let (Some(a), Some(b), Some(c)) = (
        suite["a_ms"].as_f64(),
        suite["b_ms"].as_f64(),
        suite["c_ms"].as_f64(),
    ) {
        all.push(at_least("login-each / cached".into(), a / b, 5.0));
        all.push(at_most("cached / no-login floor".into(), b / c, 1.2));
    }
    for growth in [trivial, cached] {
        let name = growth["suite"].as_str().unwrap_or("?");
        if let Some(ratio) = per_test_growth(growth) {
            let name = format!("{name}: per-test cost, last tenth / first");
            all.push(at_most(name, ratio, 1.2));
        }
    }
    for (key, what) in [
        ("browser_mb", "browser memory"),
        ("process_peak_mb", "test process peak"),
    ] {
        if let Some(ratio) = memory_growth(trivial, key) {
            let name = format!("trivial: {what}, last / at test 100");
            all.push(at_most(name, ratio, 1.1));
        }
    }
    let line = json!({
        "bench": "session-test",
        "phase": "targets",
        "targets": all.iter().map(|t| json!({
            "name": t.name, "value": round(t.value), "goal": t.goal, "met": t.met
        })).collect::<Vec<_>>(),
    });
    let mut text = String::from(
        "targets (issue \"the visit floor\"; the ratios to Playwright: ../shared/peers/compare .):\n",
    );
    for t in &all {
        let verdict = if t.met { "met" } else { "short" };
        text += &format!(
            "  {:<52} {:>7.4}  goal {:<7} {verdict}\n",
            t.name, t.value, t.goal
        );
    }
    (line, text)
}

fn at_least(name: String, value: f64, goal: f64) -> Target {
    Target::new(name, value, format!(">= {goal}"), value >= goal)
}

fn at_most(name: String, value: f64, goal: f64) -> Target {
    Target::new(name, value, format!("<= {goal}"), value <= goal)
}

impl Target {
    fn new(name: String, value: f64, goal: String, met: bool) -> Target {
        Target {
            name,
            value,
            goal,
            met,
        }
    }
}

/// The last tenth's median per-test time over the first's (the first tenth holds test 50).
fn per_test_growth(growth: &Value) -> Option<f64> {
    let windows = growth["per_test"].as_array()?;
    let first = windows.first()?["median_ms"].as_f64()?;
    let last = windows.last()?["median_ms"].as_f64()?;
    (windows.len() > 1 && first > 0.0).then(|| last / first)
}

/// Memory `key` at the last sample over that at test 100; none in a run of 100 tests or
/// fewer.
fn memory_growth(growth: &Value, key: &str) -> Option<f64> {
    let samples = growth["memory"].as_array()?;
    let from = samples.iter().find(|m| m["tests"].as_u64() >= Some(100))?[key].as_f64()?;
    let last = samples.last()?[key].as_f64()?;
    (samples.last()?["tests"].as_u64()? > 100 && from > 0.0).then(|| last / from)
}

/// Four decimals: a ratio of 4.9997 is short of 5, and shows it.
fn round(x: f64) -> f64 {
    (x * 10000.0).round() / 10000.0
}
