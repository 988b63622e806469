//! The report's files: each process's records in `runs/<parent pid>/`, and the page made
//! from all of them, written through temporary files so a reader never sees half of one.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use super::html::render;
use super::record::{binary, Run, RUN};
use crate::error::{Error, Result};
use crate::sync::lock;

/// One writer at a time in this process.
static WRITING: Mutex<()> = Mutex::new(());

/// Writes the report of this `cargo test` run (every test binary started by the same
/// parent process so far) to `target/session-test/report.html` and returns that path. The
/// harnesses do this after a failed test, at most once a second after passing ones, and at
/// the process's exit.
pub fn write_report() -> Result<PathBuf> {
    let _one = lock(&WRITING);
    let json = records_json(&mut lock(&RUN));
    write_with(&json)
}

/// [`write_report`] at the process's exit: nothing when another thread holds the records
/// or is writing (a test thread left behind past its time limit may never let go).
pub(super) fn write_report_at_exit() -> Result<()> {
    let Ok(_one) = WRITING.try_lock() else {
        return Ok(());
    };
    let json = {
        let Ok(mut run) = RUN.try_lock() else {
            return Ok(());
        };
        records_json(&mut run)
    };
    write_with(&json).map(drop)
}

/// This process's records as written to its file, with the web server it used.
fn records_json(run: &mut Run) -> Vec<u8> {
    run.web_server = crate::web_server::in_use();
    serde_json::to_vec(run).unwrap_or_default()
}

/// Writes this process's records (`json`), then the page made from every process's.
fn write_with(json: &[u8]) -> Result<PathBuf> {
    let out = crate::config::output_dir();
    // SAFETY: getppid has no preconditions.
    let parent = unsafe { libc::getppid() };
    let runs = out.join("runs");
    let dir = runs.join(parent.to_string());
    let mine = dir.join(format!("{}-{}.json", binary(), std::process::id()));
    write_atomically(&mine, json)?;
    forget_old_runs(&runs, &dir);
    // Binaries finishing together (nextest runs a process per test) take turns, so the last
    // report written has read every record written before it.
    let lock = std::fs::File::create(dir.join("report.lock"))
        .map_err(|e| Error::io(format!("creating a lock in {}", dir.display()), e))?;
    let _turn = lock.lock();
    let all: Vec<Run> = std::fs::read_dir(&dir)
        .map_err(|e| Error::io(format!("reading {}", dir.display()), e))?
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .filter_map(|e| serde_json::from_slice(&std::fs::read(e.path()).ok()?).ok())
        .collect();
    let path = out.join("report.html");
    write_atomically(&path, render(&all).as_bytes())?;
    Ok(path)
}

/// Writes the report of this process's tests only to `path`.
pub fn write_report_to(path: &Path) -> Result<()> {
    let html = {
        let mut run = lock(&RUN);
        run.web_server = crate::web_server::in_use();
        render(std::slice::from_ref(&*run))
    };
    write_atomically(path, html.as_bytes())
}

/// Through a temporary file, so a reader never sees half of it.
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    }
    let temp = path.with_extension(format!("{}.tmp", std::process::id()));
    std::fs::write(&temp, bytes)
        .map_err(|e| Error::io(format!("writing {}", temp.display()), e))?;
    std::fs::rename(&temp, path)
        .map_err(|e| Error::io(format!("renaming to {}", path.display()), e))
}

/// Records of other runs more than an hour old go.
fn forget_old_runs(runs: &Path, current: &Path) {
    let Ok(entries) = std::fs::read_dir(runs) else {
        return;
    };
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > Duration::from_secs(3600));
        if old && entry.path() != current {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}
