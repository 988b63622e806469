//! A flattened target session (`Target.attachToTarget` with `flatten: true`): calls and
//! events of one tab, multiplexed over the browser's connection.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::{Connection, EventStream};
use crate::error::Result;

/// One attached target: typed and raw calls, and its events.
#[derive(Clone, Debug)]
pub struct TargetSession {
    conn: Arc<Connection>,
    session_id: String,
    target_id: String,
}

impl TargetSession {
    /// Attaches to `target_id` on `conn`.
    pub fn attach(conn: &Arc<Connection>, target_id: &str, timeout: Duration) -> Result<Self> {
        let reply = conn.call_raw(
            None,
            "Target.attachToTarget",
            serde_json::json!({ "targetId": target_id, "flatten": true }),
            timeout,
        )?;
        let session_id = reply
            .get("sessionId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        Ok(TargetSession {
            conn: Arc::clone(conn),
            session_id,
            target_id: target_id.to_string(),
        })
    }

    /// A session the browser attached by itself (auto-attach), on `conn`.
    pub(crate) fn adopt(conn: &Arc<Connection>, session_id: &str, target_id: &str) -> Self {
        TargetSession {
            conn: Arc::clone(conn),
            session_id: session_id.to_string(),
            target_id: target_id.to_string(),
        }
    }

    /// The protocol's session id.
    pub fn id(&self) -> &str {
        &self.session_id
    }

    /// The target's id (for a page, also its main frame's id).
    pub fn target_id(&self) -> &str {
        &self.target_id
    }

    /// The browser connection.
    pub fn connection(&self) -> &Arc<Connection> {
        &self.conn
    }

    /// A raw JSON call on this session.
    pub fn call_raw(&self, method: &str, params: Value, timeout: Duration) -> Result<Value> {
        self.conn
            .call_raw(Some(&self.session_id), method, params, timeout)
    }

    /// A raw JSON call on this session, sent without waiting for its reply.
    pub(crate) fn send_raw(&self, method: &str, params: Value) -> Result<super::PendingReply> {
        self.conn.send_raw(Some(&self.session_id), method, params)
    }

    /// A typed call on this session.
    #[cfg(feature = "headless_chrome")]
    pub fn call<M>(&self, method: M, timeout: Duration) -> Result<M::ReturnObject>
    where
        M: headless_chrome::protocol::cdp::types::Method + serde::Serialize,
    {
        self.conn.call(Some(&self.session_id), method, timeout)
    }

    /// This session's events from now on.
    pub fn subscribe(&self) -> EventStream {
        self.conn.subscribe(Some(&self.session_id))
    }
}
