//! The routes of the demo app.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crate::http::{Header, Method, Request, Response};
use serde_json::{json, Value};

use crate::state::State;

type Reply = Response;

fn header(name: &str, value: &str) -> Header {
    Header::new(name, value)
}

fn html(status: u16, body: &str) -> Reply {
    Response::from_string(body)
        .with_status_code(status)
        .with_header(header("Content-Type", "text/html; charset=utf-8"))
}

fn json_reply(status: u16, body: Value) -> Reply {
    Response::from_string(body.to_string())
        .with_status_code(status)
        .with_header(header("Content-Type", "application/json"))
}

fn redirect(to: &str) -> Reply {
    Response::from_string("")
        .with_status_code(302)
        .with_header(header("Location", to))
}

/// A step of the passkey ceremonies as JSON: its value, or its refusal.
fn passkey_reply(step: Result<Value, crate::passkeys::Refused>) -> Reply {
    match step {
        Ok(value) => json_reply(200, value),
        Err((status, why)) => json_reply(status, json!({ "error": why })),
    }
}

fn session_cookie(sid: &str) -> Header {
    header(
        "Set-Cookie",
        &format!("sid={sid}; Path=/; HttpOnly; SameSite=Lax"),
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The demo's stand-in for a signed assertion between its two sites: a keyed hash both
/// know (a real single sign-on signs with a private key).
fn sso_signature(name: &str) -> String {
    use std::hash::Hasher;
    let mut h = fnv::FnvHasher::default();
    h.write(b"demo-sso-key:");
    h.write(name.as_bytes());
    format!("{:016x}", h.finish())
}

/// Percent-encoding of a query value.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Percent-decoding of `application/x-www-form-urlencoded` and query strings.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(
                    std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"),
                    16,
                ) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn params(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn param<'a>(list: &'a [(String, String)], key: &str) -> &'a str {
    list.iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

fn request_header<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.header(name)
}

fn cookie(req: &Request, name: &str) -> Option<String> {
    request_header(req, "Cookie")?
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn user(state: &State, req: &Request) -> Option<String> {
    if let Some(u) = cookie(req, "sid").and_then(|sid| state.user_of_session(&sid)) {
        return Some(u);
    }
    let auth = request_header(req, "Authorization")?;
    state.user_of_token(auth.strip_prefix("Bearer ")?.trim())
}

/// The `Authorization` header of alice's HTTP Basic credentials (`alice:s3cr3t`).
const BASIC_ALICE: &str = "Basic YWxpY2U6czNjcjN0";

const LOGIN_PAGE: &str = r#"<!doctype html><title>login</title>
<form method=post action=/login>
<input data-test=name name=name>
<input data-test=password name=password type=password>
<button id=submit type=submit>Log in</button>
</form>"#;

/// The auth site's login in a popup; it also remembers the device in its own localStorage.
const POPUP_LOGIN_PAGE: &str = r#"<!doctype html><title>sign in</title>
<form method=get action=/sso>
<input data-test=name name=name>
<input data-test=password name=password type=password>
<input type=hidden name=return value="{{RETURN}}">
<button id=submit type=submit>Sign in</button>
</form>
<script>localStorage.setItem('remembered', 'this device');</script>"#;

const API_LOGIN_PAGE: &str = r#"<!doctype html><title>api login</title>
<input data-test=name><input data-test=password type=password>
<button id=submit type=button>Log in</button><p id=error></p>
<script>
document.querySelector('#submit').addEventListener('click', async () => {
  const name = document.querySelector('[data-test=name]').value;
  const password = document.querySelector('[data-test=password]').value;
  const r = await fetch('/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
                                        body: JSON.stringify({ name, password }) });
  if (r.status !== 200) { document.querySelector('#error').textContent = 'wrong password'; return; }
  const body = await r.json();
  localStorage.setItem('token', body.token);
  location.href = '/app';
});
</script>"#;

/// A page that changes after `ms` milliseconds (the `ms` query parameter, default 300): for
/// locators and assertions that must wait for it, and fail on what never comes.
const DYNAMIC_PAGE: &str = r##"<!doctype html><title>loading</title>
<style>#shade { position: relative; display: inline-block; }
#overlay { position: absolute; inset: 0; background: rgba(0, 0, 0, .3); }
#mover { position: absolute; top: 300px; left: 0; }</style>
<p id=status>loading</p>
<p id=toast>saving…</p>
<p id=banner hidden>welcome back</p>
<button id=save disabled>Save</button><p id=saved></p>
<span id=shade><button id=covered>Covered</button><span id=overlay></span></span><p id=covered-clicks>0</p>
<input id=name><input id=secret type=password value=hunter2>
<input id=agree type=checkbox>
<ul id=list><li>one</li></ul>
<button id=mover>Moving</button><p id=mover-clicks>0</p>
<form><button data-testid=send type=button>Send</button><span data-test=note>a note</span></form>
<nav aria-label=main><a href="#top">Top</a><a href="#end">End</a></nav>
<p style="width: 90px"><a id=wrapped href="#wrapped">a link long enough to wrap</a></p>
<button id=close><img alt="Close" src="data:,"></button>
<select id=pick><option>red</option><option>blue</option></select>
<div id=editor contenteditable>draft</div>
<script>
const ms = {{MS}};
const $ = (s) => document.querySelector(s);
$('#save').onclick = () => { $('#saved').textContent = 'saved'; };
$('#covered').onclick = () => { $('#covered-clicks').textContent = Number($('#covered-clicks').textContent) + 1; };
$('#mover').onclick = () => { $('#mover-clicks').textContent = Number($('#mover-clicks').textContent) + 1; };
// The mover jumps 200 px back and forth every frame until the page settles.
let moving = true;
const jump = () => { if (!moving) return; $('#mover').style.left = $('#mover').style.left === '200px' ? '0px' : '200px'; requestAnimationFrame(jump); };
requestAnimationFrame(jump);
setTimeout(() => {
  $('#status').textContent = 'ready';
  $('#toast').style.display = 'none';
  $('#banner').hidden = false;
  $('#save').disabled = false;
  $('#overlay').remove();
  $('#name').value = 'prefilled';
  $('#agree').checked = true;
  $('#list').insertAdjacentHTML('beforeend', '<li>two</li><li>three</li>');
  document.body.insertAdjacentHTML('beforeend', '<p id=late>arrived late</p>');
  document.title = 'ready';
  history.pushState({}, '', location.pathname + location.search + '#ready');
  moving = false;
  $('#mover').style.left = '100px';
}, ms);
</script>"##;

const APP_PAGE: &str = r#"<!doctype html><title>app</title><h1 id=hello></h1>
<script>
(async () => {
  const token = localStorage.getItem('token');
  const hello = document.querySelector('#hello');
  if (!token) { hello.textContent = 'not logged in'; return; }
  const r = await fetch('/whoami', { headers: { Authorization: 'Bearer ' + token } });
  hello.textContent = r.status === 200 ? 'hello ' + (await r.json()).name : 'not logged in';
})();
</script>"#;

const SESSION_PAGE: &str = r#"<!doctype html><title>session</title><p id=visited></p><p id=token></p>
<script>
if (!sessionStorage.getItem('visited')) sessionStorage.setItem('visited', 'yes');
document.querySelector('#visited').textContent = sessionStorage.getItem('visited');
document.querySelector('#token').textContent = localStorage.getItem('token') ? 'present' : 'absent';
</script>"#;

/// `POST /oauth/token`: the password grant (a counted login) or a refresh, which rotates.
fn oauth_token(state: &State, form: &[(String, String)]) -> Reply {
    let tokens = match param(form, "grant_type") {
        "password" => state
            .login(param(form, "username"), param(form, "password"))
            .map(|_| {
                state
                    .grants
                    .start(param(form, "username"), || state.random_id())
            }),
        "refresh_token" => state
            .grants
            .refresh(param(form, "refresh_token"), || state.random_id()),
        _ => return json_reply(400, json!({ "error": "unsupported_grant_type" })),
    };
    match tokens {
        Some(t) => json_reply(
            200,
            json!({ "access_token": t.access, "refresh_token": t.refresh, "user": t.user }),
        ),
        None => json_reply(400, json!({ "error": "invalid_grant" })),
    }
}

/// The reply to `req`.
pub fn handle(state: &State, req: &Request) -> Reply {
    let body = String::from_utf8_lossy(req.body()).into_owned();
    let url = req.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let query = params(query);
    let reply = match (req.method(), path) {
        (Method::Get, "/login") => html(200, LOGIN_PAGE),
        (Method::Post, "/login") => {
            let form = params(&body);
            match state.login(param(&form, "name"), param(&form, "password")) {
                Some(sid) => redirect("/home").with_header(session_cookie(&sid)),
                None => html(401, "<!doctype html><h1 id=error>wrong password</h1>"),
            }
        }
        (Method::Get, "/passkey") => html(200, include_str!("passkey.html")),
        (Method::Post, "/passkey/register/options") => {
            let v = serde_json::from_str::<Value>(&body).unwrap_or_default();
            passkey_reply(state.passkeys.register_options(v["name"].as_str().unwrap_or("")))
        }
        (Method::Post, "/passkey/register") => match state.passkeys.register(body.as_bytes()) {
            Ok(name) => json_reply(200, json!({ "name": name }))
                .with_header(session_cookie(&state.trusted_login(&name))),
            Err(refused) => passkey_reply(Err(refused)),
        },
        (Method::Post, "/passkey/sign-in/options") => {
            passkey_reply(state.passkeys.sign_in_options())
        }
        // A sign-in starts a session; a step-up (a signed-in user asked for the key again
        // before something sensitive) only proves the key.
        (Method::Post, "/passkey/sign-in") => match state.passkeys.sign_in(body.as_bytes()) {
            Ok(name) => json_reply(200, json!({ "name": name }))
                .with_header(session_cookie(&state.trusted_login(&name))),
            Err(refused) => passkey_reply(Err(refused)),
        },
        (Method::Post, "/passkey/step-up") => {
            passkey_reply(state.passkeys.sign_in(body.as_bytes()).map(|n| json!({ "name": n })))
        }
        (Method::Post, "/api/login") => match serde_json::from_str::<Value>(&body) {
            Ok(v) => {
                let name = v["name"].as_str().unwrap_or("");
                match state.login(name, v["password"].as_str().unwrap_or("")) {
                    Some(sid) => {
                        json_reply(200, json!({ "token": state.new_token(name), "name": name }))
                            .with_header(session_cookie(&sid))
                    }
                    None => json_reply(401, json!({ "error": "wrong password" })),
                }
            }
            Err(_) => json_reply(400, json!({ "error": "malformed JSON" })),
        },
        (Method::Get, "/home") => match user(state, req) {
            Some(name) => html(
                200,
                &format!(
                    "<!doctype html><title>home</title><h1 id=hello>hello {}</h1>",
                    escape(&name)
                ),
            ),
            None => redirect("/login"),
        },
        (Method::Get, "/whoami") => match user(state, req) {
            Some(name) => json_reply(200, json!({ "name": name })),
            None => json_reply(401, json!({ "error": "not logged in" })),
        },
        (Method::Get, "/stats") => json_reply(
            200,
            json!({ "logins": state.logins.load(Ordering::SeqCst),
                    "rejected_refreshes": state.grants.rejected.load(Ordering::SeqCst) }),
        ),
        (Method::Post, "/oauth/token") => oauth_token(state, &params(&body)),
        (Method::Get, "/oauth/userinfo") => {
            let access = request_header(req, "Authorization")
                .and_then(|a| a.strip_prefix("Bearer "))
                .unwrap_or("");
            match state.grants.user_of_access(access.trim()) {
                Some(name) => json_reply(200, json!({ "name": name })),
                None => json_reply(401, json!({ "error": "invalid_token" })),
            }
        }
        (Method::Post, "/oauth/revoke") => {
            state.grants.revoke(param(&params(&body), "token"));
            json_reply(200, json!({}))
        }
        (Method::Get, "/spa") => html(200, include_str!("spa.html")),
        // Sign-in in a popup: the app opens the auth site's login in a popup, which signs in
        // through `/sso` and comes back to the app's callback; that page hands a token to
        // its opener and closes itself.
        (Method::Get, "/popup/app") => html(200, include_str!("popup_app.html")),
        (Method::Get, "/popup/login") => html(
            200,
            &POPUP_LOGIN_PAGE.replace("{{RETURN}}", &escape(param(&query, "return"))),
        ),
        (Method::Get, "/popup/callback") => {
            let name = param(&query, "user");
            if !name.is_empty() && param(&query, "sig") == sso_signature(name) {
                let token = json!({ "token": state.new_token(name) });
                html(
                    200,
                    &format!(
                        "<!doctype html><title>signed in</title><p id=done>signed in</p><script>\
                         window.opener.postMessage({token}, location.origin); \
                         window.close();</script>"
                    ),
                )
            } else {
                html(403, "<!doctype html><h1 id=error>bad signature</h1>")
            }
        }
        // A sign-in widget another site embeds in an iframe (`/widget/host?auth=…` on the app).
        (Method::Get, "/widget") => html(200, include_str!("widget.html")),
        (Method::Get, "/widget/host") => html(
            200,
            &format!(
                "<!doctype html><title>widget host</title><h1>app</h1>\
                 <iframe id=widget src=\"{}/widget\" width=600 height=300></iframe>",
                escape(param(&query, "auth"))
            ),
        ),
        // Links that open a tab: `#new-tab` a new one (no opener), `#popup` a popup.
        (Method::Get, "/popup/opener") => html(
            200,
            &format!(
                "<!doctype html><title>opener</title>\
                 <a id=new-tab href=\"{u}\" target=_blank>new tab</a>\
                 <button id=popup type=button onclick='window.open({j})'>popup</button>",
                u = escape(param(&query, "url")),
                j = escape(&json!(param(&query, "url")).to_string()),
            ),
        ),
        // A service worker for the whole origin, and the page under `/sw/` that installs it.
        (Method::Get, "/sw.js") => Response::from_string(include_str!("sw.js"))
            .with_header(header("Content-Type", "text/javascript"))
            .with_header(header("Cache-Control", "no-store")),
        (Method::Get, "/sw/app") => html(200, include_str!("sw_app.html")),
        // A service worker (for `/sw/`) whose script arrives after `ms` milliseconds (at most
        // 10 s), and which asks for `/sw/installed` as it installs.
        (Method::Get, "/sw/held.js") => {
            state.held_worker_scripts.fetch_add(1, Ordering::SeqCst);
            let ms = param(&query, "ms").parse::<u64>().unwrap_or(0).min(10_000);
            std::thread::sleep(Duration::from_millis(ms));
            Response::from_string(
                "self.addEventListener('install', (e) => e.waitUntil(fetch('/sw/installed')));",
            )
            .with_header(header("Content-Type", "text/javascript"))
            .with_header(header("Cache-Control", "no-store"))
        }
        (Method::Post, "/stats/reset") => {
            state.logins.store(0, Ordering::SeqCst);
            json_reply(200, json!({ "logins": 0 }))
        }
        (Method::Post, "/sessions/reset") => {
            state.reset_sessions();
            json_reply(200, json!({ "ok": true }))
        }
        (Method::Get, "/blank") => html(200, "<!doctype html><title>blank</title>"),
        // A page that goes wrong the ways a trace shows: a console error, an uncaught error
        // and a request, from its own script (so each has a source line).
        (Method::Get, "/noisy") => html(
            200,
            "<!doctype html><title>noisy</title><p id=noisy>noisy</p>\n<script>\n\
             console.error('noisy: console error', 42);\n\
             fetch('/whoami?token=noisy-secret-token').then(() => document.body.dataset.fetched = 1);\n\
             setTimeout(() => { document.title = 'thrown'; throw new TypeError('noisy: uncaught error'); });\n\
             </script>",
        ),
        // A response the browser keeps for an hour: a second request from the same HTTP
        // cache never reaches the server.
        (Method::Get, "/cacheable") => {
            state.cacheable_hits.fetch_add(1, Ordering::SeqCst);
            Response::from_string("cached")
                .with_header(header("Content-Type", "text/plain"))
                .with_header(header("Cache-Control", "public, max-age=3600"))
        }
        // The same as a script, which the renderer's memory cache keeps besides.
        (Method::Get, "/cacheable.js") => {
            state.cacheable_hits.fetch_add(1, Ordering::SeqCst);
            Response::from_string("window.cached = (window.cached || 0) + 1;")
                .with_header(header("Content-Type", "text/javascript"))
                .with_header(header("Cache-Control", "public, max-age=3600"))
        }
        (Method::Get, "/app") => html(200, APP_PAGE),
        // Single sign-on: the auth site checks the password and redirects back to the app
        // with a signed name; the app's callback sets the app's own session cookie.
        (Method::Get, "/sso") => {
            match state.login(param(&query, "name"), param(&query, "password")) {
                Some(_) => {
                    let name = param(&query, "name");
                    let back = format!(
                        "{}?user={}&sig={}",
                        param(&query, "return"),
                        encode(name),
                        sso_signature(name)
                    );
                    redirect(&back)
                }
                None => html(401, "<!doctype html><h1 id=error>wrong password</h1>"),
            }
        }
        (Method::Get, "/sso/callback") => {
            let name = param(&query, "user");
            if !name.is_empty() && param(&query, "sig") == sso_signature(name) {
                let sid = state.trusted_login(name);
                redirect("/home").with_header(session_cookie(&sid))
            } else {
                html(403, "<!doctype html><h1 id=error>bad signature</h1>")
            }
        }
        (Method::Get, "/idb") => html(200, include_str!("idb.html")),
        (Method::Get, "/shadow") => html(200, include_str!("shadow.html")),
        (Method::Get, "/dynamic") => {
            let ms = param(&query, "ms")
                .parse::<u64>()
                .unwrap_or(300)
                .min(600_000);
            html(200, &DYNAMIC_PAGE.replace("{{MS}}", &ms.to_string()))
        }
        (Method::Get, "/api-login") => html(200, API_LOGIN_PAGE),
        (Method::Get, "/session-page") => html(200, SESSION_PAGE),
        (Method::Get, "/frame") => html(
            200,
            &format!(
                "<!doctype html><title>frame</title><iframe id=frame src=\"{}\"></iframe>",
                escape(param(&query, "src"))
            ),
        ),
        (Method::Get, "/store") => html(
            200,
            &format!(
                "<!doctype html><title>store</title><p id=stored></p><script>\
                 localStorage.setItem({k}, {v}); \
                 document.querySelector('#stored').textContent = 'stored';</script>",
                k = serde_json::to_string(param(&query, "key"))
                    .unwrap_or_default()
                    .replace('<', "\\u003c"),
                v = serde_json::to_string(param(&query, "value"))
                    .unwrap_or_default()
                    .replace('<', "\\u003c"),
            ),
        ),
        (Method::Get, "/slow") => {
            let ms = param(&query, "ms").parse::<u64>().unwrap_or(0).min(60_000);
            std::thread::sleep(Duration::from_millis(ms));
            html(200, "<!doctype html><h1 id=slow>done</h1>")
        }
        (Method::Get, "/never") => {
            // Hold the response until the server stops (or 120 s).
            let start = Instant::now();
            while !state.stopped.load(Ordering::SeqCst)
                && start.elapsed() < Duration::from_secs(120)
            {
                std::thread::sleep(Duration::from_millis(50));
            }
            html(503, "<!doctype html><h1>stopped</h1>")
        }
        // HTTP Basic authentication (alice / s3cr3t) under a realm of the caller's choice:
        // a challenge without the right credentials, whose answer the browser keeps in its
        // auth cache and sends again to the same realm unasked.
        (Method::Get, p) if p.starts_with("/basic/") => {
            if request_header(req, "Authorization") == Some(BASIC_ALICE) {
                json_reply(200, json!({ "name": "alice" }))
            } else {
                json_reply(401, json!({ "error": "not signed in" })).with_header(header(
                    "WWW-Authenticate",
                    &format!("Basic realm=\"{}\"", &p["/basic/".len()..]),
                ))
            }
        }
        // A page whose response carries the header `name: value` (state a browser keeps
        // for the site: `Strict-Transport-Security`, `NEL`, `Accept-CH`, …).
        (Method::Get, "/with-header") => html(200, "<!doctype html><title>with header</title>")
            .with_header(header(param(&query, "name"), param(&query, "value"))),
        (Method::Get, "/dialogs") => html(200, include_str!("dialogs.html")),
        (Method::Get, "/requests") => match user(state, req) {
            Some(_) => html(200, include_str!("requests.html")),
            None => redirect("/login"),
        },
        (Method::Get, "/requests.json") => match user(state, req) {
            Some(name) => json_reply(200, state.requests.seen_by(&name)),
            None => json_reply(401, json!({ "error": "not logged in" })),
        },
        (Method::Post, "/requests") => match user(state, req) {
            Some(name) => {
                let v = serde_json::from_str::<Value>(&body).unwrap_or_default();
                let id = state.requests.add(&name, v["text"].as_str().unwrap_or(""));
                json_reply(200, json!({ "id": id }))
            }
            None => json_reply(401, json!({ "error": "not logged in" })),
        },
        (Method::Post, "/requests/approve") => match user(state, req) {
            Some(name) => {
                let v = serde_json::from_str::<Value>(&body).unwrap_or_default();
                match state.requests.approve(&name, v["id"].as_u64().unwrap_or(0)) {
                    Ok(()) => json_reply(200, json!({ "approved": true })),
                    Err((status, why)) => json_reply(status, json!({ "error": why })),
                }
            }
            None => json_reply(401, json!({ "error": "not logged in" })),
        },
        (Method::Get, "/set-cookie") => {
            html(200, "<!doctype html><p>cookie set</p>").with_header(header(
                "Set-Cookie",
                &format!(
                    "{}={}; Path=/",
                    param(&query, "name"),
                    param(&query, "value")
                ),
            ))
        }
        _ => html(404, "<!doctype html><h1>not found</h1>"),
    };
    reply
}
