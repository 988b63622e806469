//! Passkeys (README, "Passkeys"): a virtual authenticator in the context's tabs; a page
//! registers and signs in with it, and the test lists, removes, clears and adds back its
//! credentials, keys and counters included. A passkey session (`passkeys = true`) registers
//! once; later tests get the passkey back with a counter that only grew.

mod support;

use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

use session_test::{session, session_test, AuthenticatorOptions, Page, SessionStatus};

use support::passkeys::{self, REGISTER, SIGN_IN};

#[session_test]
fn a_page_registers_and_signs_in_with_a_passkey_the_test_can_hold(
    page: &Page,
) -> session_test::Result<()> {
    page.visit(&support::sites().app.url("/blank"))?;
    let passkeys = page.context().credentials();
    assert!(passkeys.list().is_err(), "nothing installed yet");
    passkeys.install(AuthenticatorOptions::default())?;
    let id = page.eval(REGISTER)?;
    let id = id.as_str().unwrap().to_owned();
    assert!(!id.starts_with("failed"), "registration: {id}");
    let listed = passkeys.list()?;
    assert_eq!(listed.len(), 1);
    let passkey = listed[0].clone();
    assert_eq!(passkey.id_base64url(), id);
    assert_eq!(passkey.rp_id(), "app.localhost");
    assert_eq!(passkey.user_handle(), Some(&[1u8, 2, 3, 4][..]));
    assert!(passkey.is_resident() && !passkey.private_key().is_empty());
    // A sign-in signs once more.
    assert_eq!(page.eval(SIGN_IN)?, id.as_str());
    let count = passkeys.list()?[0].sign_count();
    assert!(count > passkey.sign_count(), "{count} after {passkey:?}");
    // Held by the test: cleared, the page cannot sign in; added back, it can.
    passkeys.clear()?;
    assert!(passkeys.list()?.is_empty());
    assert_eq!(page.eval(SIGN_IN)?, "failed: NotAllowedError");
    passkeys.add(&passkey.clone().with_sign_count(count))?;
    assert_eq!(page.eval(SIGN_IN)?, id.as_str());
    passkeys.remove(passkey.id())?;
    assert!(passkeys.list()?.is_empty());
    // No secret in what a test prints.
    let shown = format!("{passkey:?}");
    assert!(shown.contains("<redacted>"), "{shown}");
    Ok(())
}

/// How often the passkey session's setup ran in this process, and the counter the last test
/// left its passkey at.
static REGISTRATIONS: AtomicUsize = AtomicUsize::new(0);
static LAST_COUNT: AtomicU32 = AtomicU32::new(0);

/// The passkey session: setup registers a passkey; validate signs in with it.
fn passkey_login() -> session_test::Result<SessionStatus> {
    support::sites();
    session!(
        "passkey-alice",
        |page: &Page| {
            REGISTRATIONS.fetch_add(1, Ordering::SeqCst);
            passkeys::on_blank(page, REGISTER).map(drop)
        },
        validate = |page: &Page| passkeys::on_blank(page, SIGN_IN).map(drop),
        passkeys = true
    )
}

/// One test of the passkey session: signs in, and checks the counter only grew since the
/// test before.
fn uses_the_passkey(page: &Page, expected: SessionStatus) -> session_test::Result<()> {
    assert_eq!(passkey_login()?, expected);
    let count = passkeys::signs_in(page)?;
    let before = LAST_COUNT.swap(count, Ordering::SeqCst);
    assert!(count > before, "the counter went from {before} to {count}");
    assert_eq!(REGISTRATIONS.load(Ordering::SeqCst), 1, "one registration");
    Ok(())
}

#[session_test(ignore)]
fn passkey_session_1_registers(page: &Page) -> session_test::Result<()> {
    uses_the_passkey(page, SessionStatus::Created)
}

#[session_test(ignore)]
fn passkey_session_2_restores(page: &Page) -> session_test::Result<()> {
    uses_the_passkey(page, SessionStatus::Restored)
}

#[session_test(ignore)]
fn passkey_session_3_restores_again(page: &Page) -> session_test::Result<()> {
    uses_the_passkey(page, SessionStatus::Restored)
}

/// The three in order, in a process of their own, in each mode of context reuse.
#[test]
fn a_passkey_session_registers_once_and_its_counter_only_grows() {
    support::passes_in_both_modes("passkey_session_", 3);
}

#[session_test]
fn a_later_tab_signs_in_with_the_contexts_passkey(page: &Page) -> session_test::Result<()> {
    let app = &support::sites().app;
    let blank = app.url("/blank");
    page.visit(&app.url(&format!("/popup/opener?url={blank}")))?;
    let passkeys = page.context().credentials();
    passkeys.install(AuthenticatorOptions::default())?;
    let id = page.eval(REGISTER)?;
    let popup = page.wait_for_popup(|| page.click("#popup"))?;
    session_test::expect(&popup).to_have_url(blank.as_str())?;
    assert_eq!(popup.eval(SIGN_IN)?, id);
    // One passkey, listed once, with the count of its latest use.
    let listed = passkeys.list()?;
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert!(listed[0].sign_count() > 0);
    Ok(())
}

/// A demo app, and an empty cache directory named for the test.
fn app_and_cache(name: &str) -> (session_test_demo_app::DemoApp, std::path::PathBuf) {
    let app = session_test_demo_app::DemoApp::start("app.localhost").unwrap();
    let dir = std::env::temp_dir().join(format!("st-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    (app, dir)
}

/// Two test binaries one after the other, one cache directory: the second restores the
/// passkey from the file (0600) the first left, its counter where the first left it.
#[test]
fn a_persisted_passkey_session_crosses_two_binaries_with_one_registration() {
    use std::os::unix::fs::PermissionsExt;
    let (app, dir) = app_and_cache("passkeys");
    let run = |binary: &str, test: &str| {
        let shown = support::children::run_on_disk(binary, test, &app.base_url(), &dir);
        let count = support::children::printed_after(&shown, "count: ");
        (
            support::children::printed_after(&shown, "status: "),
            count.parse::<u32>().unwrap(),
        )
    };
    let (first, after_first) = run("fixture_rotating_a", "passkey_on_disk_first");
    assert_eq!(first, "created");
    let (second, after_second) = run("fixture_rotating_b", "passkey_on_disk_second");
    assert_eq!(second, "restored");
    assert!(
        after_second > after_first,
        "{after_first} then {after_second}"
    );
    for file in std::fs::read_dir(&dir).unwrap().flatten() {
        let mode = file.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", file.path().display());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A passkey in a session file that the browser will not take back (here a damaged key): a
/// warning naming its relying party, and the session set up again; no key printed.
#[test]
fn a_saved_passkey_the_browser_refuses_is_set_up_again_with_a_warning() {
    let (app, dir) = app_and_cache("passkey-bad");
    let run = |binary: &str, test: &str| {
        support::children::run_on_disk(binary, test, &app.base_url(), &dir)
    };
    let first = run("fixture_rotating_a", "passkey_on_disk_first");
    assert_eq!(
        support::children::printed_after(&first, "status: "),
        "created"
    );
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .expect("the session file");
    let mut saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let key = saved["data"]["credentials"][0]["private_key"].take();
    assert!(key.as_array().is_some_and(|k| k.len() > 16), "{key}");
    saved["data"]["credentials"][0]["private_key"] = serde_json::json!([1, 2, 3]);
    std::fs::write(&file, serde_json::to_vec(&saved).unwrap()).unwrap();
    let second = run("fixture_rotating_b", "passkey_on_disk_second");
    assert_eq!(
        support::children::printed_after(&second, "status: "),
        "recreated"
    );
    assert!(
        second.contains("a saved passkey for app.localhost could not be put back"),
        "{second}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
