//! Shared login definitions, as a suite keeps them in `tests/support/`: every test binary
//! that declares `mod support;` can use them, from any of its modules.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};

use session_test::{define_session, Page};

/// How often `before` and `after` of `shared_alice` ran in this process.
pub static BEFORE: AtomicUsize = AtomicUsize::new(0);
pub static AFTER: AtomicUsize = AtomicUsize::new(0);

define_session!(
    shared_alice,
    setup = |page: &Page| {
        let app = &super::sites().app;
        page.visit(&app.url("/login"))?;
        page.fill("[data-test=name]", "alice")?;
        page.fill("[data-test=password]", "s3cr3t")?;
        page.click("#submit")
    },
    validate = |page: &Page| Ok(page
        .request()
        .get(&super::sites().app.url("/whoami"))?
        .status()
        == 200),
    before = |_: &Page| {
        BEFORE.fetch_add(1, Ordering::SeqCst);
    },
    after = |page: &Page| {
        AFTER.fetch_add(1, Ordering::SeqCst);
        page.visit(&super::sites().app.url("/home"))
    },
);
