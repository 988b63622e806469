//! Backtraces as a failure report shows them: parsed from the text the standard library
//! (and anyhow, eyre) prints, cut from an error's message, and reduced to the user's own
//! frames, the full one kept one click further.

/// One frame of a printed backtrace.
#[derive(Debug, PartialEq)]
pub(crate) struct Frame {
    /// The function, as printed (`report::a_test::{{closure}}`).
    pub symbol: String,
    /// Its source file and line, when the binary has line tables.
    pub at: Option<(String, u32)>,
}

/// The frames of `text` (`  3: symbol` lines, each followed by `at file:line:column`).
pub(crate) fn frames(text: &str) -> Vec<Frame> {
    let mut frames: Vec<Frame> = Vec::new();
    for line in text.lines().map(str::trim) {
        if let Some(at) = line.strip_prefix("at ") {
            if let Some(frame) = frames.last_mut().filter(|f| f.at.is_none()) {
                frame.at = file_and_line(at);
            }
        } else if let Some((number, symbol)) = line.split_once(": ") {
            if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) {
                frames.push(Frame {
                    symbol: symbol.to_owned(),
                    at: None,
                });
            }
        }
    }
    frames
}

/// `path:line:column` (or `path:line`) into the path and the line.
fn file_and_line(at: &str) -> Option<(String, u32)> {
    let mut parts = at.rsplitn(3, ':');
    let last: u32 = parts.next()?.parse().ok()?;
    let before = parts.next()?;
    match (before.parse::<u32>(), parts.next()) {
        (Ok(line), Some(path)) => Some((path.to_owned(), line)),
        _ => Some((before.to_owned(), last)),
    }
}

/// The crates whose frames are not the user's: the standard library, the test harness, the
/// async runtime, and session-test's own.
const NOT_THE_USERS: &[&str] = &[
    "std::",
    "core::",
    "alloc::",
    "test::",
    "libtest_mimic::",
    "tokio::",
    "session_test_runtime::",
    "session_test::",
    "<",
    "__rust",
];

/// Whether `frame` is in the user's code: a Rust source file outside the toolchain, the
/// registry and session-test's own sources, in a crate other than those of
/// [`NOT_THE_USERS`].
pub(crate) fn is_users(frame: &Frame) -> bool {
    let Some((file, _)) = &frame.at else {
        return false;
    };
    let foreign = !file.ends_with(".rs")
        || file.starts_with("/rustc/")
        || file.contains("/.cargo/registry/")
        || file.contains("/.cargo/git/")
        || file.contains("/.rustup/")
        || is_session_tests_own(file);
    !foreign
        && !frame.symbol.contains("session_test_runtime::")
        && !NOT_THE_USERS.iter().any(|p| frame.symbol.starts_with(p))
}

/// Whether `file` is one of this crate's sources: under its directory, or named relative to
/// its workspace (`runtime/src/…`, when session-test is built from its own workspace).
fn is_session_tests_own(file: &str) -> bool {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    file.starts_with(&*dir.to_string_lossy())
        || file
            .trim_start_matches("./")
            .starts_with(&format!("{name}/src/"))
}

/// `error` cut where a printed backtrace begins (`Stack backtrace:`, as anyhow prints it):
/// the message, and the backtrace when there is one.
pub(crate) fn split(error: &str) -> (String, Option<String>) {
    let mut offset = 0;
    for line in error.split_inclusive('\n') {
        if line
            .trim()
            .to_ascii_lowercase()
            .starts_with("stack backtrace:")
        {
            let (message, backtrace) = error.split_at(offset);
            return (message.trim_end().to_owned(), Some(backtrace.to_owned()));
        }
        offset += line.len();
    }
    (error.to_owned(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRINTED: &str = "Stack backtrace:
   0: anyhow::error::<impl anyhow::Error>::msg
             at /root/.cargo/registry/src/index.crates.io-1/anyhow-1.0.0/src/error.rs:83:36
   1: report::a_failing_test
             at ./tests/report.rs:42:5
   2: core::ops::function::FnOnce::call_once
             at /rustc/59807616e1/library/core/src/ops/function.rs:250:5
   3: session_test_runtime::harness::run_in_test
             at ./runtime/src/harness.rs:260:30
   4: {closure#0}
             at ./runtime/src/harness/mod.rs:196
   5: start_thread
             at ./nptl/pthread_create.c:442
   6: main
";

    #[test]
    fn frames_are_read_with_their_file_and_line() {
        let frames = frames(PRINTED);
        assert_eq!(frames.len(), 7);
        assert_eq!(frames[1].symbol, "report::a_failing_test");
        assert_eq!(frames[1].at, Some(("./tests/report.rs".into(), 42)));
        assert_eq!(frames[6].at, None);
    }

    #[test]
    fn only_the_users_frames_are_the_users() {
        let users: Vec<String> = frames(PRINTED)
            .into_iter()
            .filter(is_users)
            .map(|f| f.symbol)
            .collect();
        assert_eq!(users, ["report::a_failing_test"]);
    }

    #[test]
    fn a_message_is_cut_where_its_backtrace_begins() {
        let error =
            format!("Error: the login failed\n\nCaused by:\n    wrong password\n\n{PRINTED}");
        let (message, backtrace) = split(&error);
        assert_eq!(
            message,
            "Error: the login failed\n\nCaused by:\n    wrong password"
        );
        assert!(backtrace.unwrap().starts_with("Stack backtrace:"));
        assert_eq!(split("plain"), ("plain".to_owned(), None));
    }
}
