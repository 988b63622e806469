//! A failed test as the report shows it, the failure first: the error, a code frame of the
//! line that failed, the page's URL and last errors, the screenshot large; the backtrace
//! folded, reduced to the user's frames (the whole one a click further), and the report
//! libtest printed, folded too.

use std::fmt::Write as _;

use super::backtrace::{frames, is_users};
use super::code_frame::CodeFrame;
use super::markup::esc;
use super::record::Failure;

/// The failure's view; `screenshot` is the failure screenshot's base64 PNG, `report` the
/// text libtest printed.
pub(super) fn failure_view(
    failure: &Failure,
    screenshot: Option<&str>,
    report: &str,
    test: &str,
) -> String {
    let mut h = format!(
        "<div class=failure><pre class=error>{}</pre>",
        esc(&failure.error)
    );
    if let Some(frame) = &failure.code_frame {
        h.push_str(&code_frame_view(frame));
    }
    if !failure.url.is_empty() {
        let _ = write!(
            h,
            "<p class=url>page URL: <code>{}</code></p>",
            esc(&failure.url)
        );
    }
    if !failure.page_errors.is_empty() {
        h.push_str("<ul class=page-errors>");
        for error in &failure.page_errors {
            let _ = write!(h, "<li>{}</li>", esc(error));
        }
        h.push_str("</ul>");
    }
    if let Some(png) = screenshot {
        let _ = write!(
            h,
            "<img class=screenshot loading=lazy alt=\"screenshot of {}\" src=\"data:image/png;base64,{png}\">",
            esc(test)
        );
    }
    if let Some(backtrace) = &failure.backtrace {
        h.push_str(&backtrace_view(backtrace));
    }
    let _ = write!(
        h,
        "<details class=report><summary>the report as printed</summary><pre>{}</pre></details></div>",
        esc(report)
    );
    h
}

/// The lines around the failing one, numbered, that one marked.
fn code_frame_view(frame: &CodeFrame) -> String {
    let width = frame.lines.last().map_or(1, |(n, _)| n.to_string().len());
    let mut h = format!(
        "<figure class=code-frame><figcaption>{}:{}</figcaption><pre>",
        esc(frame.file.trim_start_matches("./")),
        frame.line
    );
    for (n, text) in &frame.lines {
        let (class, mark) = if *n == frame.line {
            (" failing", '>')
        } else {
            ("", ' ')
        };
        let _ = write!(
            h,
            "<span class=\"line{class}\">{mark} {n:>width$} | {}</span>",
            esc(text)
        );
    }
    h.push_str("</pre></figure>");
    h
}

/// A function's name as the user wrote it: without the module `#[session_test]` wraps a
/// test's body in; `None` for the wrapper itself.
fn as_written(symbol: &str) -> Option<String> {
    let parts: Vec<&str> = symbol.split("::").collect();
    if parts.last()?.starts_with(WRAPPER) {
        return None;
    }
    let kept: Vec<&str> = parts
        .into_iter()
        .filter(|p| !p.starts_with(WRAPPER))
        .collect();
    Some(kept.join("::"))
}

/// The prefix of the module and function `#[session_test]` wraps a test's body in.
const WRAPPER: &str = "__session_test_body_";

/// The backtrace folded: its frames in the user's code, then the whole of it.
fn backtrace_view(backtrace: &str) -> String {
    let users: Vec<String> = frames(backtrace)
        .into_iter()
        .filter(is_users)
        .filter_map(|f| {
            let symbol = as_written(&f.symbol)?;
            Some(match f.at {
                Some((file, line)) => format!("{symbol}\n    at {file}:{line}"),
                None => symbol,
            })
        })
        .collect();
    let plural = if users.len() == 1 { "" } else { "s" };
    format!(
        "<details class=backtrace><summary>backtrace: {} frame{plural} of your code</summary>\
         <pre class=users>{}</pre><details class=full><summary>the whole backtrace</summary>\
         <pre>{}</pre></details></details>",
        users.len(),
        esc(&users.join("\n")),
        esc(backtrace)
    )
}
