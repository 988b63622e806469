//! One action of a test: what it was, on what, when, how long, how it ended.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// An action as the trace shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Action {
    /// `visit`, `click`, `fill`, `type`, `press`, `expect`, `session`, `request`.
    pub kind: Cow<'static, str>,
    /// What it acted on: a URL (query values left out), a locator, a session id.
    pub target: String,
    /// What it did besides, when that says something: the text typed (`•••` in a password
    /// field), the key, the expectation, the session's status, the response's status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Milliseconds from the start of the test.
    pub start_ms: f64,
    pub duration_ms: f64,
    pub outcome: Outcome,
    /// The page's tab: 0 for the test's own, n for the n-th tab it opened.
    pub tab: u64,
    /// The frame (of `frames`) that shows the test's tab when the action was done.
    pub frame: Option<usize>,
}

/// How an action ended.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status", content = "error")]
pub(crate) enum Outcome {
    Ok,
    Failed(String),
}

impl Action {
    /// An action of `kind` on `target`, its times filled in when it is added to a trace.
    pub fn new(kind: &'static str, target: impl Into<String>) -> Action {
        Action {
            kind: Cow::Borrowed(kind),
            target: target.into(),
            detail: None,
            start_ms: 0.0,
            duration_ms: 0.0,
            outcome: Outcome::Ok,
            tab: 0,
            frame: None,
        }
    }

    /// The same, ended by `result`.
    pub fn ended<T, E: std::fmt::Display>(mut self, result: &Result<T, E>) -> Action {
        if let Err(e) = result {
            // Errors name URLs whole: their query values may be codes or tokens.
            self.outcome = Outcome::Failed(super::url::with_urls_masked(&e.to_string()));
        }
        self
    }
}
