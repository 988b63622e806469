//! Cross-site iframes: the auth site's sign-in widget, embedded by the app, keeps its token
//! in its own (partitioned) localStorage. The session captures and restores that partition,
//! clearing empties it, and locators reach into the iframe. Logins are counted on the server.

mod support;

use serde_json::Value;
use session_test::{expect, session, session_test, Page, SessionStatus};

fn host() -> String {
    let sites = support::sites();
    sites
        .app
        .url(&format!("/widget/host?auth={}", sites.auth.base_url()))
}

fn sign_in_in_the_widget(page: &Page) -> session_test::Result<()> {
    page.visit(&host())?;
    let widget = page.frame_locator("#widget");
    widget.locator("[data-test=name]").fill("alice")?;
    widget.locator("[data-test=password]").fill("s3cr3t")?;
    widget.get_by_role("button", Some("Sign in")).click()?;
    expect(&widget.locator("#who")).to_have_text("alice")
}

fn login() -> session_test::Result<SessionStatus> {
    session!("widget-alice", sign_in_in_the_widget)
}

#[session_test(ignore)]
fn widget_1_signs_in(page: &Page) -> session_test::Result<()> {
    assert_eq!(login()?, SessionStatus::Created);
    page.visit(&host())?;
    expect(&page.frame_locator("#widget").locator("#who")).to_have_text("alice")
}

/// A test without iframes between: with context reuse, the next test gets its context.
#[session_test(ignore)]
fn widget_1b_visits_a_plain_page(page: &Page) -> session_test::Result<()> {
    page.visit(&support::sites().app.url("/blank"))
}

#[session_test(ignore)]
fn widget_2_restores_into_the_partition(page: &Page) -> session_test::Result<()> {
    assert_eq!(login()?, SessionStatus::Restored);
    page.visit(&host())?;
    expect(&page.frame_locator("#widget").locator("#who")).to_have_text("alice")?;
    // The token is the iframe's, under the app: the auth site's own storage has none.
    page.visit(&support::sites().auth.url("/widget"))?;
    expect(&page.locator("#who")).to_have_text("signed out")
}

#[session_test(ignore)]
fn widget_3_clearing_empties_the_partition(page: &Page) -> session_test::Result<()> {
    assert_eq!(login()?, SessionStatus::Restored);
    page.visit(&host())?;
    expect(&page.frame_locator("#widget").locator("#who")).to_have_text("alice")?;
    session!("widget-nobody", |_: &Page| Ok(()))?;
    page.visit(&host())?;
    expect(&page.frame_locator("#widget").locator("#who")).to_have_text("signed out")
}

#[test]
fn a_cross_site_iframe_keeps_its_sign_in_across_tests_and_clearing_removes_it() {
    assert_eq!(support::run_counting_logins("widget_"), ((4, 0), 1));
    let sites = support::sites();
    let saved = session_test::sessions::get_session("widget-alice").expect("saved");
    let embedded = &saved.embedded;
    assert_eq!(embedded.len(), 1, "{embedded:?}");
    assert_eq!(embedded[0].origin, sites.auth.base_url());
    assert_eq!(embedded[0].top_level_origin, sites.app.base_url());
    assert!(embedded[0].local_storage.get("widget_token").is_some());
}

#[session_test(ignore)]
fn frame_locators_name_the_iframe(page: &Page) -> session_test::Result<()> {
    page.visit("/blank")?;
    let missing = page.frame_locator("#nowhere").locator("button");
    assert_eq!(missing.count()?, 0);
    assert_eq!(
        missing.to_string(),
        "#nowhere >> internal:control=enter-frame >> button"
    );
    Ok(())
}

#[test]
fn a_frame_locator_without_its_iframe_matches_nothing() {
    support::sites();
    assert_eq!(support::run_together("frame_locators_", 1), (1, 0));
}

/// The same tests in both modes, each in a process of its own on one thread: with context
/// reuse, the restore into the partition lands in the reused context of the plain test
/// before it (its new DevTools session was once taken for a new tab, whose frame watch let
/// the iframe run before its restore was in); without, each test gets a new context.
#[test]
fn a_cross_site_iframe_restores_into_a_reused_context_and_into_a_new_one() {
    support::passes_in_both_modes("widget_", 4);
}

#[session_test]
fn frames_list_a_tabs_documents_and_reach_into_each(page: &Page) -> session_test::Result<()> {
    let sites = support::sites();
    // A cross-site iframe: its own process, its own DevTools session.
    page.visit(&host())?;
    expect(&page.frame_locator("#widget").locator("[data-test=name]")).to_be_visible()?;
    let frames = page.frames()?;
    assert_eq!(frames.len(), 2, "{frames:?}");
    assert!(frames[0].is_main() && !frames[1].is_main());
    assert_eq!(frames[0].id(), page.main_frame().id());
    let widget = &frames[1];
    assert_eq!(widget.url()?, sites.auth.url("/widget"));
    let parent = widget.parent_frame()?.expect("an iframe has a parent");
    assert_eq!(parent.id(), page.target_id());
    assert_eq!(
        page.main_frame().parent_frame()?.map(|f| f.id().to_owned()),
        None
    );
    let children = page.main_frame().child_frames()?;
    assert_eq!(children.len(), 1);
    assert_eq!(children[0].id(), widget.id());
    assert_eq!(widget.eval("location.origin")?, sites.auth.base_url());
    // Its locators: real clicks, hit-tested through the iframe.
    widget.locator("[data-test=name]").fill("alice")?;
    widget.locator("[data-test=password]").fill("s3cr3t")?;
    widget.get_by_role("button", Some("Sign in")).click()?;
    expect(&widget.locator("#who")).to_have_text("alice")?;
    // A same-site iframe: in the tab's process.
    let login = sites.app.url("/login");
    page.visit(&sites.app.url(&format!("/frame?src={login}")))?;
    expect(&page.frame_locator("#frame").locator("[data-test=name]")).to_be_visible()?;
    let inner = page
        .frames()?
        .into_iter()
        .find(|f| !f.is_main())
        .expect("the iframe's frame");
    assert_eq!(inner.url()?, login);
    inner.get_by_test_id("name").fill("bob")?;
    assert_eq!(
        inner.eval("document.querySelector('[data-test=name]').value")?,
        "bob"
    );
    // Gone with its iframe.
    page.eval("document.querySelector('#frame').remove()")?;
    let gone = inner.url();
    assert!(
        matches!(gone, Err(session_test::Error::FrameGone { .. })),
        "{gone:?}"
    );
    Ok(())
}

/// A cookie the auth site sets from inside the app's page: partitioned (CHIPS), so only
/// the auth site's frames under the app get it.
const PARTITIONED: &str = "pc=chips-1; Secure; SameSite=None; Partitioned; Path=/";

/// `script`'s value in the auth site's blank page: in a frame of the app (its partition
/// there), or on its own.
fn in_auth(page: &Page, in_the_app: bool, script: &str) -> session_test::Result<Value> {
    let sites = support::sites();
    let blank = sites.auth.url("/blank");
    if !in_the_app {
        page.visit(&blank)?;
        return page.eval(script);
    }
    page.visit(
        &sites
            .app
            .url(&format!("/frame?src={}", support::urlencode(&blank))),
    )?;
    let loaded = support::poll_until(std::time::Duration::from_secs(10), || {
        page.frames()
            .is_ok_and(|f| f.len() == 2 && f[1].url().is_ok_and(|u| u == blank))
    });
    assert!(loaded, "the auth site's frame loaded");
    page.frames()?[1].eval(script)
}

/// The cookies the auth site's document sees, in a frame of the app or on its own.
fn auth_cookies(page: &Page, in_the_app: bool) -> session_test::Result<String> {
    let cookies = in_auth(page, in_the_app, "document.cookie")?;
    Ok(cookies.as_str().unwrap_or_default().into())
}

#[session_test]
fn a_partitioned_cookie_comes_back_into_its_partition(page: &Page) -> session_test::Result<()> {
    let sites = support::sites();
    let set = sites.auth.url(&format!(
        "/with-header?name=Set-Cookie&value={}",
        support::urlencode(PARTITIONED)
    ));
    let frame = sites
        .app
        .url(&format!("/frame?src={}", support::urlencode(&set)));
    let setup = |page: &Page| -> session_test::Result<()> {
        page.visit(&frame)?;
        let set = support::poll_until(std::time::Duration::from_secs(10), || {
            page.cookies()
                .is_ok_and(|c| c.iter().any(|c| c.name == "pc"))
        });
        assert!(set, "the frame set its cookie");
        Ok(())
    };
    assert_eq!(
        session!("partitioned-cookie", setup)?,
        SessionStatus::Created
    );
    let cookie = page.cookies()?.into_iter().find(|c| c.name == "pc");
    let key = cookie
        .and_then(|c| c.partition_key)
        .expect("a partitioned cookie");
    assert_eq!(
        key.top_level_site,
        sites.app.base_url().rsplit_once(':').unwrap().0
    );
    // Restored (the context cleared first): in the app's partition, not the auth site's own.
    assert_eq!(
        session!("partitioned-cookie", setup)?,
        SessionStatus::Restored
    );
    assert!(auth_cookies(page, true)?.contains("pc=chips-1"));
    let first_party = auth_cookies(page, false)?;
    assert!(!first_party.contains("pc="), "first-party: {first_party}");
    Ok(())
}

/// Writes a record into an IndexedDB database of the document (a widget's sign-in).
const WRITE_DB: &str = "new Promise(ok => { const r = indexedDB.open('widget', 1); \
    r.onupgradeneeded = () => r.result.createObjectStore('s'); \
    r.onsuccess = () => { const tx = r.result.transaction('s', 'readwrite'); \
    tx.objectStore('s').put('signed-in', 'token'); \
    tx.oncomplete = () => { r.result.close(); ok(true); }; }; })";

/// The record, or null when the database is not there.
const READ_DB: &str = "new Promise(ok => { const r = indexedDB.open('widget'); \
    r.onupgradeneeded = () => r.transaction.abort(); r.onerror = () => ok(null); \
    r.onsuccess = () => { const db = r.result; \
    if (!db.objectStoreNames.contains('s')) { db.close(); return ok(null); } \
    const g = db.transaction('s').objectStore('s').get('token'); \
    g.onsuccess = () => { db.close(); ok(g.result ?? null); }; }; })";

#[session_test]
fn a_cross_site_iframes_indexed_db_is_restored_into_its_partition_and_cleared(
    page: &Page,
) -> session_test::Result<()> {
    let setup = |page: &Page| in_auth(page, true, WRITE_DB).map(drop);
    let status = session!("iframe-idb", setup, indexed_db = true)?;
    assert_eq!(status, SessionStatus::Created);
    // Restored (cleared first): in the app's partition, not in the auth site's own storage.
    let status = session!("iframe-idb", setup, indexed_db = true)?;
    assert_eq!(status, SessionStatus::Restored);
    assert_eq!(in_auth(page, true, READ_DB)?, "signed-in");
    assert_eq!(in_auth(page, false, READ_DB)?, Value::Null);
    // Another session's setup starts with the partition empty.
    session!("iframe-idb-other", |_: &Page| Ok(()), indexed_db = true)?;
    assert_eq!(in_auth(page, true, READ_DB)?, Value::Null);
    Ok(())
}
