//! The runtime of [session-test](https://docs.rs/session-test): Chromium over a fast
//! DevTools connection, isolated pages, and the test harness. Depend on `session-test`,
//! which re-exports everything public here.

#![warn(missing_docs)]

mod browser;
pub mod cdp;
mod config;
mod data;
mod error;
mod harness;
mod page;
#[doc(hidden)]
pub mod private;
mod registry;

pub use browser::{browser, find_chromium, find_chromium_in, running_browser_pid, Browser};
pub use config::{base_url, default_timeout, output_dir, set_base_url, DEFAULT_TIMEOUT};
pub use data::{Cookie, StorageItems};
pub use error::{Error, Result};
pub use harness::{current_page, screenshot_path};
pub use page::Page;
pub use registry::{tests, TestEntry};
