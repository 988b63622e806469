//! The code frame of a failure: the lines of the test's source around the line that
//! failed, that line marked. Where it failed: a panic's location (caught by a panic hook on
//! the test's thread), else the frame of the test's file in the backtrace of its last
//! failing action, else the test function itself.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::Once;

use serde::{Deserialize, Serialize};

use super::backtrace::{frames, is_users};

/// How many lines before and after the failing one a code frame shows.
const AROUND: u32 = 3;

/// A few lines of a source file, one of them the line that failed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct CodeFrame {
    /// The file, as the compiler named it (`tests/login.rs`).
    pub file: String,
    /// The line that failed (1-based).
    pub line: u32,
    /// The lines shown, with their numbers.
    pub lines: Vec<(u32, String)>,
}

thread_local! {
    /// Where the last panic on this thread was raised.
    static PANICKED_AT: RefCell<Option<(String, u32)>> = const { RefCell::new(None) };
}

/// Notes where each panic is raised (on its thread, for [`take_panic_site`]), then hands
/// it to the hook that was there before: the panic prints as it always does.
pub(crate) fn watch_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let before = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if let Some(at) = info.location() {
                let site = (at.file().to_owned(), at.line());
                PANICKED_AT.with(|p| *p.borrow_mut() = Some(site));
            }
            before(info);
        }));
    });
}

/// Where the last panic on this thread was raised; taken.
pub(crate) fn take_panic_site() -> Option<(String, u32)> {
    PANICKED_AT.with(|p| p.borrow_mut().take())
}

/// The site in `backtrace` (a printed one): its first frame in `test_file`, else its first
/// frame in the user's code.
pub(crate) fn site_in(backtrace: &str, test_file: &str) -> Option<(String, u32)> {
    let frames = frames(backtrace);
    let in_test = |f: &&super::backtrace::Frame| {
        f.at.as_ref()
            .is_some_and(|(file, _)| same_file(file, test_file))
    };
    let frame = frames
        .iter()
        .find(in_test)
        .or_else(|| frames.iter().find(|f| is_users(f)))?;
    frame.at.clone()
}

/// Whether two names of a source file name the same one (`./tests/a.rs`, `tests/a.rs`,
/// `/work/app/tests/a.rs`).
fn same_file(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim_start_matches("./"), b.trim_start_matches("./"));
    a == b || a.ends_with(&format!("/{b}")) || b.ends_with(&format!("/{a}"))
}

/// The code frame of `line` of `file`, each of `secrets` in it shown as `•••`; `None` when
/// the source cannot be read.
pub(crate) fn code_frame(file: &str, line: u32, secrets: &[String]) -> Option<CodeFrame> {
    let source = std::fs::read_to_string(source_path(file)?).ok()?;
    let first = line.saturating_sub(AROUND).max(1);
    let lines = source
        .lines()
        .zip(1..)
        .skip_while(|(_, n)| *n < first)
        .take_while(|(_, n)| *n <= line + AROUND)
        .map(|(text, n)| (n, masked(text, secrets)))
        .collect::<Vec<_>>();
    (!lines.is_empty()).then(|| CodeFrame {
        file: file.to_owned(),
        line,
        lines,
    })
}

fn masked(text: &str, secrets: &[String]) -> String {
    secrets.iter().fold(text.to_owned(), |text, secret| {
        text.replace(secret.as_str(), "•••")
    })
}

/// Where `file` (as the compiler named it: relative to the workspace, or absolute) is from
/// here: the test's working directory is its package's.
fn source_path(file: &str) -> Option<PathBuf> {
    let path = Path::new(file);
    if path.is_absolute() {
        return path.is_file().then(|| path.to_path_buf());
    }
    let here = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::current_dir().ok())?;
    here.ancestors()
        .map(|dir| dir.join(path))
        .find(|candidate| candidate.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frame_shows_the_lines_around_the_failing_one_with_secrets_masked() {
        let frame = code_frame(file!(), 15, &["before and after".to_owned()]).unwrap();
        assert_eq!(frame.line, 15);
        let numbers: Vec<u32> = frame.lines.iter().map(|(n, _)| *n).collect();
        assert_eq!(numbers, [12, 13, 14, 15, 16, 17, 18]);
        assert_eq!(
            frame.lines[2].1,
            "/// How many lines ••• the failing one a code frame shows."
        );
    }

    #[test]
    fn a_panic_is_noted_where_it_was_raised_on_its_thread() {
        watch_panics();
        let line = line!() + 1;
        let caught = std::panic::catch_unwind(|| panic!("on purpose"));
        assert!(caught.is_err());
        assert_eq!(take_panic_site(), Some((file!().to_owned(), line)));
        assert_eq!(take_panic_site(), None, "taken");
    }

    #[test]
    fn a_site_is_the_frame_in_the_tests_file() {
        let printed = "   0: session_test_runtime::page::traced\n             at ./runtime/src/page/traced.rs:50:9\n   1: app::helpers::login\n             at ./tests/helpers.rs:8:5\n   2: app::a_test\n             at ./tests/app.rs:20:5\n";
        assert_eq!(
            site_in(printed, "tests/app.rs"),
            Some(("./tests/app.rs".into(), 20))
        );
        assert_eq!(
            site_in(printed, "tests/other.rs"),
            Some(("./tests/helpers.rs".into(), 8))
        );
    }
}
