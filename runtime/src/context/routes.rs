//! The test's routes (`page.route`): handlers of the requests of every tab, frame and worker of
//! its context, last added first. A paused request that a route matches is handed, with the
//! routes that match it, to a thread of its own (the event rule: no user code on the reader
//! thread), where each handler in turn decides or falls back; the network gets it when all
//! fell back. A handler that fails, panics or returns without deciding fails the request
//! (`net::ERR_FAILED`) and the test, named.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, Weak};
use std::time::{Duration, SystemTime};

use serde_json::json;

use super::request::Request;
use super::route::{Paused, Route, Verdict};
use super::traffic::Traffic;
use super::url_pattern::UrlPattern;
use crate::cdp::{Connection, RawEvent};
use crate::error::{panic_text, Result};
use crate::sync::{lock, wait_for_handlers};
use crate::trace::Trace;

/// What a route does with a request.
pub(crate) type RouteHandler = Arc<dyn Fn(Route) -> Result<()> + Send + Sync>;

/// One route.
struct Entry {
    /// Its place in the order routes were added.
    number: u64,
    pattern: UrlPattern,
    handler: RouteHandler,
    /// How many more requests it takes (`None`: any number).
    times: Mutex<Option<usize>>,
}

/// A context's routes, the handler runs under way, and the first failure of the test's.
pub(crate) struct RouteTable {
    routes: Mutex<Vec<Arc<Entry>>>,
    /// The number the next route gets.
    added: AtomicU64,
    running: Mutex<usize>,
    /// Signalled when a handler run ends.
    ended: Condvar,
    failure: Mutex<Option<String>>,
    /// The wait limit: of each reply about a paused request, and of the test's end for its
    /// handlers.
    limit: Duration,
    /// The test's trace, when tests are traced: each routed request is marked there.
    traced: Option<Arc<Mutex<Trace>>>,
}

impl RouteTable {
    pub fn new(limit: Duration, traced: Option<Arc<Mutex<Trace>>>) -> RouteTable {
        RouteTable {
            routes: Mutex::default(),
            added: AtomicU64::new(0),
            running: Mutex::new(0),
            ended: Condvar::new(),
            failure: Mutex::default(),
            limit,
            traced,
        }
    }

    /// Adds a route, first in line; `times` limits how many requests it takes.
    pub fn add(&self, pattern: UrlPattern, times: Option<usize>, handler: RouteHandler) {
        lock(&self.routes).push(Arc::new(Entry {
            number: self.added.fetch_add(1, Ordering::SeqCst),
            pattern,
            handler,
            times: Mutex::new(times),
        }));
    }

    /// The number of the next route to be added.
    pub fn mark(&self) -> u64 {
        self.added.load(Ordering::SeqCst)
    }

    /// Removes the routes added since `mark`.
    pub fn remove_since(&self, mark: u64) {
        lock(&self.routes).retain(|r| r.number < mark);
    }

    /// Removes the routes added with a glob or expression written as `source`.
    pub fn remove(&self, source: &str) {
        lock(&self.routes).retain(|r| r.pattern.source() != Some(source));
    }

    /// The routes that take `url`, last added first, each counted as used.
    fn take_matching(&self, url: &str) -> Vec<Arc<Entry>> {
        let mut routes = lock(&self.routes);
        let mut taken = Vec::new();
        for entry in routes.iter().rev() {
            if !entry.pattern.matches(url) {
                continue;
            }
            let mut times = lock(&entry.times);
            match *times {
                Some(0) => continue,
                Some(n) => *times = Some(n - 1),
                None => {}
            }
            taken.push(Arc::clone(entry));
        }
        routes.retain(|r| *lock(&r.times) != Some(0));
        taken
    }

    /// Takes a paused request of session `session_id` when a route matches it: its handlers
    /// run on a thread of their own. False when none matches (on the reader thread).
    pub fn take(
        self: &Arc<Self>,
        traffic: &Arc<Traffic>,
        conn: &Weak<Connection>,
        session_id: &str,
        url: &str,
        ev: &RawEvent,
    ) -> bool {
        let routes = self.take_matching(url);
        if routes.is_empty() {
            return false;
        }
        let request = Request::of(&ev.params);
        let paused = Arc::new(Paused {
            conn: conn.clone(),
            session_id: session_id.to_owned(),
            request_id: ev.str_param("requestId").to_owned(),
            url: url.to_owned(),
            start: SystemTime::now(),
            timeout: self.limit,
            verdict: Mutex::default(),
            traffic: Arc::clone(traffic),
            fetched: Mutex::default(),
            traced: self.traced.as_ref().and_then(|trace| {
                let id = ev.params["networkId"].as_str()?;
                Some((Arc::clone(trace), id.to_owned()))
            }),
            asking: Mutex::default(),
        });
        *lock(&self.running) += 1;
        let table = Arc::clone(self);
        let spawned = std::thread::Builder::new()
            .name("session-test-route".into())
            .spawn({
                let paused = Arc::clone(&paused);
                move || table.run(&routes, &request, &paused)
            });
        if spawned.is_err() {
            self.fail_request(&paused, "could not start a route handler's thread".into());
            self.run_ended();
        }
        true
    }

    /// Runs `routes` on the request in turn until one decides; the network gets it when all
    /// fell back.
    fn run(&self, routes: &[Arc<Entry>], request: &Request, paused: &Arc<Paused>) {
        for entry in routes {
            *lock(&paused.verdict) = None;
            *lock(&paused.asking) = entry.pattern.to_string();
            let route = Route::new(request.clone(), Arc::clone(paused));
            let outcome = match catch_unwind(AssertUnwindSafe(|| (entry.handler)(route))) {
                Ok(Ok(())) => Ok(()),
                Ok(Err(e)) => Err(format!("it failed: {e}")),
                Err(panic) => Err(format!("it panicked: {}", panic_text(&*panic))),
            };
            let verdict = *lock(&paused.verdict);
            let named = || {
                format!(
                    "the route handler of {} on {} {}",
                    entry.pattern,
                    request.method(),
                    crate::trace::without_query_values(request.url())
                )
            };
            match (outcome, verdict) {
                // Answered, then failed: the request has its answer; the test fails.
                (Err(why), Some(Verdict::Decided)) => {
                    self.record(format!("{}: {why}", named()));
                    return self.run_ended();
                }
                // Failed before answering (or after falling back): nothing else will answer.
                (Err(why), _) => {
                    self.fail_request(paused, format!("{}: {why}", named()));
                    return self.run_ended();
                }
                (Ok(()), Some(Verdict::Decided)) => return self.run_ended(),
                (Ok(()), Some(Verdict::Fallback)) => continue,
                (Ok(()), None) => {
                    let why =
                        "it returned without deciding (fulfill, abort, continue_ or fallback)";
                    self.fail_request(paused, format!("{}: {why}", named()));
                    return self.run_ended();
                }
            }
        }
        let _ = paused.let_go();
        self.run_ended();
    }

    fn fail_request(&self, paused: &Paused, failure: String) {
        let _ = paused.call("Fetch.failRequest", failed(paused));
        paused.mark("failed: its handler failed or did not decide");
        self.record(failure);
    }

    fn record(&self, failure: String) {
        tracing::debug!(target: "session_test", "{failure}");
        lock(&self.failure).get_or_insert(failure);
    }

    fn run_ended(&self) {
        let mut running = lock(&self.running);
        *running = running.saturating_sub(1);
        drop(running);
        self.ended.notify_all();
    }

    /// A new test begins in this context: no routes, no failure.
    pub fn start(&self) {
        lock(&self.routes).clear();
        *lock(&self.failure) = None;
    }

    /// The test's body ended: its routes go (what comes after reaches the network), its
    /// handler runs still going are waited for (at most the wait limit), and the first
    /// failure is returned.
    pub fn end(&self) -> Option<String> {
        lock(&self.routes).clear();
        let running = lock(&self.running);
        let stuck = wait_for_handlers(&self.ended, running, self.limit, |n| *n, "a route handler");
        let mut failure = lock(&self.failure);
        if let Some(stuck) = stuck {
            failure.get_or_insert(stuck);
        }
        failure.take()
    }
}

/// The parameters that fail the paused request as a network error.
fn failed(paused: &Paused) -> serde_json::Value {
    json!({ "requestId": paused.request_id, "errorReason": "Failed" })
}
