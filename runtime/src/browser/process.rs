//! The browser process's end, however this process ends: its process group killed, its
//! profile removed (at exit, on SIGINT and SIGTERM, and by the next launch after a SIGKILL).

use crate::sync::lock;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub(super) const PROFILE_PREFIX: &str = "session-test-profile-";

/// A browser this process launched.
pub(super) struct ChromeProcess {
    pub(super) pid: u32,
    profile: PathBuf,
    /// Set when the browser process exited.
    pub(super) exited: Arc<AtomicBool>,
}

impl ChromeProcess {
    /// The browser `pid` just started with `profile`: the one to kill when this process exits.
    pub(super) fn started(pid: u32, profile: PathBuf, exited: Arc<AtomicBool>) -> Self {
        EXIT_PID.store(pid as i32, Ordering::SeqCst);
        *lock(&EXIT_PROFILE) = Some(profile.clone());
        ChromeProcess {
            pid,
            profile,
            exited,
        }
    }

    pub(super) fn kill(&self) {
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

/// Removes profile directories left by test processes that were killed (SIGKILL leaves no
/// chance to clean up). Each directory is named after the pid that owns it.
pub(super) fn sweep_stale_profiles() {
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

/// Once per process: the launched browser is killed and its profile removed at exit and on
/// SIGINT and SIGTERM.
pub(super) fn clean_up_at_exit() {
    static AT_EXIT: std::sync::Once = std::sync::Once::new();
    AT_EXIT.call_once(|| {
        // SAFETY: registering a plain extern "C" fn.
        unsafe {
            libc::atexit(kill_at_exit);
        }
        clean_up_on_signals();
    });
}
