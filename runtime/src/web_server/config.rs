//! What a web server is: its command, where and with what environment it runs, the URL
//! that answers once it is up, how long that may take, and whether a server already
//! answering there is used instead.

use std::path::PathBuf;
use std::time::Duration;

/// The app under test, as the suite starts it.
///
/// ```no_run
/// use session_test::WebServer;
///
/// session_test::main!(
///     web_server = WebServer::new("cargo run --bin my-app", "http://127.0.0.1:3000/health")
///         .env("DATABASE_URL", "sqlite::memory:")
/// );
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct WebServer {
    /// The command, run by `sh -c`.
    pub command: String,
    /// The URL that answers (any status from 200 to 499) once the server is up; its origin
    /// becomes the base URL when none is set.
    pub url: String,
    /// Where the command runs (default: the test process's directory).
    pub cwd: Option<PathBuf>,
    /// Variables the command gets besides the test process's.
    pub env: Vec<(String, String)>,
    /// How long the server may take to answer (default 60 s).
    pub timeout: Duration,
    /// Use a server already answering at `url` instead of starting one (default: yes,
    /// unless `$CI` is set).
    pub reuse: bool,
}

impl WebServer {
    /// A server started with `command`, up once `url` answers.
    pub fn new(command: impl Into<String>, url: impl Into<String>) -> WebServer {
        WebServer {
            command: command.into(),
            url: url.into(),
            cwd: None,
            env: Vec::new(),
            timeout: Duration::from_secs(60),
            reuse: std::env::var_os("CI").is_none_or(|v| v.is_empty()),
        }
    }

    /// Runs the command in `dir`.
    pub fn cwd(mut self, dir: impl Into<PathBuf>) -> WebServer {
        self.cwd = Some(dir.into());
        self
    }

    /// Gives the command the variable `key` = `value`.
    pub fn env(mut self, key: impl Into<String>, value: impl Into<String>) -> WebServer {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Waits at most `timeout` for the URL to answer.
    pub fn timeout(mut self, timeout: Duration) -> WebServer {
        self.timeout = timeout;
        self
    }

    /// Whether a server already answering at the URL is used instead of starting one.
    pub fn reuse(mut self, reuse: bool) -> WebServer {
        self.reuse = reuse;
        self
    }

    /// The web server the environment describes, for `#[test]` binaries:
    /// `$SESSION_TEST_WEB_SERVER` (the command) and `$SESSION_TEST_WEB_SERVER_URL`, with
    /// `$SESSION_TEST_WEB_SERVER_CWD`, `$SESSION_TEST_WEB_SERVER_TIMEOUT` (seconds) and
    /// `$SESSION_TEST_WEB_SERVER_REUSE` (`1` or `0`).
    pub fn from_env() -> Option<WebServer> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let command = var("SESSION_TEST_WEB_SERVER")?;
        let url = var("SESSION_TEST_WEB_SERVER_URL").unwrap_or_default();
        let mut server = WebServer::new(command, url);
        server.cwd = var("SESSION_TEST_WEB_SERVER_CWD").map(PathBuf::from);
        if let Some(secs) = var("SESSION_TEST_WEB_SERVER_TIMEOUT").and_then(|s| s.parse().ok()) {
            server.timeout = Duration::from_secs_f64(secs);
        }
        if let Some(reuse) = var("SESSION_TEST_WEB_SERVER_REUSE") {
            server.reuse = reuse.trim() != "0";
        }
        Some(server)
    }

    /// The origin of the URL (`http://127.0.0.1:3000`), the base URL it gives.
    pub(super) fn origin(&self) -> Option<String> {
        let url = url::Url::parse(&self.url).ok()?;
        Some(url.origin().ascii_serialization()).filter(|o| o != "null")
    }
}
