//! The WebSocket to the browser.
//!
//! headless_chrome's transport holds its connection's mutex while its reader waits on a
//! 100 ms read timeout, so every call costs ~100 ms. Here the socket is cloned: one reader
//! thread owns the reading half and blocks without any lock a sender needs; senders share
//! the writing half behind a mutex held only while a frame is written. Replies are routed
//! to their caller by call id, events to subscribers by target session, and any number of
//! calls may be in flight at once.

use std::collections::HashMap;
use std::net::TcpStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;
use tungstenite::protocol::{Role, WebSocketConfig};
use tungstenite::{Message, WebSocket};

use crate::error::{Error, Result};

/// An event from the browser, kept as raw JSON so that events the bundled protocol does not
/// know (or cannot parse) are still delivered.
#[derive(Debug, Clone)]
pub struct RawEvent {
    /// E.g. `Page.loadEventFired`.
    pub method: String,
    /// The event's parameters.
    pub params: Value,
    /// The flattened target session it came from; `None` for browser-level events.
    pub session_id: Option<String>,
}

impl RawEvent {
    /// The event as headless_chrome's typed `Event`, when the bundled protocol can parse it.
    #[cfg(feature = "headless_chrome")]
    pub fn typed(&self) -> Option<headless_chrome::protocol::cdp::types::Event> {
        let value = serde_json::json!({ "method": self.method, "params": self.params });
        serde_json::from_value(value).ok()
    }

    /// `params[key]` as a string, or "".
    pub fn str_param(&self, key: &str) -> &str {
        self.params.get(key).and_then(Value::as_str).unwrap_or("")
    }
}

type Reply = std::result::Result<Value, Error>;

/// A callback run on the reader thread for each event: it must be quick and never block.
pub type EventCallback = Arc<dyn Fn(&RawEvent) + Send + Sync>;

enum Sink {
    Channel(Sender<Arc<RawEvent>>),
    Callback(EventCallback),
}

struct Subscriber {
    id: u64,
    session: Option<String>,
    sink: Sink,
}

impl Subscriber {
    /// Delivers `event`; false when the receiving end is gone.
    fn deliver(&self, event: &Arc<RawEvent>) -> bool {
        match &self.sink {
            Sink::Channel(tx) => tx.send(Arc::clone(event)).is_ok(),
            Sink::Callback(f) => {
                let f = Arc::clone(f);
                let event = Arc::clone(event);
                // A panicking callback is dropped, not allowed to kill the reader.
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || f(&event))).is_ok()
            }
        }
    }
}

#[derive(Default)]
struct Routes {
    /// Calls awaiting their reply: method, target session (`None`: the browser), reply channel.
    pending: HashMap<u64, (String, Option<String>, Sender<Reply>)>,
    subscribers: Vec<Subscriber>,
    closed: Option<String>,
}

struct Shared {
    routes: Mutex<Routes>,
}

impl Shared {
    fn routes(&self) -> MutexGuard<'_, Routes> {
        // A panicking subscriber must not take the connection down with it.
        self.routes.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The error for a caller whose channel was closed with the connection.
    fn closed_error(&self) -> Error {
        Error::BrowserClosed {
            reason: self
                .routes()
                .closed
                .clone()
                .unwrap_or_else(|| "connection closed".into()),
        }
    }
}

/// A DevTools connection to one browser.
pub struct Connection {
    writer: Mutex<WebSocket<TcpStream>>,
    shared: Arc<Shared>,
    next_id: AtomicU64,
    url: String,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("url", &self.url)
            .finish()
    }
}

#[derive(Deserialize)]
struct Incoming {
    id: Option<u64>,
    result: Option<Value>,
    error: Option<RemoteError>,
    method: Option<String>,
    params: Option<Value>,
    #[serde(rename = "sessionId")]
    session_id: Option<String>,
}

#[derive(Deserialize)]
struct RemoteError {
    code: i64,
    message: String,
}

/// Removes its subscription when dropped.
pub struct EventStream {
    rx: Receiver<Arc<RawEvent>>,
    id: u64,
    shared: Arc<Shared>,
}

impl EventStream {
    /// The next event, waiting at most `timeout`. `Ok(None)` on timeout; an error when the
    /// connection closed.
    pub fn next_timeout(&self, timeout: Duration) -> Result<Option<Arc<RawEvent>>> {
        match self.rx.recv_timeout(timeout) {
            Ok(ev) => Ok(Some(ev)),
            Err(RecvTimeoutError::Timeout) => Ok(None),
            Err(RecvTimeoutError::Disconnected) => Err(self.shared.closed_error()),
        }
    }

    /// An event that has already arrived, without waiting.
    pub fn try_next(&self) -> Option<Arc<RawEvent>> {
        self.rx.try_recv().ok()
    }
}

impl Drop for EventStream {
    fn drop(&mut self) {
        self.shared.routes().subscribers.retain(|s| s.id != self.id);
    }
}

/// Keeps an [`Connection::watch`] callback registered; removes it when dropped.
pub struct Watch {
    id: u64,
    shared: Arc<Shared>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.shared.routes().subscribers.retain(|s| s.id != self.id);
    }
}

/// A call sent without waiting; [`PendingReply::wait`] collects the reply.
pub struct PendingReply {
    id: u64,
    method: String,
    rx: Receiver<Reply>,
    shared: Arc<Shared>,
}

impl PendingReply {
    /// Waits at most `timeout` for the reply.
    pub fn wait(self, timeout: Duration) -> Result<Value> {
        match self.rx.recv_timeout(timeout) {
            Ok(reply) => reply,
            Err(RecvTimeoutError::Timeout) => {
                self.shared.routes().pending.remove(&self.id);
                Err(Error::Timeout {
                    what: format!("the browser's reply to `{}`", self.method),
                    after: timeout,
                })
            }
            Err(RecvTimeoutError::Disconnected) => Err(self.shared.closed_error()),
        }
    }
}

impl Connection {
    /// Connects to a browser's DevTools WebSocket (`ws://127.0.0.1:PORT/devtools/browser/…`).
    pub fn connect(ws_url: &str) -> Result<Arc<Connection>> {
        let fail = |reason: String| Error::BrowserClosed {
            reason: format!("cannot connect to {ws_url}: {reason}"),
        };
        // A dead address must fail fast, not hang on connect.
        let connect = |addrs: &[std::net::SocketAddr]| -> std::io::Result<TcpStream> {
            let mut last = std::io::Error::other("no address");
            for a in addrs {
                match TcpStream::connect_timeout(a, Duration::from_secs(10)) {
                    Ok(s) => return Ok(s),
                    Err(e) => last = e,
                }
            }
            Err(last)
        };
        let url = url::Url::parse(ws_url).map_err(|e| fail(e.to_string()))?;
        let addr = url
            .socket_addrs(|| Some(80))
            .map_err(|e| fail(e.to_string()))?;
        let stream = connect(&addr).map_err(|e| fail(e.to_string()))?;
        // Every call is a small request/response pair: Nagle's delay would add ~40 ms.
        stream.set_nodelay(true).map_err(|e| fail(e.to_string()))?;
        let write_half = stream.try_clone().map_err(|e| fail(e.to_string()))?;
        // Screenshots and big DOMs can exceed tungstenite's default frame limit.
        let config = WebSocketConfig::default()
            .max_message_size(Some(1 << 30))
            .max_frame_size(Some(1 << 30));
        let (reader, _response) =
            tungstenite::client::client_with_config(ws_url, stream, Some(config))
                .map_err(|e| fail(e.to_string()))?;
        // The writing half never reads, so it never competes with the reader's buffers.
        let writer = WebSocket::from_raw_socket(write_half, Role::Client, Some(config));
        let shared = Arc::new(Shared {
            routes: Mutex::new(Routes::default()),
        });
        let conn = Arc::new(Connection {
            writer: Mutex::new(writer),
            shared: Arc::clone(&shared),
            next_id: AtomicU64::new(1),
            url: ws_url.to_string(),
        });
        std::thread::Builder::new()
            .name("session-test-cdp-reader".into())
            .spawn(move || read_loop(reader, &shared))
            .map_err(|e| fail(e.to_string()))?;
        Ok(conn)
    }

    /// The WebSocket URL this connection talks to.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Why the connection closed, or `None` while it is open.
    pub fn closed_reason(&self) -> Option<String> {
        self.shared.routes().closed.clone()
    }

    /// Subscribes to the events of one target session (`None`: browser-level events).
    pub fn subscribe(&self, session: Option<&str>) -> EventStream {
        let (tx, rx) = mpsc::channel();
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut routes = self.shared.routes();
        // A closed connection gives a stream that reports the closure at once.
        if routes.closed.is_none() {
            routes.subscribers.push(Subscriber {
                id,
                session: session.map(str::to_owned),
                sink: Sink::Channel(tx),
            });
        }
        drop(routes);
        EventStream {
            rx,
            id,
            shared: Arc::clone(&self.shared),
        }
    }

    /// Runs `callback` on the reader thread for every event of `session` until the returned
    /// [`Watch`] is dropped.
    pub fn watch(&self, session: Option<&str>, callback: EventCallback) -> Watch {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.shared.routes().subscribers.push(Subscriber {
            id,
            session: session.map(str::to_owned),
            sink: Sink::Callback(callback),
        });
        Watch {
            id,
            shared: Arc::clone(&self.shared),
        }
    }

    /// Sends `method` with JSON `params` to a target session (or the browser) without
    /// waiting for the reply.
    pub fn send_raw(
        &self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<PendingReply> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel();
        {
            let mut routes = self.shared.routes();
            if let Some(reason) = &routes.closed {
                return Err(Error::BrowserClosed {
                    reason: reason.clone(),
                });
            }
            routes
                .pending
                .insert(id, (method.to_string(), session.map(str::to_owned), tx));
        }
        let mut message = serde_json::json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = Value::String(session.to_string());
        }
        let sent = {
            let mut writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
            writer.send(Message::text(message.to_string()))
        };
        if let Err(e) = sent {
            self.shared.routes().pending.remove(&id);
            return Err(Error::BrowserClosed {
                reason: format!("sending `{method}` failed: {e}"),
            });
        }
        Ok(PendingReply {
            id,
            method: method.to_string(),
            rx,
            shared: Arc::clone(&self.shared),
        })
    }

    /// Sends `method` without registering for its reply (which is then ignored). Safe to
    /// call from a [`Connection::watch`] callback: it takes only the writer's lock.
    pub fn send_oneway(&self, session: Option<&str>, method: &str, params: Value) -> Result<()> {
        // A fresh id from the shared counter (the protocol wants 32-bit ids): its reply
        // finds no pending call and is dropped.
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut message = serde_json::json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = Value::String(session.to_string());
        }
        let mut writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        writer
            .send(Message::text(message.to_string()))
            .map_err(|e| Error::BrowserClosed {
                reason: format!("sending `{method}` failed: {e}"),
            })
    }

    /// Sends `method` with JSON `params` to a target session (or the browser) and waits at
    /// most `timeout` for the reply.
    pub fn call_raw(
        &self,
        session: Option<&str>,
        method: &str,
        params: Value,
        timeout: Duration,
    ) -> Result<Value> {
        self.send_raw(session, method, params)?.wait(timeout)
    }

    /// Sends a typed protocol command from headless_chrome's `cdp` module.
    #[cfg(feature = "headless_chrome")]
    pub fn call<M>(
        &self,
        session: Option<&str>,
        method: M,
        timeout: Duration,
    ) -> Result<M::ReturnObject>
    where
        M: headless_chrome::protocol::cdp::types::Method + serde::Serialize,
    {
        let params = serde_json::to_value(&method).map_err(|e| Error::Protocol {
            method: M::NAME.to_string(),
            reason: format!("cannot serialize the parameters: {e}"),
        })?;
        // Unit-like commands serialize as `null`; the protocol wants an object.
        let params = if params.is_null() {
            serde_json::json!({})
        } else {
            params
        };
        let value = self.call_raw(session, M::NAME, params, timeout)?;
        serde_json::from_value(value).map_err(|e| Error::Protocol {
            method: M::NAME.to_string(),
            reason: e.to_string(),
        })
    }
}

fn read_loop(mut reader: WebSocket<TcpStream>, shared: &Shared) {
    let reason = loop {
        match reader.read() {
            Ok(Message::Text(text)) => dispatch(text.as_str(), shared),
            Ok(Message::Binary(bytes)) => {
                if let Ok(text) = std::str::from_utf8(&bytes) {
                    dispatch(text, shared);
                }
            }
            Ok(Message::Close(frame)) => {
                break format!("the browser closed the connection ({frame:?})");
            }
            Ok(_) => {}
            Err(e) => break format!("connection lost: {e}"),
        }
    };
    let mut routes = shared.routes();
    routes.closed = Some(reason.clone());
    for (_, (_, _, tx)) in routes.pending.drain() {
        let _ = tx.send(Err(Error::BrowserClosed {
            reason: reason.clone(),
        }));
    }
    // Dropping the senders wakes every waiting subscriber with "closed".
    routes.subscribers.clear();
}

fn dispatch(text: &str, shared: &Shared) {
    let incoming: Incoming = match serde_json::from_str(text) {
        Ok(m) => m,
        Err(e) => {
            // Without an id we cannot tell whose reply this was; try to recover the id so
            // that the caller gets an error instead of a timeout.
            if let Some(id) = serde_json::from_str::<Value>(text)
                .ok()
                .and_then(|v| v.get("id").and_then(Value::as_u64))
            {
                if let Some((method, _, tx)) = shared.routes().pending.remove(&id) {
                    let _ = tx.send(Err(Error::Protocol {
                        method,
                        reason: e.to_string(),
                    }));
                }
            }
            return;
        }
    };
    if let Some(id) = incoming.id {
        let Some((method, _, tx)) = shared.routes().pending.remove(&id) else {
            return;
        };
        let reply = match incoming.error {
            Some(err) => Err(Error::Cdp {
                method,
                code: err.code,
                message: err.message,
            }),
            None => Ok(incoming.result.unwrap_or(Value::Null)),
        };
        let _ = tx.send(reply);
    } else if let Some(method) = incoming.method {
        let event = Arc::new(RawEvent {
            method,
            params: incoming.params.unwrap_or(Value::Null),
            session_id: incoming.session_id,
        });
        let detached = detached_session(&event);
        let mut routes = shared.routes();
        // A subscriber whose stream was dropped between events is removed here too.
        routes
            .subscribers
            .retain(|s| s.session != event.session_id || s.deliver(&event));
        if let Some(gone) = detached {
            // The target closed (a popup that closed itself): its calls will never be
            // answered, so they fail now, and its own subscribers hear of it.
            let ids: Vec<u64> = routes
                .pending
                .iter()
                .filter(|(_, (_, s, _))| s.as_deref() == Some(gone.as_str()))
                .map(|(id, _)| *id)
                .collect();
            for id in ids {
                if let Some((method, _, tx)) = routes.pending.remove(&id) {
                    let _ = tx.send(Err(Error::TabClosed {
                        waiting_for: format!("the reply to `{method}`"),
                    }));
                }
            }
            let own = Arc::new(RawEvent {
                method: DETACHED.to_string(),
                params: event.params.clone(),
                session_id: Some(gone),
            });
            routes
                .subscribers
                .retain(|s| s.session != own.session_id || s.deliver(&own));
        }
    }
}

/// The event that says a target session ended; also delivered on that session itself.
pub(crate) const DETACHED: &str = "Target.detachedFromTarget";

/// The session a `Target.detachedFromTarget` ends (from the browser for a tab, from the tab
/// for one of its frames); not the copy delivered on that session itself.
fn detached_session(event: &RawEvent) -> Option<String> {
    let gone = event.params["sessionId"].as_str()?;
    (event.method == DETACHED && event.session_id.as_deref() != Some(gone)).then(|| gone.to_owned())
}

/// Whether `event` says that the session `session_id` ended.
pub(crate) fn ends_session(event: &RawEvent, session_id: &str) -> bool {
    event.method == DETACHED && event.params["sessionId"] == session_id
}
