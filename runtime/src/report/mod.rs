//! The run report: `target/session-test/report.html`, one self-contained file with every
//! test (status, duration, failure with its screenshot and trace inline), every `session!` call (id,
//! status, time spent, time saved) and a timeline. Rewritten after a failed test, at most
//! once a second after passing ones, and at exit (`rewrite.rs`). The test
//! binaries of one `cargo test` (or `cargo nextest run`) share a parent process: each keeps
//! its records in `target/session-test/runs/<parent pid>/`, and the report shows them all.
//! Messages and ids only: no cookie or storage value is ever recorded.

mod backtrace;
mod code_frame;
mod failure_view;
mod files;
mod html;
mod markup;
mod read_once;
mod record;
mod rewrite;
mod sample;
mod sessions_panel;
mod test_list;
mod trace_view;
mod web_server;

use std::path::PathBuf;
use std::time::{Instant, SystemTime};

pub(crate) use backtrace::split as split_backtrace;
pub(crate) use code_frame::{code_frame, site_in, take_panic_site, watch_panics};
pub use files::{write_report, write_report_to};
pub use record::summary;
pub(crate) use record::{session_failed, session_finished, test_started, Failure};
pub use sample::write_sample_report;

/// Records tests the harness leaves out for being ignored, and rewrites the report.
pub(crate) fn tests_skipped(names: &[&str]) {
    record::record_skipped(names);
    rewrite::now();
}

/// Records a finished test (when it failed: its report, and the parts the page shows); the
/// report is rewritten when it is due (`rewrite.rs`).
pub(crate) fn test_finished(
    name: &str,
    started: (Instant, SystemTime),
    failed: Option<(String, Failure)>,
    screenshot: Option<PathBuf>,
    trace: Option<PathBuf>,
) {
    let failing = failed.is_some();
    record::record_test(name, started, failed, screenshot, trace);
    rewrite::after_test(failing);
}
