//! JavaScript in the page: evaluation, calls of a function on arguments, and retrying a
//! probe until it yields.

use std::time::Duration;

use serde_json::{json, Value};

use crate::cdp::TargetSession;
use crate::deadline::Deadline;
use crate::error::{Error, Result};

use super::{is_navigation_race, Page, POLL};

impl Page {
    /// `Runtime.evaluate` with the value returned as JSON and promises awaited.
    pub(super) fn evaluate(&self, expression: &str) -> Result<Value> {
        if self.is_closed() {
            return Err(self.closed_error("the reply to `Runtime.evaluate`"));
        }
        evaluate_on(&self.inner.target, expression, self.call_timeout()).map_err(|e| match e {
            Error::Cdp { method, .. } if self.is_closed() => {
                self.closed_error(&format!("the reply to `{method}`"))
            }
            other => other,
        })
    }

    /// Calls the JavaScript function `function` with JSON `args`.
    pub(crate) fn call_js(&self, function: &str, args: &[Value]) -> Result<Value> {
        let args = args
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join(",");
        self.evaluate(&format!("({function})({args})"))
    }

    /// Calls `probe` every few ms until it yields a value (`Some`), or `deadline` passes
    /// (`None`). Errors from a document being replaced mid-probe count as "not yet".
    pub(crate) fn retry<T>(
        &self,
        deadline: Deadline,
        mut probe: impl FnMut() -> Result<Option<T>>,
    ) -> Result<Option<T>> {
        loop {
            match probe() {
                Ok(Some(v)) => return Ok(Some(v)),
                Ok(None) => {}
                Err(e) if is_navigation_race(&e) => {}
                Err(Error::Timeout { .. }) if deadline.passed() => {}
                Err(e) => return Err(e),
            }
            if deadline.passed() {
                return Ok(None);
            }
            std::thread::sleep(POLL);
        }
    }

    /// Evaluates a JavaScript expression in the page and returns its value as JSON (a
    /// returned promise is awaited; `undefined` is `null`).
    ///
    /// ```no_run
    /// # fn t(page: &session_test::Page) -> session_test::Result<()> {
    /// let n = page.eval("1 + 2")?;
    /// assert_eq!(n, 3);
    /// # Ok(()) }
    /// ```
    pub fn eval(&self, expression: &str) -> Result<Value> {
        self.evaluate(expression)
    }
}

/// `Runtime.evaluate` on `session` (a tab's or a frame's), the value returned as JSON and
/// promises awaited; a thrown exception is [`Error::JavaScript`].
pub(crate) fn evaluate_on(
    session: &TargetSession,
    expression: &str,
    timeout: Duration,
) -> Result<Value> {
    let reply = session.call_raw(
        "Runtime.evaluate",
        json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        timeout,
    )?;
    evaluated(reply)
}

/// The value of a `Runtime.evaluate` reply; a thrown exception is [`Error::JavaScript`].
pub(crate) fn evaluated(reply: Value) -> Result<Value> {
    if let Some(ex) = reply.get("exceptionDetails") {
        let message = ex["exception"]["description"]
            .as_str()
            .or_else(|| ex["text"].as_str())
            .unwrap_or("unknown exception")
            .to_string();
        return Err(Error::JavaScript { message });
    }
    Ok(reply["result"].get("value").cloned().unwrap_or(Value::Null))
}
