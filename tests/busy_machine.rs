//! A test's time limit counts the test's own code, not the framework's steps: while this
//! process keeps every core busy, `timeout = 2` tests that log in and restore a session
//! whose capture and restore alone take longer than that still pass.
//!
//! Its own binary, so that under `cargo test` nothing else runs beside it; nextest runs it
//! alone (`threads-required` in `.config/nextest.toml`).

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use session_test::{session, session_test, Page, SessionStatus};

/// The session carries 28 MB in IndexedDB: writing them is quick for the page (the test's
/// own code), while capturing and restoring them (the framework's) takes longer than the
/// tests' limit on a loaded machine.
const RECORDS: u32 = 700;
const RECORD_BYTES: u32 = 40_000;
const LIMIT: std::time::Duration = std::time::Duration::from_secs(2);

fn login() -> session_test::Result<SessionStatus> {
    session!(
        "busy-machine",
        |page: &Page| {
            page.request()
                .post_form("/login", &[("name", "busy"), ("password", "s3cr3t")])?;
            page.visit("/idb")?;
            page.eval(&format!("writeMany({RECORDS}, {RECORD_BYTES})"))?;
            Ok(())
        },
        validate = |page: &Page| Ok(page.request().get("/whoami")?.status() == 200),
        indexed_db = true
    )
}

#[session_test(ignore, timeout = 2)]
fn busy_1_logs_in() -> session_test::Result<()> {
    assert_eq!(login()?, SessionStatus::Created);
    Ok(())
}

/// How long the restoring `session!` call took, for the check that it outlasted the limit.
static RESTORE_TOOK: std::sync::Mutex<Option<std::time::Duration>> = std::sync::Mutex::new(None);

#[session_test(ignore, timeout = 2)]
fn busy_2_restores(page: &Page) -> session_test::Result<()> {
    let started = std::time::Instant::now();
    assert_eq!(login()?, SessionStatus::Restored);
    *RESTORE_TOOK.lock().unwrap() = Some(started.elapsed());
    page.visit("/idb")?;
    assert_eq!(page.eval("countMany()")?, RECORDS);
    Ok(())
}

/// Spinning threads, one per core, until dropped.
struct CpuHogs {
    stop: Arc<AtomicBool>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl CpuHogs {
    fn start() -> CpuHogs {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let stop = Arc::new(AtomicBool::new(false));
        let threads = (0..cores)
            .map(|_| {
                let stop = Arc::clone(&stop);
                std::thread::spawn(move || {
                    let mut x = 0u64;
                    while !stop.load(Ordering::Relaxed) {
                        x = std::hint::black_box(
                            x.wrapping_mul(6364136223846793005).wrapping_add(1),
                        );
                    }
                })
            })
            .collect();
        CpuHogs { stop, threads }
    }
}

impl Drop for CpuHogs {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

#[test]
fn two_second_tests_pass_while_every_core_is_busy() {
    let sites = support::sites();
    let before = sites.logins();
    let hogs = CpuHogs::start();
    // One thread: the first logs in, the second restores.
    let (passed, failed) = support::run_together("busy_", 1);
    drop(hogs);
    assert_eq!((passed, failed), (2, 0), "see the failure reports above");
    assert_eq!(sites.logins() - before, 1);
    // What makes this test worth having: the restore alone took longer than the limit, so
    // charging it to the test would have failed the test.
    let took = RESTORE_TOOK
        .lock()
        .unwrap()
        .expect("the restoring test ran");
    assert!(
        took > LIMIT,
        "the restore took {took:?}, within the {LIMIT:?} limit: the machine is too fast for \
         this test to show anything; give the session more records"
    );
}
