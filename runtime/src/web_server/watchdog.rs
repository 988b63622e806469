//! The watchdog that runs the server for the whole run: a `sh` process in a process group of
//! its own (so that the test process's death does not take it), which starts the command,
//! writes its output to `output.log` and its exit status to `exit`, and, while the server
//! runs, checks every 200 ms whether any process of the run still holds its shared lock on
//! `users`. When none does (the last test process ended, or was killed: the kernel lets go
//! of a dead process's locks), it takes the run's lock, forgets the run's state and stops
//! the server's whole process group (TERM, then KILL a second later).

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};

use super::WebServer;
use crate::error::{Error, Result};

/// The watchdog: `$1` the run's directory, `$2` the command.
const SCRIPT: &str = r#"
dir=$1
sh -c "$2" > "$dir/output.log" 2>&1 < /dev/null &
server=$!
trap '' TERM
while kill -0 "$server" 2> /dev/null; do
  sleep 0.2
  if flock -x "$dir/lock" flock -n -x "$dir/users" rm -f "$dir/state"; then
    kill -TERM 0
    sleep 1
    kill -KILL 0
  fi
done
wait "$server"
echo $? > "$dir/exit"
flock -x "$dir/lock" rm -f "$dir/state"
"#;

/// Starts the watchdog of `server` for the run whose directory is `dir`; its pid.
pub(super) fn start(server: &WebServer, dir: &Path) -> Result<u32> {
    let mut command = Command::new("sh");
    command
        .args(["-c", SCRIPT, "session-test-web-server"])
        .arg(dir)
        .arg(&server.command)
        .envs(server.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0);
    if let Some(cwd) = &server.cwd {
        command.current_dir(cwd);
    }
    let child = command.spawn().map_err(|e| Error::WebServer {
        reason: format!("cannot start the web server `{}`: {e}", server.command),
    })?;
    Ok(child.id())
}
