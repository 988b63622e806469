//! The film strip's source: a DevTools session of its own on the test's tab that streams
//! its screencast (small JPEG frames, sent as the page paints) into the trace of the test
//! now on the tab. It outlives the test's own session, so a reused tab keeps streaming:
//! starting a screencast costs ~12 ms, a tenth of a cached test.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;

use crate::cdp::{Connection, RawEvent, TargetSession, Watch};
use crate::error::Result;
use crate::sync::lock;
use crate::trace::Trace;

/// Where a tab's frames go: the trace of the test on it, if any, with the tab's number there.
type Sink = Arc<Mutex<Option<(Arc<Mutex<Trace>>, u64)>>>;

/// The screencast of one tab.
pub(super) struct Film {
    sink: Sink,
    _watch: Watch,
}

impl Film {
    /// Attaches to the tab `target_id` and starts its screencast.
    pub fn start(conn: &Arc<Connection>, target_id: &str, timeout: Duration) -> Result<Film> {
        // The browser announces the attach as it does a new tab's: it is none.
        crate::targets::reattaching(target_id);
        let session = TargetSession::attach(conn, target_id, timeout)
            .inspect_err(|_| crate::targets::forget_reattaching(target_id))?;
        let sink: Sink = Arc::default();
        let (frames, weak_conn, id) = (
            Arc::clone(&sink),
            Arc::downgrade(conn),
            session.id().to_owned(),
        );
        let watch = conn.watch(
            Some(session.id()),
            Arc::new(move |ev: &RawEvent| {
                if ev.method != "Page.screencastFrame" {
                    return;
                }
                // Each frame is acknowledged, or the browser sends no more.
                if let Some(conn) = weak_conn.upgrade() {
                    let ack = json!({ "sessionId": ev.params["sessionId"] });
                    let _ = conn.send_oneway(Some(&id), "Page.screencastFrameAck", ack);
                }
                if let (Some((trace, tab)), Some(data)) =
                    (&*lock(&frames), ev.params["data"].as_str())
                {
                    lock(trace).frame(*tab, data.to_owned());
                }
            }),
        );
        conn.send_oneway(
            Some(session.id()),
            "Page.startScreencast",
            json!({ "format": "jpeg", "quality": 40, "maxWidth": 320, "maxHeight": 240 }),
        )?;
        Ok(Film {
            sink,
            _watch: watch,
        })
    }

    /// Sends the frames to a test's trace, as those of its tab numbered so, from now on
    /// (`None`: to no test).
    pub fn show_to(&self, trace: Option<(Arc<Mutex<Trace>>, u64)>) {
        *lock(&self.sink) = trace;
    }
}
