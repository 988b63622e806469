//! A fixture for `rotating.rs`, the second binary: it finds on disk the chain the first left.

mod support;

use session_test::{session_test, Page};

#[session_test(ignore)]
fn rotating_on_disk_second(page: &Page) -> session_test::Result<()> {
    println!("status: {}", support::rotating::login_persisted()?);
    for _ in 0..2 {
        assert!(support::rotating::refreshes(page)?);
    }
    Ok(())
}

#[session_test(ignore)]
fn passkey_on_disk_second(page: &Page) -> session_test::Result<()> {
    println!("status: {}", support::passkeys::login_persisted()?);
    println!("count: {}", support::passkeys::signs_in(page)?);
    Ok(())
}
