//! What a locator is made of: the steps from the document to its elements.

use std::fmt;

use serde_json::{json, Value};

/// One step of a locator, applied to the elements the previous steps found.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Step {
    /// Descendants matching a CSS selector.
    Css(String),
    /// The innermost descendants whose text matches.
    Text { text: String, exact: bool },
    /// Descendants whose test-id attribute (any of `attributes`) equals `value`.
    TestId {
        value: String,
        attributes: Vec<String>,
    },
    /// Descendants with an ARIA role (explicit or implicit), optionally of an accessible name.
    Role { role: String, name: Option<String> },
    /// The element at `index` (negative counts from the end).
    Nth(i32),
    /// The elements whose text contains (or, negated, does not contain) `text`.
    HasText { text: String, negate: bool },
}

impl Step {
    /// The step as query.js reads it.
    pub(crate) fn to_json(&self) -> Value {
        match self {
            Step::Css(selector) => json!({ "kind": "css", "selector": selector }),
            Step::Text { text, exact } => {
                json!({ "kind": "text", "match": { "text": text, "exact": exact } })
            }
            Step::TestId { value, attributes } => {
                json!({ "kind": "test_id", "value": value, "attributes": attributes })
            }
            Step::Role { role, name } => json!({ "kind": "role", "role": role, "name": name }),
            Step::Nth(index) => json!({ "kind": "nth", "index": index }),
            Step::HasText { text, negate } => json!({
                "kind": "has_text", "match": { "text": text, "exact": false }, "negate": negate
            }),
        }
    }
}

/// Playwright's selector notation, which users of locators already read: `#list >> nth=0`.
impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Css(selector) => f.write_str(selector),
            Step::Text { text, exact: true } => write!(f, "text={text:?}"),
            Step::Text { text, exact: false } => write!(f, "text={text}"),
            Step::TestId { value, .. } => write!(f, "test_id={value}"),
            Step::Role { role, name: None } => write!(f, "role={role}"),
            Step::Role {
                role,
                name: Some(name),
            } => write!(f, "role={role}[name={name:?}]"),
            Step::Nth(index) => write!(f, "nth={index}"),
            Step::HasText {
                text,
                negate: false,
            } => write!(f, "has_text={text:?}"),
            Step::HasText { text, negate: true } => write!(f, "has_not_text={text:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_read_as_playwright_selectors() {
        let shown: Vec<String> = [
            Step::Css("#list li".into()),
            Step::Text {
                text: "Sign in".into(),
                exact: true,
            },
            Step::Text {
                text: "sign".into(),
                exact: false,
            },
            Step::TestId {
                value: "login".into(),
                attributes: vec!["data-testid".into()],
            },
            Step::Role {
                role: "button".into(),
                name: Some("Save".into()),
            },
            Step::Nth(-1),
            Step::HasText {
                text: "alice".into(),
                negate: true,
            },
        ]
        .iter()
        .map(Step::to_string)
        .collect();
        assert_eq!(
            shown,
            [
                "#list li",
                "text=\"Sign in\"",
                "text=sign",
                "test_id=login",
                "role=button[name=\"Save\"]",
                "nth=-1",
                "has_not_text=\"alice\""
            ]
        );
    }

    #[test]
    fn steps_render_the_fields_query_js_reads() {
        assert_eq!(
            Step::Role {
                role: "link".into(),
                name: None
            }
            .to_json(),
            json!({ "kind": "role", "role": "link", "name": null })
        );
        assert_eq!(
            Step::HasText {
                text: "x".into(),
                negate: false
            }
            .to_json()["match"],
            json!({ "text": "x", "exact": false })
        );
    }
}
