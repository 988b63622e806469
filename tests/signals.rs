//! No browser and no profile directory outlive a test process ended by SIGINT or SIGTERM.
//! Alone in its binary: a browser launched by a test alongside would sweep a leftover
//! profile and hide it.

mod support;

use std::path::PathBuf;

use support::children::*;

#[test]
fn no_browser_or_profile_outlives_sigint_or_sigterm() {
    for signal in [libc::SIGINT, libc::SIGTERM] {
        let (mut child, pid) = blocked_fixture();
        // Hold its stdin open (`wait` would close it, and the blocked test would just end).
        let _stdin = child.stdin.take();
        // SAFETY: signalling our own child.
        unsafe { libc::kill(pid as i32, signal) };
        let status = child.wait().unwrap();
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(
            status.signal(),
            Some(signal),
            "the signal still ends the process: {status:?}"
        );
        assert_eq!(
            leftovers_after_exit(pid),
            Vec::<String>::new(),
            "signal {signal}"
        );
        assert_eq!(profiles_of(pid), Vec::<PathBuf>::new(), "signal {signal}");
    }
}
