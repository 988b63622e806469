//! The report as one self-contained HTML page: tests, `session!` calls, the web server, a
//! timeline.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use base64::Engine as _;

use super::markup::esc;
use super::read_once::once_per_version;
use super::record::{Run, SessionRecord, TestRecord};
use super::trace_view::trace_html;
use super::web_server::web_server_section;

/// A screenshot's base64, read once per file version: the report is rewritten after every
/// test, and reading every failure's image each time would grow with tests × failures.
fn png_base64(path: &Path) -> Option<Arc<str>> {
    once_per_version("png", path, |bytes| {
        Some(base64::engine::general_purpose::STANDARD.encode(bytes))
    })
}

fn ms(ms: f64) -> String {
    format!("{ms:.0} ms")
}

/// Lanes for the timeline: each test goes in the first lane free when it starts.
fn lanes(tests: &[&TestRecord]) -> Vec<usize> {
    let mut ends: Vec<f64> = Vec::new();
    tests
        .iter()
        .map(|t| {
            let lane = ends.iter().position(|end| *end <= t.started_ms);
            let end = t.started_ms + t.took_ms;
            match lane {
                Some(i) => {
                    ends[i] = end;
                    i
                }
                None => {
                    ends.push(end);
                    ends.len() - 1
                }
            }
        })
        .collect()
}

pub(super) fn render(runs: &[Run]) -> String {
    let mut tests: Vec<&TestRecord> = runs.iter().flat_map(|r| &r.tests).collect();
    tests.sort_by(|a, b| a.started_ms.total_cmp(&b.started_ms));
    let sessions: Vec<&SessionRecord> = runs.iter().flat_map(|r| &r.sessions).collect();
    let failed = tests.iter().filter(|t| t.failure.is_some()).count();
    let zero = tests.first().map_or(0.0, |t| t.started_ms);
    let end = tests
        .iter()
        .map(|t| t.started_ms + t.took_ms)
        .fold(zero, f64::max);
    let total = end - zero;
    let saved = sessions.iter().map(|s| s.saved_ms).fold(0.0, |a, b| a + b);
    let mut binaries: Vec<&str> = tests.iter().map(|t| t.binary.as_str()).collect();
    binaries.sort();
    binaries.dedup();
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html><meta charset=utf-8><title>session-test report</title>\
         <style>body{{font:14px system-ui,sans-serif;margin:2em}}table{{border-collapse:collapse;margin:1em 0}}\
         td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}}\
         .passed{{color:#060}}.failed{{color:#b00}}pre{{white-space:pre-wrap;margin:0}}\
         img{{max-width:480px;display:block;margin-top:6px;border:1px solid #999}}\
         #timeline{{position:relative;border:1px solid #ccc}}.bar{{position:absolute;height:18px;\
         font-size:11px;overflow:hidden;white-space:nowrap;background:#8c8}}.bar.failed{{background:#e88;color:#000}}\
         .filmstrip{{display:flex;gap:6px;overflow-x:auto}}.filmstrip figure{{margin:0;font-size:11px}}\
         .filmstrip img{{max-width:200px;margin:0}}.trace table{{font-size:12px}}tr.failed td{{background:#fdd}}\
         tr.error td,tr.uncaught td{{color:#b00}}</style>\
         <h1>session-test report</h1>\
         <p id=summary>{} tests: {} passed, {failed} failed; {} session! calls, setup time saved {:.1} s; {:.1} s from the first test's start to the last one's end; test binaries: {}</p>",
        tests.len(),
        tests.len() - failed,
        sessions.len(),
        saved / 1e3,
        total / 1e3,
        esc(&binaries.join(", ")),
    );
    tests_table(&mut h, &tests);
    sessions_table(&mut h, &sessions);
    web_server_section(&mut h, runs);
    timeline(&mut h, &tests, zero, total);
    h
}

/// The tests, one row each, with a failed one's report, screenshot and trace.
fn tests_table(h: &mut String, tests: &[&TestRecord]) {
    h.push_str("<h2>Tests</h2><table id=tests><tr><th>binary</th><th>test</th><th>status</th><th>duration</th><th>failure</th></tr>");
    for t in tests {
        let (class, status) = if t.failure.is_some() {
            ("failed", "failed")
        } else {
            ("passed", "passed")
        };
        let mut failure = String::new();
        if let Some(message) = &t.failure {
            let _ = write!(failure, "<pre>{}</pre>", esc(message));
            if let Some(png) = t.screenshot.as_deref().and_then(png_base64) {
                let _ = write!(
                    failure,
                    "<img alt=\"screenshot of {}\" src=\"data:image/png;base64,{png}\">",
                    esc(&t.name),
                );
            }
        }
        if let Some(trace) = t.trace.as_deref().and_then(trace_html) {
            failure.push_str(&trace);
        }
        let _ = write!(
            h,
            "<tr data-test=\"{n}\"><td>{}</td><td>{n}</td><td class={class}>{status}</td><td>{}</td><td>{failure}</td></tr>",
            esc(&t.binary),
            ms(t.took_ms),
            n = esc(&t.name),
        );
    }
    h.push_str("</table>");
}

/// Every `session!` call: its status, time spent and saved.
fn sessions_table(h: &mut String, sessions: &[&SessionRecord]) {
    h.push_str("<h2>Sessions</h2><table id=sessions><tr><th>id</th><th>status</th><th>time spent</th><th>time saved</th><th>test</th></tr>");
    for s in sessions {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&s.id),
            esc(&s.status),
            ms(s.took_ms),
            ms(s.saved_ms),
            esc(&s.test)
        );
    }
    h.push_str("</table>");
}

/// The tests as bars on a time line, one row per test running at the same time.
fn timeline(h: &mut String, tests: &[&TestRecord], zero: f64, total: f64) {
    let lanes = lanes(tests);
    let height = (lanes.iter().max().map_or(0, |l| l + 1)) * 22 + 4;
    let _ = write!(
        h,
        "<h2>Timeline</h2><p>One row per test running at the same time (a row is \
         free again when its test ends).</p><div id=timeline style=\"height:{height}px\">"
    );
    let span = total.max(1.0);
    for (t, lane) in tests.iter().zip(lanes) {
        let _ = write!(
            h,
            "<div class=\"bar{}\" title=\"{}: {n}: {}\" style=\"left:{:.2}%;width:{:.2}%;top:{}px\">{n}</div>",
            if t.failure.is_some() { " failed" } else { "" },
            esc(&t.binary),
            ms(t.took_ms),
            (t.started_ms - zero) / span * 100.0,
            (t.took_ms / span * 100.0).max(0.2),
            lane * 22 + 2,
            n = esc(&t.name),
        );
    }
    h.push_str("</div>");
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;

    fn record(started_ms: u64, took_ms: u64) -> TestRecord {
        TestRecord {
            binary: String::new(),
            name: String::new(),
            started_ms: started_ms as f64,
            took_ms: took_ms as f64,
            failure: None,
            screenshot: None,
            trace: None,
        }
    }

    #[test]
    fn overlapping_tests_get_rows_of_their_own_and_rows_are_reused() {
        let tests = [
            record(0, 100),
            record(50, 100),
            record(120, 10),
            record(160, 5),
        ];
        let refs: Vec<&TestRecord> = tests.iter().collect();
        assert_eq!(lanes(&refs), [0, 1, 0, 0]);
    }

    #[test]
    fn a_screenshot_written_again_is_read_again() {
        let path = std::env::temp_dir().join(format!("st-report-{}.png", std::process::id()));
        let write = |bytes: &[u8], secs: u64| {
            std::fs::write(&path, bytes).unwrap();
            let file = std::fs::File::options().write(true).open(&path).unwrap();
            file.set_modified(UNIX_EPOCH + Duration::from_secs(secs))
                .unwrap();
        };
        write(b"one", 1_000);
        assert_eq!(png_base64(&path).as_deref(), Some("b25l"));
        write(b"two", 2_000);
        assert_eq!(png_base64(&path).as_deref(), Some("dHdv"));
        std::fs::remove_file(&path).unwrap();
        assert_eq!(png_base64(&path), None);
    }

    #[test]
    fn markup_in_names_and_messages_is_escaped() {
        assert_eq!(esc("<b a=\"1\">&"), "&lt;b a=&quot;1&quot;&gt;&amp;");
    }
}
