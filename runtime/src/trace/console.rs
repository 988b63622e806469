//! What a page said: its console messages (`Runtime.consoleAPICalled`) and its uncaught
//! errors (`Runtime.exceptionThrown`), each with where in the page's code it came from.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The longest message text kept.
const MAX_TEXT: usize = 2000;

/// One console message or uncaught error.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ConsoleEntry {
    /// `log`, `info`, `warning`, `error`, `debug`, …, `uncaught` for an uncaught error, or
    /// `dialog` for a JavaScript dialog.
    pub level: String,
    pub text: String,
    /// `url:line:column` of the call or the throw (1-based), when the browser gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Milliseconds from the start of the test.
    pub at_ms: f64,
    /// The page's tab: 0 for the test's own.
    pub tab: u64,
}

impl ConsoleEntry {
    /// The entry an event makes, when it is a console message or an uncaught error.
    pub fn of(method: &str, params: &Value, tab: u64, at_ms: f64) -> Option<ConsoleEntry> {
        let (level, text, frame) = match method {
            "Runtime.consoleAPICalled" => {
                let args = params["args"].as_array().map(Vec::as_slice).unwrap_or(&[]);
                let text = args.iter().map(shown).collect::<Vec<_>>().join(" ");
                (
                    params["type"].as_str().unwrap_or("log").to_owned(),
                    text,
                    &params["stackTrace"]["callFrames"][0],
                )
            }
            "Runtime.exceptionThrown" => {
                let details = &params["exceptionDetails"];
                // The error's own description ("TypeError: x is undefined\n    at …"), first
                // line; else the browser's text ("Uncaught").
                let text = details["exception"]["description"]
                    .as_str()
                    .and_then(|d| d.lines().next())
                    .or_else(|| details["text"].as_str())
                    .unwrap_or("uncaught error")
                    .to_owned();
                let frame = if details["url"].is_string() {
                    details
                } else {
                    &details["stackTrace"]["callFrames"][0]
                };
                ("uncaught".to_owned(), text, frame)
            }
            _ => return None,
        };
        Some(ConsoleEntry {
            level,
            text: cut(super::url::with_urls_masked(&text)),
            source: source(frame),
            at_ms,
            tab,
        })
    }

    /// A JavaScript dialog of tab `tab`, as its line says it was answered (level `dialog`).
    pub fn dialog(line: String, tab: u64, at_ms: f64) -> ConsoleEntry {
        ConsoleEntry {
            level: "dialog".to_owned(),
            text: cut(super::url::with_urls_masked(&line)),
            source: None,
            at_ms,
            tab,
        }
    }

    /// A console error or an uncaught error.
    pub fn is_error(&self) -> bool {
        matches!(self.level.as_str(), "error" | "assert" | "uncaught")
    }

    /// One line for a failure message: `console.error: text (at url:line:col)`.
    pub fn line(&self) -> String {
        let what = match self.level.as_str() {
            "uncaught" => "uncaught error".to_owned(),
            level => format!("console.{level}"),
        };
        match &self.source {
            Some(at) => format!("{what}: {} (at {at})", self.text),
            None => format!("{what}: {}", self.text),
        }
    }
}

/// How the console shows one argument.
fn shown(arg: &Value) -> String {
    match &arg["value"] {
        Value::String(s) => s.clone(),
        Value::Null => arg["unserializableValue"]
            .as_str()
            .or_else(|| arg["description"].as_str())
            .unwrap_or_else(|| arg["type"].as_str().unwrap_or(""))
            .to_owned(),
        other => other.to_string(),
    }
}

/// `url:line:column`, 1-based, of a call frame or exception details.
fn source(frame: &Value) -> Option<String> {
    let url = frame["url"].as_str().filter(|u| !u.is_empty())?;
    let line = frame["lineNumber"].as_u64().unwrap_or(0) + 1;
    let column = frame["columnNumber"].as_u64().unwrap_or(0) + 1;
    Some(format!(
        "{}:{line}:{column}",
        super::without_query_values(url)
    ))
}

fn cut(text: String) -> String {
    if text.chars().count() <= MAX_TEXT {
        return text;
    }
    let mut cut: String = text.chars().take(MAX_TEXT).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_console_error_with_its_place() {
        let e = ConsoleEntry::of(
            "Runtime.consoleAPICalled",
            &json!({ "type": "error", "args": [
                { "type": "string", "value": "boom" }, { "type": "number", "value": 3 },
                { "type": "object", "description": "Object" }],
                "stackTrace": { "callFrames": [
                    { "url": "http://a.localhost/app.js", "lineNumber": 9, "columnNumber": 4 }] } }),
            0,
            1.5,
        )
        .unwrap();
        assert_eq!(
            e.line(),
            "console.error: boom 3 Object (at http://a.localhost/app.js:10:5)"
        );
        assert!(e.is_error());
    }

    #[test]
    fn an_uncaught_error_shows_its_first_line() {
        let e = ConsoleEntry::of(
            "Runtime.exceptionThrown",
            &json!({ "exceptionDetails": { "text": "Uncaught", "url": "http://a.localhost/p",
                "lineNumber": 0, "columnNumber": 7,
                "exception": { "description": "TypeError: x is null\n    at f (p:1:8)" } } }),
            1,
            2.0,
        )
        .unwrap();
        assert_eq!(
            e.line(),
            "uncaught error: TypeError: x is null (at http://a.localhost/p:1:8)"
        );
        assert!(ConsoleEntry::of("Page.loadEventFired", &json!({}), 0, 0.0).is_none());
    }
}
