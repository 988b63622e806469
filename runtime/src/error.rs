//! The crate's one error type.

use std::fmt;
use std::time::Duration;

/// `Result` with session-test's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in a browser test.
///
/// Messages name the problem and the place (selector, URL, method, what was awaited).
/// They never contain cookie or storage values.
///
/// ```
/// use session_test::Error;
/// let e = Error::InvalidUrl { url: "/login".into(), reason: "no base URL".into() };
/// assert_eq!(e.to_string(), "invalid URL `/login`: no base URL");
/// ```
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No Chromium binary was found.
    #[error(
        "Chromium not found: searched {searched}. Install it (Debian/Ubuntu: \
         `apt-get install chromium`; Fedora: `dnf install chromium`; Arch: `pacman -S \
         chromium`) or set $CHROME to the browser's path"
    )]
    BrowserNotFound {
        /// What was searched, in order.
        searched: String,
    },
    /// Chromium was found but could not be started.
    #[error("could not launch Chromium `{path}`: {reason}")]
    Launch {
        /// The binary that was started.
        path: String,
        /// Why it failed, with Chromium's last output lines when there are any.
        reason: String,
    },
    /// `$SESSION_TEST_BROWSER_WS` names a browser that cannot be reached.
    #[error(
        "cannot reach the browser at $SESSION_TEST_BROWSER_WS = {url}: {reason}. Start one \
         with `chromium --headless --remote-debugging-port=9222` and use the `ws://…` URL it \
         prints, or unset the variable to let session-test launch Chromium"
    )]
    BrowserUnreachable {
        /// The URL given.
        url: String,
        /// Why connecting failed.
        reason: String,
    },
    /// The browser exited, crashed or closed the DevTools connection.
    #[error("the browser died or closed its connection: {reason}")]
    BrowserClosed {
        /// What was seen.
        reason: String,
    },
    /// The tab closed: a popup that closed itself (its window called `window.close()`), or a
    /// tab the test closed.
    #[error("the tab closed while waiting for {waiting_for}")]
    TabClosed {
        /// What was awaited: a protocol call's reply, a page load.
        waiting_for: String,
    },
    /// A [`Frame`](crate::Frame) whose iframe was removed, or whose tab closed.
    #[error("the frame {frame} is gone (its iframe was removed, or its tab closed)")]
    FrameGone {
        /// The browser's frame id.
        frame: String,
    },
    /// The browser answered a DevTools call with an error.
    #[error("DevTools call `{method}` failed: {message} (code {code})")]
    Cdp {
        /// The protocol method, e.g. `Page.navigate`.
        method: String,
        /// The protocol's error code.
        code: i64,
        /// The protocol's error message.
        message: String,
    },
    /// A reply from the browser could not be understood (never a hang).
    #[error("could not parse the browser's reply to `{method}`: {reason}")]
    Protocol {
        /// The protocol method whose reply failed to parse.
        method: String,
        /// What could not be understood.
        reason: String,
        /// The parser's error, when there is one.
        #[source]
        source: Option<Cause>,
    },
    /// Something awaited did not happen in time.
    #[error("timed out after {:.1} s waiting for {what}", after.as_secs_f64())]
    Timeout {
        /// What was awaited, e.g. ``selector `#hello` to appear``.
        what: String,
        /// How long it waited.
        after: Duration,
    },
    /// A navigation failed (DNS, connection refused, …).
    #[error("navigation to {url} failed: {reason}")]
    Navigation {
        /// The URL that was visited.
        url: String,
        /// Chromium's error text, e.g. `net::ERR_CONNECTION_REFUSED`.
        reason: String,
    },
    /// A URL could not be parsed or resolved.
    #[error("invalid URL `{url}`: {reason}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// Why it is invalid, and what to do.
        reason: String,
    },
    /// A locator's CSS selector is not valid.
    #[error("invalid locator `{locator}`: {reason}")]
    InvalidSelector {
        /// The locator, in selector notation.
        locator: String,
        /// What is wrong.
        reason: String,
    },
    /// A locator that must name one element (for an action or a single-element assertion)
    /// matched several.
    #[error(
        "`{locator}` matches {count} elements ({elements}); an action or assertion needs \
         exactly one: narrow the locator, or use .first(), .last() or .nth(i)"
    )]
    AmbiguousLocator {
        /// The locator, in selector notation.
        locator: String,
        /// How many elements it matched.
        count: usize,
        /// The first few, described by tag, id, classes and text.
        elements: String,
    },
    /// An action was asked of an element that cannot do it (e.g. `fill` on a checkbox).
    #[error("cannot {action} `{locator}`: {reason}")]
    WrongElement {
        /// The action, e.g. `fill`.
        action: &'static str,
        /// The locator, in selector notation.
        locator: String,
        /// What the element is, and what the action needs.
        reason: String,
    },
    /// An `expect(…)` assertion did not hold within its timeout.
    #[error(
        "expected {expected}, last saw {last_seen} (waited {:.1} s) at {url}{}",
        waited.as_secs_f64(),
        screenshot.as_ref().map(|p| format!("; screenshot: {}", p.display())).unwrap_or_default()
    )]
    Expectation {
        /// The subject and expectation, e.g. ``"`#hello` to have text \"hello alice\""``.
        expected: String,
        /// The last value seen, e.g. `"hello bob"` or `no element matches`.
        last_seen: String,
        /// How long it retried.
        waited: Duration,
        /// The page's URL at the end.
        url: String,
        /// The screenshot taken at the end, if it could be written.
        screenshot: Option<std::path::PathBuf>,
    },
    /// A regular expression that does not compile.
    #[error("invalid regular expression `{pattern}`: {reason}")]
    InvalidPattern {
        /// The pattern as given.
        pattern: String,
        /// The parser's message.
        reason: String,
        /// The `regex` crate's error.
        #[source]
        source: regex::Error,
    },
    /// A route's glob that cannot be read.
    #[error("invalid URL pattern `{pattern}`: {reason}")]
    InvalidUrlPattern {
        /// The glob as given.
        pattern: String,
        /// What is wrong.
        reason: String,
    },
    /// A passkey of a saved session that the browser would not take back (another relying
    /// party's, a damaged key): the session is set up again, with a warning.
    #[error("a saved passkey for {rp_id} could not be put back: {reason}")]
    PasskeyNotRestored {
        /// The relying party of the passkey.
        rp_id: String,
        /// The browser's answer (never the key).
        reason: String,
    },
    /// The app under test could not be started, joined or reused ([`crate::WebServer`]).
    #[error("{reason}")]
    WebServer {
        /// The command, what went wrong (its exit status, the URL), its last output lines.
        reason: String,
    },
    /// A HAR file that is not HAR 1.2 as [`Page::route_from_har`](crate::Page::route_from_har)
    /// reads it.
    #[error("invalid HAR file {}: {reason}", path.display())]
    InvalidHar {
        /// The file.
        path: std::path::PathBuf,
        /// What is wrong, with the line and column.
        reason: String,
    },
    /// A route handler failed, panicked, or returned without deciding what the request gets.
    #[error("{message}")]
    RouteHandler {
        /// The route, the request and what went wrong.
        message: String,
    },
    /// An IndexedDB database stayed locked by the app past the time limit.
    #[error(
        "IndexedDB database \"{database}\" of {origin} stayed locked for {:.1} s during \
         {during}: a transaction of the app holds it",
        after.as_secs_f64()
    )]
    IndexedDbBlocked {
        /// The origin.
        origin: String,
        /// The database's name.
        database: String,
        /// `capture` or `restore`.
        during: &'static str,
        /// How long it waited.
        after: Duration,
    },
    /// IndexedDB failed while a session was captured or restored.
    #[error("IndexedDB of {origin} failed during {during}: {reason}")]
    IndexedDb {
        /// The origin.
        origin: String,
        /// `capture` or `restore`.
        during: &'static str,
        /// The browser's error.
        reason: String,
    },
    /// A script threw, or a selector was not valid CSS.
    #[error("JavaScript error: {message}")]
    JavaScript {
        /// The exception's description.
        message: String,
    },
    /// A session id that is empty or cannot be serialized.
    #[error("invalid session id: {reason}")]
    InvalidSessionId {
        /// What is wrong with it.
        reason: String,
    },
    /// One id used with two different definitions (SPEC C8).
    #[error(
        "session \"{id}\" already exists with a different definition (setup, validate or \
         options differ): first defined at {first}, now at {second}; use a unique id for each \
         definition"
    )]
    SessionConflict {
        /// The session id.
        id: String,
        /// Where the saved session was defined.
        first: String,
        /// Where the conflicting call is.
        second: String,
    },
    /// The browser refused cookies while a session was restored.
    #[error("the browser rejected the session's cookies ({}): {reason}", names.join(", "))]
    CookieRejected {
        /// The browser's reason.
        reason: String,
        /// Names of the cookies that were being set (never their values).
        names: Vec<String>,
    },
    /// A session's setup failed (SPEC C10); nothing was cached.
    #[error("session \"{id}\" (at {location}): setup failed: {cause}")]
    SetupFailed {
        /// The session id.
        id: String,
        /// The `session!` call site.
        location: String,
        /// The setup's error, or [`Error::Panicked`].
        #[source]
        cause: Box<Error>,
    },
    /// A call waited while another test created the session, and that creation failed
    /// (SPEC C9): nothing was cached; a later call runs setup again.
    #[error("session \"{id}\": another test was creating it and failed: {cause}")]
    SetupFailedElsewhere {
        /// The session id.
        id: String,
        /// Why the other test's creation failed.
        cause: String,
    },
    /// Validation failed right after setup (SPEC C4), or again after a recreate (C6).
    #[error(
        "session \"{id}\" (at {location}): validation failed {when}: {cause}; nothing was cached"
    )]
    ValidationFailed {
        /// The session id.
        id: String,
        /// The `session!` call site.
        location: String,
        /// `immediately after creating the session` or `after recreating the session`.
        when: &'static str,
        /// What validate reported: its error, [`Error::NotValid`] or [`Error::Panicked`].
        #[source]
        cause: Box<Error>,
    },
    /// `use_session("name")` of a name no `define_session!` defines (SPEC D6).
    #[error("no session is defined with the name \"{name}\"; defined: {defined}")]
    UnknownSession {
        /// The name asked for.
        name: String,
        /// The defined names, sorted.
        defined: String,
    },
    /// Two `define_session!`s with one name (SPEC D6).
    #[error(
        "the session name \"{name}\" is defined twice: at {places}; give each a name of its own"
    )]
    DuplicateSession {
        /// The name.
        name: String,
        /// Both `file:line`s.
        places: String,
    },
    /// A definition's `before` or `after` failed.
    #[error("session \"{name}\": its `{which}` step failed: {cause}")]
    HookFailed {
        /// The definition's name.
        name: String,
        /// `before` or `after`.
        which: &'static str,
        /// The step's error, or [`Error::Panicked`].
        #[source]
        cause: Box<Error>,
    },
    /// A setup, validate or definition step panicked.
    #[error("{step} panicked: {message}")]
    Panicked {
        /// `setup`, `validate`, `before` or `after`.
        step: &'static str,
        /// The panic's message.
        message: String,
    },
    /// [`Dialog::accept`](crate::Dialog::accept) or `dismiss` of a dialog answered already.
    #[error("the {kind} dialog was answered already")]
    DialogAnswered {
        /// `alert`, `confirm`, `prompt` or `beforeunload`.
        kind: &'static str,
    },
    /// The handler set with [`Page::on_dialog`](crate::Page::on_dialog) failed or panicked.
    #[error("{message}")]
    DialogHandler {
        /// Which dialog, and how the handler failed.
        message: String,
    },
    /// A test's browser context holds state that no reset clears: it is disposed, not reused
    /// (only said in `tracing`, at `debug`; the test is not failed for it).
    #[error("it holds {reason}, which no reset clears")]
    NotReusable {
        /// What it holds.
        reason: &'static str,
    },
    /// A validate said the session is not valid without an error of its own.
    #[error("validate returned {returned}")]
    NotValid {
        /// `false` or `Ok(false)`.
        returned: &'static str,
    },
    /// `press` of a key name it does not know.
    #[error("unknown key `{key}`; expected one character or one of {known}")]
    UnknownKey {
        /// The key as given.
        key: String,
        /// The names it knows.
        known: String,
    },
    /// `get_session` of an id that is not cached (SPEC D4).
    #[error("session with id \"{id}\" not found")]
    SessionNotFound {
        /// The id asked for.
        id: String,
    },
    /// An HTTP request of [`Page::request`](crate::Page::request) failed (not an HTTP status:
    /// those are returned as responses).
    #[error("HTTP request to {url} failed: {reason}")]
    Http {
        /// The URL.
        url: String,
        /// What went wrong.
        reason: String,
        /// The HTTP client's, the URL parser's or the JSON parser's error, when there is one.
        #[source]
        source: Option<Cause>,
    },
    /// A function that needs the current test's page was called outside a test.
    #[error(
        "`{what}` can only be called while a #[session_test] runs (no current test on this thread)"
    )]
    NotInTest {
        /// The function that was called.
        what: &'static str,
    },
    /// A file could not be read or written.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A failure of the test's own making, e.g. `Err(Error::msg("not logged in"))`.
    #[error("{0}")]
    Message(String),
    /// An error from headless_chrome (through [`Page::tab`](crate::Page::tab)).
    #[error("headless_chrome: {0}")]
    HeadlessChrome(String, #[source] Cause),
}

/// Another library's error that an [`Error`] keeps as its source.
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

impl Error {
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// The browser's reply to `method` could not be understood: `source` says why.
    pub(crate) fn protocol(method: impl Into<String>, source: impl Into<Cause>) -> Self {
        let source = source.into();
        Error::Protocol {
            method: method.into(),
            reason: source.to_string(),
            source: Some(source),
        }
    }

    /// An HTTP request to `url` failed: `what`, then `source`'s message.
    pub(crate) fn http(url: impl Into<String>, what: &str, source: impl Into<Cause>) -> Self {
        let source = source.into();
        Error::Http {
            url: url.into(),
            reason: format!("{what}{source}"),
            source: Some(source),
        }
    }

    /// An error with a message of your own, for setup and validate closures.
    ///
    /// ```
    /// let e = session_test::Error::msg("not logged in");
    /// assert_eq!(e.to_string(), "not logged in");
    /// ```
    pub fn msg(message: impl std::fmt::Display) -> Self {
        Error::Message(message.to_string())
    }

    /// True when the browser process is gone (the test should not retry on this browser).
    pub fn is_browser_closed(&self) -> bool {
        matches!(self, Error::BrowserClosed { .. })
    }
}

// Debug prints the message: test failures (`Result<(), Error>` from a test) read as sentences.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// headless_chrome reports errors as `anyhow::Error`; this makes `?` work on `page.tab()` calls.
impl From<anyhow::Error> for Error {
    fn from(e: anyhow::Error) -> Self {
        Error::HeadlessChrome(format!("{e:#}"), e.into())
    }
}

impl From<std::io::Error> for Error {
    fn from(source: std::io::Error) -> Self {
        Error::Io {
            context: "I/O error".into(),
            source,
        }
    }
}

/// The message of a caught panic.
pub(crate) fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(a non-string panic payload)".into())
}
