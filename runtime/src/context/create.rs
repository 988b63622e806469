//! A browser context with one tab on about:blank: what each isolated test gets.
//!
//! Creating one costs ~110–130 ms, mostly in the browser. A context made ahead of time was
//! measured and left out: on 2 cores its creation competes with the running test, whose
//! visits got 2.3× slower and whose suite got 17 % slower (`make micro-bench`,
//! BENCHMARKS.md).

use std::time::Duration;

use serde_json::{json, Value};

use crate::browser::Browser;
use crate::cdp::TargetSession;
use crate::error::{Error, Result};

/// A fresh browser context and its attached tab.
pub(crate) struct NewContext {
    pub context_id: String,
    pub session: TargetSession,
}

impl NewContext {
    fn create(browser: &Browser, timeout: Duration) -> Result<NewContext> {
        let conn = browser.connection();
        let reply = conn.call_raw(
            None,
            "Target.createBrowserContext",
            json!({ "disposeOnDetach": true }),
            timeout,
        )?;
        let context_id = str_field(&reply, "browserContextId", "Target.createBrowserContext")?;
        // The browser attaches the new tab by itself, paused (see `targets`): its session is
        // the tab's, resumed once the page domain is on.
        let born = crate::targets::expect_first_tab(&context_id);
        let made = conn
            .call_raw(
                None,
                "Target.createTarget",
                json!({ "url": "about:blank", "browserContextId": context_id }),
                timeout,
            )
            .and_then(|r| str_field(&r, "targetId", "Target.createTarget"))
            .and_then(|target| {
                let birth = born.recv_timeout(timeout).map_err(|_| Error::Timeout {
                    what: format!("the browser to attach the new tab {target}"),
                    after: timeout,
                })?;
                Ok(TargetSession::adopt(conn, &birth.session_id, &target))
            })
            .and_then(|session| {
                let replies = [
                    session.send_raw("Page.enable", json!({})),
                    session.send_raw("Runtime.runIfWaitingForDebugger", json!({})),
                ];
                for reply in replies {
                    reply?.wait(timeout)?;
                }
                Ok(session)
            });
        if made.is_err() {
            crate::targets::forget_expected(&context_id);
        }
        match made {
            Ok(session) => Ok(NewContext {
                context_id,
                session,
            }),
            Err(e) => {
                dispose(browser, &context_id);
                Err(e)
            }
        }
    }
}

/// A new context and tab.
pub(crate) fn create(browser: &Browser, timeout: Duration) -> Result<NewContext> {
    NewContext::create(browser, timeout)
}

/// Closes a context and its tabs.
pub(crate) fn dispose(browser: &Browser, context_id: &str) {
    let _ = browser.connection().call_raw(
        None,
        "Target.disposeBrowserContext",
        json!({ "browserContextId": context_id }),
        Duration::from_secs(5),
    );
}

pub(crate) fn str_field(reply: &Value, key: &str, method: &str) -> Result<String> {
    reply
        .get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| Error::Protocol {
            method: method.into(),
            reason: format!("no `{key}` in the reply"),
            source: None,
        })
}
