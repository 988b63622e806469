//! The probe of `tests/web_server.rs`, in two test binaries (that one and
//! `fixture_default`), so that two binaries of one run share the web server: it sees the
//! app at the base URL the server gave, then stays until `$WEB_APP_WAIT_FOR` probes have.

use std::path::{Path, PathBuf};
use std::time::Duration;

use session_test::{expect, session_test, Page};

use crate::support;

/// The probes append a line here once they have seen the app (`$WEB_APP_PROBES`).
fn seen(page: &Page) -> session_test::Result<()> {
    page.visit("/")?;
    expect(&page.locator("#app")).to_have_text("web app")?;
    if let Ok(path) = std::env::var("WEB_APP_PROBES") {
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .unwrap();
        writeln!(file, "seen").unwrap();
    }
    Ok(())
}

/// How many probes have seen the app.
pub fn probes(path: &Path) -> usize {
    std::fs::read_to_string(path).map_or(0, |s| s.lines().count())
}

/// Sees the app (at the base URL the server gave), then stays until `$WEB_APP_WAIT_FOR`
/// probes have seen it: so that two processes of one run overlap.
#[session_test(ignore)]
fn web_server_probe_sees_the_app(page: &Page) -> session_test::Result<()> {
    seen(page)?;
    let path = PathBuf::from(std::env::var("WEB_APP_PROBES").unwrap());
    let wanted: usize = std::env::var("WEB_APP_WAIT_FOR").map_or(1, |n| n.parse().unwrap());
    let all_seen = support::poll_until(Duration::from_secs(60), || probes(&path) >= wanted);
    assert!(all_seen, "only {} probes saw the app", probes(&path));
    Ok(())
}
