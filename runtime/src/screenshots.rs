//! Where screenshots of tests go (`target/session-test/screenshots/<test>.png`), and
//! writing them.

use std::path::PathBuf;

use crate::config;
use crate::error::{Error, Result};
use crate::page::Page;

/// Where a failing test's screenshot goes: `target/session-test/screenshots/<test>.png`.
pub fn screenshot_path(test_name: &str) -> PathBuf {
    config::output_dir()
        .join("screenshots")
        .join(format!("{}.png", config::file_stem(test_name)))
}

/// Writes a screenshot of `page` to [`screenshot_path`] of test `name`.
pub(crate) fn write_screenshot(page: &Page, name: &str) -> Result<PathBuf> {
    let png = page.screenshot()?;
    write_png(name, &png)
}

/// Writes `png` to [`screenshot_path`] of `name`.
pub(crate) fn write_png(name: &str, png: &[u8]) -> Result<PathBuf> {
    let path = screenshot_path(name);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    }
    std::fs::write(&path, png).map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    Ok(path)
}
