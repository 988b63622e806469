//! The reader thread's work: each message from the browser to the caller awaiting it or
//! to the subscribers of its session.

use std::net::TcpStream;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;
use tungstenite::{Message, WebSocket};

use std::panic::{catch_unwind, AssertUnwindSafe};

use super::event::{detached_session, EventCallback, RawEvent, DETACHED};
use super::routes::{Shared, Sink, Subscriber};
use crate::error::Error;

#[derive(Deserialize)]
pub(super) struct Incoming {
    id: Option<u64>,
    result: Option<Value>,
    error: Option<RemoteError>,
    method: Option<String>,
    params: Option<Value>,
    #[serde(rename = "sessionId")]
    session_id: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct RemoteError {
    code: i64,
    message: String,
}

pub(super) fn read_loop(mut reader: WebSocket<TcpStream>, shared: &Shared) {
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
    // Dropping the senders wakes every waiting subscriber with "closed" (after the lock: a
    // watcher may hold the last handle on another watch).
    let gone = std::mem::take(&mut routes.subscribers);
    drop(routes);
    drop(gone);
}

pub(super) fn dispatch(text: &str, shared: &Shared) {
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
                    let _ = tx.send(Err(Error::protocol(method, e)));
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
        deliver(shared, &event);
        if let Some(gone) = detached {
            // The target closed (a popup that closed itself): its calls will never be
            // answered, so they fail now, and its own subscribers hear of it.
            fail_calls_of(shared, &gone);
            let own = Arc::new(RawEvent {
                method: DETACHED.to_string(),
                params: event.params.clone(),
                session_id: Some(gone),
            });
            deliver(shared, &own);
        }
    }
}

/// Hands `event` to the subscribers of its session: first the runtime's watchers, run with no
/// lock held (so that one may send, subscribe or drop a watch), then the streams. A watcher
/// that panicked, or a stream whose receiver is gone, is removed.
fn deliver(shared: &Shared, event: &Arc<RawEvent>) {
    let watchers: Vec<(u64, EventCallback)> = shared
        .routes()
        .subscribers
        .iter()
        .filter(|s| s.session == event.session_id)
        .filter_map(|s| match &s.sink {
            Sink::Callback(f) => Some((s.id, Arc::clone(f))),
            Sink::Channel(_) => None,
        })
        .collect();
    let failed: Vec<u64> = watchers
        .into_iter()
        .filter(|(_, f)| catch_unwind(AssertUnwindSafe(|| f(event))).is_err())
        .map(|(id, _)| id)
        .collect();
    let gone: Vec<Subscriber> = {
        let mut routes = shared.routes();
        let (gone, kept) = std::mem::take(&mut routes.subscribers)
            .into_iter()
            .partition(|s| failed.contains(&s.id) || !s.deliver(event));
        routes.subscribers = kept;
        gone
    };
    // (Dropped without the lock: a watcher may hold the last handle on another watch.)
    drop(gone);
}

/// Fails the calls awaiting a reply from the session `gone`, which ended.
fn fail_calls_of(shared: &Shared, gone: &str) {
    let mut routes = shared.routes();
    let ids: Vec<u64> = routes
        .pending
        .iter()
        .filter(|(_, (_, s, _))| s.as_deref() == Some(gone))
        .map(|(id, _)| *id)
        .collect();
    for id in ids {
        if let Some((method, _, tx)) = routes.pending.remove(&id) {
            let _ = tx.send(Err(Error::TabClosed {
                waiting_for: format!("the reply to `{method}`"),
            }));
        }
    }
}
