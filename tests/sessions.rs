//! `session!` (SPEC C1–C13, D1–D5) against the demo app. Each test starts its own demo
//! sites, so the server's login counter proves whether a session was created or restored.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use serde_json::json;
use session_test::{session, session_test, Error, Page, SessionStatus};
use session_test_demo_app::DemoSites;

fn form_login(page: &Page, sites: &DemoSites, user: &str) -> session_test::Result<()> {
    page.visit(&sites.app.url("/login"))?;
    page.fill("[data-test=name]", user)?;
    page.fill("[data-test=password]", "s3cr3t")?;
    page.click("#submit")
}

/// An API login on the auth site whose token is stored in the auth site's localStorage,
/// done while the page is on about:blank.
fn api_login(page: &Page, sites: &DemoSites, user: &str) -> session_test::Result<()> {
    let reply = page.request().post_json(
        &sites.auth.url("/api/login"),
        &json!({ "name": user, "password": "s3cr3t" }),
    )?;
    assert_eq!(reply.status(), 200);
    let token: serde_json::Value = reply.json()?;
    page.set_local_storage(
        &sites.auth.base_url(),
        "token",
        token["token"].as_str().unwrap(),
    )
}

fn whoami_ok(page: &Page, sites: &DemoSites) -> session_test::Result<bool> {
    Ok(page.request().get(&sites.app.url("/whoami"))?.status() == 200)
}

/// The combined session of the issue: form login on site 1, a sessionStorage item on
/// site 1, API login with a localStorage token on site 2.
fn both_sites(sites: &DemoSites, id: &str, user: &str) -> session_test::Result<SessionStatus> {
    session!(
        ["both", id, user],
        |page: &Page| {
            form_login(page, sites, user)?;
            page.set_session_storage(&sites.app.base_url(), "tab", "kept")?;
            api_login(page, sites, user)
        },
        validate = |page: &Page| whoami_ok(page, sites)
    )
}

fn assert_logged_in_everywhere(
    page: &Page,
    sites: &DemoSites,
    user: &str,
) -> session_test::Result<()> {
    assert_eq!(
        page.url()?,
        "about:blank",
        "session! leaves the page on about:blank"
    );
    page.visit(&sites.app.url("/home"))?;
    assert_eq!(page.text("#hello")?, format!("hello {user}"));
    assert_eq!(
        page.session_storage(&sites.app.base_url())?.get("tab"),
        Some("kept")
    );
    page.visit(&sites.auth.url("/app"))?;
    page.wait_for("#hello:not(:empty)")?;
    assert_eq!(page.text("#hello")?, format!("hello {user}"));
    Ok(())
}

#[session_test]
fn second_use_restores_both_sites_without_logging_in(page: &Page) -> session_test::Result<()> {
    let sites = DemoSites::start()?;
    assert_eq!(
        both_sites(&sites, "restore", "alice")?,
        SessionStatus::Created
    );
    assert_eq!(sites.logins(), 2);
    assert_logged_in_everywhere(page, &sites, "alice")?;
    // The same id again, as a later test would: restored, no login on either server.
    assert_eq!(
        both_sites(&sites, "restore", "alice")?,
        SessionStatus::Restored
    );
    assert_eq!(sites.logins(), 2);
    assert_logged_in_everywhere(page, &sites, "alice")?;
    Ok(())
}

static SHARED_SITES: std::sync::OnceLock<DemoSites> = std::sync::OnceLock::new();

fn shared_sites() -> &'static DemoSites {
    SHARED_SITES.get_or_init(|| DemoSites::start().unwrap())
}

/// Two tests (threads, contexts) use one id; whichever runs second restores.
#[session_test]
fn another_test_restores_the_session_a(page: &Page) -> session_test::Result<()> {
    let sites = shared_sites();
    both_sites(sites, "cross-test", "erin")?;
    assert_logged_in_everywhere(page, sites, "erin")
}

#[session_test]
fn another_test_restores_the_session_b(page: &Page) -> session_test::Result<()> {
    let sites = shared_sites();
    both_sites(sites, "cross-test", "erin")?;
    assert_logged_in_everywhere(page, sites, "erin")?;
    assert_eq!(sites.logins(), 2, "one test created, the other restored");
    Ok(())
}

#[session_test]
fn ids_are_canonical_json(_page: &Page) -> session_test::Result<()> {
    let runs = AtomicUsize::new(0);
    let setup = |_: &Page| -> session_test::Result<()> {
        runs.fetch_add(1, Ordering::SeqCst);
        Ok(())
    };
    assert_eq!(
        session!(json!({"b": 1, "a": 2, "test": "ids"}), setup)?,
        SessionStatus::Created
    );
    assert_eq!(
        session!(json!({"a": 2, "test": "ids", "b": 1}), setup)?,
        SessionStatus::Restored
    );
    assert_eq!(session!(["ids", "alice"], setup)?, SessionStatus::Created);
    assert_eq!(
        session!(vec!["ids", "alice"], setup)?,
        SessionStatus::Restored
    );
    assert_eq!(runs.load(Ordering::SeqCst), 2);
    assert_eq!(
        session_test::sessions::canonical_id(&json!({"b": 1, "a": 2}))?,
        r#"{"a":2,"b":1}"#
    );
    match session!("", setup) {
        Err(e) => assert_eq!(e.to_string(), "invalid session id: it is an empty string"),
        Ok(s) => panic!("empty id accepted: {s:?}"),
    }
    let mut bad = std::collections::HashMap::new();
    bad.insert(vec![1], 1);
    match session!(bad, setup) {
        Err(Error::InvalidSessionId { reason }) => {
            assert!(reason.contains("cannot be serialized"), "{reason}")
        }
        other => panic!("unserializable id accepted: {other:?}"),
    }
    Ok(())
}

/// Validate in each accepted form, failing on restore: the session is recreated (one more
/// login); when it fails again after the recreate, the call errors and the old session stays.
fn login_checked(
    sites: &DemoSites,
    kind: &str,
    fail: &std::cell::Cell<bool>,
) -> session_test::Result<SessionStatus> {
    let setup = |page: &Page| form_login(page, sites, "bob");
    let ok = |page: &Page| whoami_ok(page, sites).unwrap_or(false) && !fail.get();
    match kind {
        "bool" => session!(["recreate", "bool"], setup, validate = |p: &Page| ok(p)),
        "result" => session!(
            ["recreate", "result"],
            setup,
            validate = |p: &Page| {
                if ok(p) {
                    Ok(())
                } else {
                    Err(Error::msg("not logged in"))
                }
            }
        ),
        "result-bool" => session!(
            ["recreate", "result-bool"],
            setup,
            validate = |p: &Page| { Ok::<bool, Error>(ok(p)) }
        ),
        _ => session!(
            ["recreate", "panic"],
            setup,
            validate = |p: &Page| assert!(ok(p), "validate panics")
        ),
    }
}

#[session_test]
fn failing_validation_on_restore_recreates(page: &Page) -> session_test::Result<()> {
    let sites = DemoSites::start()?;
    for kind in ["bool", "result", "result-bool", "panic"] {
        let fail = std::cell::Cell::new(false);
        let before = sites.logins();
        assert_eq!(
            login_checked(&sites, kind, &fail)?,
            SessionStatus::Created,
            "{kind}"
        );
        assert_eq!(
            login_checked(&sites, kind, &fail)?,
            SessionStatus::Restored,
            "{kind}"
        );
        assert_eq!(sites.logins(), before + 1, "{kind}");
        // The server forgets the login: validate fails on restore, setup runs again.
        sites.app.reset_sessions();
        assert_eq!(
            login_checked(&sites, kind, &fail)?,
            SessionStatus::Recreated,
            "{kind}"
        );
        assert_eq!(
            sites.logins(),
            before + 2,
            "{kind}: one create, one recreate"
        );
        // Validation that fails even after recreating fails the call.
        fail.set(true);
        let err = login_checked(&sites, kind, &fail).unwrap_err().to_string();
        assert!(
            err.contains("validation failed after recreating the session"),
            "{kind}: {err}"
        );
        fail.set(false);
        // The failed recreate cached nothing: the previous session is restored and valid.
        assert_eq!(
            login_checked(&sites, kind, &fail)?,
            SessionStatus::Restored,
            "{kind}"
        );
    }
    let _ = page;
    Ok(())
}

#[session_test]
fn server_side_logout_makes_the_session_recreate(page: &Page) -> session_test::Result<()> {
    let sites = DemoSites::start()?;
    let login = || {
        session!(
            "server-reset",
            |page: &Page| form_login(page, &sites, "carol"),
            validate = |page: &Page| whoami_ok(page, &sites)
        )
    };
    assert_eq!(login()?, SessionStatus::Created);
    assert_eq!(login()?, SessionStatus::Restored);
    sites.app.reset_sessions();
    assert_eq!(login()?, SessionStatus::Recreated);
    assert_eq!(sites.app.logins(), 2);
    page.visit(&sites.app.url("/home"))?;
    assert_eq!(page.text("#hello")?, "hello carol");
    Ok(())
}

#[session_test]
fn validation_failing_right_after_setup_fails_and_caches_nothing(
    page: &Page,
) -> session_test::Result<()> {
    let sites = DemoSites::start()?;
    for (kind, expected) in [
        ("false", "validate returned Ok(false)"),
        ("err", "the session: no good; nothing was cached"),
        ("panic", "validate panicked: no good"),
    ] {
        let valid = std::cell::Cell::new(false);
        let login = || {
            session!(
                ["after-setup", kind],
                |page: &Page| form_login(page, &sites, "dan"),
                validate = |_: &Page| {
                    match (kind, valid.get()) {
                        (_, true) => Ok(true),
                        ("err", _) => Err(Error::msg("no good")),
                        ("panic", _) => panic!("no good"),
                        _ => Ok(false),
                    }
                }
            )
        };
        let error = login().unwrap_err();
        // The cause is kept, typed: validate's own error, or what its result meant.
        let Error::ValidationFailed { cause, .. } = &error else {
            panic!("{kind}: {error}");
        };
        let kept = match kind {
            "false" => matches!(
                **cause,
                Error::NotValid {
                    returned: "Ok(false)"
                }
            ),
            "err" => matches!(&**cause, Error::Message(m) if m == "no good"),
            _ => {
                matches!(&**cause, Error::Panicked { step: "validate", message } if message == "no good")
            }
        };
        assert!(kept, "{kind}: {cause}");
        let source = std::error::Error::source(&error).map(|c| c.to_string());
        assert_eq!(source, Some(cause.to_string()), "the cause is the source");
        let err = error.to_string();
        assert!(
            err.starts_with(&format!(
                "session \"[\"after-setup\",\"{kind}\"]\" (at tests/sessions.rs:"
            )),
            "{err}"
        );
        assert!(
            err.contains("validation failed immediately after creating the session"),
            "{err}"
        );
        assert!(err.contains(expected), "{kind}: {err}");
        assert!(
            session_test::sessions::get_session(&["after-setup", kind]).is_err(),
            "nothing cached"
        );
        valid.set(true);
        assert_eq!(
            login()?,
            SessionStatus::Created,
            "a later call retries setup"
        );
    }
    let _ = page;
    Ok(())
}

#[session_test]
fn setup_errors_and_panics_name_id_and_place_and_cache_nothing(
    page: &Page,
) -> session_test::Result<()> {
    let fail = std::cell::Cell::new(true);
    let call = |panic: bool| {
        session!(
            if panic { "setup-panics" } else { "setup-fails" },
            |_: &Page| {
                if fail.get() {
                    if panic {
                        panic!("setup blew up");
                    }
                    return Err(Error::msg("no element matches `#login`"));
                }
                Ok(())
            }
        )
    };
    let err = call(false).unwrap_err().to_string();
    assert!(
        err.starts_with("session \"setup-fails\" (at tests/sessions.rs:"),
        "{err}"
    );
    assert!(
        err.ends_with("setup failed: no element matches `#login`"),
        "{err}"
    );
    let error = call(true).unwrap_err();
    assert!(
        matches!(&error, Error::SetupFailed { cause, .. } if matches!(**cause, Error::Panicked { step: "setup", .. })),
        "{error}"
    );
    let err = error.to_string();
    assert!(
        err.contains("setup failed: setup panicked: setup blew up"),
        "{err}"
    );
    fail.set(false);
    assert_eq!(call(false)?, SessionStatus::Created);
    assert_eq!(call(true)?, SessionStatus::Created);
    let _ = page;
    Ok(())
}

fn shared_helper() -> session_test::Result<SessionStatus> {
    session!("same-helper", |page: &Page| page.visit("about:blank"))
}

#[session_test]
fn same_id_with_different_setup_is_an_error(page: &Page) -> session_test::Result<()> {
    // The same helper from two call sites is one definition.
    shared_helper()?;
    assert_eq!(shared_helper()?, SessionStatus::Restored);
    session!("conflict", |page: &Page| page.visit("about:blank"))?;
    let err = session!("conflict", |page: &Page| page.visit("about:blank#other"))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("session \"conflict\" already exists with a different definition"),
        "{err}"
    );
    assert!(err.contains("use a unique id"), "{err}");
    let _ = page;
    Ok(())
}

#[test]
fn eight_parallel_tests_on_one_id_log_in_once() {
    let sites = Arc::new(DemoSites::start().unwrap());
    let start = Arc::new(Barrier::new(8));
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let (sites, start) = (Arc::clone(&sites), Arc::clone(&start));
            std::thread::spawn(move || {
                session_test::harness::run_page_test(&format!("parallel_{i}"), |page| {
                    start.wait();
                    session!(
                        "parallel-one-id",
                        |page: &Page| form_login(page, &sites, "frank"),
                        validate = |page: &Page| whoami_ok(page, &sites)
                    )?;
                    page.visit(&sites.app.url("/home"))?;
                    assert_eq!(page.text("#hello")?, "hello frank");
                    Ok(())
                })
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap().unwrap();
    }
    assert_eq!(sites.app.logins(), 1);
}

#[session_test]
fn ten_sessions_in_one_test(page: &Page) -> session_test::Result<()> {
    let sites = DemoSites::start()?;
    for i in 0..10 {
        let user = format!("user{i}");
        session!(["many", &user], |page: &Page| api_login(
            page, &sites, &user
        ))?;
    }
    for i in 0..10 {
        let user = format!("user{i}");
        assert_eq!(
            session!(["many", &user], |page: &Page| api_login(
                page, &sites, &user
            ))?,
            SessionStatus::Restored
        );
        let token = page.local_storage(&sites.auth.base_url())?;
        let who = page
            .request()
            .header(
                "Authorization",
                &format!(
                    "Bearer {}",
                    token.get("token").unwrap_or_else(|| panic!(
                        "no token for {user}: {token:?}, saved {:?}",
                        session_test::sessions::get_session(&["many", &user])
                    ))
                ),
            )
            .get(&sites.auth.url("/whoami"))?
            .json::<serde_json::Value>()?;
        assert_eq!(who["name"], user.as_str());
    }
    assert_eq!(sites.auth.logins(), 10);
    Ok(())
}

/// One definition, used twice below: its setup checks that what the test set before is gone.
fn cleared_first(origin: &str) -> session_test::Result<SessionStatus> {
    session!("cleared-first", |page: &Page| {
        assert!(
            page.cookies()?.is_empty(),
            "cookies set before session! are gone in setup"
        );
        assert_eq!(page.url()?, "about:blank");
        assert!(
            page.local_storage(origin)?.is_empty(),
            "storage set before session! is gone"
        );
        // A cookie for a third domain is captured and restored too.
        page.set_cookie(&session_test::Cookie::new(
            "third",
            "party",
            "third.localhost",
        ))
    })
}

#[session_test]
fn data_is_cleared_before_setup_and_page_left_blank(page: &Page) -> session_test::Result<()> {
    let sites = DemoSites::start()?;
    page.visit(&sites.app.url("/blank"))?;
    page.eval("localStorage.setItem('before', '1'); document.cookie = 'before=1; path=/'")?;
    let origin = sites.app.base_url();
    assert_eq!(cleared_first(&origin)?, SessionStatus::Created);
    assert_eq!(page.url()?, "about:blank");
    assert_eq!(cleared_first(&origin)?, SessionStatus::Restored);
    let cookies = page.cookies()?;
    assert_eq!(cookies.len(), 1, "{cookies:?}");
    assert_eq!(
        (cookies[0].name.as_str(), cookies[0].domain.as_str()),
        ("third", "third.localhost")
    );
    assert!(page.local_storage(&origin)?.get("before").is_none());
    Ok(())
}

/// C5: origins loaded in iframes are captured too (here a same-site origin on another port,
/// which shares the tab's process and unpartitioned storage).
#[session_test]
fn origins_loaded_in_iframes_are_captured(page: &Page) -> session_test::Result<()> {
    let sites = DemoSites::start()?;
    let other = session_test_demo_app::DemoApp::start("app.localhost")?;
    let inner = other.url("/store?key=framed&value=yes");
    let setup = |page: &Page| -> session_test::Result<()> {
        page.visit(&format!(
            "{}?src={}",
            sites.app.url("/frame"),
            inner
                .replace('&', "%26")
                .replace('?', "%3F")
                .replace('=', "%3D")
        ))?;
        // The load event waits for the iframe, whose inline script stores the item.
        Ok(())
    };
    session!("iframe-origins", setup)?;
    let data = session_test::sessions::get_session("iframe-origins")?;
    assert_eq!(
        data.local_storage_of(&other.base_url()).get("framed"),
        Some("yes"),
        "{data:?}"
    );
    assert_eq!(session!("iframe-origins", setup)?, SessionStatus::Restored);
    assert_eq!(
        page.local_storage(&other.base_url())?.get("framed"),
        Some("yes")
    );
    Ok(())
}

#[session_test]
fn switching_users_inside_one_test(page: &Page) -> session_test::Result<()> {
    let sites = DemoSites::start()?;
    let login = |user: &str| {
        session!(
            ["switch", user],
            |page: &Page| form_login(page, &sites, user),
            validate = |page: &Page| whoami_ok(page, &sites)
        )
    };
    for user in ["alice", "bob", "alice", "bob"] {
        login(user)?;
        page.visit(&sites.app.url("/home"))?;
        assert_eq!(page.text("#hello")?, format!("hello {user}"));
    }
    assert_eq!(sites.app.logins(), 2);
    Ok(())
}

#[session_test]
fn what_setup_leaves_is_what_is_captured(page: &Page) -> session_test::Result<()> {
    let sites = DemoSites::start()?;
    let (app, auth) = (sites.app.base_url(), sites.auth.base_url());
    let setup = |page: &Page| -> session_test::Result<()> {
        form_login(page, &sites, "gina")?;
        page.eval("document.cookie = 'extra=1; path=/'; localStorage.setItem('gone', 'x')")?;
        page.remove_cookie("extra", "app.localhost")?;
        page.remove_local_storage(&app, "gone")?;
        page.set_local_storage(&app, "added", "yes")?;
        page.visit("about:blank")?; // the token goes in while the page is on about:blank
        page.set_local_storage(&auth, "token", "t")
    };
    session!("captured-state", setup)?;
    let data = session_test::sessions::get_session("captured-state")?;
    let names: Vec<&str> = data.cookies.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["sid"]);
    assert_eq!(data.local_storage_of(&app).get("added"), Some("yes"));
    assert_eq!(data.local_storage_of(&app).get("gone"), None);
    assert_eq!(data.local_storage_of(&auth).get("token"), Some("t"));
    assert!(
        !format!("{data:?}").contains("yes"),
        "Debug shows storage values"
    );
    assert_eq!(session!("captured-state", setup)?, SessionStatus::Restored);
    assert_eq!(page.local_storage(&auth)?.get("token"), Some("t"));
    Ok(())
}

#[session_test]
fn helpers_get_clear_and_forget_sessions(page: &Page) -> session_test::Result<()> {
    let sites = DemoSites::start()?;
    let login = || session!("helpers", |page: &Page| form_login(page, &sites, "hank"));
    match session_test::sessions::get_session("helpers") {
        Err(e) => assert_eq!(e.to_string(), "session with id \"helpers\" not found"),
        Ok(_) => panic!("not created yet"),
    }
    login()?;
    assert_eq!(
        session_test::sessions::get_session("helpers")?
            .cookies
            .len(),
        1
    );
    // D3: the current data, read while the page is on about:blank.
    page.set_local_storage(&sites.app.base_url(), "k", "v")?;
    let current = session_test::sessions::get_current_session_data()?;
    assert_eq!(current.cookies.len(), 1);
    assert_eq!(
        current.local_storage_of(&sites.app.base_url()).get("k"),
        Some("v")
    );
    assert_eq!(page.url()?, "about:blank", "left where it was");
    // D2: clears everything of the context.
    session_test::sessions::clear_current_session_data()?;
    assert!(page.cookies()?.is_empty());
    assert!(page.local_storage(&sites.app.base_url())?.is_empty());
    assert_eq!(page.url()?, "about:blank");
    // D5: forget one; the next call creates it again.
    assert!(session_test::sessions::clear_session("helpers")?);
    assert!(!session_test::sessions::clear_session("helpers")?);
    assert_eq!(login()?, SessionStatus::Created);
    assert_eq!(sites.app.logins(), 2);
    Ok(())
}

static CURRENT_CHECKED: AtomicUsize = AtomicUsize::new(0);

/// D3 in a new test right after a restore: the restored storage is the test's before its
/// origin loads again (the new tab has loaded nothing), and the page stays on about:blank.
fn current_data_after_restore(page: &Page) -> session_test::Result<()> {
    let app = &support::sites().app;
    let status = session!("current-after-restore", |page: &Page| {
        page.visit(&app.url("/blank"))?;
        page.eval("localStorage.setItem('token', 't-ida')")?;
        Ok(())
    })?;
    if status == SessionStatus::Restored {
        let current = session_test::sessions::get_current_session_data()?;
        assert_eq!(
            current.local_storage_of(&app.base_url()).get("token"),
            Some("t-ida")
        );
        assert_eq!(page.url()?, "about:blank");
        CURRENT_CHECKED.fetch_add(1, Ordering::SeqCst);
    }
    Ok(())
}

#[session_test(ignore)]
fn current_after_restore_a(page: &Page) -> session_test::Result<()> {
    current_data_after_restore(page)
}

#[session_test(ignore)]
fn current_after_restore_b(page: &Page) -> session_test::Result<()> {
    current_data_after_restore(page)
}

/// The two run one after the other in this process: one creates, the other restores.
#[test]
fn current_data_right_after_a_restore_holds_the_restored_storage() {
    assert_eq!(support::run_together("current_after_restore_", 1), (2, 0));
    assert_eq!(CURRENT_CHECKED.load(Ordering::SeqCst), 1);
}

#[session_test]
fn session_outside_a_test_is_an_error(_page: &Page) -> session_test::Result<()> {
    let err = std::thread::spawn(|| {
        session!("no-test", |_: &Page| Ok::<(), Error>(()))
            .unwrap_err()
            .to_string()
    })
    .join()
    .unwrap();
    assert_eq!(err, "`session!` can only be called while a #[session_test] runs (no current test on this thread)");
    Ok(())
}

static IN_SETUP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
static BREAK_SETUP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// A login whose setup, while BREAK_SETUP is set, fails once another test waits for it.
fn flaky_login() -> session_test::Result<SessionStatus> {
    let id = "fails-while-others-wait";
    session!(id, |_: &Page| -> session_test::Result<()> {
        if !BREAK_SETUP.load(Ordering::SeqCst) {
            return Ok(());
        }
        IN_SETUP.store(true, Ordering::SeqCst);
        assert!(
            support::poll_until(Duration::from_secs(30), || {
                session_test::__private::session_waiters(id) > 0
            }),
            "the waiter never came"
        );
        Err(Error::msg("the login form is broken"))
    })
}

/// SPEC C9: a setup that fails while others wait for it releases them with an error and
/// caches nothing; a later call runs setup again.
#[test]
fn waiters_of_a_failing_setup_get_an_error() {
    let creator = std::thread::spawn(|| {
        let mut err = String::new();
        session_test::harness::run_page_test("creator", |_| {
            err = flaky_login().unwrap_err().to_string();
            Ok(())
        })
        .unwrap();
        err
    });
    assert!(
        support::poll_until(Duration::from_secs(30), || IN_SETUP.load(Ordering::SeqCst)),
        "the creator never started setup"
    );
    let mut waiter_err = String::new();
    session_test::harness::run_page_test("waiter", |_| {
        waiter_err = flaky_login().unwrap_err().to_string();
        Ok(())
    })
    .unwrap();
    let creator_err = creator.join().unwrap();
    assert!(
        creator_err.contains("setup failed: the login form is broken"),
        "{creator_err}"
    );
    assert_eq!(
        waiter_err,
        "session \"fails-while-others-wait\": another test was creating it and failed: \
         the login form is broken"
    );
    assert!(
        session_test::sessions::get_session("fails-while-others-wait").is_err(),
        "nothing cached"
    );
    BREAK_SETUP.store(false, Ordering::SeqCst);
    session_test::harness::run_page_test("later", |_| {
        assert_eq!(flaky_login()?, SessionStatus::Created);
        Ok(())
    })
    .unwrap();
}

/// Restored storage is applied once, to the origin's first document: a logout that clears
/// storage is not undone by the next page load.
#[session_test]
fn a_logout_after_restore_stays_logged_out(page: &Page) -> session_test::Result<()> {
    let sites = DemoSites::start()?;
    let login = || session!("logout-stays", |page: &Page| api_login(page, &sites, "ivy"));
    login()?;
    assert_eq!(login()?, SessionStatus::Restored);
    page.visit(&sites.auth.url("/app"))?;
    page.wait_for("#hello:not(:empty)")?;
    assert_eq!(page.text("#hello")?, "hello ivy");
    page.eval("localStorage.clear()")?; // the app's logout
    page.visit(&sites.auth.url("/app"))?;
    page.wait_for("#hello:not(:empty)")?;
    assert_eq!(page.text("#hello")?, "not logged in");
    Ok(())
}

session_test::define_session!(
    before_fails,
    setup = |page: &Page| page.visit("about:blank"),
    before = |_: &Page| Err(Error::msg("the fixture is not ready"))
);

#[session_test]
fn a_failing_definition_step_names_it_and_keeps_its_error(
    _page: &Page,
) -> session_test::Result<()> {
    let error = session_test::use_session!(before_fails).unwrap_err();
    assert!(
        matches!(&error, Error::HookFailed { which: "before", cause, .. }
            if matches!(&**cause, Error::Message(m) if m == "the fixture is not ready")),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        "session \"before_fails\": its `before` step failed: the fixture is not ready"
    );
    let source = std::error::Error::source(&error).map(|c| c.to_string());
    assert_eq!(source.as_deref(), Some("the fixture is not ready"));
    Ok(())
}
