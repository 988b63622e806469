//! A test's trace in the report: the film strip, the actions, the console and the network,
//! read from its trace file (`target/session-test/traces/<test>.json`) once per version.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use super::markup::esc;
use super::read_once::once_per_version;
use crate::trace::{
    tab_name, Action, ConsoleEntry, FilmFrame, Outcome, Tab, TraceFile, TracedRequest,
};

/// The trace at `path` as HTML; `None` when it cannot be read.
pub(super) fn trace_html(path: &Path) -> Option<Arc<str>> {
    once_per_version("trace", path, |bytes| {
        Some(render(&serde_json::from_slice(bytes).ok()?))
    })
}

fn ms(v: Option<f64>) -> String {
    v.map(|m| format!("{m:.0} ms")).unwrap_or_default()
}

fn render(trace: &TraceFile) -> String {
    let mut h = format!(
        "<details class=trace open><summary>trace: {} actions, {} console messages, {} \
         requests</summary>",
        trace.actions.len(),
        trace.console.len(),
        trace.network.len()
    );
    // With several tabs (popups, other contexts), each row and picture names its tab.
    let tabs = (trace.tabs.len() > 1).then_some(&trace.tabs[..]);
    // The viewer: the actions beside the page after the chosen one (the page's script
    // shows it, and marks the console and network lines of the action's time span).
    h.push_str("<div class=viewer>");
    h.push_str(&actions_table(&trace.actions, tabs));
    h.push_str(
        "<figure class=stage><img alt=\"the page after the chosen action\">\
         <figcaption>choose an action to see the page after it</figcaption></figure></div>",
    );
    film_strip(&mut h, &trace.actions, &trace.frames, tabs);
    h.push_str(&console_table(&trace.console, tabs));
    let span = trace
        .network
        .iter()
        .filter_map(|r| r.end_ms)
        .chain(trace.actions.iter().map(|a| a.start_ms + a.duration_ms))
        .fold(1.0, f64::max);
    h.push_str(&network_table(&trace.network, tabs, span));
    h.push_str("</details>");
    h
}

/// The film strip: each frame that shows an action, once, named after its actions.
fn film_strip(h: &mut String, actions: &[Action], frames: &[FilmFrame], tabs: Option<&[Tab]>) {
    h.push_str("<div class=filmstrip>");
    let mut shown: Vec<(usize, Vec<String>)> = Vec::new();
    for (i, a) in actions.iter().enumerate() {
        let Some(frame) = a.frame else {
            continue;
        };
        let name = format!("{} {}", i + 1, esc(&a.kind));
        match shown.last_mut() {
            Some((f, names)) if *f == frame => names.push(name),
            _ => shown.push((frame, vec![name])),
        }
    }
    for (number, names) in shown {
        let Some(frame) = frames.get(number) else {
            continue;
        };
        let tab = match tabs {
            Some(tabs) => format!("{}: ", tab_name(tabs, frame.tab)),
            None => String::new(),
        };
        let _ = write!(
            h,
            "<figure data-frame={number}><img alt=\"the page after {0}\" src=\"data:image/jpeg;base64,{jpeg}\">\
             <figcaption>{tab}after {0}</figcaption></figure>",
            names.join(", "),
            jpeg = frame.jpeg_base64,
        );
    }
    h.push_str("</div>");
}

fn actions_table(actions: &[Action], tabs: Option<&[Tab]>) -> String {
    table(
        "actions",
        &[
            "#", "action", "target", "detail", "start", "took", "outcome",
        ],
        tabs,
        actions.iter().enumerate().map(|(i, a)| {
            let (class, outcome) = match &a.outcome {
                Outcome::Ok => ("ok", "ok".to_string()),
                Outcome::Failed(error) => ("failed", esc(error)),
            };
            let frame = a
                .frame
                .map(|f| format!(" data-frame={f}"))
                .unwrap_or_default();
            Row {
                class: Some(class.into()),
                attrs: format!(
                    " data-start={:.1} data-end={:.1}{frame} data-name=\"{} {} {}\"",
                    a.start_ms,
                    a.start_ms + a.duration_ms,
                    i + 1,
                    esc(&a.kind),
                    esc(&a.target),
                ),
                tab: a.tab,
                cells: vec![
                    (i + 1).to_string(),
                    esc(&a.kind),
                    esc(&a.target),
                    esc(a.detail.as_deref().unwrap_or_default()),
                    ms(Some(a.start_ms)),
                    ms(Some(a.duration_ms)),
                    outcome,
                ],
            }
        }),
    )
}

fn console_table(console: &[ConsoleEntry], tabs: Option<&[Tab]>) -> String {
    table(
        "console",
        &["at", "level", "message", "source"],
        tabs,
        console.iter().map(|c| Row {
            class: Some(esc(&c.level)),
            attrs: format!(" data-start={0:.1} data-end={0:.1}", c.at_ms),
            tab: c.tab,
            cells: vec![
                ms(Some(c.at_ms)),
                esc(&c.level),
                esc(&c.text),
                esc(c.source.as_deref().unwrap_or_default()),
            ],
        }),
    )
}

/// The network, each request with a bar of when it ran within the trace's `span` (ms).
fn network_table(network: &[TracedRequest], tabs: Option<&[Tab]>, span: f64) -> String {
    table(
        "network",
        &[
            "start", "method", "URL", "type", "status", "took", "size", "route", "timing",
        ],
        tabs,
        network.iter().map(|r| {
            let took = match r.end_ms {
                Some(end) => format!("{:.0} ms", end - r.start_ms),
                None => "loading".into(),
            };
            let status = match (r.status, &r.failure) {
                (Some(status), _) => status.to_string(),
                (None, Some(failure)) => esc(failure),
                (None, None) => String::new(),
            };
            let end = r.end_ms.unwrap_or(span);
            let bar = format!(
                "<div class=timing><span style=\"left:{:.2}%;width:{:.2}%\"></span></div>",
                r.start_ms / span * 100.0,
                ((end - r.start_ms) / span * 100.0).max(0.5)
            );
            Row {
                class: None,
                attrs: format!(" data-start={:.1} data-end={end:.1}", r.start_ms),
                tab: r.tab,
                cells: vec![
                    ms(Some(r.start_ms)),
                    esc(&r.method),
                    esc(&r.url),
                    esc(&r.kind),
                    status,
                    took,
                    r.size.map(|s| s.to_string()).unwrap_or_default(),
                    r.route
                        .as_ref()
                        .map(|route| esc(&format!("{} by {}", route.verdict, route.pattern)))
                        .unwrap_or_default(),
                    bar,
                ],
            }
        }),
    )
}

/// One row of a trace table: its class, the tab it is of, its cells (HTML already escaped).
struct Row {
    class: Option<String>,
    /// Its attributes (` data-start=…`), as written.
    attrs: String,
    tab: u64,
    cells: Vec<String>,
}

/// A table of `class` with a header row of `heads`, then `rows`; with `tabs`, a first
/// column names each row's tab.
fn table(
    class: &str,
    heads: &[&str],
    tabs: Option<&[Tab]>,
    rows: impl Iterator<Item = Row>,
) -> String {
    let mut h = format!("<table class={class}><tr>");
    if tabs.is_some() {
        h.push_str("<th>tab</th>");
    }
    for head in heads {
        let _ = write!(h, "<th>{head}</th>");
    }
    h.push_str("</tr>");
    for row in rows {
        match row.class {
            Some(class) => {
                let _ = write!(h, "<tr class={class}{}>", row.attrs);
            }
            None => {
                let _ = write!(h, "<tr{}>", row.attrs);
            }
        }
        if let Some(tabs) = tabs {
            let _ = write!(h, "<td>{}</td>", tab_name(tabs, row.tab));
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
    use serde_json::{json, Value};

    #[test]
    fn consecutive_actions_on_one_frame_share_its_picture_and_markup_is_escaped() {
        let action = |kind: &str, target: &str, frame: usize, outcome: Value| {
            json!({ "kind": kind, "target": target, "frame": frame, "outcome": outcome,
                    "start_ms": 0.0, "duration_ms": 1.0, "tab": 0 })
        };
        let ok = json!({ "status": "ok" });
        let trace: TraceFile = serde_json::from_value(json!({
            "version": 1, "test": "t", "passed": false,
            "actions": [
                action("visit", "http://a/<x>", 0, ok.clone()),
                action("click", "#b", 0, ok),
                action("expect", "#c", 1, json!({ "status": "failed", "error": "no <c>" })),
            ],
            "console": [], "network": [],
            "frames": [ { "at_ms": 0.0, "jpeg_base64": "AAA" },
                        { "at_ms": 1.0, "jpeg_base64": "BBB" } ],
        }))
        .expect("the schema reads back");
        let html = render(&trace);
        assert_eq!(html.matches("<figure data-frame").count(), 2);
        assert!(html.contains("after 1 visit, 2 click"));
        assert!(html.contains("http://a/&lt;x&gt;") && html.contains("no &lt;c&gt;"));
        assert!(html.contains(
            "<tr class=failed data-start=0.0 data-end=1.0 data-frame=1 data-name=\"3 expect #c\">"
        ));
        assert!(!html.contains("<th>tab</th>"), "one tab: no tab column");
    }

    #[test]
    fn with_two_contexts_each_row_and_picture_names_its_tab() {
        let action = |tab: u64, frame: usize| {
            json!({ "kind": "click", "target": "#a", "frame": frame, "outcome": { "status": "ok" },
                    "start_ms": 0.0, "duration_ms": 1.0, "tab": tab })
        };
        let trace: TraceFile = serde_json::from_value(json!({
            "version": 1, "test": "t", "passed": true,
            "actions": [action(0, 0), action(1, 1)],
            "console": [], "network": [],
            "frames": [ { "at_ms": 0.0, "tab": 0, "jpeg_base64": "AAA" },
                        { "at_ms": 1.0, "tab": 1, "jpeg_base64": "BBB" } ],
            "tabs": [ { "tab": 0, "context": 0 }, { "tab": 1, "context": 1 } ],
        }))
        .expect("the schema reads back");
        let html = render(&trace);
        assert!(html.contains("<th>tab</th>"));
        assert!(html.contains("<td>tab 1 (context 1)</td>"));
        assert!(html.contains("<figcaption>tab 1 (context 1): after 2 click</figcaption>"));
    }
}
