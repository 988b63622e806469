//! The run report: `target/session-test/report.html`, one self-contained file with every
//! test (status, duration, failure with its screenshot inline), every `session!` call (id,
//! status, time spent, time saved) and a timeline. Rewritten after each test, so a plain
//! `cargo test` run leaves one too (per test binary: the last binary to finish writes the
//! file). Messages and ids only: no cookie or storage value is ever recorded.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use base64::Engine as _;

use crate::error::{Error, Result};
use crate::session::SessionStatus;

struct TestRecord {
    name: String,
    started: Duration,
    took: Duration,
    failure: Option<String>,
    screenshot: Option<PathBuf>,
}

struct SessionRecord {
    id: String,
    status: SessionStatus,
    took: Duration,
    saved: Duration,
    test: String,
}

#[derive(Default)]
struct Run {
    tests: Vec<TestRecord>,
    sessions: Vec<SessionRecord>,
}

static RUN: Mutex<Run> = Mutex::new(Run {
    tests: Vec::new(),
    sessions: Vec::new(),
});

/// When the first test of the process started: the timeline's zero.
fn run_start() -> Instant {
    static START: OnceLock<Instant> = OnceLock::new();
    *START.get_or_init(Instant::now)
}

/// Marks the start of a test (the first call fixes the timeline's zero).
pub(crate) fn test_started() -> Instant {
    run_start();
    Instant::now()
}

/// Records a finished test and rewrites the report.
pub(crate) fn test_finished(
    name: &str,
    started: Instant,
    failure: Option<String>,
    screenshot: Option<PathBuf>,
) {
    {
        let mut run = RUN.lock().unwrap_or_else(|e| e.into_inner());
        run.tests.push(TestRecord {
            name: name.to_owned(),
            started: started.saturating_duration_since(run_start()),
            took: started.elapsed(),
            failure,
            screenshot,
        });
    }
    if let Err(e) = write_report() {
        crate::log::warn(&format!("the run report was not written: {e}"));
    }
}

/// Records one `session!` call.
pub(crate) fn session_finished(id: &str, status: SessionStatus, took: Duration, saved: Duration) {
    let test = crate::harness::current_test_name().unwrap_or_default();
    let mut run = RUN.lock().unwrap_or_else(|e| e.into_inner());
    run.sessions.push(SessionRecord {
        id: id.to_owned(),
        status,
        took,
        saved,
        test,
    });
}

/// Writes the report of this process's run to `target/session-test/report.html` and returns
/// that path (the harnesses do this after every test).
pub fn write_report() -> Result<PathBuf> {
    let path = crate::config::output_dir().join("report.html");
    write_report_to(&path)?;
    Ok(path)
}

/// Writes the report to `path` (through a temporary file, so a reader never sees half).
pub fn write_report_to(path: &Path) -> Result<()> {
    // One writer at a time in this process: they share the temporary file's name.
    static WRITING: Mutex<()> = Mutex::new(());
    let _one = WRITING.lock().unwrap_or_else(|e| e.into_inner());
    let html = render();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    }
    let temp = path.with_extension(format!("html.{}.tmp", std::process::id()));
    std::fs::write(&temp, html).map_err(|e| Error::io(format!("writing {}", temp.display()), e))?;
    std::fs::rename(&temp, path)
        .map_err(|e| Error::io(format!("renaming to {}", path.display()), e))
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1e3)
}

/// Lanes for the timeline: each test goes in the first lane free when it starts.
fn lanes(tests: &[&TestRecord]) -> Vec<usize> {
    let mut ends: Vec<Duration> = Vec::new();
    tests
        .iter()
        .map(|t| {
            let lane = ends.iter().position(|end| *end <= t.started);
            let end = t.started + t.took;
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

fn render() -> String {
    let run = RUN.lock().unwrap_or_else(|e| e.into_inner());
    let mut tests: Vec<&TestRecord> = run.tests.iter().collect();
    tests.sort_by_key(|t| t.started);
    let failed = tests.iter().filter(|t| t.failure.is_some()).count();
    let total = tests
        .iter()
        .map(|t| t.started + t.took)
        .max()
        .unwrap_or_default();
    let saved: Duration = run.sessions.iter().map(|s| s.saved).sum();
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html><meta charset=utf-8><title>session-test report</title>\
         <style>body{{font:14px system-ui,sans-serif;margin:2em}}table{{border-collapse:collapse;margin:1em 0}}\
         td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}}\
         .passed{{color:#060}}.failed{{color:#b00}}pre{{white-space:pre-wrap;margin:0}}\
         img{{max-width:480px;display:block;margin-top:6px;border:1px solid #999}}\
         #timeline{{position:relative;border:1px solid #ccc}}.bar{{position:absolute;height:18px;\
         font-size:11px;overflow:hidden;white-space:nowrap;background:#8c8}}.bar.failed{{background:#e88;color:#000}}</style>\
         <h1>session-test report</h1>\
         <p id=summary>{} tests: {} passed, {failed} failed; {} session! calls, setup time saved {:.1} s; {:.1} s from the first test's start to the last one's end</p>",
        tests.len(),
        tests.len() - failed,
        run.sessions.len(),
        saved.as_secs_f64(),
        total.as_secs_f64(),
    );
    h.push_str("<h2>Tests</h2><table id=tests><tr><th>test</th><th>status</th><th>duration</th><th>failure</th></tr>");
    for t in &tests {
        let (class, status) = if t.failure.is_some() {
            ("failed", "failed")
        } else {
            ("passed", "passed")
        };
        let mut failure = String::new();
        if let Some(message) = &t.failure {
            let _ = write!(failure, "<pre>{}</pre>", esc(message));
            if let Some(png) = t.screenshot.as_ref().and_then(|p| std::fs::read(p).ok()) {
                let _ = write!(
                    failure,
                    "<img alt=\"screenshot of {}\" src=\"data:image/png;base64,{}\">",
                    esc(&t.name),
                    base64::engine::general_purpose::STANDARD.encode(png)
                );
            }
        }
        let _ = write!(
            h,
            "<tr data-test=\"{n}\"><td>{n}</td><td class={class}>{status}</td><td>{}</td><td>{failure}</td></tr>",
            ms(t.took),
            n = esc(&t.name),
        );
    }
    h.push_str("</table><h2>Sessions</h2><table id=sessions><tr><th>id</th><th>status</th><th>time spent</th><th>time saved</th><th>test</th></tr>");
    for s in &run.sessions {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&s.id),
            s.status,
            ms(s.took),
            ms(s.saved),
            esc(&s.test)
        );
    }
    let lanes = lanes(&tests);
    let height = (lanes.iter().max().map_or(0, |l| l + 1)) * 22 + 4;
    let _ = write!(
        h,
        "</table><h2>Timeline</h2><p>One row per test running at the same time (a row is \
         free again when its test ends).</p><div id=timeline style=\"height:{height}px\">"
    );
    let span = total.as_secs_f64().max(1e-3);
    for (t, lane) in tests.iter().zip(lanes) {
        let _ = write!(
            h,
            "<div class=\"bar{}\" title=\"{n}: {}\" style=\"left:{:.2}%;width:{:.2}%;top:{}px\">{n}</div>",
            if t.failure.is_some() { " failed" } else { "" },
            ms(t.took),
            t.started.as_secs_f64() / span * 100.0,
            (t.took.as_secs_f64() / span * 100.0).max(0.2),
            lane * 22 + 2,
            n = esc(&t.name),
        );
    }
    h.push_str("</div>");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(started_ms: u64, took_ms: u64) -> TestRecord {
        TestRecord {
            name: String::new(),
            started: Duration::from_millis(started_ms),
            took: Duration::from_millis(took_ms),
            failure: None,
            screenshot: None,
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
    fn markup_in_names_and_messages_is_escaped() {
        assert_eq!(esc("<b a=\"1\">&"), "&lt;b a=&quot;1&quot;&gt;&amp;");
    }
}
