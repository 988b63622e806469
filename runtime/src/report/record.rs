//! The record of the run in this process: each test and each `session!` call, and the
//! counts of the summary line. Ids, names and messages only, never a value.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::code_frame::CodeFrame;
use crate::data::SessionStatus;
use crate::sync::lock;
use crate::test_context::current_test_name;
use crate::web_server::ServerUse;

#[derive(Serialize, Deserialize)]
pub(super) struct TestRecord {
    pub(super) binary: String,
    pub(super) name: String,
    /// Milliseconds since the Unix epoch.
    pub(super) started_ms: f64,
    pub(super) took_ms: f64,
    /// The failure report, as libtest prints it.
    pub(super) failure: Option<String>,
    /// Its parts, for the page.
    #[serde(default)]
    pub(super) failed: Option<Failure>,
    pub(super) screenshot: Option<PathBuf>,
    /// Its trace file, when one was kept.
    #[serde(default)]
    pub(super) trace: Option<PathBuf>,
    /// Left out for being ignored (`#[session_test(ignore)]`): not run.
    #[serde(default)]
    pub(super) skipped: bool,
}

impl TestRecord {
    /// `passed`, `failed` or `skipped`.
    pub(super) fn status(&self) -> &'static str {
        match (self.skipped, self.failure.is_some()) {
            (true, _) => "skipped",
            (false, true) => "failed",
            (false, false) => "passed",
        }
    }
}

/// How a test failed, in the parts the report shows first.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct Failure {
    /// The error (a backtrace printed in it cut off, into `backtrace`).
    pub error: String,
    /// The backtrace printed with the error, else that of the last failing action.
    pub backtrace: Option<String>,
    /// The lines around the one that failed.
    pub code_frame: Option<CodeFrame>,
    /// The page's URL at the failure.
    pub url: String,
    /// The page's last console errors and uncaught errors.
    pub page_errors: Vec<String>,
}

impl Failure {
    /// A failure before the test had a page.
    pub(crate) fn without_page(error: &str) -> Failure {
        Failure {
            error: error.to_owned(),
            ..Failure::default()
        }
    }
}

#[derive(Serialize, Deserialize)]
pub(super) struct SessionRecord {
    pub(super) id: String,
    pub(super) status: String,
    pub(super) took_ms: f64,
    pub(super) saved_ms: f64,
    pub(super) test: String,
    /// The names of what the session holds (origins, cookie domains).
    #[serde(default)]
    pub(super) holds: Vec<String>,
    /// Whether it is kept on disk (`persist = true`).
    #[serde(default)]
    pub(super) persisted: bool,
}

/// The records of one process.
#[derive(Default, Serialize, Deserialize)]
pub(super) struct Run {
    pub(super) tests: Vec<TestRecord>,
    pub(super) sessions: Vec<SessionRecord>,
    /// The web server the process used, when it had one.
    #[serde(default)]
    pub(super) web_server: Option<ServerUse>,
}

pub(super) static RUN: Mutex<Run> = Mutex::new(Run {
    tests: Vec::new(),
    sessions: Vec::new(),
    web_server: None,
});

fn epoch_ms(t: SystemTime) -> f64 {
    t.duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64()
        * 1e3
}

/// This test binary's name, without cargo's hash: `locators` for `locators-1a2b…`.
pub(super) fn binary() -> String {
    let stem = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "tests".into());
    match stem.rsplit_once('-') {
        Some((name, hash)) if hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => {
            name.to_owned()
        }
        _ => stem,
    }
}

/// Marks the start of a test.
pub(crate) fn test_started() -> (Instant, SystemTime) {
    (Instant::now(), SystemTime::now())
}

/// Records a finished test.
pub(super) fn record_test(
    name: &str,
    started: (Instant, SystemTime),
    failed: Option<(String, Failure)>,
    screenshot: Option<PathBuf>,
    trace: Option<PathBuf>,
) {
    let (failure, failed) = failed.unzip();
    let mut run = lock(&RUN);
    run.tests.push(TestRecord {
        binary: binary(),
        name: name.to_owned(),
        started_ms: epoch_ms(started.1),
        took_ms: started.0.elapsed().as_secs_f64() * 1e3,
        failure,
        failed,
        screenshot,
        trace,
        skipped: false,
    });
}

/// Records tests left out for being ignored.
pub(super) fn record_skipped(names: &[&str]) {
    let (binary, at) = (binary(), epoch_ms(SystemTime::now()));
    let mut run = lock(&RUN);
    run.tests.extend(names.iter().map(|name| TestRecord {
        binary: binary.clone(),
        name: (*name).to_owned(),
        started_ms: at,
        took_ms: 0.0,
        failure: None,
        failed: None,
        screenshot: None,
        trace: None,
        skipped: true,
    }));
}

/// Records one `session!` call: its line in the report, and the counts of the summary.
pub(crate) fn session_finished(
    id: &str,
    status: SessionStatus,
    took: Duration,
    holds: Vec<String>,
    persisted: bool,
) {
    let saved = count(id, status, took);
    record_session(id, &status.to_string(), (took, saved), holds, persisted);
}

/// Records a `session!` call that failed.
pub(crate) fn session_failed(id: &str, took: Duration, persisted: bool) {
    record_session(id, "failed", (took, Duration::ZERO), Vec::new(), persisted);
}

fn record_session(
    id: &str,
    status: &str,
    (took, saved): (Duration, Duration),
    holds: Vec<String>,
    persisted: bool,
) {
    let test = current_test_name().unwrap_or_default();
    lock(&RUN).sessions.push(SessionRecord {
        id: id.to_owned(),
        status: status.to_owned(),
        took_ms: took.as_secs_f64() * 1e3,
        saved_ms: saved.as_secs_f64() * 1e3,
        test,
        holds,
        persisted,
    });
}

#[derive(Default)]
struct Stats {
    created: u32,
    restored: u32,
    recreated: u32,
    /// How long creating each id took: what each restore of it saved (minus its own time).
    create_time: HashMap<String, Duration>,
    saved: Duration,
}

static STATS: Mutex<Option<Stats>> = Mutex::new(None);

/// Counts a `session!` call; returns the setup time it saved.
fn count(id: &str, status: SessionStatus, took: Duration) -> Duration {
    let mut guard = lock(&STATS);
    let stats = guard.get_or_insert_with(Stats::default);
    let mut saved_now = Duration::ZERO;
    match status {
        SessionStatus::Created | SessionStatus::Recreated => {
            if status == SessionStatus::Created {
                stats.created += 1;
            } else {
                stats.recreated += 1;
            }
            stats.create_time.insert(id.to_string(), took);
        }
        SessionStatus::Restored => {
            stats.restored += 1;
            if let Some(create) = stats.create_time.get(id) {
                saved_now = create.saturating_sub(took);
                stats.saved += saved_now;
            }
        }
    }
    saved_now
}

/// `sessions: 2 created, 18 restored, 0 recreated; setup time saved: 3.9 s`, or `None`
/// when no session was used.
pub fn summary() -> Option<String> {
    let guard = lock(&STATS);
    let s = guard.as_ref()?;
    Some(format!(
        "sessions: {} created, {} restored, {} recreated; setup time saved: {:.1} s",
        s.created,
        s.restored,
        s.recreated,
        s.saved.as_secs_f64()
    ))
}
