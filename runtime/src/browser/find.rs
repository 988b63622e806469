//! Finding Chromium: `$CHROME`, then the usual names on `PATH`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

const NAMES: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];

/// Finds the browser binary: `$CHROME`, then `chromium`, `chromium-browser`,
/// `google-chrome` on `$PATH`.
///
/// ```no_run
/// let chrome = session_test::browser::find_chromium().expect("install chromium");
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
