//! One server for the whole run: the test processes of a run that name the same server
//! share a directory (`target/session-test/web-servers/<hash>/`). Under its `lock`, a
//! process joins the server a watchdog already runs (its pid in `state`), or reuses one
//! already answering, or starts the watchdog; each process that uses the run's server holds
//! a shared lock on `users` until it ends, which is how the watchdog knows when to stop it.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::{used, wait, watchdog, WebServer};
use crate::error::{Error, Result};

/// This process's shared lock on the run's `users`, held until the process ends.
static USING: OnceLock<Mutex<Vec<File>>> = OnceLock::new();

/// Joins, reuses or starts `server`, waits until it answers, and sets the base URL from it
/// when none is set.
pub(super) fn start_or_join(server: &WebServer) -> Result<()> {
    if server.url.is_empty() {
        return Err(Error::WebServer {
            reason: format!(
                "the web server `{}` has no URL to wait for: set $SESSION_TEST_WEB_SERVER_URL",
                server.command
            ),
        });
    }
    let dir = run_dir(server)?;
    let started = {
        let _lock = exclusive(&dir.join("lock"), server.timeout)?;
        match running_watchdog(&dir) {
            Some(_) => {
                hold(&dir)?;
                true
            }
            None if wait::answers(&server.url) => {
                if !server.reuse {
                    return Err(Error::WebServer {
                        reason: format!(
                            "{} already answers, so the web server `{}` cannot start there: \
                             stop what listens there, or let the suite reuse it \
                             ($SESSION_TEST_WEB_SERVER_REUSE=1; the default when $CI is unset)",
                            server.url, server.command
                        ),
                    });
                }
                false
            }
            None => {
                let _ = std::fs::remove_file(dir.join("exit"));
                hold(&dir)?;
                let pid = watchdog::start(server, &dir)?;
                std::fs::write(dir.join("state"), pid.to_string())
                    .map_err(|e| Error::io(format!("writing {}", dir.display()), e))?;
                true
            }
        }
    };
    if started {
        wait::until_up(server, &dir)?;
        used::record(server, "started for this run", Some(dir.join("output.log")));
    } else {
        used::record(server, "already answering: reused", None);
    }
    if crate::config::base_url().is_none() {
        if let Some(origin) = server.origin() {
            crate::config::set_base_url(origin);
        }
    }
    Ok(())
}

/// The directory of the runs of `server`: one per command, directory and URL.
fn run_dir(server: &WebServer) -> Result<PathBuf> {
    use std::hash::Hasher;
    let mut hash = fnv::FnvHasher::default();
    hash.write(server.command.as_bytes());
    hash.write(server.url.as_bytes());
    if let Some(cwd) = &server.cwd {
        hash.write(cwd.as_os_str().as_encoded_bytes());
    }
    let dir = crate::config::output_dir()
        .join("web-servers")
        .join(format!("{:016x}", hash.finish()));
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    Ok(dir)
}

/// The pid of the watchdog that runs the run's server, when one is alive.
fn running_watchdog(dir: &Path) -> Option<u32> {
    let pid: u32 = std::fs::read_to_string(dir.join("state"))
        .ok()?
        .trim()
        .parse()
        .ok()?;
    // SAFETY: kill with signal 0 only checks that the process exists.
    let alive = unsafe { libc::kill(pid as libc::pid_t, 0) } == 0;
    alive.then_some(pid)
}

fn open(path: &Path) -> Result<File> {
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| Error::io(format!("opening {}", path.display()), e))
}

/// The run's lock, taken within `wait`.
fn exclusive(path: &Path, wait: Duration) -> Result<File> {
    let file = open(path)?;
    let deadline = Instant::now() + wait;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => {
                return Err(Error::WebServer {
                    reason: format!("cannot take the lock {}: {e}", path.display()),
                })
            }
        }
    }
}

/// This process uses the run's server until it ends: a shared lock on `users`.
fn hold(dir: &Path) -> Result<()> {
    let file = open(&dir.join("users"))?;
    file.lock_shared()
        .map_err(|e| Error::io(format!("locking {}", dir.join("users").display()), e))?;
    USING
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(file);
    Ok(())
}
