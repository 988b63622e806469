//! One status line per `session!` call (SPEC C11), on stderr and as a `tracing` event.
//! Lines carry ids and timings only, never cookie or storage values.

use std::time::Duration;

use crate::data::SessionStatus;

/// `session "<id>": created (N ms)`; returns the line.
pub fn session_line(id: &str, status: SessionStatus, took: Duration) -> String {
    let ms = took.as_millis();
    let line = format!("session \"{id}\": {status} ({ms} ms)");
    eprintln!("{line}");
    tracing::info!(target: "session_test", id, status = %status, ms = ms as u64, "session");
    line
}

/// A line about a session's lifecycle that is no warning (a `max_age` passed).
pub fn info(message: &str) {
    eprintln!("{message}");
    tracing::info!(target: "session_test", "{message}");
}

/// A warning line.
pub fn warn(message: &str) {
    eprintln!("warning: {message}");
    tracing::warn!(target: "session_test", "{message}");
}
