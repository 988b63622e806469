//! Running one test (context, current-test thread-local, failure report) and the `main!`
//! harness on libtest-mimic.

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::config;
use crate::error::{Error, Result};
use crate::page::Page;
use crate::registry::{self, TestEntry};

thread_local! {
    static CURRENT: RefCell<Option<Page>> = const { RefCell::new(None) };
}

/// The page of the test running on this thread; `what` names the caller in the error.
pub fn current_page(what: &'static str) -> Result<Page> {
    CURRENT
        .with(|c| c.borrow().clone())
        .ok_or(Error::NotInTest { what })
}

struct CurrentGuard;

impl CurrentGuard {
    fn enter(page: &Page) -> Self {
        CURRENT.with(|c| *c.borrow_mut() = Some(page.clone()));
        CurrentGuard
    }
}

impl Drop for CurrentGuard {
    fn drop(&mut self) {
        CURRENT.with(|c| c.borrow_mut().take());
    }
}

/// A failed test's report. `Debug` prints the report, as libtest shows `Err` of a test.
pub struct TestFailure {
    /// The whole report.
    pub message: String,
}

impl std::fmt::Debug for TestFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::fmt::Display for TestFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Runs one registered test in a fresh browser context.
pub fn run_test(entry: &TestEntry) -> std::result::Result<(), TestFailure> {
    let timeout = entry
        .timeout_secs
        .map(Duration::from_secs)
        .unwrap_or_else(config::default_timeout);
    let deadline = entry
        .timeout_secs
        .map(|s| Instant::now() + Duration::from_secs(s));
    let page = match Page::open(timeout, deadline) {
        Ok(p) => p,
        Err(e) => {
            return Err(TestFailure {
                message: format!(
                    "test `{}` failed: could not open a page: {e}\n  at {}:{}",
                    entry.name(),
                    entry.file,
                    entry.line
                ),
            })
        }
    };
    let outcome = {
        let _current = CurrentGuard::enter(&page);
        catch_unwind(AssertUnwindSafe(|| (entry.body)(&page)))
    };
    let error = match outcome {
        Ok(Ok(())) => None,
        Ok(Err(message)) => Some(message),
        Err(panic) => Some(format!("panicked: {}", panic_text(&*panic))),
    };
    let result = match error {
        None => Ok(()),
        Some(error) => Err(report(entry, &page, &error)),
    };
    page.close();
    result
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(a non-string panic payload)".into())
}

/// Where a failing test's screenshot goes: `target/session-test/screenshots/<test>.png`.
pub fn screenshot_path(test_name: &str) -> PathBuf {
    let file: String = test_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '.'
            }
        })
        .collect::<String>()
        .replace("..", ".");
    config::output_dir()
        .join("screenshots")
        .join(format!("{file}.png"))
}

fn report(entry: &TestEntry, page: &Page, error: &str) -> TestFailure {
    let url = page.url().unwrap_or_else(|e| format!("unknown ({e})"));
    let path = screenshot_path(entry.name());
    let screenshot = page.screenshot().and_then(|png| {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        }
        std::fs::write(&path, png).map_err(|e| Error::io(format!("writing {}", path.display()), e))
    });
    let screenshot = match screenshot {
        Ok(()) => path.display().to_string(),
        Err(e) => format!("not taken ({e})"),
    };
    TestFailure {
        message: format!(
            "test `{}` failed: {error}\n  page URL: {url}\n  screenshot: {screenshot}\n  test at {}:{}",
            entry.name(),
            entry.file,
            entry.line
        ),
    }
}

/// The `session_test::main!()` harness: libtest's command line over every registered test.
pub fn run_main() -> ! {
    let args = libtest_mimic::Arguments::from_args();
    let trials = registry::tests()
        .into_iter()
        .map(|entry| {
            libtest_mimic::Trial::test(entry.name(), move || {
                run_test(entry).map_err(|f| f.message.into())
            })
            .with_ignored_flag(entry.ignore)
        })
        .collect();
    libtest_mimic::run(&args, trials).exit()
}
