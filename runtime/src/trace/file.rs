//! Trace files: `target/session-test/traces/<test>.json`, one per kept trace.

use std::path::PathBuf;

use serde_json::Value;

/// Where the trace of `test` is written (named as its screenshot is).
fn trace_path(test: &str) -> PathBuf {
    crate::config::output_dir()
        .join("traces")
        .join(format!("{}.json", crate::config::file_stem(test)))
}

/// Writes a trace; returns where.
pub(crate) fn write(test: &str, trace: &Value) -> std::io::Result<PathBuf> {
    let path = trace_path(test);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let text = serde_json::to_string_pretty(trace).map_err(std::io::Error::other)?;
    std::fs::write(&path, text)?;
    Ok(path)
}
