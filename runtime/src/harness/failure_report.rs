//! A failed test's report: the text libtest prints (the error, the page's URL and
//! screenshot, the other contexts', the page's last errors, dialogs and session lines, the
//! trace, where the test is) and its parts for the run report, which shows the error first
//! with a code frame of the line that failed.

use std::path::PathBuf;

use crate::page::Page;
use crate::report::{code_frame, site_in, split_backtrace, Failure};
use crate::screenshots::write_screenshot;

/// What a failed test leaves: the report libtest prints, the screenshot, the trace (when
/// kept), and the parts the run report shows.
pub(super) struct Report {
    pub message: String,
    pub screenshot: Option<PathBuf>,
    pub trace: Option<PathBuf>,
    pub failure: Failure,
}

/// The failure report of the test `name` (its function at `place`, `file:line`) that
/// failed with `error`; `panicked_at` is where it panicked, when it did.
pub(super) fn report(
    name: &str,
    place: &str,
    page: &Page,
    error: &str,
    panicked_at: Option<(String, u32)>,
) -> Report {
    let failure = failure(place, page, error, panicked_at);
    let url = failure.url.clone();
    let shot = write_screenshot(page, name);
    let screenshot = match &shot {
        Ok(path) => path.display().to_string(),
        Err(e) => format!("not taken ({e})"),
    };
    let others = other_contexts_report(name, page);
    let sessions = lines("last session lines", &page.session_notes(5));
    let errors = lines("last page errors", &page.last_page_errors(5));
    let dialogs = lines("last dialogs", &page.last_dialogs(5));
    let trace_file = write_trace(page, name, false);
    let trace = match &trace_file {
        Some(path) => format!("\n  trace: {}", path.display()),
        None => String::new(),
    };
    let message = format!(
        "test `{name}` failed: {error}\n  page URL: {url}\n  screenshot: {screenshot}{others}{errors}{dialogs}{sessions}{trace}\n  test at {place}"
    );
    Report {
        message,
        screenshot: shot.ok(),
        trace: trace_file,
        failure,
    }
}

/// The parts of the report the run report shows: the error without its backtrace, the
/// code frame of where it failed (where it panicked, else the test's line in the backtrace
/// of its last failing action, else its function), the backtrace, the URL, the page's errors.
fn failure(place: &str, page: &Page, error: &str, panicked_at: Option<(String, u32)>) -> Failure {
    let (file, line) = place.rsplit_once(':').unwrap_or((place, "0"));
    let failed_at = page.failed_at();
    let site = panicked_at
        .or_else(|| site_in(failed_at.as_deref()?, file))
        .unwrap_or_else(|| (file.to_owned(), line.parse().unwrap_or(0)));
    let (error, printed) = split_backtrace(error);
    Failure {
        error,
        backtrace: printed.or(failed_at),
        code_frame: code_frame(&site.0, site.1, &page.secrets()),
        url: page.url().unwrap_or_else(|e| format!("unknown ({e})")),
        page_errors: page.last_page_errors(5),
    }
}

/// The URL and a screenshot of the page of each context the test opened besides its own
/// (`<test>.context-1.png`, …), for its failure report: the failure may be in either.
fn other_contexts_report(name: &str, page: &Page) -> String {
    let mut report = String::new();
    for (n, other) in page.other_contexts().iter().enumerate() {
        let url = other.url().unwrap_or_else(|e| format!("unknown ({e})"));
        let screenshot = match write_screenshot(other, &format!("{name}.context-{}", n + 1)) {
            Ok(path) => path.display().to_string(),
            Err(e) => format!("not taken ({e})"),
        };
        report.push_str(&format!(
            "\n  context {} (page.new_context()):\n    page URL: {url}\n    screenshot: {screenshot}",
            n + 1
        ));
    }
    report
}

/// `heading` and `items`, indented, for a failure report; nothing when there are none.
fn lines(heading: &str, items: &[String]) -> String {
    if items.is_empty() {
        return String::new();
    }
    format!("\n  {heading}:\n    {}", items.join("\n    "))
}

/// Writes the test's trace when the trace mode keeps it; returns where.
pub(super) fn write_trace(page: &Page, name: &str, passed: bool) -> Option<PathBuf> {
    if !crate::trace::mode().keeps(passed) {
        return None;
    }
    match crate::trace::write(name, &page.trace_json(name, passed)) {
        Ok(path) => Some(path),
        Err(e) => {
            crate::log::warn(&format!("test `{name}`: trace not written ({e})"));
            None
        }
    }
}
