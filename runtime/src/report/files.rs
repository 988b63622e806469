//! The report's files: each process's records in `runs/<parent pid>/`, and the page made
//! from all of them, written through temporary files so a reader never sees half of one.

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
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
    write_with(|| Some(lock(&RUN)))
}

/// [`write_report`] at the process's exit: nothing when another thread holds the records
/// or is writing (a test thread left behind past its time limit may never let go).
pub(super) fn write_report_at_exit() -> Result<()> {
    let Ok(_one) = WRITING.try_lock() else {
        return Ok(());
    };
    write_with(|| RUN.try_lock().ok()).map(drop)
}

/// Writes this process's records, then the page made from every process's; `records` holds
/// this process's (none: nothing more is written). Both are written as they are made, the
/// records held meanwhile (nothing but the records grows with the run in this process's
/// memory), and let go while the other processes' are read.
fn write_with<'a>(records: impl Fn() -> Option<MutexGuard<'a, Run>>) -> Result<PathBuf> {
    let out = crate::config::output_dir();
    // SAFETY: getppid has no preconditions.
    let parent = unsafe { libc::getppid() };
    let runs = out.join("runs");
    let dir = runs.join(parent.to_string());
    let mine = dir.join(format!("{}-{}.json", binary(), std::process::id()));
    let path = out.join("report.html");
    {
        let Some(mut run) = records() else {
            return Ok(path);
        };
        run.web_server = crate::web_server::in_use();
        write_atomically_with(&mine, |file| Ok(serde_json::to_writer(file, &*run)?))?;
    }
    forget_old_runs(&runs, &dir);
    // Binaries finishing together (nextest runs a process per test) take turns, so the last
    // report written has read every record written before it.
    let lock = std::fs::File::create(dir.join("report.lock"))
        .map_err(|e| Error::io(format!("creating a lock in {}", dir.display()), e))?;
    let _turn = lock.lock();
    let others: Vec<Run> = std::fs::read_dir(&dir)
        .map_err(|e| Error::io(format!("reading {}", dir.display()), e))?
        .flatten()
        .map(|e| e.path())
        .filter(|path| path.extension().is_some_and(|x| x == "json") && *path != mine)
        .filter_map(|path| serde_json::from_slice(&std::fs::read(path).ok()?).ok())
        .collect();
    let Some(run) = records() else {
        return Ok(path);
    };
    let all: Vec<&Run> = others.iter().chain([&*run]).collect();
    write_atomically_with(&path, |file| render_to(&all, file))?;
    Ok(path)
}

/// Writes the report of this process's tests only to `path`.
pub fn write_report_to(path: &Path) -> Result<()> {
    let mut run = lock(&RUN);
    run.web_server = crate::web_server::in_use();
    write_atomically_with(path, |file| render_to(&[&*run], file))
}

/// The page of `runs`, rendered straight into `out`.
pub(super) fn render_to(runs: &[&Run], out: &mut dyn io::Write) -> io::Result<()> {
    let mut page = FmtToIo { out, error: None };
    render(runs, &mut page);
    page.error.map_or(Ok(()), Err)
}

/// The page's `fmt::Write` onto a file; the first error is kept (and ends the writing).
struct FmtToIo<'a> {
    out: &'a mut dyn io::Write,
    error: Option<io::Error>,
}

impl fmt::Write for FmtToIo<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.error.is_some() {
            return Err(fmt::Error);
        }
        self.out.write_all(s.as_bytes()).map_err(|e| {
            self.error = Some(e);
            fmt::Error
        })
    }
}

/// What `fill` writes (buffered), through a temporary file, so a reader never sees half of
/// it.
pub(super) fn write_atomically_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    }
    let temp = path.with_extension(format!("{}.tmp", std::process::id()));
    let written = std::fs::File::create(&temp).and_then(|file| {
        let mut file = io::BufWriter::new(file);
        fill(&mut file)?;
        file.flush()
    });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(Error::io(format!("writing {}", temp.display()), e));
    }
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
