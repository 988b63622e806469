//! The reader thread's work: each message from the browser to the caller awaiting it or
//! to the subscribers of its session.

use std::net::TcpStream;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;
use tungstenite::{Message, WebSocket};

use super::event::{detached_session, RawEvent, DETACHED};
use super::routes::Shared;
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
    // Dropping the senders wakes every waiting subscriber with "closed".
    routes.subscribers.clear();
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
