//! The demo app's routes over real HTTP (no browser).

use std::time::{Duration, Instant};

use session_test_demo_app::{DemoApp, DemoOptions};

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

fn quick() -> DemoApp {
    DemoApp::start_with(
        "app.localhost",
        DemoOptions {
            login_delay: Duration::from_millis(1),
        },
    )
    .unwrap()
}

fn sid_of(resp: &ureq::http::Response<ureq::Body>) -> String {
    let cookie = resp
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    cookie.split(';').next().unwrap().to_string()
}

#[test]
fn form_login_sets_an_http_only_cookie_and_redirects_home() {
    let app = quick();
    let a = agent();
    let page = a
        .get(format!("{}/login", app.loopback_url()))
        .call()
        .unwrap();
    let html = page.into_body().read_to_string().unwrap();
    for part in ["data-test=name", "data-test=password", "id=submit"] {
        assert!(html.contains(part), "{html}");
    }
    let resp = a
        .post(format!("{}/login", app.loopback_url()))
        .content_type("application/x-www-form-urlencoded")
        .send("name=al+ice%21&password=s3cr3t")
        .unwrap();
    assert_eq!(resp.status(), 302);
    assert_eq!(resp.headers().get("location").unwrap(), "/home");
    let sid = sid_of(&resp);
    assert_eq!(app.logins(), 1);
    let home = a
        .get(format!("{}/home", app.loopback_url()))
        .header("Cookie", &sid)
        .call()
        .unwrap();
    assert_eq!(home.status(), 200);
    assert!(home
        .into_body()
        .read_to_string()
        .unwrap()
        .contains("<h1 id=hello>hello al ice!</h1>"));
    let who = a
        .get(format!("{}/whoami", app.loopback_url()))
        .header("Cookie", &format!("x=1; {sid}"))
        .call()
        .unwrap();
    assert_eq!(who.status(), 200);
    assert_eq!(
        who.into_body().read_to_string().unwrap(),
        r#"{"name":"al ice!"}"#
    );
}

#[test]
fn wrong_password_is_401_and_not_counted() {
    let app = quick();
    let resp = agent()
        .post(format!("{}/login", app.loopback_url()))
        .content_type("application/x-www-form-urlencoded")
        .send("name=bob&password=nope")
        .unwrap();
    assert_eq!(resp.status(), 401);
    assert!(resp
        .into_body()
        .read_to_string()
        .unwrap()
        .contains("<h1 id=error>wrong password</h1>"));
    assert_eq!(app.logins(), 0);
}

#[test]
fn logged_out_requests_are_turned_away() {
    let app = quick();
    let home = agent()
        .get(format!("{}/home", app.loopback_url()))
        .call()
        .unwrap();
    assert_eq!(home.status(), 302);
    assert_eq!(home.headers().get("location").unwrap(), "/login");
    let who = agent()
        .get(format!("{}/whoami", app.loopback_url()))
        .call()
        .unwrap();
    assert_eq!(who.status(), 401);
}

#[test]
fn api_login_returns_a_token_that_whoami_accepts() {
    let app = quick();
    let a = agent();
    let resp = a
        .post(format!("{}/api/login", app.loopback_url()))
        .content_type("application/json")
        .send(r#"{"name":"carol","password":"s3cr3t"}"#)
        .unwrap();
    assert_eq!(resp.status(), 200);
    let sid = sid_of(&resp);
    let body: serde_json::Value =
        serde_json::from_str(&resp.into_body().read_to_string().unwrap()).unwrap();
    let token = body["token"].as_str().unwrap().to_string();
    assert_eq!(token.len(), 32);
    let who = a
        .get(format!("{}/whoami", app.loopback_url()))
        .header("Authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    assert_eq!(who.status(), 200);
    let bad = a
        .post(format!("{}/api/login", app.loopback_url()))
        .content_type("application/json")
        .send("{not json")
        .unwrap();
    assert_eq!(bad.status(), 400);
    // Forgetting every session invalidates cookie and token alike.
    app.reset_sessions();
    for (name, value) in [
        ("Cookie", sid),
        ("Authorization", format!("Bearer {token}")),
    ] {
        let who = a
            .get(format!("{}/whoami", app.loopback_url()))
            .header(name, &value)
            .call()
            .unwrap();
        assert_eq!(who.status(), 401, "{name}");
    }
}

#[test]
fn stats_count_and_reset_logins() {
    let app = quick();
    let a = agent();
    a.post(format!("{}/api/login", app.loopback_url()))
        .content_type("application/json")
        .send(r#"{"name":"d","password":"s3cr3t"}"#)
        .unwrap();
    let stats = a
        .get(format!("{}/stats", app.loopback_url()))
        .call()
        .unwrap();
    assert_eq!(
        stats.into_body().read_to_string().unwrap(),
        r#"{"logins":1,"rejected_refreshes":0}"#
    );
    let reset = a
        .post(format!("{}/stats/reset", app.loopback_url()))
        .send_empty()
        .unwrap();
    assert_eq!(reset.status(), 200);
    assert_eq!(app.logins(), 0);
}

#[test]
fn blank_and_unknown_pages() {
    let app = quick();
    let blank = agent()
        .get(format!("{}/blank", app.loopback_url()))
        .call()
        .unwrap();
    assert_eq!(blank.status(), 200);
    assert_eq!(
        blank.headers().get("content-type").unwrap(),
        "text/html; charset=utf-8"
    );
    let missing = agent()
        .get(format!("{}/nope", app.loopback_url()))
        .call()
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(
        app.base_url(),
        format!("http://app.localhost:{}", app.port())
    );
}

#[test]
fn parallel_logins_do_not_queue_behind_each_other() {
    let app = DemoApp::start_with(
        "app.localhost",
        DemoOptions {
            login_delay: Duration::from_millis(300),
        },
    )
    .unwrap();
    let url = format!("{}/api/login", app.loopback_url());
    let start = Instant::now();
    let threads: Vec<_> = (0..4)
        .map(|i| {
            let url = url.clone();
            std::thread::spawn(move || {
                agent()
                    .post(&url)
                    .content_type("application/json")
                    .send(format!(r#"{{"name":"u{i}","password":"s3cr3t"}}"#))
                    .unwrap()
                    .status()
            })
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), 200);
    }
    // Serialized they would take 4 x 300 ms.
    assert!(
        start.elapsed() < Duration::from_millis(1000),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(app.logins(), 4);
}

#[test]
fn refresh_tokens_rotate_and_a_reused_one_revokes_the_grant() {
    let app = quick();
    let a = agent();
    let token = |form: &[(&str, &str)]| {
        let r = a
            .post(format!("{}/oauth/token", app.loopback_url()))
            .send_form(form.iter().copied())
            .unwrap();
        let status = r.status().as_u16();
        let body: serde_json::Value =
            serde_json::from_str(&r.into_body().read_to_string().unwrap()).unwrap();
        (status, body)
    };
    let (status, first) = token(&[
        ("grant_type", "password"),
        ("username", "rita"),
        ("password", "s3cr3t"),
    ]);
    assert_eq!((status, first["user"].as_str()), (200, Some("rita")));
    assert_eq!(app.logins(), 1);
    let old = first["refresh_token"].as_str().unwrap().to_string();
    let (status, second) = token(&[("grant_type", "refresh_token"), ("refresh_token", &old)]);
    assert_eq!(status, 200);
    assert_ne!(second["refresh_token"], first["refresh_token"], "rotated");
    let userinfo = |access: &str| {
        a.get(format!("{}/oauth/userinfo", app.loopback_url()))
            .header("Authorization", &format!("Bearer {access}"))
            .call()
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(userinfo(second["access_token"].as_str().unwrap()), 200);
    // The retired token again: refused, and the grant is gone with it.
    let (status, refused) = token(&[("grant_type", "refresh_token"), ("refresh_token", &old)]);
    assert_eq!(
        (status, refused["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert_eq!(userinfo(second["access_token"].as_str().unwrap()), 401);
    assert_eq!(app.rejected_refreshes(), 1);
    assert_eq!(app.logins(), 1);
}
