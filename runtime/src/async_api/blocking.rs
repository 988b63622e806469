//! Running a call of the blocking API from async code: on one of tokio's blocking threads,
//! with the test's page as that thread's current page (so `session!` in it acts on the
//! page), its panic carried back to the awaiting task, and an action that failed there noted
//! where the test awaited it.

use crate::page::Page;
use crate::test_context::CurrentTest;

/// Runs `call` on a blocking thread of the current tokio runtime, as the test `test` on
/// `page`, and returns what it returned (outside a runtime: here, at once).
pub(super) async fn on_blocking_thread<T, F>(page: &Page, test: &str, call: F) -> T
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let failures = page.failures();
    let (on, test) = (page.clone(), test.to_owned());
    let run = move || {
        let _current = CurrentTest::enter(&on, &test);
        call()
    };
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return run();
    };
    let value = match runtime.spawn_blocking(run).await {
        Ok(value) => value,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        // Cancelled: the runtime is shutting down, so the test is over.
        Err(e) => panic!("a page call did not finish: {e}"),
    };
    // An action failed on the blocking thread: where the test awaited it is here, on the
    // thread that polls the test (the failure report's code frame).
    if page.failures() != failures {
        page.failed_here();
    }
    value
}
