//! Network control (README, "Network"): a page's requests handed to the test's routes, which
//! fulfill, abort, continue, fetch or fall back, in every tab and frame of the context;
//! handlers off the connection's reader thread; a handler that fails fails its request and
//! its test. Waiting for a request, a response, a quiet network; offline; routes beside a
//! session's setup and restore.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::json;
use session_test::{
    session, session_test, Error, Fulfill, HarNotFound, HarOptions, LoadState, Overrides, Page,
    SessionStatus, UrlPattern,
};

/// `fetch(path)` in the page: the status and the body's text, or the error's name.
fn fetch(page: &Page, path: &str) -> session_test::Result<String> {
    let script = format!(
        "fetch({}).then(async r => r.status + ' ' + await r.text(), e => 'failed: ' + e.name)",
        json!(path)
    );
    Ok(page.eval(&script)?.as_str().unwrap_or_default().to_owned())
}

#[session_test]
fn routes_fulfill_abort_continue_and_fall_back(page: &Page) -> session_test::Result<()> {
    let sites = support::sites();
    page.visit(&sites.app.url("/blank"))?;
    // Fulfilled here: the server is not asked.
    page.route("**/api/stubbed", |route| {
        route.fulfill(Fulfill::json(200, &json!({ "from": "route" })))
    })?;
    assert_eq!(fetch(page, "/api/stubbed")?, r#"200 {"from":"route"}"#);
    // Aborted: the page sees a network error.
    page.route("**/blocked", |route| route.abort())?;
    assert_eq!(fetch(page, "/blocked")?, "failed: TypeError");
    // Continued elsewhere: the server answers `/whoami` (401 when signed out) in place of
    // a path it does not have (404).
    assert!(fetch(page, "/renamed")?.starts_with("404"));
    let whoami = sites.app.url("/whoami");
    page.route("**/renamed", move |route| {
        route.continue_with(Overrides {
            url: Some(whoami.clone()),
            ..Overrides::default()
        })
    })?;
    assert!(fetch(page, "/renamed")?.starts_with("401"), "continued");
    // The route added last is asked first; falling back hands the request on.
    let asked = Arc::new(AtomicUsize::new(0));
    page.route("**/api/order", |route| {
        route.fulfill(Fulfill::new(200).body("first"))
    })?;
    let counted = Arc::clone(&asked);
    page.route("**/api/order", move |route| {
        counted.fetch_add(1, Ordering::SeqCst);
        route.fallback()
    })?;
    assert_eq!(fetch(page, "/api/order")?, "200 first");
    assert_eq!(asked.load(Ordering::SeqCst), 1);
    // Gone once unrouted; a `times` route only so many times.
    page.unroute("**/api/stubbed");
    assert!(fetch(page, "/api/stubbed")?.starts_with("404"));
    page.context()
        .route_times("**/api/once", 1, |route| route.fulfill(Fulfill::new(200)))?;
    assert_eq!(fetch(page, "/api/once")?, "200 ");
    assert!(fetch(page, "/api/once")?.starts_with("404"));
    Ok(())
}

#[session_test]
fn a_route_sees_the_request_and_may_call_the_page(page: &Page) -> session_test::Result<()> {
    page.visit(&support::sites().app.url("/blank"))?;
    let seen = Arc::new(Mutex::new(None));
    let kept = Arc::clone(&seen);
    let tab = page.clone();
    page.route("**/api/post", move |route| {
        let r = route.request();
        *kept.lock().unwrap() = Some((
            r.method().to_owned(),
            r.post_data().map(str::to_owned),
            r.header("x-probe").map(str::to_owned),
            r.resource_type().to_owned(),
            r.frame_id() == tab.target_id(),
        ));
        // On a thread of its own: the page answers (one the request does not wait on).
        let url = tab.url()?;
        route.fulfill(Fulfill::new(200).body(url))
    })?;
    let answer = page.eval(
        "fetch('/api/post', { method: 'POST', body: 'x=1', headers: { 'X-Probe': 'yes' } })\
         .then(r => r.text())",
    )?;
    assert!(answer.as_str().unwrap().ends_with("/blank"), "{answer}");
    let seen = seen.lock().unwrap().clone().expect("the handler ran");
    assert_eq!(
        seen,
        (
            "POST".to_owned(),
            Some("x=1".to_owned()),
            Some("yes".to_owned()),
            // (Chromium's class for `fetch()` in the Fetch domain.)
            "XHR".to_owned(),
            true
        )
    );
    Ok(())
}

#[session_test]
fn routes_reach_popups_and_cross_site_iframes(page: &Page) -> session_test::Result<()> {
    let sites = support::sites();
    page.route("**/api/any", |route| {
        route.fulfill(Fulfill::new(200).body("routed"))
    })?;
    page.route("**/api/blocked", |route| route.abort())?;
    page.route("**/api/renamed", |route| {
        let url = route.request().url().replace("/api/renamed", "/whoami");
        route.continue_with(Overrides {
            url: Some(url),
            ..Overrides::default()
        })
    })?;
    let blank = sites.app.url("/blank");
    page.visit(&sites.app.url(&format!("/popup/opener?url={blank}")))?;
    let popup = page.wait_for_popup(|| page.click("#popup"))?;
    session_test::expect(&popup).to_have_url(blank.as_str())?;
    assert_eq!(fetch(&popup, "/api/any")?, "200 routed");
    assert_eq!(fetch(&popup, "/api/blocked")?, "failed: TypeError");
    assert!(fetch(&popup, "/api/renamed")?.starts_with("401 "));
    let frame_src = sites.auth.url("/blank");
    page.visit(&sites.app.url(&format!("/frame?src={frame_src}")))?;
    let frame = support::poll_until(std::time::Duration::from_secs(10), || {
        page.frames()
            .is_ok_and(|f| f.len() == 2 && f[1].url().is_ok_and(|u| u == frame_src))
    });
    assert!(frame, "the cross-site iframe loaded");
    let frame = page.frames()?.remove(1);
    let got = frame.eval("fetch('/api/any').then(r => r.text())")?;
    assert_eq!(got, "routed");
    let blocked = frame.eval("fetch('/api/blocked').then(r => r.status, e => e.name)")?;
    assert_eq!(blocked, "TypeError");
    // The auth site's own `/whoami`, reached through the route.
    let renamed = frame.eval("fetch('/api/renamed').then(r => r.status)")?;
    assert_eq!(renamed, 401);
    Ok(())
}

#[session_test]
fn wait_for_request_returns_the_request_the_action_started(
    page: &Page,
) -> session_test::Result<()> {
    page.visit(&support::sites().app.url("/blank"))?;
    // A request before the wait is not the one awaited.
    fetch(page, "/api/ping?n=0")?;
    let ping = page.wait_for_request("**/api/ping?n=*", || {
        page.eval("fetch('/api/ping?n=1', { method: 'POST', body: 'b' }); true")
            .map(drop)
    })?;
    assert_eq!(ping.method(), "POST");
    assert!(ping.url().ends_with("/api/ping?n=1"), "{}", ping.url());
    assert_eq!(ping.post_data(), Some("b"));
    // A predicate on the URL; a routed request is seen too.
    page.route("**/api/routed", |route| route.fulfill(Fulfill::new(204)))?;
    let routed = page.wait_for_request(
        session_test::UrlPattern::predicate(|url| url.ends_with("/routed")),
        || fetch(page, "/api/routed").map(drop),
    )?;
    assert_eq!(routed.method(), "GET");
    Ok(())
}

#[session_test(timeout = 3)]
fn wait_for_request_names_what_never_came(page: &Page) -> session_test::Result<()> {
    page.visit(&support::sites().app.url("/blank"))?;
    let err = page
        .wait_for_request("**/never", || Ok(()))
        .expect_err("no request came");
    assert!(
        err.to_string()
            .contains("waiting for a request matching **/never (`wait_for_request`)"),
        "{err}"
    );
    Ok(())
}

#[test]
fn an_invalid_glob_is_named_at_route() {
    let failure = session_test::harness::run_page_test("invalid_glob", |page| {
        let err = page
            .route("**/{api", |route| route.continue_())
            .unwrap_err();
        assert!(matches!(err, Error::InvalidUrlPattern { .. }), "{err}");
        assert!(err.to_string().contains("`**/{api`"), "{err}");
        Ok(())
    });
    assert!(failure.is_ok(), "{failure:?}");
}

/// Runs a test named `name` whose route of `**/api/<name>` is `handler`: the request it
/// routes must fail (not hang); returns the test's failure report.
fn failing_route<F>(name: &str, handler: F) -> String
where
    F: Fn(session_test::Route) -> session_test::Result<()> + Send + Sync + 'static,
{
    let sites = support::sites();
    let path = format!("/api/{name}");
    let outcome = session_test::harness::run_page_test(name, |page| {
        page.visit(&sites.app.url("/blank"))?;
        page.route(format!("**{path}"), handler)?;
        assert_eq!(fetch(page, &path)?, "failed: TypeError");
        Ok(())
    });
    outcome.expect_err("a failing route fails its test").message
}

#[test]
fn a_handler_that_fails_or_decides_nothing_fails_its_request_and_its_test() {
    let undecided = failing_route("undecided", |_route| Ok(()));
    assert!(
        undecided.contains("the route handler of **/api/undecided on GET http://app.localhost:")
            && undecided.contains("returned without deciding"),
        "{undecided}"
    );
    let panicked = failing_route("panics", |_route| panic!("the handler's own bug"));
    assert!(
        panicked.contains("it panicked: the handler's own bug"),
        "{panicked}"
    );
    let failed = failing_route("fails", |_route| Err(Error::msg("no stub for this")));
    assert!(failed.contains("it failed: no stub for this"), "{failed}");
    // Fell back, then failed: nothing else would answer, so the request is failed too.
    let after_fallback = failing_route("falls_back_then_fails", |route| {
        route.fallback()?;
        Err(Error::msg("after falling back"))
    });
    assert!(
        after_fallback.contains("it failed: after falling back"),
        "{after_fallback}"
    );
    // An answer the browser refuses leaves the request paused: it is failed all the same.
    let refused = failing_route("refused", |route| route.fulfill(Fulfill::new(0)));
    assert!(
        refused.contains("it failed: DevTools call `Fetch.fulfillRequest` failed"),
        "{refused}"
    );
}

#[session_test]
fn wait_for_response_returns_the_response_with_its_body(page: &Page) -> session_test::Result<()> {
    let sites = support::sites();
    page.visit(&sites.app.url("/blank"))?;
    // From the network: the server's answer, whole.
    let whoami = page.wait_for_response("**/whoami", || {
        page.eval("fetch('/whoami', { headers: { 'X-Probe': 'yes' } }); true")
            .map(drop)
    })?;
    assert_eq!(whoami.status(), 401);
    assert!(!whoami.ok());
    assert_eq!(whoami.request().header("x-probe"), Some("yes"));
    assert!(whoami.header("content-type").is_some(), "{whoami:?}");
    assert!(whoami.timing().response_start < std::time::Duration::from_secs(60));
    // A navigation the action waits for: the response is let go while the test waits.
    let document = page.wait_for_response(
        session_test::UrlPattern::predicate(|url| url.contains("/slow?")),
        || page.visit(&sites.app.url("/slow?ms=10")),
    )?;
    assert!(
        document.text().contains("<h1 id=slow>done</h1>"),
        "{document:?}"
    );
    // A route's answer is a response too.
    page.route("**/api/stub", |route| {
        route.fulfill(Fulfill::json(201, &json!({ "id": 7 })))
    })?;
    let stubbed = page.wait_for_response("**/api/stub", || fetch(page, "/api/stub").map(drop))?;
    assert_eq!(stubbed.status(), 201);
    assert_eq!(stubbed.json::<serde_json::Value>()?, json!({ "id": 7 }));
    Ok(())
}

#[session_test]
fn a_route_fetches_and_changes_the_real_response(page: &Page) -> session_test::Result<()> {
    page.visit(&support::sites().app.url("/blank"))?;
    page.route("**/whoami", |route| {
        let real = route.fetch()?;
        // The browser sent it: the server answered signed out.
        if real.status() != 401 {
            return Err(Error::msg(format!("fetched {}", real.status())));
        }
        let body = format!("patched {}", real.text().len());
        route.fulfill(Fulfill::from(&real).body(body))
    })?;
    let seen = page.wait_for_response("**/whoami", || {
        assert!(fetch(page, "/whoami")?.starts_with("401 patched "));
        Ok(())
    })?;
    assert!(seen.text().starts_with("patched "), "{seen:?}");
    // Fetched, then passed on unchanged.
    page.unroute("**/whoami");
    page.route("**/whoami", |route| {
        route.fetch()?;
        route.continue_()
    })?;
    let passed = fetch(page, "/whoami")?;
    assert!(
        passed.starts_with("401 ") && !passed.contains("patched"),
        "{passed}"
    );
    Ok(())
}

#[session_test]
fn network_idle_waits_for_the_last_request_to_finish(page: &Page) -> session_test::Result<()> {
    page.visit(&support::sites().app.url("/blank"))?;
    // The request is under way when the wait begins (its start was seen).
    page.wait_for_request("**/slow?ms=*", || {
        page.eval(
            "fetch('/slow?ms=800').then(r => r.text()).then(() => document.body.dataset.done = 1); true",
        )
        .map(drop)
    })?;
    page.wait_for_load_state(LoadState::NetworkIdle)?;
    assert_eq!(page.eval("document.body.dataset.done")?, "1");
    page.wait_for_load_state(LoadState::Load)?;
    page.wait_for_load_state(LoadState::DomContentLoaded)?;
    Ok(())
}

#[session_test(timeout = 3)]
fn network_idle_names_the_request_still_in_flight(page: &Page) -> session_test::Result<()> {
    page.visit(&support::sites().app.url("/blank"))?;
    page.wait_for_request("**/never", || page.eval("fetch('/never'); true").map(drop))?;
    let err = page
        .wait_for_load_state(LoadState::NetworkIdle)
        .expect_err("/never never ends");
    let text = err.to_string();
    assert!(
        text.contains("network to be idle") && text.contains("/never"),
        "{text}"
    );
    Ok(())
}

#[session_test]
fn offline_fails_requests_in_every_tab_until_back_online(page: &Page) -> session_test::Result<()> {
    let sites = support::sites();
    page.visit(&sites.app.url("/popup/opener?url=about:blank"))?;
    page.set_offline(true)?;
    assert_eq!(fetch(page, "/whoami")?, "failed: TypeError");
    assert_eq!(page.eval("navigator.onLine")?, false);
    // A tab opened while offline is offline too (a new one, in a renderer of its own).
    let popup = page.wait_for_popup(|| page.click("#new-tab"))?;
    assert_eq!(popup.eval("navigator.onLine")?, false);
    page.set_offline(false)?;
    assert!(fetch(page, "/whoami")?.starts_with("401"));
    assert_eq!(popup.eval("navigator.onLine")?, true);
    Ok(())
}

#[session_test]
fn a_session_restores_beside_routes_and_its_setups_routes_end_with_it(
    page: &Page,
) -> session_test::Result<()> {
    let sites = support::sites();
    let blank = sites.app.url("/blank");
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let kept = Arc::clone(&seen);
    // Set before `session!`: its setup's requests pass it.
    page.route("**/*", move |route| {
        kept.lock().unwrap().push(route.request().url().to_owned());
        route.fallback()
    })?;
    let logins = sites.app.logins();
    let login = |page: &Page| -> session_test::Result<()> {
        page.route("**/api/setup-only", |route| {
            route.fulfill(Fulfill::new(200).body("setup"))
        })?;
        page.visit(&blank)?;
        assert_eq!(fetch(page, "/api/setup-only")?, "200 setup");
        page.eval(
            "fetch('/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, \
             body: JSON.stringify({ name: 'alice', password: 's3cr3t' }) }) \
             .then(() => localStorage.setItem('seen', 'yes'))",
        )?;
        Ok(())
    };
    session!("network-routes-and-a-session", login)?;
    // The setup's route ended with it.
    page.visit(&blank)?;
    let after = fetch(page, "/api/setup-only")?;
    assert!(after.starts_with("404"), "{after}");
    assert_eq!(
        session!("network-routes-and-a-session", login)?,
        SessionStatus::Restored
    );
    page.visit(&blank)?;
    assert!(
        fetch(page, "/whoami")?.starts_with("200"),
        "restored, signed in"
    );
    assert_eq!(page.eval("localStorage.getItem('seen')")?, "yes");
    assert_eq!(
        sites.app.logins() - logins,
        1,
        "one login: the second was a restore"
    );
    let seen = seen.lock().unwrap();
    assert!(seen.iter().any(|u| u.ends_with("/api/login")), "{seen:?}");
    assert!(
        !seen.iter().any(|u| u.contains("__session_test_stub__")),
        "the runtime's stub documents reached a route: {seen:?}"
    );
    Ok(())
}

#[session_test]
fn a_har_file_is_recorded_then_answers_in_place_of_the_server(
    page: &Page,
) -> session_test::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("session-test-har-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("whoami.har");
    let whoami = || HarOptions {
        url_filter: Some(UrlPattern::glob("**/whoami").unwrap()),
        ..HarOptions::default()
    };
    page.visit(&support::sites().app.url("/blank"))?;
    // Recorded: the server answers (signed out), and the file holds its answer, 0600.
    page.route_from_har(
        &path,
        HarOptions {
            update: true,
            ..whoami()
        },
    )?;
    let recorded = fetch(page, "/whoami")?;
    assert!(recorded.starts_with("401 "), "{recorded}");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the HAR file holds cookies and tokens");
    let har: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(har["log"]["version"], "1.2");
    assert_eq!(har["log"]["entries"][0]["response"]["status"], 401);
    page.unroute("**/whoami");
    // Signed in, the server says 200; replayed, the file still says 401.
    page.eval(
        "fetch('/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, \
         body: JSON.stringify({ name: 'alice', password: 's3cr3t' }) }).then(r => r.status)",
    )?;
    assert!(fetch(page, "/whoami")?.starts_with("200 "));
    page.route_from_har(&path, whoami())?;
    assert_eq!(fetch(page, "/whoami")?, recorded);
    // What the file does not hold: aborted, or handed on.
    let absent = |glob: &str, not_found| HarOptions {
        url_filter: Some(UrlPattern::glob(glob).unwrap()),
        not_found,
        update: false,
    };
    page.route_from_har(&path, absent("**/api/absent-1", HarNotFound::Abort))?;
    assert_eq!(fetch(page, "/api/absent-1")?, "failed: TypeError");
    page.route_from_har(&path, absent("**/api/absent-2", HarNotFound::Fallback))?;
    assert!(fetch(page, "/api/absent-2")?.starts_with("404 "));
    // A file that is not there is named.
    let err = page
        .route_from_har(dir.join("none.har"), HarOptions::default())
        .expect_err("no such file");
    assert!(err.to_string().contains("none.har"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
    Ok(())
}

#[session_test]
fn routes_take_a_service_workers_own_requests(page: &Page) -> session_test::Result<()> {
    page.visit(&support::sites().app.url("/sw/app"))?;
    assert_eq!(page.eval("ready()")?, true);
    let seen = Arc::new(Mutex::new(None));
    let kept = Arc::clone(&seen);
    page.route("**/api/from-worker", move |route| {
        *kept.lock().unwrap() = Some(route.request().frame_id().to_owned());
        route.fulfill(Fulfill::new(200).body("routed for the worker"))
    })?;
    let got = page.eval(
        "navigator.serviceWorker.ready.then(reg => new Promise(ok => { \
         navigator.serviceWorker.onmessage = e => ok(e.data.fetched); \
         reg.active.postMessage({ fetch: '/api/from-worker' }); }))",
    )?;
    assert_eq!(got, "routed for the worker");
    // The worker's request, not the page's.
    let from = seen.lock().unwrap().clone().expect("the route took it");
    assert_ne!(from, page.target_id());
    Ok(())
}
