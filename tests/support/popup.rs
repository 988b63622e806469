//! A sign-in in a popup: the demo app signs in in a popup on the auth site, whose callback
//! page hands a token to its opener and closes itself (oidc-client-ts's `signinPopup`,
//! MSAL's `loginPopup`). For `popup.rs` and `two_users.rs`.
#![allow(dead_code)]

use session_test::{expect, Page};

pub fn app() -> String {
    let sites = super::sites();
    format!(
        "{}?auth={}",
        sites.app.url("/popup/app"),
        sites.auth.base_url()
    )
}

pub fn sign_in_in_a_popup(page: &Page) -> session_test::Result<()> {
    page.visit(&app())?;
    let popup = page.wait_for_popup(|| page.click("#sign-in"))?;
    expect(&popup.locator("[data-test=name]")).to_be_visible()?;
    assert!(popup.url()?.starts_with(&super::sites().auth.base_url()));
    popup.fill("[data-test=name]", "alice")?;
    popup.fill("[data-test=password]", "s3cr3t")?;
    // The submit ends on the app's callback page, which closes the popup.
    popup.click("#submit")?;
    expect(&page.locator("#who")).to_have_text("alice")?;
    // Closed by its own page, which the test learns from the browser.
    let closed = super::poll_until(std::time::Duration::from_secs(10), || popup.is_closed());
    assert!(closed, "the popup is still open");
    let err = popup.eval("1").unwrap_err();
    assert_eq!(
        err.to_string(),
        "the tab closed while waiting for the reply to `Runtime.evaluate`"
    );
    Ok(())
}

pub fn signed_in(page: &Page) -> session_test::Result<bool> {
    page.visit(&app())?;
    expect(&page.locator("#who")).to_have_text("alice")?;
    Ok(true)
}
