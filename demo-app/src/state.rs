//! Server-side state of one site: sessions, tokens, the login counter.

use crate::passkeys::Passkeys;
use crate::requests::Requests;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use crate::grants::Grants;

pub struct State {
    pub login_delay: Duration,
    pub logins: AtomicU64,
    /// Requests of `/cacheable` and `/cacheable.js` that reached the server (the browser's
    /// caches answer the others).
    pub cacheable_hits: AtomicU64,
    /// Requests of `/sw/held.js` that reached the server.
    pub held_worker_scripts: AtomicU64,
    pub stopped: AtomicBool,
    counter: AtomicU64,
    // session id or token -> user name
    sessions: Mutex<HashMap<String, String>>,
    tokens: Mutex<HashMap<String, String>>,
    /// OAuth grants with rotating refresh tokens (`/oauth/token`).
    pub grants: Grants,
    /// The passkeys registered, and the sign-ins with them.
    pub passkeys: Passkeys,
    /// What signed-in users asked for, for the admin to approve.
    pub requests: Requests,
}

impl State {
    pub fn new(login_delay: Duration) -> Self {
        State {
            login_delay,
            logins: AtomicU64::new(0),
            cacheable_hits: AtomicU64::new(0),
            held_worker_scripts: AtomicU64::new(0),
            stopped: AtomicBool::new(false),
            counter: AtomicU64::new(0),
            sessions: Mutex::new(HashMap::new()),
            tokens: Mutex::new(HashMap::new()),
            grants: Grants::default(),
            passkeys: Passkeys::default(),
            requests: Requests::default(),
        }
    }

    /// 32 hex characters nobody can guess from the outside of this demo.
    pub fn random_id(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::SeqCst);
        let mut out = String::new();
        for salt in 0..2u64 {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u64(n);
            h.write_u64(salt);
            h.write_u32(std::process::id());
            out.push_str(&format!("{:016x}", h.finish()));
        }
        out
    }

    /// Checks the password (after the login delay); returns a new session id on success.
    pub fn login(&self, name: &str, password: &str) -> Option<String> {
        std::thread::sleep(self.login_delay);
        if name.is_empty() || password != "s3cr3t" {
            return None;
        }
        self.logins.fetch_add(1, Ordering::SeqCst);
        let sid = self.random_id();
        lock(&self.sessions).insert(sid.clone(), name.to_string());
        Some(sid)
    }

    /// A session for `name` vouched for by the other site (single sign-on): a login
    /// without a password check, counted.
    pub fn trusted_login(&self, name: &str) -> String {
        self.logins.fetch_add(1, Ordering::SeqCst);
        let sid = self.random_id();
        lock(&self.sessions).insert(sid.clone(), name.to_string());
        sid
    }

    pub fn new_token(&self, name: &str) -> String {
        let token = self.random_id();
        lock(&self.tokens).insert(token.clone(), name.to_string());
        token
    }

    pub fn user_of_session(&self, sid: &str) -> Option<String> {
        lock(&self.sessions).get(sid).cloned()
    }

    pub fn user_of_token(&self, token: &str) -> Option<String> {
        lock(&self.tokens).get(token).cloned()
    }

    pub fn reset_sessions(&self) {
        lock(&self.sessions).clear();
        lock(&self.tokens).clear();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
