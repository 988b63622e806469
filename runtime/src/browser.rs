//! Finding, launching and owning Chromium: one browser per test process.
//!
//! headless_chrome supplies the default flags and the typed protocol, but the process is
//! started here with `std::process::Command`, because its launcher cannot give what a test
//! framework needs: it probes ports 8000–9000 (collisions when test binaries start together;
//! here Chromium picks its own port), leaves profile directories behind, and cannot set the
//! parent-death signal. Chromium runs in its own process group, gets SIGKILL when the test
//! process dies in any way (`PR_SET_PDEATHSIG`, the only thing that survives SIGKILL), and
//! is killed with its profile removed at exit.

use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use once_cell::sync::Lazy;

use crate::cdp::Connection;
use crate::error::{Error, Result};

const NAMES: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];

/// headless_chrome's default flags (`headless_chrome::browser::DEFAULT_ARGS`, 1.0.22),
/// written out so the browser launches the same without that optional dependency; a unit
/// test compares the two when it is there.
const DEFAULT_ARGS: [&str; 23] = [
    "--disable-background-networking",
    "--enable-features=NetworkService,NetworkServiceInProcess",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--disable-breakpad",
    "--disable-client-side-phishing-detection",
    "--disable-component-extensions-with-background-pages",
    "--disable-default-apps",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--disable-features=TranslateUI,BlinkGenPropertyTrees",
    "--disable-hang-monitor",
    "--disable-ipc-flooding-protection",
    "--disable-popup-blocking",
    "--disable-prompt-on-repost",
    "--disable-renderer-backgrounding",
    "--disable-sync",
    "--force-color-profile=srgb",
    "--metrics-recording-only",
    "--no-first-run",
    "--enable-automation",
    "--password-store=basic",
    "--use-mock-keychain",
];
const PROFILE_PREFIX: &str = "session-test-profile-";

/// Finds the browser binary: `$CHROME`, then `chromium`, `chromium-browser`,
/// `google-chrome` on `$PATH`.
///
/// ```no_run
/// let chrome = session_test::find_chromium().expect("install chromium");
/// println!("{}", chrome.display());
/// ```
pub fn find_chromium() -> Result<PathBuf> {
    find_chromium_in(std::env::var_os("CHROME"), std::env::var_os("PATH"))
}

/// [`find_chromium`] with explicit `$CHROME` and `$PATH` values.
pub fn find_chromium_in(chrome: Option<OsString>, path: Option<OsString>) -> Result<PathBuf> {
    let mut searched = Vec::new();
    if let Some(chrome) = chrome.filter(|c| !c.is_empty()) {
        let candidate = PathBuf::from(&chrome);
        if is_executable(&candidate) {
            return Ok(candidate);
        }
        if let Some(found) = which_in(&chrome, path.as_ref()) {
            return Ok(found);
        }
        searched.push(format!("$CHROME ({})", candidate.display()));
    }
    for name in NAMES {
        if let Some(found) = which_in(name.as_ref(), path.as_ref()) {
            return Ok(found);
        }
    }
    searched.push(format!("{} on $PATH", NAMES.join(", ")));
    Err(Error::BrowserNotFound {
        searched: searched.join(", then "),
    })
}

fn which_in(name: &std::ffi::OsStr, path: Option<&OsString>) -> Option<PathBuf> {
    if Path::new(name).components().count() > 1 {
        return None;
    }
    std::env::split_paths(path?)
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// A running browser and the runtime's connection to it.
pub struct Browser {
    conn: Arc<Connection>,
    process: Option<Arc<ChromeProcess>>,
    /// Keeps new targets paused at birth until they are adopted or let go.
    _births: crate::cdp::Watch,
    #[cfg(feature = "headless_chrome")]
    headless_chrome: once_cell::sync::OnceCell<headless_chrome::Browser>,
}

impl std::fmt::Debug for Browser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Browser")
            .field("ws_url", &self.conn.url())
            .field("pid", &self.pid())
            .finish()
    }
}

impl Browser {
    /// The runtime's DevTools connection.
    pub fn connection(&self) -> &Arc<Connection> {
        &self.conn
    }

    /// The browser's process id, when this process launched it.
    pub fn pid(&self) -> Option<u32> {
        self.process.as_ref().map(|p| p.pid)
    }

    /// The DevTools WebSocket URL.
    pub fn ws_url(&self) -> &str {
        self.conn.url()
    }

    /// False once the process exited or the connection closed.
    pub fn is_alive(&self) -> bool {
        self.conn.closed_reason().is_none()
            && self
                .process
                .as_ref()
                .is_none_or(|p| !p.exited.load(Ordering::SeqCst))
    }

    /// headless_chrome's `Browser` on the same Chromium, connected on first use (it has its
    /// own, slower connection; the runtime's calls never go through it).
    #[cfg(feature = "headless_chrome")]
    pub fn headless_chrome(&self) -> Result<&headless_chrome::Browser> {
        self.headless_chrome.get_or_try_init(|| {
            // Its idle timeout would otherwise close the connection after 30 s of quiet.
            headless_chrome::Browser::connect_with_timeout(
                self.ws_url().to_string(),
                Duration::from_secs(60 * 60 * 24 * 7),
            )
            .map_err(Error::from)
        })
    }
}

static CURRENT: Lazy<Mutex<Option<Arc<Browser>>>> = Lazy::new(|| Mutex::new(None));

/// The process-wide browser, launched on first use and relaunched when it died.
pub fn browser() -> Result<Arc<Browser>> {
    let mut current = CURRENT.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(b) = current.as_ref().filter(|b| b.is_alive()) {
        return Ok(Arc::clone(b));
    }
    if let Some(dead) = current.take() {
        if let Some(p) = &dead.process {
            p.kill();
        }
    }
    let browser = match std::env::var("SESSION_TEST_BROWSER_WS")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(url) => connect_remote(&url)?,
        None => launch()?,
    };
    let browser = Arc::new(browser);
    *current = Some(Arc::clone(&browser));
    Ok(browser)
}

/// The pid of the browser this process launched and that is still running, if any.
pub fn running_browser_pid() -> Option<u32> {
    let current = CURRENT.lock().unwrap_or_else(|e| e.into_inner());
    current
        .as_ref()
        .filter(|b| b.is_alive())
        .and_then(|b| b.pid())
}

struct ChromeProcess {
    pid: u32,
    profile: PathBuf,
    exited: Arc<AtomicBool>,
}

impl ChromeProcess {
    fn kill(&self) {
        kill_group(self.pid as i32);
        remove_profile(self.pid as i32, &self.profile);
    }
}

fn kill_group(pid: i32) {
    if pid > 0 {
        // SAFETY: plain syscalls on a process group this process created.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
            libc::kill(pid, libc::SIGKILL);
        }
    }
}

// The browser to kill when the process exits (atexit runs on return from main and on
// `process::exit`, which is how libtest ends).
static EXIT_PID: AtomicI32 = AtomicI32::new(0);
static EXIT_PROFILE: Mutex<Option<PathBuf>> = Mutex::new(None);

extern "C" fn kill_at_exit() {
    let pid = EXIT_PID.swap(0, Ordering::SeqCst);
    kill_group(pid);
    if let Ok(mut profile) = EXIT_PROFILE.try_lock() {
        if let Some(dir) = profile.take() {
            remove_profile(pid, &dir);
        }
    }
}

/// Removes a killed browser's profile. Its processes may still be writing as they die, so
/// this waits (at most a second) until the directory stays gone.
fn remove_profile(pid: i32, dir: &Path) {
    let deadline = Instant::now() + Duration::from_secs(1);
    loop {
        let _ = std::fs::remove_dir_all(dir);
        // SAFETY: signal 0 only asks whether the process still exists.
        let browser_gone = pid <= 0 || unsafe { libc::kill(pid, 0) } != 0;
        if (browser_gone && !dir.exists()) || Instant::now() > deadline {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// SIGINT and SIGTERM (Ctrl-C, a CI runner giving up) would end the process without atexit:
/// a thread of signal-hook's kills the browser and removes its profile, then lets the signal
/// end the process as it would have. SIGKILL cannot be caught: the parent-death signal kills
/// the browser, and the next launch sweeps the profile.
fn clean_up_on_signals() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    let _ = std::thread::Builder::new()
        .name("session-test-signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                kill_at_exit();
                // SAFETY: restoring the default action and re-raising ends the process the
                // way the signal would have (a parent sees death by that signal).
                unsafe {
                    libc::signal(signal, libc::SIG_DFL);
                    libc::raise(signal);
                }
            }
        });
}

/// A browser somebody else runs (`$SESSION_TEST_BROWSER_WS`): connected to, never closed.
fn connect_remote(url: &str) -> Result<Browser> {
    let conn = Connection::connect(url).map_err(|e| Error::BrowserUnreachable {
        url: url.to_string(),
        reason: match e {
            Error::BrowserClosed { reason } => reason,
            other => other.to_string(),
        },
    })?;
    let births = crate::targets::watch_births(&conn)?;
    Ok(Browser {
        conn,
        process: None,
        _births: births,
        #[cfg(feature = "headless_chrome")]
        headless_chrome: once_cell::sync::OnceCell::new(),
    })
}

fn launch() -> Result<Browser> {
    let path = find_chromium()?;
    let headed = crate::config::headed();
    if headed
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
    {
        return Err(Error::Launch {
            path: path.display().to_string(),
            reason: "SESSION_TEST_HEADED is set but there is no display ($DISPLAY and \
                     $WAYLAND_DISPLAY are unset): run under `xvfb-run`, or unset \
                     SESSION_TEST_HEADED"
                .into(),
        });
    }
    sweep_stale_profiles();
    let profile = std::env::temp_dir().join(format!(
        "{PROFILE_PREFIX}{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    std::fs::create_dir_all(&profile)
        .map_err(|e| Error::io(format!("creating profile dir {}", profile.display()), e))?;

    static AT_EXIT: std::sync::Once = std::sync::Once::new();
    AT_EXIT.call_once(|| {
        // SAFETY: registering a plain extern "C" fn.
        unsafe {
            libc::atexit(kill_at_exit);
        }
        clean_up_on_signals();
    });

    let mut args: Vec<String> = DEFAULT_ARGS.iter().map(|s| s.to_string()).collect();
    if !headed {
        args.push("--headless".into());
    }
    args.extend(
        [
            "--disable-gpu",
            "--remote-debugging-port=0",
            "--disable-quic",
            "--disable-component-update",
            "--hide-scrollbars",
            "--mute-audio",
            "--window-size=1280,800",
        ]
        .map(String::from),
    );
    args.push(format!("--user-data-dir={}", profile.display()));
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        args.push("--no-sandbox".into());
    }
    args.push("about:blank".into());

    let (tx, rx) = mpsc::channel();
    let exited = Arc::new(AtomicBool::new(false));
    let exited_flag = Arc::clone(&exited);
    let spawn_path = path.clone();
    // The parent-death signal fires when the *thread* that forked exits, so the browser is
    // spawned from a thread that lives exactly as long as the browser.
    std::thread::Builder::new()
        .name("session-test-chromium".into())
        .spawn(move || {
            let mut command = Command::new(&spawn_path);
            command
                .args(&args)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped());
            {
                use std::os::unix::process::CommandExt;
                // SAFETY: only async-signal-safe calls between fork and exec.
                unsafe {
                    command.pre_exec(|| {
                        libc::setpgid(0, 0);
                        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                        Ok(())
                    });
                }
            }
            let mut child = match command.spawn() {
                Ok(c) => c,
                Err(e) => {
                    let _ = tx.send(Err(e.to_string()));
                    return;
                }
            };
            let _ = tx.send(Ok((child.id(), child.stderr.take())));
            let _ = child.wait();
            exited_flag.store(true, Ordering::SeqCst);
        })
        .map_err(|e| Error::io("spawning the browser thread", e))?;

    let launch_error = |reason: String| Error::Launch {
        path: path.display().to_string(),
        reason,
    };
    let (pid, stderr) = rx
        .recv()
        .map_err(|_| launch_error("the launcher thread died".into()))?
        .map_err(launch_error)?;
    EXIT_PID.store(pid as i32, Ordering::SeqCst);
    *EXIT_PROFILE.lock().unwrap_or_else(|e| e.into_inner()) = Some(profile.clone());
    let process = Arc::new(ChromeProcess {
        pid,
        profile,
        exited,
    });

    let ws_url = match stderr {
        Some(stderr) => read_ws_url(stderr, Duration::from_secs(30)),
        None => Err("its stderr was not captured".to_string()),
    };
    let ws_url = match ws_url {
        Ok(url) => url,
        Err(reason) => {
            process.kill();
            return Err(launch_error(reason));
        }
    };
    let conn = Connection::connect(&ws_url).inspect_err(|_| process.kill())?;
    let births = crate::targets::watch_births(&conn).inspect_err(|_| process.kill())?;
    Ok(Browser {
        conn,
        process: Some(process),
        _births: births,
        #[cfg(feature = "headless_chrome")]
        headless_chrome: once_cell::sync::OnceCell::new(),
    })
}

/// Reads Chromium's stderr until it prints its DevTools URL; keeps draining it afterwards so
/// that the browser never blocks on a full pipe.
fn read_ws_url(
    stderr: std::process::ChildStderr,
    timeout: Duration,
) -> std::result::Result<String, String> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("session-test-chromium-stderr".into())
        .spawn(move || {
            let mut last_lines: Vec<String> = Vec::new();
            let mut sent = false;
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if sent {
                    continue;
                }
                if let Some(url) = line
                    .split_once("DevTools listening on ")
                    .map(|(_, u)| u.trim().to_string())
                {
                    let _ = tx.send(Ok(url));
                    sent = true;
                } else {
                    last_lines.push(line);
                    if last_lines.len() > 8 {
                        last_lines.remove(0);
                    }
                }
            }
            if !sent {
                let _ = tx.send(Err(format!(
                    "it exited before printing its DevTools URL; its last output:\n{}",
                    last_lines.join("\n")
                )));
            }
        })
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    rx.recv_timeout(timeout).map_err(|_| {
        format!(
            "no DevTools URL after {:.0} s",
            started.elapsed().as_secs_f64()
        )
    })?
}

/// Removes profile directories left by test processes that were killed (SIGKILL leaves no
/// chance to clean up). Each directory is named after the pid that owns it.
fn sweep_stale_profiles() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(PROFILE_PREFIX)) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<i32>().ok()) else {
            continue;
        };
        // SAFETY: signal 0 only checks that the process exists.
        let alive = unsafe { libc::kill(pid, 0) } == 0
            || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM);
        if !alive {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(all(test, feature = "headless_chrome"))]
mod tests {
    #[test]
    fn default_flags_are_headless_chromes() {
        assert_eq!(super::DEFAULT_ARGS, headless_chrome::browser::DEFAULT_ARGS);
    }
}
