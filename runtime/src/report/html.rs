//! The report as one self-contained HTML page that works offline: a header with the counts,
//! filters and a search; the tests, grouped; `session!` calls; the web server; a timeline.

use std::fmt::Write;

use super::markup::{esc, ms};
use super::record::{Run, SessionRecord, TestRecord};
use super::sessions_panel::sessions_panel;
use super::test_list::test_list;
use super::web_server::web_server_section;

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

/// The page's look and its script (filters, search, sections opened on demand).
const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

pub(super) fn render(runs: &[&Run], h: &mut dyn Write) {
    let tests: Vec<&TestRecord> = runs.iter().flat_map(|r| &r.tests).collect();
    let mut by_start = tests.clone();
    by_start.sort_by(|a, b| a.started_ms.total_cmp(&b.started_ms));
    let sessions: Vec<&SessionRecord> = runs.iter().flat_map(|r| &r.sessions).collect();
    let _ = write!(
        h,
        "<!doctype html><meta charset=utf-8><title>session-test report</title><style>{STYLE}</style>"
    );
    header(h, &by_start, &sessions);
    test_list(h, &tests);
    sessions_panel(h, &sessions);
    web_server_section(h, runs);
    by_start.retain(|t| !t.skipped);
    timeline(h, &by_start);
    let _ = write!(h, "<script>{SCRIPT}</script>");
}

/// The summary line, and the filters (by status, with counts) and the search.
fn header(h: &mut dyn Write, tests: &[&TestRecord], sessions: &[&SessionRecord]) {
    let count = |status: &str| tests.iter().filter(|t| t.status() == status).count();
    let (failed, passed, skipped) = (count("failed"), count("passed"), count("skipped"));
    let ran = tests.iter().filter(|t| !t.skipped);
    let zero = ran.clone().map(|t| t.started_ms).fold(f64::MAX, f64::min);
    let zero = if zero == f64::MAX { 0.0 } else { zero };
    let end = ran.map(|t| t.started_ms + t.took_ms).fold(zero, f64::max);
    let saved = sessions.iter().map(|s| s.saved_ms).fold(0.0, |a, b| a + b);
    let mut binaries: Vec<&str> = tests.iter().map(|t| t.binary.as_str()).collect();
    binaries.sort();
    binaries.dedup();
    let all = tests.len();
    let skipped_text = if skipped > 0 {
        format!(", {skipped} skipped")
    } else {
        String::new()
    };
    let _ = write!(
        h,
        "<header><h1>session-test report</h1>\
         <p id=summary>{all} tests: {passed} passed, {failed} failed{skipped_text}; {} session! calls, setup time saved {:.1} s; {:.1} s from the first test's start to the last one's end; test binaries: {}</p>\
         <nav id=filters><button data-filter=all class=chosen>all <b>{all}</b></button>\
         <button data-filter=failed>failed <b>{failed}</b></button>\
         <button data-filter=passed>passed <b>{passed}</b></button>\
         <button data-filter=skipped>skipped <b>{skipped}</b></button>\
         <input id=search type=search placeholder=\"search tests\" aria-label=\"search tests\"></nav></header>",
        sessions.len(),
        saved / 1e3,
        (end - zero) / 1e3,
        esc(&binaries.join(", ")),
    );
}

/// The tests as bars on a time line, one row per test running at the same time.
fn timeline(h: &mut dyn Write, tests: &[&TestRecord]) {
    let zero = tests.first().map_or(0.0, |t| t.started_ms);
    let total = tests
        .iter()
        .map(|t| t.started_ms + t.took_ms)
        .fold(zero, f64::max)
        - zero;
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
    let _ = h.write_str("</div>");
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::super::test_list::png_base64;
    use super::*;

    fn record(started_ms: u64, took_ms: u64) -> TestRecord {
        TestRecord {
            binary: String::new(),
            name: String::new(),
            started_ms: started_ms as f64,
            took_ms: took_ms as f64,
            failure: None,
            failed: None,
            screenshot: None,
            trace: None,
            skipped: false,
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
