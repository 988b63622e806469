//! A report of made-up tests, as large as a long run's, for the benchmark of how fast the
//! report opens: `tests` tests in 10 binaries of 10 modules, one in twenty failed (with an
//! error, a code frame, a backtrace, the page's errors and `screenshot`), one in fifty
//! skipped, three session ids asked for by every test.

use std::path::Path;

use super::code_frame::CodeFrame;
use super::files::{render_to, write_atomically_with};
use super::record::{Failure, Run, SessionRecord, TestRecord};
use crate::error::Result;

/// Writes the report of `tests` made-up tests to `path`; failed tests show `screenshot`.
#[doc(hidden)]
pub fn write_sample_report(path: &Path, tests: usize, screenshot: Option<&Path>) -> Result<()> {
    let mut runs: Vec<Run> = (0..10).map(|_| Run::default()).collect();
    for n in 0..tests {
        let run = &mut runs[n % 10];
        let name = format!("module_{}::checks_case_{n}", (n / 10) % 10);
        let failed = n % 20 == 7;
        run.tests.push(TestRecord {
            binary: format!("binary_{}", n % 10),
            name: name.clone(),
            started_ms: 1.7e12 + n as f64 * 40.0,
            took_ms: 300.0 + (n % 7) as f64 * 50.0,
            failure: failed.then(|| {
                format!(
                    "test `{name}` failed: expected `#total` to have text \"42\", last saw \"41\""
                )
            }),
            failed: failed.then(|| sample_failure(&name)),
            screenshot: failed.then(|| screenshot.map(Path::to_path_buf)).flatten(),
            trace: None,
            skipped: n % 50 == 3,
        });
        for id in ["\"alice\"", "\"bob\"", "[\"admin\",1]"] {
            run.sessions.push(SessionRecord {
                id: id.to_owned(),
                status: if n < 10 { "created" } else { "restored" }.to_owned(),
                took_ms: 12.0,
                saved_ms: 400.0,
                test: name.clone(),
                holds: vec![
                    "http://app.localhost:8080".into(),
                    "cookies of app.localhost".into(),
                ],
                persisted: false,
            });
        }
    }
    let runs: Vec<&Run> = runs.iter().collect();
    write_atomically_with(path, |file| render_to(&runs, file))
}

fn sample_failure(name: &str) -> Failure {
    let lines = (40..=46)
        .map(|n| {
            (
                n,
                format!("    expect(&page.locator(\"#total\")).to_have_text(\"{n}\")?;"),
            )
        })
        .collect();
    Failure {
        error: "expected `#total` to have text \"42\", last saw \"41\" (waited 5.0 s)".into(),
        backtrace: Some(format!(
            "   0: {name}\n             at ./tests/cart.rs:43:5\n   1: core::ops::function::FnOnce::call_once\n             at /rustc/0/library/core/src/ops/function.rs:250:5\n"
        )),
        code_frame: Some(CodeFrame {
            file: "tests/cart.rs".into(),
            line: 43,
            lines,
        }),
        url: "http://app.localhost:8080/cart".into(),
        page_errors: vec!["console.error: price is undefined (at http://app.localhost:8080/cart.js:41:12)".into()],
    }
}
