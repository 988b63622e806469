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
        let made = conn
            .call_raw(
                None,
                "Target.createTarget",
                json!({ "url": "about:blank", "browserContextId": context_id }),
                timeout,
            )
            .and_then(|r| str_field(&r, "targetId", "Target.createTarget"))
            .and_then(|target| TargetSession::attach(conn, &target, timeout))
            .and_then(|session| {
                session.call_raw("Page.enable", json!({}), timeout)?;
                Ok(session)
            });
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
        })
}
