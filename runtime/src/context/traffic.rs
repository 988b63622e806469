//! The context's traffic as a test waits on it: the requests and responses it waits for
//! (`wait_for_request`, `wait_for_response`), the responses its routes fetch
//! (`Route::fetch`), each tab's requests in flight (`NetworkIdle`), and its sessions, which
//! `set_offline` reaches. Fed by every session's watch on the reader thread: short locks and
//! one-way sends only; a response's body is read on a thread of its own.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Condvar, Mutex, Weak};
use std::time::{Duration, Instant, SystemTime};

use serde_json::{json, Value};

use super::request::Request;
use super::response::{read_body, Response, Timing};
use super::url_pattern::UrlPattern;
use crate::cdp::{Connection, RawEvent};
use crate::deadline::Deadline;
use crate::sync::lock;

/// Who waits for a response.
type ResponseWaiter = (UrlPattern, mpsc::Sender<Response>);

/// Who takes a request paused at its response stage.
enum Taker {
    /// A route's `fetch`, on its handler's thread: the paused response's parameters.
    Fetch(mpsc::Sender<Value>),
    /// The `wait_for_response`s its URL matched, with when the request was paused.
    Waiters(Vec<ResponseWaiter>, SystemTime),
}

/// The requests of each tab that were sent and have not finished.
#[derive(Default)]
struct Open {
    /// (tab, session, request id) → URL.
    requests: HashMap<(u64, String, String), String>,
    /// When a request of each tab last started or ended.
    changed: HashMap<u64, Instant>,
}

/// One context's traffic (see the module's header).
pub(crate) struct Traffic {
    requests: Mutex<Vec<(UrlPattern, mpsc::Sender<Request>)>>,
    responses: Mutex<Vec<ResponseWaiter>>,
    /// Requests let go with their response to be paused, by request id.
    at_response: Mutex<HashMap<String, Taker>>,
    open: Mutex<Open>,
    /// Signalled when a request starts or ends.
    changed: Condvar,
    /// The context's live sessions (tabs, cross-site iframes, workers).
    sessions: Mutex<Vec<(Weak<Connection>, String)>>,
    offline: AtomicBool,
    /// Set at the first request of a tab, frame or worker of the context in this test (or
    /// of the test before, whose late answers may still have reached the HTTP cache).
    sent_any: AtomicBool,
    /// The wait limit of a reply about a paused response.
    limit: Duration,
}

impl Traffic {
    pub fn new(limit: Duration) -> Traffic {
        Traffic {
            requests: Mutex::default(),
            responses: Mutex::default(),
            at_response: Mutex::default(),
            open: Mutex::default(),
            changed: Condvar::new(),
            sessions: Mutex::default(),
            offline: AtomicBool::new(false),
            sent_any: AtomicBool::new(false),
            limit,
        }
    }

    /// A new test begins in this context: nobody waits for anything.
    pub fn start(&self) {
        lock(&self.requests).clear();
        lock(&self.responses).clear();
    }

    /// The first request from now on that `pattern` takes.
    pub fn wait_for_request(&self, pattern: UrlPattern) -> mpsc::Receiver<Request> {
        let (tx, rx) = mpsc::channel();
        lock(&self.requests).push((pattern, tx));
        rx
    }

    /// The first response from now on to a request that `pattern` takes.
    pub fn wait_for_response(&self, pattern: UrlPattern) -> mpsc::Receiver<Response> {
        let (tx, rx) = mpsc::channel();
        lock(&self.responses).push((pattern, tx));
        rx
    }

    /// Tells the waiters of a paused request about it (a waiter is told once, and one that
    /// gave up is dropped).
    pub fn observe_request(&self, url: &str, ev: &RawEvent) {
        lock(&self.requests).retain(|(pattern, tx)| {
            if !pattern.matches(url) {
                return true;
            }
            let _ = tx.send(Request::of(&ev.params));
            false
        });
    }

    /// Whether the request `request_id`, about to go to the network, must pause again at
    /// its response: a `wait_for_response` takes its URL (and is handed the response there).
    pub fn want_response(&self, request_id: &str, url: &str) -> bool {
        let waiters = self.take_waiters(url);
        if waiters.is_empty() {
            return false;
        }
        lock(&self.at_response).insert(
            request_id.to_owned(),
            Taker::Waiters(waiters, SystemTime::now()),
        );
        true
    }

    /// The response of `request_id`, which a route's `fetch` lets go with its response to be
    /// paused.
    pub fn expect_response(&self, request_id: &str) -> mpsc::Receiver<Value> {
        let (tx, rx) = mpsc::channel();
        lock(&self.at_response).insert(request_id.to_owned(), Taker::Fetch(tx));
        rx
    }

    /// A response made without the network (a route's answer): the `wait_for_response`s
    /// its URL matches get it.
    pub fn answered(&self, url: &str, response: impl FnOnce() -> Response) {
        let waiters = self.take_waiters(url);
        if !waiters.is_empty() {
            let response = response();
            for (_, tx) in waiters {
                let _ = tx.send(response.clone());
            }
        }
    }

    fn take_waiters(&self, url: &str) -> Vec<ResponseWaiter> {
        let mut responses = lock(&self.responses);
        let (taken, kept) = std::mem::take(&mut *responses)
            .into_iter()
            .partition(|(pattern, _)| pattern.matches(url));
        *responses = kept;
        taken
    }

    /// A request of session `session_id` paused at its response stage: handed to whoever
    /// let it go for it (on the reader thread).
    pub fn take_response(&self, conn: &Weak<Connection>, session_id: &str, ev: &RawEvent) {
        let request_id = ev.str_param("requestId");
        let taker = lock(&self.at_response).remove(request_id);
        match taker {
            Some(Taker::Fetch(tx)) if tx.send(ev.params.clone()).is_ok() => return,
            // Its handler gave up waiting: the response goes on to the page.
            Some(Taker::Fetch(_)) => {}
            // A response that failed is no response: its waiters wait on.
            Some(Taker::Waiters(waiters, _)) if ev.params.get("responseErrorReason").is_some() => {
                lock(&self.responses).extend(waiters);
            }
            Some(Taker::Waiters(waiters, start)) => {
                let timing = Timing::since(start);
                return self.deliver(conn, session_id, ev, waiters, timing);
            }
            None => {}
        }
        if let Some(conn) = conn.upgrade() {
            let _ = conn.send_oneway(
                Some(session_id),
                "Fetch.continueRequest",
                json!({ "requestId": request_id }),
            );
        }
    }

    /// Reads the paused response's body, lets it go on to the page and hands it to
    /// `waiters`, on a thread of its own (the reader waits for nothing).
    fn deliver(
        &self,
        conn: &Weak<Connection>,
        session_id: &str,
        ev: &RawEvent,
        waiters: Vec<ResponseWaiter>,
        timing: Timing,
    ) {
        let (conn, session_id, params, limit) = (
            conn.clone(),
            session_id.to_owned(),
            ev.params.clone(),
            self.limit,
        );
        let _ = std::thread::Builder::new()
            .name("session-test-response".into())
            .spawn(move || {
                let Some(conn) = conn.upgrade() else { return };
                let id = json!({ "requestId": params["requestId"] });
                let body = read_body(&params, |method, args| {
                    conn.call_raw(Some(&session_id), method, args, limit)
                })
                .unwrap_or_default();
                let _ = conn.call_raw(Some(&session_id), "Fetch.continueRequest", id, limit);
                let response = Response::at_stage(&params, body, timing);
                for (_, tx) in waiters {
                    let _ = tx.send(response.clone());
                }
            });
    }

    /// Whether a tab, frame or worker of the context has sent a request (any URL).
    pub fn sent_any(&self) -> bool {
        self.sent_any.load(Ordering::SeqCst)
    }

    /// Counts the test before's requests as this one's (see [`Traffic::sent_any`]).
    pub fn note_sent(&self) {
        self.sent_any.store(true, Ordering::SeqCst);
    }

    /// Counts the requests in flight of tab `tab` from its sessions' network events.
    pub fn see_network(&self, tab: u64, session_id: &str, ev: &RawEvent) {
        let key = || {
            (
                tab,
                session_id.to_owned(),
                ev.str_param("requestId").to_owned(),
            )
        };
        let mut open = lock(&self.open);
        match ev.method.as_str() {
            "Network.requestWillBeSent" => {
                self.sent_any.store(true, Ordering::SeqCst);
                let url = ev.params["request"]["url"].as_str().unwrap_or_default();
                open.requests.insert(key(), url.to_owned());
            }
            "Network.loadingFinished" | "Network.loadingFailed" => {
                open.requests.remove(&key());
            }
            _ => return,
        }
        open.changed.insert(tab, Instant::now());
        drop(open);
        self.changed.notify_all();
    }

    /// Waits until no request of tab `tab` has been in flight for `quiet`, at most until
    /// `deadline`; the URLs still in flight when it passed.
    pub fn wait_idle(
        &self,
        tab: u64,
        quiet: Duration,
        deadline: Deadline,
    ) -> Result<(), Vec<String>> {
        let mut open = lock(&self.open);
        loop {
            let busy: Vec<String> = open
                .requests
                .iter()
                .filter(|((t, _, _), _)| *t == tab)
                .map(|(_, url)| crate::trace::without_query_values(url))
                .collect();
            let still = open
                .changed
                .get(&tab)
                .map_or(Duration::ZERO, |at| quiet.saturating_sub(at.elapsed()));
            if busy.is_empty() && still.is_zero() {
                return Ok(());
            }
            if deadline.passed() {
                return Err(busy);
            }
            let wait = if busy.is_empty() { still } else { quiet };
            let wait = wait.min(deadline.left()).max(Duration::from_millis(1));
            open = self
                .changed
                .wait_timeout(open, wait)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// A session of the context began: `set_offline` reaches it.
    pub fn add_session(&self, conn: &Weak<Connection>, session_id: &str) {
        lock(&self.sessions).push((conn.clone(), session_id.to_owned()));
    }

    /// A session ended: its requests in flight are forgotten (they will not finish).
    pub fn forget_session(&self, session_id: &str) {
        lock(&self.sessions).retain(|(_, id)| id != session_id);
        lock(&self.open)
            .requests
            .retain(|(_, session, _), _| session != session_id);
        self.changed.notify_all();
    }

    /// Records the context's network as offline or online; its live sessions.
    pub fn set_offline(&self, offline: bool) -> Vec<(Weak<Connection>, String)> {
        self.offline.store(offline, Ordering::SeqCst);
        lock(&self.sessions).clone()
    }

    /// Whether the test set the context's network offline.
    pub fn is_offline(&self) -> bool {
        self.offline.load(Ordering::SeqCst)
    }
}

/// The call that makes a session's network offline or online.
pub(crate) fn offline_call(offline: bool) -> (&'static str, Value) {
    (
        "Network.emulateNetworkConditions",
        json!({ "offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 }),
    )
}

/// Whether a paused request's parameters are of its response stage.
pub(crate) fn at_response_stage(params: &Value) -> bool {
    params.get("responseStatusCode").is_some() || params.get("responseErrorReason").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(method: &str, id: &str) -> RawEvent {
        RawEvent {
            method: method.into(),
            params: json!({ "requestId": id, "request": { "url": "http://a.localhost/x?t=1" } }),
            session_id: None,
        }
    }

    #[test]
    fn a_tab_is_idle_once_its_requests_finished_and_stayed_so() {
        let traffic = Traffic::new(Duration::from_secs(1));
        traffic.see_network(0, "s", &event("Network.requestWillBeSent", "1"));
        traffic.see_network(1, "p", &event("Network.requestWillBeSent", "2"));
        let soon = Deadline::after(Duration::from_millis(50));
        let busy = traffic.wait_idle(0, Duration::from_millis(10), soon);
        assert_eq!(busy, Err(vec!["http://a.localhost/x?t=•••".to_owned()]));
        traffic.see_network(0, "s", &event("Network.loadingFinished", "1"));
        let later = Deadline::after(Duration::from_secs(5));
        assert_eq!(
            traffic.wait_idle(0, Duration::from_millis(10), later),
            Ok(())
        );
        // The other tab's request is its own; a session that ended finishes its requests.
        assert!(traffic.wait_idle(1, Duration::ZERO, soon).is_err());
        traffic.forget_session("p");
        assert_eq!(traffic.wait_idle(1, Duration::ZERO, later), Ok(()));
    }
}
