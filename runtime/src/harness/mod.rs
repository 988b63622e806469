//! Running one test (context, current-test thread-local, failure report) and the `main!`
//! harness on libtest-mimic.

mod failure_report;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use crate::config;
use crate::error::{panic_text, Error, Result};
use crate::page::Page;
use crate::registry::{self, BodyError, TestEntry, TestOutcome};
use crate::report::Failure;
use crate::screenshots::write_screenshot;
use crate::sync::lock;
use crate::test_context::CurrentTest;

/// How long after its deadline a test body may still report its own error (a protocol call
/// in flight at the deadline may take up to a second to answer).
const DEADLINE_GRACE: Duration = Duration::from_secs(2);

/// A failed test's report. `Debug` prints the report, as libtest shows `Err` of a test.
#[non_exhaustive]
pub struct TestFailure {
    /// The whole report.
    pub message: String,
    /// The error that failed the test, when it was session-test's own (the page could not
    /// open, or the body returned one); `None` for a panic, a time limit, another error type.
    pub error: Option<Box<Error>>,
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
    let test = Test {
        name: entry.name(),
        place: format!("{}:{}", entry.file, entry.line),
        limit: entry
            .timeout_secs
            .map(Duration::from_secs)
            .unwrap_or_else(config::test_timeout),
        isolated: entry.test_isolation,
    };
    if !test.isolated {
        // One at a time, on the page they share (SPEC B6): a lock, not --test-threads=1, so
        // isolated tests of the binary still run alongside.
        let _turn = lock(&SHARED_TURN);
        return test.run(Body::Registered(entry.body));
    }
    test.run(Body::Registered(entry.body))
}

/// Held by the non-isolated test that runs now.
static SHARED_TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());
/// The page non-isolated tests share, made by the first of them.
static SHARED_PAGE: std::sync::Mutex<Option<Page>> = std::sync::Mutex::new(None);

fn shared_page() -> Result<Page> {
    let mut shared = lock(&SHARED_PAGE);
    if let Some(page) = shared.as_ref().filter(|p| p.is_usable()) {
        return Ok(page.clone());
    }
    let page = Page::open(config::wait_timeout())?;
    page.set_shared();
    *shared = Some(page.clone());
    Ok(page)
}

/// Runs `body` as a test named `name` on this thread: a fresh browser context and page,
/// the current-test page for `session!`, and the failure report with URL and screenshot.
/// For harnesses and for tests that start their own threads.
///
/// ```no_run
/// let outcome = session_test::harness::run_page_test("my_check", |page| {
///     page.visit("about:blank")?;
///     Ok(())
/// });
/// assert!(outcome.is_ok());
/// ```
pub fn run_page_test(
    name: &str,
    body: impl FnOnce(&Page) -> Result<()>,
) -> std::result::Result<(), TestFailure> {
    let mut body = Some(body);
    let test = Test {
        name,
        place: "run_page_test".into(),
        limit: config::test_timeout(),
        isolated: true,
    };
    test.run(Body::Inline(&mut |page| match body.take() {
        Some(f) => f(page).map_err(BodyError::Error),
        None => Ok(()),
    }))
}

/// A test's body: a registered test's function (run on a thread of its own, so that a body
/// stuck outside any page call still fails at its deadline), or a borrowed closure (run here).
enum Body<'a> {
    Registered(fn(&Page) -> TestOutcome),
    Inline(&'a mut dyn FnMut(&Page) -> TestOutcome),
}

/// How a test's body ended.
enum Ended {
    Returned(TestOutcome),
    /// With where it panicked.
    Panicked(Box<dyn std::any::Any + Send>, Option<(String, u32)>),
    /// It ran past its time limit (and the grace).
    TimedOut,
    /// Its thread ended without a word: a panic that escaped the catch.
    Vanished,
    /// Its thread could not start.
    NotStarted(std::io::Error),
}

/// One test to run: its name, where it is, its time limit, whether it gets a context of its
/// own.
struct Test<'a> {
    name: &'a str,
    place: String,
    limit: Duration,
    isolated: bool,
}

impl Test<'_> {
    /// Opens its page, runs `body` on it, reports how it went, and lets the page go.
    fn run(&self, body: Body<'_>) -> std::result::Result<(), TestFailure> {
        let started = crate::report::test_started();
        crate::report::watch_panics();
        // `open` and `reset` spans: where a test's fixed cost goes (the bench sums them).
        let opened =
            tracing::info_span!(target: "session_test", "open").in_scope(|| self.open_page());
        let page = opened.map_err(|e| {
            let message = format!(
                "test `{}` failed: could not open a page: {e}\n  test at {}",
                self.name, self.place
            );
            let failed = (message.clone(), Failure::without_page(&e.to_string()));
            crate::report::test_finished(self.name, started, Some(failed), None, None);
            TestFailure {
                message,
                error: Some(Box::new(e)),
            }
        })?;
        let ended = self.run_body(&page, body);
        let result = self.conclude(&page, started, ended);
        page.clock().stop();
        // Its contexts end with it (those it opened besides its own too): reset and kept
        // for later tests when it passed, disposed when it failed.
        let keep = result.is_ok() && config::reuse_contexts();
        tracing::info_span!(target: "session_test", "reset")
            .in_scope(|| page.end_contexts(self.isolated, keep));
        result
    }

    /// A page of its own (bounded by the wait limit: launching the browser takes seconds
    /// when cold; the test's clock starts with its body), or the one shared tests share.
    fn open_page(&self) -> Result<Page> {
        // The app under test first (once per process): it sets the base URL.
        crate::web_server::ensure()?;
        let page = if self.isolated {
            Page::open(config::wait_timeout())?
        } else {
            shared_page()?
        };
        page.clear_session_notes();
        page.start_trace();
        page.start_dialogs();
        page.start_routes();
        Ok(page)
    }

    fn run_body(&self, page: &Page, body: Body<'_>) -> Ended {
        let span = tracing::info_span!(target: "session_test", "test", name = %self.name);
        match body {
            Body::Inline(body) => {
                let _in_test = span.enter();
                run_in_test(page, self.name, self.limit, body)
            }
            Body::Registered(body) => {
                let (tx, rx) = std::sync::mpsc::channel();
                let (worker_page, name, limit) = (page.clone(), self.name.to_owned(), self.limit);
                let spawned = std::thread::Builder::new()
                    .name(self.name.to_string())
                    .spawn(move || {
                        let _in_test = span.enter();
                        let _ = tx.send(run_in_test(&worker_page, &name, limit, body));
                    });
                if let Err(e) = spawned {
                    return Ended::NotStarted(e);
                }
                // A stuck body is left behind: closing the page makes its next page call
                // fail, and the process ends with the run. Waits end at the deadline by
                // themselves and say what they waited for; the grace lets that message win
                // over the bare time limit. The framework's own steps stop the clock, so the
                // deadline may move on.
                page.clock()
                    .wait_past_deadline(DEADLINE_GRACE, |wait| match rx.recv_timeout(wait) {
                        Ok(ended) => Some(ended),
                        Err(RecvTimeoutError::Timeout) => None,
                        Err(RecvTimeoutError::Disconnected) => Some(Ended::Vanished),
                    })
                    .unwrap_or(Ended::TimedOut)
            }
        }
    }

    /// Reports the test as passed or failed (screenshot, trace, the run's record).
    fn conclude(
        &self,
        page: &Page,
        started: (std::time::Instant, std::time::SystemTime),
        ended: Ended,
    ) -> std::result::Result<(), TestFailure> {
        let name = self.name;
        // The test's dialog handler ends with its body; one that failed fails the test.
        let dialog_failure = page.end_dialogs();
        // Its routes too; a handler that failed fails the test.
        let route_failure = page.end_routes();
        let panicked_at = match &ended {
            Ended::Panicked(_, at) => at.clone(),
            _ => None,
        };
        let (error, cause) = match ended {
            Ended::Returned(Ok(())) => (dialog_failure.or(route_failure), None),
            Ended::Returned(Err(BodyError::Error(e))) => (Some(e.to_string()), Some(Box::new(e))),
            Ended::Returned(Err(BodyError::Other(text))) => (Some(text), None),
            Ended::Panicked(panic, _) => (Some(format!("panicked: {}", panic_text(&*panic))), None),
            Ended::TimedOut | Ended::Vanished => {
                let limit = self.limit.as_secs_f64();
                let text = format!("the test did not finish within its time limit of {limit:.1} s");
                (Some(text), None)
            }
            Ended::NotStarted(e) => (
                Some(format!("could not start the test's thread: {e}")),
                None,
            ),
        };
        let Some(error) = error else {
            if config::screenshots_always() {
                page.clock().stop();
                if let Err(e) = write_screenshot(page, name) {
                    crate::log::warn(&format!("test `{name}`: screenshot not taken ({e})"));
                }
            }
            let trace = failure_report::write_trace(page, name, true);
            crate::report::test_finished(name, started, None, None, trace);
            return Ok(());
        };
        page.clock().stop();
        let report = failure_report::report(name, &self.place, page, &error, panicked_at);
        let message = report.message.clone();
        let (shot, trace) = (report.screenshot, report.trace);
        let failed = Some((message.clone(), report.failure));
        crate::report::test_finished(name, started, failed, shot, trace);
        Err(TestFailure {
            message,
            error: cause,
        })
    }
}

/// Runs `body` as the test `name` on this thread, on its clock, and the test's end after it.
fn run_in_test(
    page: &Page,
    name: &str,
    limit: Duration,
    body: impl FnOnce(&Page) -> TestOutcome,
) -> Ended {
    let _current = CurrentTest::enter(page, name);
    page.clock().start(limit);
    let outcome = catch_unwind(AssertUnwindSafe(|| body(page)));
    end_test(page);
    match outcome {
        Ok(returned) => Ended::Returned(returned),
        Err(panic) => Ended::Panicked(panic, crate::report::take_panic_site()),
    }
}

/// What the test's end runs (a rotating session is saved again), on the test's thread and
/// clock: a panic there is a warning, not the test's failure.
fn end_test(page: &Page) {
    if let Err(panic) = catch_unwind(AssertUnwindSafe(|| page.end_test())) {
        crate::log::warn(&format!("at the end of the test: {}", panic_text(&*panic)));
    }
}

/// Runs every registered test with libtest's command line `args` and returns the
/// conclusion (the `main!` harness, for callers that print more before exiting).
pub fn run_tests(args: &libtest_mimic::Arguments) -> libtest_mimic::Conclusion {
    let skipped: Vec<&str> = registry::tests()
        .into_iter()
        .filter(|entry| skipped(args, entry))
        .map(|entry| entry.name())
        .collect();
    if !skipped.is_empty() {
        crate::report::tests_skipped(&skipped);
    }
    let trials = registry::tests()
        .into_iter()
        .map(|entry| {
            libtest_mimic::Trial::test(entry.name(), move || {
                run_test(entry).map_err(|f| f.message.into())
            })
            .with_ignored_flag(entry.ignore)
        })
        .collect();
    libtest_mimic::run(args, trials)
}

/// Whether `args` leave `entry` out for being ignored (and no more): the report counts it
/// as skipped.
fn skipped(args: &libtest_mimic::Arguments, entry: &TestEntry) -> bool {
    let name = entry.name();
    let chosen = match &args.filter {
        Some(filter) if args.exact => name == filter,
        Some(filter) => name.contains(filter.as_str()),
        None => true,
    };
    let left_out = args.skip.iter().any(|skip| {
        if args.exact {
            name == skip
        } else {
            name.contains(skip.as_str())
        }
    });
    entry.ignore && !args.ignored && !args.include_ignored && !args.list && chosen && !left_out
}

/// The `session_test::main!()` harness: libtest's command line over every registered test;
/// exits with 101 when a test failed.
pub fn run_main() -> ! {
    let conclusion = run_tests(&libtest_mimic::Arguments::from_args());
    if let Some(summary) = crate::report::summary() {
        println!("{summary}");
    }
    conclusion.exit()
}
