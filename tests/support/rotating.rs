//! A login whose tokens rotate: the demo app's `/spa` keeps OAuth tokens in localStorage and
//! every refresh retires the refresh token it used (a retired one revokes the grant). For
//! `rotating.rs` and the `fixture_rotating_*` binaries.

use serde_json::json;
use session_test::{session, Page, SessionStatus};

/// The base URL: the demo app of a parent test (`$DEMO_APP_URL`), else this process's own.
pub fn use_app() {
    match std::env::var("DEMO_APP_URL") {
        Ok(url) => session_test::config::set_base_url(url),
        Err(_) => {
            super::sites();
        }
    }
}

fn sign_in(page: &Page) -> session_test::Result<()> {
    page.visit("/spa")?;
    page.eval(r#"signIn("rita", "s3cr3t")"#)?;
    Ok(())
}

/// Refreshes the tokens, which rotates them: true while the chain stands.
pub fn refreshes(page: &Page) -> session_test::Result<bool> {
    page.visit("/spa")?;
    Ok(page.eval("refresh()")? == json!("rita"))
}

/// Rita's rotating session `id`, in this process.
pub fn login(id: &str) -> session_test::Result<SessionStatus> {
    use_app();
    session!(id, sign_in, validate = refreshes, rotating = true)
}

/// Rita's rotating session, also on disk.
pub fn login_persisted() -> session_test::Result<SessionStatus> {
    use_app();
    session!(
        "rotating-on-disk",
        sign_in,
        validate = refreshes,
        rotating = true,
        persist = true
    )
}
