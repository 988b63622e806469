//! The tests of the report: grouped by binary and module, groups with a failure first and
//! failed tests first in each; each a section that can be linked to (`#test=<name>`),
//! with its failure (open) and its trace. A passed test's section is a `<template>` until
//! opened, so a page of a thousand tests opens fast.

use std::collections::HashSet;
use std::fmt::Write;
use std::path::Path;
use std::sync::Arc;

use base64::Engine as _;

use super::failure_view::failure_view;
use super::markup::esc;
use super::read_once::once_per_version;
use super::record::{Failure, TestRecord};
use super::trace_view::trace_html;

/// A screenshot's base64, read once per file version: the report is rewritten after every
/// test, and reading every failure's image each time would grow with tests × failures.
pub(super) fn png_base64(path: &Path) -> Option<Arc<str>> {
    once_per_version("png", path, |bytes| {
        Some(base64::engine::general_purpose::STANDARD.encode(bytes))
    })
}

/// A test's module path and its own name: `("nested", "gamma")` for `nested::gamma`.
fn module_and_name(name: &str) -> (&str, &str) {
    name.rsplit_once("::").unwrap_or(("", name))
}

/// The list, grouped: `(binary, module)` groups in order, each test in its own section.
pub(super) fn test_list(h: &mut dyn Write, tests: &[&TestRecord]) {
    // Keys borrowed from the records: the page is written as it is made, and nothing of it
    // should grow with the run but the records themselves.
    fn group_of(t: &TestRecord) -> (&str, &str) {
        (&t.binary, module_and_name(&t.name).0)
    }
    let failing: HashSet<(&str, &str)> = tests
        .iter()
        .filter(|t| t.failure.is_some())
        .map(|t| group_of(t))
        .collect();
    let mut sorted: Vec<&TestRecord> = tests.to_vec();
    sorted.sort_by_cached_key(|t| {
        let t = *t;
        let (binary, module) = group_of(t);
        let group_passed = !failing.contains(&(binary, module));
        let rank = ["failed", "passed", "skipped"]
            .iter()
            .position(|s| *s == t.status());
        (group_passed, binary, module, rank, t.name.as_str())
    });
    let _ = h.write_str("<main id=tests>");
    let mut group: Option<(&str, &str)> = None;
    for t in sorted {
        let (module, _) = module_and_name(&t.name);
        let this = (t.binary.as_str(), module);
        if group != Some(this) {
            if group.is_some() {
                let _ = h.write_str("</section>");
            }
            let title = if module.is_empty() {
                esc(&t.binary)
            } else {
                format!("{} › {}", esc(&t.binary), esc(module))
            };
            let _ = write!(h, "<section class=group><h3>{title}</h3>");
            group = Some(this);
        }
        test_section(h, t);
    }
    if group.is_some() {
        let _ = h.write_str("</section>");
    }
    let _ = h.write_str("</main>");
}

/// One test: a line (status, name, duration, link), and its failure and trace.
fn test_section(h: &mut dyn Write, t: &TestRecord) {
    let status = t.status();
    let name = esc(&t.name);
    let (_, short) = module_and_name(&t.name);
    let _ = write!(
        h,
        "<details class=\"test {status}\" id=\"test={name}\" data-test=\"{name}\" data-status={status}{open}>\
         <summary><span class=status>{status}</span> <span class=name title=\"{name}\">{short}</span> \
         <span class=duration>{took:.0} ms</span> <a class=link href=\"#test={name}\" title=\"link to this test\">#</a></summary>",
        open = if t.failure.is_some() { " open" } else { "" },
        short = esc(short),
        took = t.took_ms,
    );
    let mut body = String::new();
    if let Some(report) = &t.failure {
        let fallback = Failure::without_page(report);
        let failure = t.failed.as_ref().unwrap_or(&fallback);
        let png = t.screenshot.as_deref().and_then(png_base64);
        body.push_str(&failure_view(failure, png.as_deref(), report, &t.name));
    }
    if let Some(trace) = t.trace.as_deref().and_then(trace_html) {
        body.push_str(&trace);
    }
    if t.failure.is_some() {
        let _ = h.write_str(&body);
    } else {
        let _ = write!(h, "<template>{body}</template>");
    }
    let _ = h.write_str("</details>");
}
