//! A test's trace in the report: the film strip, the actions, the console and the network,
//! read from its trace file (`target/session-test/traces/<test>.json`) once per version.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use super::markup::esc;
use super::read_once::once_per_version;

/// The trace at `path` as HTML; `None` when it cannot be read.
pub(super) fn trace_html(path: &Path) -> Option<Arc<str>> {
    once_per_version("trace", path, |bytes| {
        Some(render(&serde_json::from_slice(bytes).ok()?))
    })
}

fn list(trace: &Value, key: &str) -> Vec<Value> {
    trace[key].as_array().cloned().unwrap_or_default()
}

fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => esc(s),
        other => esc(&other.to_string()),
    }
}

fn ms(v: &Value) -> String {
    v.as_f64().map(|m| format!("{m:.0} ms")).unwrap_or_default()
}

fn render(trace: &Value) -> String {
    let (actions, console, network, frames) = (
        list(trace, "actions"),
        list(trace, "console"),
        list(trace, "network"),
        list(trace, "frames"),
    );
    let mut h = format!(
        "<details class=trace open><summary>trace: {} actions, {} console messages, {} \
         requests</summary>",
        actions.len(),
        console.len(),
        network.len()
    );
    film_strip(&mut h, &actions, &frames);
    h.push_str(&actions_table(&actions));
    h.push_str(&console_table(&console));
    h.push_str(&network_table(&network));
    h.push_str("</details>");
    h
}

/// The film strip: each frame that shows an action, once, named after its actions.
fn film_strip(h: &mut String, actions: &[Value], frames: &[Value]) {
    h.push_str("<div class=filmstrip>");
    let mut shown: Vec<(usize, Vec<String>)> = Vec::new();
    for (i, a) in actions.iter().enumerate() {
        let Some(frame) = a["frame"].as_u64().map(|f| f as usize) else {
            continue;
        };
        let name = format!("{} {}", i + 1, text(&a["kind"]));
        match shown.last_mut() {
            Some((f, names)) if *f == frame => names.push(name),
            _ => shown.push((frame, vec![name])),
        }
    }
    for (frame, names) in shown {
        let Some(jpeg) = frames.get(frame).and_then(|f| f["jpeg_base64"].as_str()) else {
            continue;
        };
        let _ = write!(
            h,
            "<figure><img alt=\"the page after {0}\" src=\"data:image/jpeg;base64,{jpeg}\">\
             <figcaption>after {0}</figcaption></figure>",
            names.join(", ")
        );
    }
    h.push_str("</div>");
}

fn actions_table(actions: &[Value]) -> String {
    table(
        "actions",
        &[
            "#", "action", "target", "detail", "start", "took", "outcome",
        ],
        actions.iter().enumerate().map(|(i, a)| {
            let failed = a["outcome"]["status"] == "failed";
            let outcome = if failed {
                text(&a["outcome"]["error"])
            } else {
                "ok".into()
            };
            Row {
                class: Some(if failed { "failed" } else { "ok" }.into()),
                cells: vec![
                    (i + 1).to_string(),
                    text(&a["kind"]),
                    text(&a["target"]),
                    text(&a["detail"]),
                    ms(&a["start_ms"]),
                    ms(&a["duration_ms"]),
                    outcome,
                ],
            }
        }),
    )
}

fn console_table(console: &[Value]) -> String {
    table(
        "console",
        &["at", "level", "message", "source"],
        console.iter().map(|c| Row {
            class: Some(text(&c["level"])),
            cells: vec![
                ms(&c["at_ms"]),
                text(&c["level"]),
                text(&c["text"]),
                text(&c["source"]),
            ],
        }),
    )
}

fn network_table(network: &[Value]) -> String {
    table(
        "network",
        &["start", "method", "URL", "type", "status", "took", "size"],
        network.iter().map(|r| {
            let took = match (r["start_ms"].as_f64(), r["end_ms"].as_f64()) {
                (Some(s), Some(e)) => format!("{:.0} ms", e - s),
                _ => "loading".into(),
            };
            let status = match (&r["status"], &r["failure"]) {
                (Value::Null, Value::Null) => String::new(),
                (Value::Null, failure) => text(failure),
                (status, _) => text(status),
            };
            Row {
                class: None,
                cells: vec![
                    ms(&r["start_ms"]),
                    text(&r["method"]),
                    text(&r["url"]),
                    text(&r["type"]),
                    status,
                    took,
                    text(&r["size"]),
                ],
            }
        }),
    )
}

/// One row of a trace table: its class, its cells (HTML already escaped).
struct Row {
    class: Option<String>,
    cells: Vec<String>,
}

/// A table of `class` with a header row of `heads`, then `rows`.
fn table(class: &str, heads: &[&str], rows: impl Iterator<Item = Row>) -> String {
    let mut h = format!("<table class={class}><tr>");
    for head in heads {
        let _ = write!(h, "<th>{head}</th>");
    }
    h.push_str("</tr>");
    for row in rows {
        match row.class {
            Some(class) => {
                let _ = write!(h, "<tr class={class}>");
            }
            None => h.push_str("<tr>"),
        }
        for cell in row.cells {
            let _ = write!(h, "<td>{cell}</td>");
        }
        h.push_str("</tr>");
    }
    h.push_str("</table>");
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn consecutive_actions_on_one_frame_share_its_picture_and_markup_is_escaped() {
        let html = render(&json!({
            "actions": [
                { "kind": "visit", "target": "http://a/<x>", "frame": 0,
                  "outcome": { "status": "ok" } },
                { "kind": "click", "target": "#b", "frame": 0, "outcome": { "status": "ok" } },
                { "kind": "expect", "target": "#c", "frame": 1,
                  "outcome": { "status": "failed", "error": "no <c>" } },
            ],
            "frames": [ { "jpeg_base64": "AAA" }, { "jpeg_base64": "BBB" } ],
        }));
        assert_eq!(html.matches("<img").count(), 2);
        assert!(html.contains("after 1 visit, 2 click"));
        assert!(html.contains("http://a/&lt;x&gt;") && html.contains("no &lt;c&gt;"));
        assert!(html.contains("<tr class=failed>"));
    }
}
