//! The WebSocket to the browser.
//!
//! headless_chrome's transport holds its connection's mutex while its reader waits on a
//! 100 ms read timeout, so every call costs ~100 ms. Here the socket is cloned: one reader
//! thread owns the reading half and blocks without any lock a sender needs; senders share
//! the writing half behind a mutex held only while a frame is written. Replies are routed
//! to their caller by call id, events to subscribers by target session, and any number of
//! calls may be in flight at once.

use std::net::TcpStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tungstenite::protocol::{Role, WebSocketConfig};
use tungstenite::{Message, WebSocket};

use super::event::{EventCallback, RawEvent};
use super::reader::read_loop;
use super::routes::{Reply, Routes, Shared, Sink, Subscriber};
use crate::error::{Error, Result};
use crate::sync::lock;

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
        unsubscribe(&self.shared, self.id);
    }
}

/// Removes subscriber `id`. Its callback is dropped after the lock is let go: it may hold the
/// last handle on other watches, whose own drop takes the lock.
fn unsubscribe(shared: &Shared, id: u64) {
    let gone = {
        let mut routes = shared.routes();
        let at = routes.subscribers.iter().position(|s| s.id == id);
        at.map(|i| routes.subscribers.remove(i))
    };
    drop(gone);
}

/// Keeps a `Connection::watch` callback registered; removes it when dropped.
pub(crate) struct Watch {
    id: u64,
    shared: Arc<Shared>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        unsubscribe(&self.shared, self.id);
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
    /// [`Watch`] is dropped. The runtime's own: a watcher never waits for the browser (module
    /// `cdp`, "The event rule").
    pub(crate) fn watch(&self, session: Option<&str>, callback: EventCallback) -> Watch {
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
            let mut writer = lock(&self.writer);
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

    /// Sends `method` without registering for its reply (which is then ignored): what a
    /// watcher on the reader thread may do, as it must not wait.
    pub fn send_oneway(&self, session: Option<&str>, method: &str, params: Value) -> Result<()> {
        // A fresh id from the shared counter (the protocol wants 32-bit ids): its reply
        // finds no pending call and is dropped.
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut message = serde_json::json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = Value::String(session.to_string());
        }
        let mut writer = lock(&self.writer);
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
            source: Some(e.into()),
        })?;
        // Unit-like commands serialize as `null`; the protocol wants an object.
        let params = if params.is_null() {
            serde_json::json!({})
        } else {
            params
        };
        let value = self.call_raw(session, M::NAME, params, timeout)?;
        serde_json::from_value(value).map_err(|e| Error::protocol(M::NAME, e))
    }
}
