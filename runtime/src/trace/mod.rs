//! A test's trace: what it did (its actions, each with its target, time and outcome), what
//! its pages said (console messages, uncaught errors) and what they fetched (requests:
//! method, URL, status, timing, size). Kept for failing tests by default (`SESSION_TEST_TRACE`:
//! `on` keeps every test's, `off` traces none), written as JSON under
//! `target/session-test/traces/`.
//!
//! Nothing secret goes in: text typed into a password field is `•••`, no header or body is
//! read, and the values of URL query parameters are left out (they carry codes and tokens).

mod action;
mod console;
mod file;
mod frames;
mod mode;
mod network;
mod tabs;
mod url;

use std::time::Instant;

use frames::Frames;

use std::backtrace::Backtrace;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub(crate) use action::{Action, Outcome};
pub(crate) use console::ConsoleEntry;
pub(crate) use file::write;
pub(crate) use frames::Frame as FilmFrame;
pub(crate) use mode::mode;
pub use mode::{set_trace_mode, TraceMode};
pub(crate) use network::{NetworkLog, Request as TracedRequest, Routed};
pub(crate) use tabs::{tab_name, Tab};
pub(crate) use url::{with_urls_masked, without_query_values};

/// Everything one test's trace holds, from its start.
pub(crate) struct Trace {
    started: Instant,
    actions: Vec<Action>,
    console: Vec<ConsoleEntry>,
    network: NetworkLog,
    frames: Frames,
    tabs: Vec<Tab>,
    /// Where the test's last failing action was called from (unresolved until a failure
    /// report asks): the code frame of the report.
    failed_at: Option<Backtrace>,
    /// How many actions failed: the async face tells whether one failed during its call.
    failures: u64,
    /// What the test typed into password fields: kept out of its failure report's code
    /// frame. In memory only, never written.
    secrets: Vec<String>,
}

impl Default for Trace {
    fn default() -> Self {
        Trace {
            started: Instant::now(),
            actions: Vec::new(),
            console: Vec::new(),
            network: NetworkLog::default(),
            frames: Frames::default(),
            tabs: Vec::new(),
            failed_at: None,
            failures: 0,
            secrets: Vec::new(),
        }
    }
}

/// The most actions a trace keeps.
const MAX_ACTIONS: usize = 5000;

/// The most console entries a trace keeps (a page that logs in a loop must not fill memory).
const MAX_CONSOLE: usize = 1000;

impl Trace {
    /// Milliseconds since the trace began.
    pub fn at(&self, when: Instant) -> f64 {
        millis(when.saturating_duration_since(self.started))
    }

    /// Adds an action that began at `start` and ended now (the oldest goes past
    /// `MAX_ACTIONS`: the last ones led to the failure).
    pub fn action(&mut self, start: Instant, mut action: Action) {
        action.start_ms = self.at(start);
        action.duration_ms = millis(start.elapsed());
        if self.actions.len() == MAX_ACTIONS {
            self.actions.remove(0);
        }
        self.actions.push(action);
    }

    /// The last action failed, called from where `backtrace` says.
    pub fn failed(&mut self, backtrace: Backtrace) {
        self.failed_at = Some(backtrace);
        self.failures += 1;
    }

    /// How many actions failed so far.
    pub fn failures(&self) -> u64 {
        self.failures
    }

    /// Where the last failing action was called from, resolved; taken.
    pub fn failed_at(&mut self) -> Option<String> {
        self.failed_at.take().map(|backtrace| backtrace.to_string())
    }

    /// `value` was typed into a password field.
    pub fn secret(&mut self, value: &str) {
        if !value.is_empty() && !self.secrets.iter().any(|s| s == value) {
            self.secrets.push(value.to_owned());
        }
    }

    /// What the test typed into password fields.
    pub fn secrets(&self) -> Vec<String> {
        self.secrets.clone()
    }

    /// Takes one of a tab's events (`tab` numbers the test's tabs, 0 its own): console
    /// messages, uncaught errors and the network's, when it is one of those.
    pub fn event(&mut self, tab: u64, method: &str, params: &Value) {
        let at = self.at(Instant::now());
        if let Some(entry) = ConsoleEntry::of(method, params, tab, at) {
            if self.console.len() < MAX_CONSOLE {
                self.console.push(entry);
            }
        } else if method.starts_with("Network.") {
            self.network.event(method, params, tab, at);
        }
    }

    /// Marks the request `request_id` (the Network domain's id) with what a route did.
    pub fn routed(&mut self, request_id: &str, routed: Routed) {
        self.network.routed(request_id, routed);
    }

    /// Takes a JavaScript dialog of tab `tab`, answered: a line of the console.
    pub fn dialog(&mut self, tab: u64, line: String) {
        let at = self.at(Instant::now());
        if self.console.len() < MAX_CONSOLE {
            self.console.push(ConsoleEntry::dialog(line, tab, at));
        }
    }

    /// Takes a screencast frame of tab `tab` (JPEG, base64).
    pub fn frame(&mut self, tab: u64, jpeg_base64: String) {
        let at = self.at(Instant::now());
        self.frames.push(at, tab, jpeg_base64);
    }

    /// Starts the trace afresh for a test, on tabs already open: they stay known.
    pub fn restart(&mut self) {
        let tabs = std::mem::take(&mut self.tabs);
        *self = Trace {
            tabs,
            ..Trace::default()
        };
    }

    /// Tab `tab` opened in the test's context numbered `context`.
    pub fn tab_opened(&mut self, tab: u64, context: u64) {
        self.tabs.retain(|t| t.tab != tab);
        self.tabs.push(Tab { tab, context });
    }

    /// The last `n` console errors and uncaught errors, as lines for a failure message.
    pub fn last_errors(&self, n: usize) -> Vec<String> {
        let errors: Vec<String> = self
            .console
            .iter()
            .filter(|e| e.is_error())
            .map(ConsoleEntry::line)
            .collect();
        errors[errors.len().saturating_sub(n)..].to_vec()
    }

    /// The trace as it is written for other tools (README, "Traces"): actions in the order
    /// they began (a `session` action before the setup's actions it holds), each with the
    /// frame that shows its tab when it was done.
    pub fn to_json(&self, test: &str, passed: bool) -> Value {
        serde_json::to_value(self.file(test, passed)).unwrap_or(Value::Null)
    }

    /// The trace as its file holds it.
    fn file(&self, test: &str, passed: bool) -> TraceFile {
        let mut actions = self.actions.clone();
        actions.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
        let starts: Vec<f64> = actions.iter().map(|a| a.start_ms).collect();
        for action in &mut actions {
            // The page just before the next action that began after this one ended.
            let end = action.start_ms + action.duration_ms;
            let next = starts
                .iter()
                .copied()
                .filter(|s| *s >= end)
                .fold(f64::INFINITY, f64::min);
            action.frame = self.frames.at(next, action.tab);
        }
        TraceFile {
            version: 1,
            test: test.to_owned(),
            passed,
            actions,
            console: self.console.clone(),
            network: self.network.requests(),
            frames: self.frames.all(),
            tabs: self.tabs.clone(),
        }
    }
}

/// A trace file's schema (version 1): what the runtime writes and the report reads back.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct TraceFile {
    pub version: u32,
    pub test: String,
    pub passed: bool,
    pub actions: Vec<Action>,
    pub console: Vec<ConsoleEntry>,
    pub network: Vec<network::Request>,
    pub frames: Vec<frames::Frame>,
    /// Which context each tab is in (traces written before there were several have none).
    #[serde(default)]
    pub tabs: Vec<Tab>,
}

fn millis(d: std::time::Duration) -> f64 {
    (d.as_secs_f64() * 10_000.0).round() / 10.0
}
