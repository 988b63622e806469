//! A fixture binary whose ignored tests hang in each way a test can; `reliability.rs` runs
//! it as a child process and checks that each fails on time with a clear message while the
//! rest of the run goes on.

mod support;

use session_test::{session, session_test, Page};

/// Blocks the calling thread for good, outside any page call.
fn block_forever() -> ! {
    loop {
        std::thread::park();
    }
}

#[session_test(ignore, timeout = 4)]
fn hang_page_never_loads(page: &Page) -> session_test::Result<()> {
    support::sites();
    page.visit("/never")
}

#[session_test(ignore, timeout = 4)]
fn hang_selector_never_appears(page: &Page) -> session_test::Result<()> {
    support::sites();
    page.visit("/blank")?;
    page.wait_for("#never")
}

#[session_test(ignore, timeout = 4)]
fn hang_setup_blocks(_page: &Page) -> session_test::Result<()> {
    session!("hang-setup", |_: &Page| -> session_test::Result<()> {
        block_forever()
    })?;
    Ok(())
}

#[session_test(ignore, timeout = 4)]
fn hang_validate_never_returns(_page: &Page) -> session_test::Result<()> {
    session!(
        "hang-validate",
        |_: &Page| -> session_test::Result<()> { Ok(()) },
        validate = |_: &Page| -> bool { block_forever() }
    )?;
    Ok(())
}

/// No `timeout` option: `$SESSION_TEST_TIMEOUT` limits it.
#[session_test(ignore)]
fn hang_with_global_timeout(_page: &Page) {
    block_forever()
}

static IN_STUCK_SETUP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn stuck_login() -> session_test::Result<session_test::SessionStatus> {
    session!("hang-shared", |_: &Page| -> session_test::Result<()> {
        IN_STUCK_SETUP.store(true, std::sync::atomic::Ordering::SeqCst);
        block_forever()
    })
}

/// Another test's setup for the same id is stuck: this one gets an error, not a hang.
#[session_test(ignore, timeout = 60)]
fn hang_waits_for_a_stuck_setup(_page: &Page) -> session_test::Result<()> {
    std::thread::spawn(|| {
        session_test::harness::run_page_test("stuck_creator", |_| stuck_login().map(drop))
    });
    assert!(
        support::poll_until(std::time::Duration::from_secs(30), || {
            IN_STUCK_SETUP.load(std::sync::atomic::Ordering::SeqCst)
        }),
        "the creator never started"
    );
    stuck_login()?;
    Ok(())
}

/// Shows that the run goes on; a limit of its own, so a slow machine does not fail it.
#[session_test(ignore, timeout = 60)]
fn hang_then_this_passes(page: &Page) -> session_test::Result<()> {
    support::sites();
    page.visit("/blank")
}
