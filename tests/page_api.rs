//! The Page API (SPEC G1, G2) against the demo app, over real HTTP in real Chromium.

mod support;

use session_test::{session_test, Context, Cookie, Error, Page};

#[session_test]
fn form_login_shows_hello_and_counts_one_login(page: &Page) -> session_test::Result<()> {
    let sites = support::sites();
    let before = sites.app.logins();
    page.visit("/login")?;
    page.fill("[data-test=name]", "alice")?;
    page.fill("[data-test=password]", "s3cr3t")?;
    page.click("#submit")?;
    // click waited for the form's navigation: the page is already on /home.
    assert!(page.url()?.ends_with("/home"), "{}", page.url()?);
    assert_eq!(page.text("#hello")?, "hello alice");
    assert!(sites.app.logins() > before);
    let sid = page
        .cookies()?
        .into_iter()
        .find(|c| c.name == "sid")
        .expect("sid cookie");
    assert!(sid.http_only);
    assert_eq!(sid.domain, "app.localhost");
    assert!(
        !format!("{sid:?}").contains(&sid.value),
        "Debug shows the cookie value"
    );
    Ok(())
}

#[session_test]
fn wrong_password_shows_the_error_page(page: &Page) -> session_test::Result<()> {
    support::sites();
    page.visit("/login")?;
    page.fill("[data-test=name]", "mallory")?;
    page.fill("[data-test=password]", "guess")?;
    page.press("Enter")?; // the password field still has focus
    assert_eq!(page.text("#error")?, "wrong password");
    Ok(())
}

#[session_test]
fn fill_replaces_and_type_text_appends(page: &Page) -> session_test::Result<()> {
    support::sites();
    page.visit("/login")?;
    page.fill("[data-test=name]", "first")?;
    page.fill("[data-test=name]", "alice")?;
    page.type_text("[data-test=name]", "bob")?;
    assert_eq!(
        page.eval("document.querySelector('[data-test=name]').value")?,
        "alicebob"
    );
    assert_eq!(
        page.attr("[data-test=password]", "type")?.as_deref(),
        Some("password")
    );
    assert_eq!(page.attr("[data-test=password]", "no-such-attr")?, None);
    assert!(page.exists("#submit")?);
    assert!(!page.exists("#nothing")?);
    Ok(())
}

#[session_test]
fn eval_awaits_promises_and_reports_exceptions(page: &Page) -> session_test::Result<()> {
    assert_eq!(
        page.eval("new Promise(r => setTimeout(() => r(41 + 1), 20))")?,
        42
    );
    assert_eq!(page.eval("undefined")?, serde_json::Value::Null);
    match page.eval("throw new Error('boom')") {
        Err(Error::JavaScript { message }) => assert!(message.contains("boom"), "{message}"),
        other => panic!("expected a JavaScript error, got {other:?}"),
    }
    Ok(())
}

#[session_test]
fn token_page_reads_local_storage(page: &Page) -> session_test::Result<()> {
    let sites = support::sites();
    page.visit("/api-login")?;
    page.fill("[data-test=name]", "carol")?;
    page.fill("[data-test=password]", "s3cr3t")?;
    page.click("#submit")?;
    // The page logs in with fetch and then navigates by script: wait for the result.
    page.wait_for("#hello:not(:empty)")?;
    assert_eq!(page.text("#hello")?, "hello carol");
    assert_eq!(page.title()?, "app");
    let token = page.local_storage(&sites.app.base_url())?;
    assert!(token.get("token").is_some_and(|t| !t.is_empty()));
    assert!(!format!("{token:?}").contains(token.get("token").unwrap()));
    Ok(())
}

#[session_test]
fn visit_resolves_relative_and_absolute_urls(page: &Page) -> session_test::Result<()> {
    let sites = support::sites();
    page.visit(&sites.auth.url("/blank"))?;
    assert_eq!(page.url()?, sites.auth.url("/blank"));
    page.visit("/blank")?;
    assert_eq!(page.url()?, sites.app.url("/blank"));
    page.visit("/blank#section")?; // same-document: no load event, must not hang
    assert!(page.url()?.ends_with("#section"));
    Ok(())
}

#[session_test]
fn navigation_errors_name_the_url(page: &Page) -> session_test::Result<()> {
    // A port nothing listens on: bind one, then close it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let url = format!("http://app.localhost:{port}/");
    match page.visit(&url) {
        Err(Error::Navigation { url: u, reason }) => {
            assert_eq!(u, url);
            assert!(reason.contains("ERR_CONNECTION_REFUSED"), "{reason}");
        }
        other => panic!("expected a navigation error, got {other:?}"),
    }
    Ok(())
}

/// A limit with margin for the visit before the wait, on a loaded machine.
#[session_test(timeout = 3)]
fn waits_time_out_naming_the_selector(page: &Page) -> session_test::Result<()> {
    support::sites();
    page.visit("/blank")?;
    match page.text("#never") {
        Err(Error::Timeout { what, .. }) => assert_eq!(what, "an element matching `#never`"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    Ok(())
}

#[session_test]
fn screenshot_is_a_png(page: &Page) -> session_test::Result<()> {
    support::sites();
    page.visit("/login")?;
    let png = page.screenshot()?;
    assert!(png.starts_with(b"\x89PNG\r\n"));
    Ok(())
}

#[session_test]
fn tab_is_headless_chromes_view_of_the_same_target(page: &Page) -> session_test::Result<()> {
    let sites = support::sites();
    page.visit("/login")?;
    let tab = page.tab()?;
    assert_eq!(tab.get_target_id(), page.target_id());
    assert_eq!(tab.get_url(), sites.app.url("/login"));
    let found = tab.find_element("#submit")?;
    assert_eq!(found.get_inner_text()?, "Log in");
    Ok(())
}

#[session_test]
fn current_page_is_the_tests_page(page: &Page) -> session_test::Result<()> {
    let current = session_test::current_page("test")?;
    assert_eq!(current.target_id(), page.target_id());
    Ok(())
}

#[test]
fn current_page_outside_a_test_is_an_error() {
    let err = session_test::current_page("session!").unwrap_err();
    assert_eq!(
        err.to_string(),
        "`session!` can only be called while a #[session_test] runs (no current test on this thread)"
    );
}

#[test]
fn chromium_discovery_error_says_what_was_searched_and_how_to_install() {
    let err = session_test::browser::find_chromium_in(
        Some("/nonexistent/chrome".into()),
        Some("/nonexistent-bin".into()),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Chromium not found: searched $CHROME (/nonexistent/chrome), then chromium, \
         chromium-browser, google-chrome on $PATH. Install it (Debian/Ubuntu: `apt-get install \
         chromium`; Fedora: `dnf install chromium`; Arch: `pacman -S chromium`) or set $CHROME \
         to the browser's path"
    );
    // Found through PATH when $CHROME is unset.
    let dir = std::env::temp_dir().join(format!("st-path-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fake = dir.join("chromium-browser");
    std::fs::write(&fake, "#!/bin/sh\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let found = session_test::browser::find_chromium_in(None, Some(dir.clone().into())).unwrap();
    assert_eq!(found, fake);
    std::fs::remove_dir_all(dir).unwrap();
}

#[session_test]
fn pressing_an_unknown_key_names_it_and_the_known_ones(page: &Page) -> session_test::Result<()> {
    support::sites();
    page.visit("/login")?;
    let error = page.press("Hyper").unwrap_err();
    assert!(
        matches!(&error, Error::UnknownKey { key, known } if key == "Hyper" && known.contains("Enter")),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .starts_with("unknown key `Hyper`; expected one character or one of "),
        "{error}"
    );
    Ok(())
}

#[session_test]
fn storage_items_are_set_and_removed_from_another_origin(page: &Page) -> session_test::Result<()> {
    let sites = support::sites();
    let app = sites.app.base_url();
    page.visit(&sites.auth.url("/blank"))?;
    page.set_local_storage(&app, "kept", "1")?;
    page.set_local_storage(&app, "gone", "2")?;
    page.remove_local_storage(&app, "gone")?;
    page.set_session_storage(&app, "tab", "3")?;
    page.set_session_storage(&app, "tab-gone", "4")?;
    page.remove_session_storage(&app, "tab-gone")?;
    let local = page.local_storage(&app)?;
    let session = page.session_storage(&app)?;
    assert_eq!((local.get("kept"), local.get("gone")), (Some("1"), None));
    assert_eq!(
        (session.get("tab"), session.get("tab-gone")),
        (Some("3"), None)
    );
    page.visit(&sites.app.url("/blank"))?;
    assert_eq!(page.eval("localStorage.getItem('kept')")?, "1");
    Ok(())
}

#[session_test]
fn the_context_holds_cookies_permissions_and_tabs(page: &Page) -> session_test::Result<()> {
    let sites = support::sites();
    let app = sites.app.base_url();
    let context = page.context();
    assert_eq!(context.id(), page.browser_context_id());
    // Cookies and localStorage belong to the context: what one handle writes, the other reads.
    context.set_cookie(&Cookie::new("flavour", "oat", "app.localhost"))?;
    let names = |cookies: Vec<Cookie>| cookies.into_iter().map(|c| c.name).collect::<Vec<_>>();
    assert_eq!(names(page.cookies()?), ["flavour"]);
    context.clear_cookies()?;
    assert!(page.cookies()?.is_empty());
    context.set_local_storage(&app, "k", "v")?;
    assert_eq!(page.local_storage(&app)?.get("k"), Some("v"));
    // Permissions, granted to one origin and taken back.
    page.visit(&sites.app.url("/popup/opener"))?;
    let geolocation = "navigator.permissions.query({ name: 'geolocation' }).then(s => s.state)";
    assert_eq!(page.eval(geolocation)?, "prompt");
    context.grant_permissions(&["geolocation"], Some(&app))?;
    assert_eq!(page.eval(geolocation)?, "granted");
    context.clear_permissions()?;
    assert_eq!(page.eval(geolocation)?, "prompt");
    let bad = context.grant_permissions(&["geolocation"], Some("not a url"));
    assert!(matches!(bad, Err(Error::InvalidUrl { .. })), "{bad:?}");
    // Its tabs: the test's, then the popup it opened, until that closes.
    let popup = page.wait_for_popup(|| page.click("#popup"))?;
    let ids = |c: &Context| {
        c.pages()
            .iter()
            .map(|p| p.target_id().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&context), [page.target_id(), popup.target_id()]);
    assert_eq!(popup.context().id(), context.id());
    popup.close();
    assert_eq!(ids(&context), [page.target_id()]);
    Ok(())
}

#[session_test]
fn a_cookie_a_script_just_set_is_cleared_too(page: &Page) -> session_test::Result<()> {
    page.visit(&support::sites().app.url("/blank"))?;
    // The browser writes a script's cookie asynchronously: a clear that did not wait for the
    // write left the cookie behind, 2 times in 300 on a busy machine.
    for round in 0..300 {
        page.eval(&format!("document.cookie = 'c{round}=1; path=/'"))?;
        page.context().clear_cookies()?;
        let left = page.cookies()?;
        assert!(
            left.is_empty(),
            "round {round}: {left:?} survived the clear"
        );
    }
    Ok(())
}
