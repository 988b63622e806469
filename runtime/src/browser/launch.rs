//! Launching Chromium with `std::process::Command`: its own process group, a parent-death
//! signal, a profile of its own, the port it picks itself.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::cdp::Connection;
use crate::error::{Error, Result};

use super::find::find_chromium;
use super::process::{clean_up_at_exit, sweep_stale_profiles, ChromeProcess, PROFILE_PREFIX};
use super::Browser;

/// headless_chrome's default flags (`headless_chrome::browser::DEFAULT_ARGS`, 1.0.22),
/// written out so the browser launches the same without that optional dependency; a unit
/// test compares the two when it is there.
pub(super) const DEFAULT_ARGS: [&str; 23] = [
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

pub(super) fn launch() -> Result<Browser> {
    let path = find_chromium()?;
    let headed = crate::config::headed();
    let launch_error = |reason: String| Error::Launch {
        path: path.display().to_string(),
        reason,
    };
    if headed
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
    {
        return Err(launch_error(
            "SESSION_TEST_HEADED is set but there is no display ($DISPLAY and \
             $WAYLAND_DISPLAY are unset): run under `xvfb-run`, or unset SESSION_TEST_HEADED"
                .into(),
        ));
    }
    sweep_stale_profiles();
    let profile = new_profile()?;
    clean_up_at_exit();
    let args = chromium_args(headed, &profile, &crate::config::browser_args());
    let exited = Arc::new(AtomicBool::new(false));
    let (pid, stderr) = spawn(&path, args, Arc::clone(&exited))?.map_err(launch_error)?;
    let process = Arc::new(ChromeProcess::started(pid, profile, exited));
    let ws_url = match stderr {
        Some(stderr) => read_ws_url(stderr, Duration::from_secs(30)),
        None => Err("its stderr was not captured".to_string()),
    };
    let ws_url = ws_url.map_err(|reason| {
        process.kill();
        launch_error(reason)
    })?;
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

/// A new profile directory of this process's own.
fn new_profile() -> Result<PathBuf> {
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
    Ok(profile)
}

/// Features turned off besides headless_chrome's: the browser's own UI that a new headless
/// browser preloads and never shows (the omnibox popups, each a WebUI renderer: half the
/// CPU a launch takes, 1.6 s of CPU instead of 0.75 on the 2-core CI machine). Chromium
/// reads one `--disable-features`, the last: these are added to headless_chrome's.
const MORE_DISABLED_FEATURES: &str = "WebUIOmniboxPopup,WebUIOmniboxAimPopup";

/// Chromium's command line: headless_chrome's defaults, then the runtime's, then `extra`
/// (`$SESSION_TEST_BROWSER_ARGS`), whose `--disable-features=` joins the one there is.
fn chromium_args(headed: bool, profile: &Path, extra: &[String]) -> Vec<String> {
    let mut args: Vec<String> = DEFAULT_ARGS
        .iter()
        .map(|arg| match arg.strip_prefix("--disable-features=") {
            Some(features) => format!("--disable-features={features},{MORE_DISABLED_FEATURES}"),
            None => arg.to_string(),
        })
        .collect();
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
            // No back/forward cache (as Playwright launches it): with it, every navigation
            // the browser starts goes to a new browsing instance, so the reset's about:blank
            // started a renderer and the next test's first visit another (62 ms and 35 ms of
            // a 174 ms cached test, BENCHMARKS.md); and a test's document stays in no cache.
            "--disable-back-forward-cache",
        ]
        .map(String::from),
    );
    for arg in extra {
        match arg.strip_prefix("--disable-features=") {
            Some(features) => {
                if let Some(ours) = args
                    .iter_mut()
                    .find(|a| a.starts_with("--disable-features="))
                {
                    ours.push(',');
                    ours.push_str(features);
                }
            }
            None => args.push(arg.clone()),
        }
    }
    args.push(format!("--user-data-dir={}", profile.display()));
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        args.push("--no-sandbox".into());
    }
    args.push("about:blank".into());
    args
}

/// What the launcher thread reports: the browser's pid and stderr, or why it did not start.
type Spawned = std::result::Result<(u32, Option<std::process::ChildStderr>), String>;

/// Starts Chromium in a process group of its own that dies with this process; `exited` is
/// set when it exits.
fn spawn(path: &Path, args: Vec<String>, exited: Arc<AtomicBool>) -> Result<Spawned> {
    let (tx, rx) = mpsc::channel();
    let path = path.to_path_buf();
    // The parent-death signal fires when the *thread* that forked exits, so the browser is
    // spawned from a thread that lives exactly as long as the browser.
    std::thread::Builder::new()
        .name("session-test-chromium".into())
        .spawn(move || {
            let mut command = Command::new(&path);
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
            exited.store(true, Ordering::SeqCst);
        })
        .map_err(|e| Error::io("spawning the browser thread", e))?;
    Ok(rx
        .recv()
        .unwrap_or_else(|_| Err("the launcher thread died".into())))
}

/// Reads Chromium's stderr until it prints its DevTools URL; keeps draining it afterwards so
/// that the browser never blocks on a full pipe.
pub(super) fn read_ws_url(
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

#[cfg(all(test, feature = "headless_chrome"))]
mod tests {
    #[test]
    fn default_flags_are_headless_chromes() {
        assert_eq!(super::DEFAULT_ARGS, headless_chrome::browser::DEFAULT_ARGS);
    }
}

#[cfg(test)]
mod args_tests {
    #[test]
    fn one_disable_features_holds_headless_chromes_the_omnibox_popups_and_the_users() {
        let extra = [
            "--lang=fr-FR".to_owned(),
            "--disable-features=Mine".to_owned(),
        ];
        let args = super::chromium_args(false, std::path::Path::new("/tmp/p"), &extra);
        let disabled: Vec<&String> = args
            .iter()
            .filter(|a| a.starts_with("--disable-features="))
            .collect();
        assert_eq!(
            disabled.len(),
            1,
            "Chromium reads the last one only: {args:?}"
        );
        assert!(args.contains(&"--lang=fr-FR".to_owned()), "{args:?}");
        assert_eq!(args.last().map(String::as_str), Some("about:blank"));
        for feature in [
            "TranslateUI",
            "WebUIOmniboxPopup",
            "WebUIOmniboxAimPopup",
            "Mine",
        ] {
            assert!(disabled[0].contains(feature), "{feature}: {}", disabled[0]);
        }
    }
}
