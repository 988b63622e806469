//! A Rust web app tested the Rust way: `cargo run --example axum_app`.
//!
//! A real axum app with a login form, served in-process on each test's own current-thread
//! tokio runtime (`async_api::serve`), tested with async tests (`#[session_test] async fn`).
//! The page's calls never block the runtime, so the app answers while the test awaits
//! them. The login is an async `session!` helper: three tests, one login.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use axum::extract::{Form, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use session_test::async_api::{expect, serve, AppServer, Page};
use session_test::{session, session_test};

/// The app's state: its sessions and how many logins it performed. One for the process, so
/// that a session set up against one test's server is good on the next one's.
#[derive(Default)]
struct App {
    sessions: Mutex<HashMap<String, String>>,
    logins: AtomicU64,
}

fn app_state() -> Arc<App> {
    static APP: OnceLock<Arc<App>> = OnceLock::new();
    Arc::clone(APP.get_or_init(Default::default))
}

#[derive(serde::Deserialize)]
struct Credentials {
    name: String,
    password: String,
}

const LOGIN_FORM: &str = "<!doctype html><title>log in</title><form method=post action=/login>\
    <input data-testid=name name=name><input data-testid=password name=password type=password>\
    <button>Log in</button></form>";

async fn login_form() -> Html<&'static str> {
    Html(LOGIN_FORM)
}

async fn log_in(State(app): State<Arc<App>>, Form(form): Form<Credentials>) -> Response {
    if form.password != "s3cr3t" {
        return (StatusCode::UNAUTHORIZED, Html("wrong password")).into_response();
    }
    let number = app.logins.fetch_add(1, Ordering::SeqCst) + 1;
    let sid = format!("sid-{number}-{}", std::process::id());
    app.sessions.lock().unwrap().insert(sid.clone(), form.name);
    let cookie = format!("sid={sid}; Path=/; HttpOnly; SameSite=Lax");
    ([(header::SET_COOKIE, cookie)], Redirect::to("/home")).into_response()
}

/// The signed-in user of a request, by its `sid` cookie.
fn user(app: &App, headers: &HeaderMap) -> Option<String> {
    let cookies = headers.get(header::COOKIE)?.to_str().ok()?;
    let sid = cookies
        .split(';')
        .find_map(|c| c.trim().strip_prefix("sid="))?;
    app.sessions.lock().unwrap().get(sid).cloned()
}

async fn home(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    match user(&app, &headers) {
        Some(name) => {
            Html(format!("<!doctype html><h1 id=hello>hello {name}</h1>")).into_response()
        }
        None => Redirect::to("/login").into_response(),
    }
}

async fn whoami(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    match user(&app, &headers) {
        Some(name) => name.into_response(),
        None => StatusCode::UNAUTHORIZED.into_response(),
    }
}

/// The app on a free port of the test's runtime.
async fn start_app() -> session_test::Result<AppServer> {
    let router = Router::new()
        .route("/login", get(login_form).post(log_in))
        .route("/home", get(home))
        .route("/whoami", get(whoami))
        .with_state(app_state());
    serve(|listener| async move { axum::serve(listener, router).await }).await
}

/// Signs `user` in through the form once for the whole suite; later tests restore it and
/// check it with the app's `/whoami`.
async fn login(server: &AppServer, user: &'static str) -> session_test::Result<()> {
    let (form, whoami) = (server.url("/login"), server.url("/whoami"));
    session!(
        ["axum", user],
        async move |page: Page| {
            page.visit(&form).await?;
            page.get_by_test_id("name").fill(user).await?;
            page.get_by_test_id("password").fill("s3cr3t").await?;
            page.get_by_role("button", Some("Log in")).click().await
        },
        validate = async move |page: Page| {
            let signed_in = page.request().get(&whoami).await?;
            session_test::Result::Ok(signed_in.status() == 200)
        }
    )
    .await?;
    Ok(())
}

#[session_test]
async fn greets_the_signed_in_user(page: &Page) -> session_test::Result<()> {
    let server = start_app().await?;
    login(&server, "alice").await?;
    page.visit(&server.url("/home")).await?;
    expect(&page.locator("#hello"))
        .to_have_text("hello alice")
        .await
}

#[session_test]
async fn the_page_fetches_as_the_user(page: &Page) -> session_test::Result<()> {
    let server = start_app().await?;
    login(&server, "alice").await?;
    page.visit(&server.url("/home")).await?;
    let name = page.eval("fetch('/whoami').then(r => r.text())").await?;
    assert_eq!(name, "alice");
    Ok(())
}

#[session_test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_multi_thread_runtime_too(page: &Page) -> session_test::Result<()> {
    let server = start_app().await?;
    login(&server, "alice").await?;
    page.visit(&server.url("/home")).await?;
    expect(page)
        .to_have_url(server.url("/home").as_str())
        .await?;
    expect(&page.get_by_text("hello")).to_be_visible().await
}

fn main() {
    let conclusion =
        session_test::harness::run_tests(&session_test::harness::Arguments::from_args());
    println!(
        "server logins: {}",
        app_state().logins.load(Ordering::SeqCst)
    );
    conclusion.exit();
}
