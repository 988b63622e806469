//! IndexedDB in sessions (`indexed_db = true`, SPEC C12) against the demo app's `/idb` page,
//! which writes two databases (one with no object stores) holding values and keys of every
//! kind; `checkAll()` compares them value by value and type by type in the page.

mod support;

use std::process::Command;

use session_test::{expect, session, session_test, Error, Page, SessionStatus};

/// The session: the page writes its databases (the login of an offline-first app).
fn with_databases() -> session_test::Result<SessionStatus> {
    session!(
        "idb-user",
        |page: &Page| {
            page.visit("/idb")?;
            assert_eq!(page.eval("writeAll()")?, "written");
            Ok(())
        },
        indexed_db = true
    )
}

/// The differences `checkAll()` finds on `/idb`.
fn problems(page: &Page) -> session_test::Result<Vec<String>> {
    page.visit("/idb")?;
    Ok(serde_json::from_value(page.eval("checkAll()")?).unwrap_or_default())
}

#[session_test]
fn every_kind_of_value_and_key_survives_a_restore(page: &Page) -> session_test::Result<()> {
    support::sites();
    with_databases()?;
    // The second call always restores: the context is cleared, then written back.
    assert_eq!(with_databases()?, SessionStatus::Restored);
    assert_eq!(problems(page)?, Vec::<String>::new());
    Ok(())
}

#[session_test]
fn another_test_gets_the_same_databases(page: &Page) -> session_test::Result<()> {
    support::sites();
    // In one process this test or the one above restores what the other created; under a
    // process-per-test runner (nextest) each creates its own, so restore it once more.
    if with_databases()? == SessionStatus::Created {
        assert_eq!(with_databases()?, SessionStatus::Restored);
    }
    assert_eq!(problems(page)?, Vec::<String>::new());
    Ok(())
}

#[session_test]
fn a_database_of_another_version_is_replaced_when_sessions_switch(
    page: &Page,
) -> session_test::Result<()> {
    support::sites();
    let small = || {
        session!(
            "idb-small",
            |page: &Page| {
                page.visit("/idb")?;
                assert_eq!(page.eval("writeSmall()")?, "written");
                Ok(())
            },
            indexed_db = true
        )
    };
    with_databases()?;
    small()?;
    page.visit("/idb")?;
    let listed =
        page.eval("indexedDB.databases().then(d => d.map(x => `${x.name}@${x.version}`))")?;
    assert_eq!(listed, serde_json::json!(["app@5"]));
    with_databases()?;
    assert_eq!(problems(page)?, Vec::<String>::new());
    Ok(())
}

#[session_test]
fn a_tab_holding_the_database_does_not_block_a_restore(page: &Page) -> session_test::Result<()> {
    support::sites();
    with_databases()?;
    page.visit("/idb")?;
    // Another tab of this context opens `app`, ignores requests to close it, and keeps a
    // read-write transaction running.
    page.locator("#open-blocker").click()?;
    other_tab_ready(page, "blocking")?;
    assert_eq!(with_databases()?, SessionStatus::Restored);
    assert_eq!(problems(page)?, Vec::<String>::new());
    Ok(())
}

/// Waits (in the page) until another tab of the context has set localStorage `flag`.
fn other_tab_ready(page: &Page, flag: &str) -> session_test::Result<()> {
    page.eval(&format!(
        "new Promise(r => {{ const t = setInterval(() => {{ \
         if (localStorage.getItem('{flag}')) {{ clearInterval(t); r(true); }} }}, 5); }})"
    ))
    .map(|_| ())
}

#[session_test]
fn a_connection_the_app_keeps_open_delays_neither_capture_nor_restore(
    page: &Page,
) -> session_test::Result<()> {
    support::sites();
    let held = || {
        session!(
            "idb-held",
            |page: &Page| {
                page.visit("/idb")?;
                page.eval("writeAll()")?;
                page.locator("#open-holder").click()?;
                other_tab_ready(page, "holding")
            },
            indexed_db = true
        )
    };
    held()?; // captured while the other tab holds `app` open
    assert_eq!(held()?, SessionStatus::Restored);
    assert_eq!(problems(page)?, Vec::<String>::new());
    Ok(())
}

#[session_test]
fn a_capture_blocked_by_the_app_fails_naming_the_database() -> session_test::Result<()> {
    support::sites();
    let outcome = session!(
        "idb-blocked",
        |page: &Page| {
            page.visit("/idb")?;
            page.eval("writeAll()")?;
            page.locator("#open-blocker").click()?;
            expect(&page.locator("#state")).to_have_text("idle")?;
            other_tab_ready(page, "blocking")
        },
        indexed_db = true
    );
    let err = outcome.unwrap_err();
    assert!(matches!(err, Error::IndexedDbBlocked { .. }), "{err}");
    let origin = support::sites().app.base_url();
    assert_eq!(
        err.to_string(),
        format!(
            "IndexedDB database \"app\" of {origin} stayed locked for 5.0 s during capture: a \
             transaction of the app holds it"
        )
    );
    // Nothing was cached: the next call runs setup again (and fails the same way).
    assert!(session_test::sessions::get_session("idb-blocked").is_err());
    Ok(())
}

/// Run in a child process by `persisted_databases_keep_their_file_mode_and_report_what_cannot_be_carried`,
/// against the parent's demo server (`$DEMO_APP_URL`: a persisted session is bound to its
/// origin).
#[session_test(ignore)]
fn fixture_persisted(page: &Page) -> session_test::Result<()> {
    let app = std::env::var("DEMO_APP_URL").expect("DEMO_APP_URL");
    let status = session!(
        "idb-persisted",
        |page: &Page| {
            page.visit(&format!(
                "{}/idb",
                std::env::var("DEMO_APP_URL").unwrap_or_default()
            ))?;
            page.eval("writeAll()")?;
            Ok(())
        },
        persist = true,
        indexed_db = true
    )?;
    println!("status: {status}");
    page.visit(&format!("{app}/idb"))?;
    println!("problems: {}", page.eval("checkAll()")?);
    Ok(())
}

#[test]
fn persisted_databases_keep_their_file_mode_and_report_what_cannot_be_carried() {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("session-test-idb-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let run = || {
        let out = Command::new(std::env::current_exe().unwrap())
            .args(["--ignored", "--exact", "fixture_persisted", "--nocapture"])
            .env("SESSION_TEST_CACHE_DIR", &dir)
            .env("DEMO_APP_URL", support::sites().app.base_url())
            .output()
            .unwrap();
        let shown = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{shown}");
        shown
    };
    let first = run();
    assert!(first.contains("status: created"), "{first}");
    // The creating test still has the key that cannot be carried; a restore will not.
    assert!(
        first.contains("secrets (the non-extractable key cannot be carried)"),
        "{first}"
    );
    assert!(
        first.contains(
            "IndexedDB database \"app\", store \"secrets\", key \"hmac\": a CryptoKey that is \
             not extractable cannot be carried; the record is left out"
        ),
        "{first}"
    );
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let mode = files[0].metadata().unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let text = std::fs::read_to_string(files[0].path()).unwrap();
    assert!(text.contains("\"indexed_db\""), "no IndexedDB in the file");
    // A new process: restored from disk, every value and key as written.
    let second = run();
    assert!(second.contains("status: restored"), "{second}");
    assert!(second.contains("problems: []"), "{second}");
    let _ = std::fs::remove_dir_all(&dir);
}
