//! A fixture for `rotating.rs`, the first of two test binaries that share one persisted
//! rotating session, run one after the other against one demo server (`$DEMO_APP_URL`).

mod support;

use session_test::{session_test, Page};

#[session_test(ignore)]
fn rotating_on_disk_first(page: &Page) -> session_test::Result<()> {
    println!("status: {}", support::rotating::login_persisted()?);
    // The test's own refresh: the chain moves on, and what it leaves is saved.
    assert!(support::rotating::refreshes(page)?);
    Ok(())
}

#[session_test(ignore)]
fn passkey_on_disk_first(page: &Page) -> session_test::Result<()> {
    println!("status: {}", support::passkeys::login_persisted()?);
    println!("count: {}", support::passkeys::signs_in(page)?);
    Ok(())
}
