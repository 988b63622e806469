//! Sign-in in a popup, and the tabs a test's page opens: the demo app signs in in a popup on
//! the auth site, whose callback page hands a token to its opener and closes itself
//! (oidc-client-ts's `signinPopup`, MSAL's `loginPopup`). Logins are counted on both sites.

mod support;

use session_test::{expect, session, session_test, Page, SessionStatus};

use support::popup::{app, sign_in_in_a_popup, signed_in};

fn login() -> session_test::Result<SessionStatus> {
    session!("popup-alice", sign_in_in_a_popup, validate = signed_in)
}

#[session_test(ignore)]
fn sign_in_1_creates(page: &Page) -> session_test::Result<()> {
    assert_eq!(login()?, SessionStatus::Created);
    // The popup closed itself, and the test goes on in its own tab.
    page.visit(&app())?;
    expect(&page.locator("#signed-in-here")).to_have_text("yes")?;
    Ok(())
}

#[session_test(ignore)]
fn sign_in_2_restores(page: &Page) -> session_test::Result<()> {
    assert_eq!(login()?, SessionStatus::Restored);
    page.visit(&app())?;
    // The auth site's storage was written in the popup only, and it was captured too.
    let auth = support::sites().auth.base_url();
    assert_eq!(
        page.local_storage(&auth)?.get("remembered"),
        Some("this device")
    );
    // The test's own tab keeps its sessionStorage.
    expect(&page.locator("#signed-in-here")).to_have_text("yes")?;
    Ok(())
}

#[test]
fn a_sign_in_in_a_popup_logs_in_once_and_later_tests_restore_it() {
    assert_eq!(support::run_counting_logins("sign_in_"), ((2, 0), 1));
}

/// A restored session with nothing loaded yet: the session's tab goes to the auth site,
/// which opens the app in a tab of its own.
fn restored_then_on_the_auth_site(page: &Page) -> session_test::Result<()> {
    session!("tabs-alice", sign_in_in_a_popup)?;
    let opener = support::sites()
        .auth
        .url(&format!("/popup/opener?url={}", support::urlencode(&app())));
    page.visit(&opener)?;
    Ok(())
}

#[session_test(ignore)]
fn tabs_1_sign_in(page: &Page) -> session_test::Result<()> {
    restored_then_on_the_auth_site(page)
}

#[session_test(ignore)]
fn tabs_2_a_new_tab_sees_the_restored_local_storage(page: &Page) -> session_test::Result<()> {
    restored_then_on_the_auth_site(page)?;
    let tab = page.wait_for_popup(|| page.click("#new-tab"))?;
    expect(&tab.locator("#who")).to_have_text("alice")?;
    // A new tab (no opener) starts with an empty sessionStorage.
    expect(&tab.locator("#signed-in-here")).to_have_text("")?;
    Ok(())
}

#[session_test(ignore)]
fn tabs_3_a_popup_gets_a_copy_of_the_restored_session_storage(
    page: &Page,
) -> session_test::Result<()> {
    restored_then_on_the_auth_site(page)?;
    let popup = page.wait_for_popup(|| page.click("#popup"))?;
    expect(&popup.locator("#who")).to_have_text("alice")?;
    expect(&popup.locator("#signed-in-here")).to_have_text("yes")?;
    Ok(())
}

#[session_test(ignore)]
fn tabs_4_session_closes_the_other_tabs(page: &Page) -> session_test::Result<()> {
    restored_then_on_the_auth_site(page)?;
    let tab = page.wait_for_popup(|| page.click("#new-tab"))?;
    expect(&tab.locator("#who")).to_have_text("alice")?;
    session!("tabs-alice", sign_in_in_a_popup)?;
    assert!(tab.is_closed());
    let err = tab.eval("1").unwrap_err();
    assert!(
        matches!(err, session_test::Error::TabClosed { .. }),
        "{err}"
    );
    Ok(())
}

#[test]
fn tabs_a_test_opens_get_the_restored_storage_by_the_browsers_rules() {
    assert_eq!(support::run_counting_logins("tabs_"), ((4, 0), 1));
}

/// A popup whose page runs a worker goes with its context (the worker's watch is dropped
/// with the popup's page, not on the connection's lock), and the connection goes on.
#[session_test]
fn a_popup_running_a_worker_closes_with_its_context(page: &Page) -> session_test::Result<()> {
    let sites = support::sites();
    let opener = format!(
        "/popup/opener?url={}",
        support::urlencode(&sites.app.url("/blank"))
    );
    let other = Page::new_isolated()?;
    other.visit(&opener)?;
    let popup = other.wait_for_popup(|| other.click("#popup"))?;
    let echoed = popup.eval(
        "new Promise(ok => { const w = new Worker(URL.createObjectURL(new Blob( \
         ['onmessage = e => postMessage(e.data)']))); w.onmessage = e => ok(e.data); \
         w.postMessage('echo'); window.w = w; })",
    )?;
    assert_eq!(echoed, "echo", "the worker ran (attached and resumed)");
    other.close();
    // The connection still answers.
    page.visit(&opener)?;
    assert_eq!(page.eval("1 + 1")?, 2);
    Ok(())
}

/// Input goes to the tab it is for, brought to the front: an opener behind its popup is
/// hidden, and Chromium holds input to a hidden tab (about 5 s a click) and runs none of
/// its animation frames.
#[session_test]
fn input_brings_its_tab_to_the_front(page: &Page) -> session_test::Result<()> {
    support::sites();
    page.visit("/dialogs")?;
    let popup = page.wait_for_popup(|| page.click("#popup"))?;
    expect(&popup.locator("#draft")).to_be_visible()?;
    assert_eq!(page.eval("document.visibilityState")?, "hidden");
    page.click("#draft")?;
    assert_eq!(page.eval("document.visibilityState")?, "visible");
    assert_eq!(popup.eval("document.visibilityState")?, "hidden");
    popup.fill("#draft", "typed in the popup")?;
    assert_eq!(popup.eval("document.visibilityState")?, "visible");
    page.press("a")?;
    assert_eq!(page.eval("document.visibilityState")?, "visible");
    Ok(())
}
