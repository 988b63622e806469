//! The guide below is the project's README: quick start, sessions (`session!`,
//! `persist`, IndexedDB, sharing), the `Page` API, locators and `expect`, nextest and remote
//! browsers, tracing, configuration (every variable and option), reliability,
//! troubleshooting and errors. Its examples are compiled as doctests.
//!
#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

/// Marks a browser test.
///
/// ```no_run
/// use session_test::{expect, session_test, Page};
///
/// #[session_test(timeout = 60)]
/// fn loads_home(page: &Page) -> session_test::Result<()> {
///     page.visit("/blank")?;
///     Ok(())
/// }
///
/// #[session_test(ignore)]
/// fn slow_one() {}
/// ```
///
/// The function takes `page: &Page` (or nothing) and returns `()` or `Result<(), E>` with
/// `E: Debug`. Options: `ignore`, `timeout = <seconds>`, `test_isolation = false`.
/// The attribute registers the test for [`main!`] and emits a `#[test]` of the same name.
/// Each test gets a new browser context (empty cookies and storage) and a page on
/// `about:blank`; on failure the report names the test, the error and the page URL, and a
/// screenshot is written to `target/session-test/screenshots/<test>.png`.
pub use session_test_macros::session_test;

/// Logs in once per process and restores the login everywhere after (SPEC C).
///
/// ```no_run
/// use session_test::{expect, session, session_test, Page};
///
/// fn login(user: &str) -> session_test::Result<()> {
///     session!(["user", user], |page: &Page| {
///         page.visit("/login")?;
///         page.get_by_test_id("name").fill(user)?;
///         page.get_by_test_id("password").fill("s3cr3t")?;
///         page.get_by_role("button", Some("Log in")).click()?;
///         Ok(())
///     }, validate = |page: &Page| Ok(page.request().get("/whoami")?.status() == 200))?;
///     Ok(())
/// }
///
/// #[session_test]
/// fn greets_the_user(page: &Page) -> session_test::Result<()> {
///     login("alice")?; // created once, restored in every later test
///     page.visit("/home")?;
///     expect(&page.locator("#hello")).to_have_text("hello alice")?;
///     Ok(())
/// }
/// ```
///
/// The first call for an id in the process clears the page and the context's data, runs
/// `setup`, then `validate`, and saves the cookies (all domains) plus localStorage and
/// sessionStorage of every origin loaded during setup and validate. Later calls, from any
/// test or thread, clear, restore that state without contacting the servers, and run
/// `validate`; if it fails, setup runs again (`Recreated`). Afterwards the page is on
/// `about:blank`. Returns `Result<SessionStatus>`.
///
/// Options: `validate = <closure or fn path>` (returns `()`, `bool`, `Result<()>` or
/// `Result<bool>`), `persist = true` (also saved to disk, so other test binaries and later
/// runs restore it without running setup), `indexed_db = true` (every IndexedDB database
/// of the session's origins is part of it, types kept), `rotating = true` (tokens that
/// change on every refresh: one test at a time holds the session, and the state it leaves
/// is validated and saved again; the validate must own what it uses), `passkeys = true` (a
/// virtual authenticator is installed before setup and its passkeys, keys and counters, are
/// part of the session, held by one test at a time as a rotating one) and `max_age = N` (a
/// session whose setup ran more than N seconds ago is set up again); see the README.
pub use session_test_macros::session;

/// Defines a named session at item level, for every module of the test binary (or of a
/// support crate) to use (SPEC D6).
///
/// ```no_run
/// use session_test::{define_session, expect, use_session, session_test, Page};
///
/// define_session!(admin,
///     setup = |page: &Page| {
///         page.visit("/login")?;
///         page.get_by_test_id("name").fill("admin")?;
///         page.get_by_test_id("password").fill("s3cr3t")?;
///         page.get_by_role("button", Some("Log in")).click()
///     },
///     validate = |page: &Page| Ok(page.request().get("/whoami")?.status() == 200),
///     before = |_page: &Page| Ok(()),   // runs before every use, new or saved
///     after = |page: &Page| page.visit("/home"), // and after it
/// );
///
/// #[session_test]
/// fn admin_sees_home(page: &Page) -> session_test::Result<()> {
///     use_session!(admin)?;            // checked at compile time
///     session_test::use_session("admin")?; // looked up at run time
///     expect(&page.locator("#hello")).to_have_text("hello admin")?;
///     Ok(())
/// }
/// ```
///
/// The definition becomes a `pub static` named after the session; `use_session!` takes its
/// path (`use_session!(crate::support::admin)`). `setup` is required; `validate`, `before`,
/// `after`, `persist = true`, `indexed_db = true`, `rotating = true`, `passkeys = true` and
/// `max_age = N` are optional (as on `session!`). An unknown name at run time lists the defined ones; two
/// definitions with one name are an error naming both places.
pub use session_test_macros::define_session;

/// Uses a `define_session!` by its path: `before`, create or restore, `after`.
pub use session_test_macros::use_session;

// What a test writes every day is at the root; the rest lives in modules named for what they
// hold (README, "The API by concept").
/// Uses a `define_session!` by its name, looked up at run time (the `use_session!` macro takes
/// its path).
pub use session_test_runtime::use_session;
pub use session_test_runtime::{
    current_page, expect, ApiRequest, ApiResponse, AuthenticatorOptions, AuthenticatorProtocol,
    Cause, Context, Cookie, Credential, Credentials, Dialog, DialogKind, Error, Filter, Frame,
    FrameLocator, Fulfill, HarNotFound, HarOptions, IntoUrlPattern, LoadState, Locator, Overrides,
    Page, Request, Response, Result, Route, SessionStatus, TextMatch, Timing, UrlPattern,
    WebServer,
};

/// What [`expect`] returns, and what it takes.
pub mod assertions {
    pub use session_test_runtime::{Expectable, LocatorAssertions, PageAssertions};
}

/// The run's settings: base URL, time limits, output directory, test id attribute, tracing.
/// Each has an environment variable too (README, "Configuration").
pub mod config {
    pub use session_test_runtime::{
        base_url, expect_timeout, output_dir, set_base_url, set_test_id_attribute, set_trace_mode,
        test_timeout, wait_timeout, TraceMode, DEFAULT_EXPECT_TIMEOUT, DEFAULT_TEST_TIMEOUT,
        DEFAULT_WAIT_TIMEOUT,
    };
}

/// The harness: running the registered tests yourself, and the registry.
///
/// `Arguments` and `Conclusion` are libtest-mimic's: [`run_tests`](harness::run_tests) takes
/// libtest's command line as it parses it.
pub mod harness {
    pub use session_test_runtime::{
        run_page_test, run_tests, tests, Arguments, Conclusion, TestEntry, TestFailure,
    };
}

/// The process's browser: finding Chromium, launching it, its pid.
pub mod browser {
    pub use session_test_runtime::{
        browser, find_chromium, find_chromium_in, running_browser_pid, Browser,
    };
}

/// Sessions outside `session!`: Cypress.session's helpers, ids, and a session's data.
pub mod sessions {
    pub use session_test_runtime::{
        canonical_id, clear_all_saved_sessions, clear_current_session_data, clear_session,
        get_current_session_data, get_session, EmbeddedStorage, OriginDatabases, OriginStorage,
        PartitionKey, SessionData, StorageItems,
    };
}

/// The run's record: the HTML report, the session summary, failure screenshots.
pub mod report {
    #[doc(hidden)]
    pub use session_test_runtime::write_sample_report;
    pub use session_test_runtime::{
        screenshot_path, session_summary, write_report, write_report_to,
    };
}

pub use session_test_runtime::cdp;

/// The `regex` crate, whose `Regex` a [`TextMatch`] takes (`TextMatch::regex` builds one
/// from a pattern without it).
pub use session_test_runtime::private::regex;

pub use session_test_runtime::persisted;

/// Re-exported for `Page::tab()` users: the whole headless_chrome API.
#[cfg(feature = "headless_chrome")]
pub use session_test_runtime::private::headless_chrome;

#[doc(hidden)]
pub mod __private {
    pub use session_test_runtime::private::*;
}

/// The async face of the page API, for `#[session_test] async fn` tests and other code on
/// a tokio runtime (feature `tokio`, on by default): README, "Async tests".
#[cfg(feature = "tokio")]
pub use session_test_runtime::async_api;

/// A call of what needs the `tokio` feature (an async test's body on its runtime, an async
/// `session!`), which the macros expand to: `$needs` says what needs it, for the error
/// without the feature.
#[cfg(feature = "tokio")]
#[doc(hidden)]
#[macro_export]
macro_rules! __with_tokio {
    ($needs:literal, $function:ident($($args:tt)*)) => {
        $crate::__private::$function($($args)*)
    };
}

/// Without the `tokio` feature, what needs it is a compile error that says so.
#[cfg(not(feature = "tokio"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __with_tokio {
    ($needs:literal, $($call:tt)*) => {
        ::core::compile_error!(::core::concat!(
            $needs,
            " session-test's `tokio` feature (on by default)"
        ))
    };
}

/// The richer harness for a test binary with `harness = false`: runs every
/// `#[session_test]` of the binary with libtest's command line (filters, `--exact`,
/// `--skip`, `--list`, `--ignored`, `--include-ignored`, `--test-threads`, `--nocapture`)
/// and exits with 101 when a test failed.
///
/// ```toml
/// [[test]]
/// name = "browser"
/// harness = false
/// ```
///
/// ```no_run
/// // tests/browser.rs
/// use session_test::{expect, session_test, Page};
///
/// #[session_test]
/// fn opens(page: &Page) -> session_test::Result<()> {
///     page.visit("/blank")
/// }
///
/// session_test::main!();
/// ```
///
/// `session_test::main!(web_server = WebServer::new(command, url))` also starts the app
/// under test before the first test (README, "The app under test").
#[macro_export]
macro_rules! main {
    () => {
        fn main() {
            $crate::__private::run_main()
        }
    };
    (web_server = $server:expr $(,)?) => {
        fn main() {
            $crate::__private::set_web_server($server);
            $crate::__private::run_main()
        }
    };
}
