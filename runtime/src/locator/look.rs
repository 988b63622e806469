//! What one look at an element or a page showed, for `expect`'s retries and its failure
//! message.

use serde_json::Value;

use super::TextMatch;

/// Longest actual text quoted in a failure message.
const MAX_SHOWN: usize = 200;

/// What one look showed: whether the expectation holds (`None`: it cannot be judged, e.g.
/// no element to read a value from, which fails negated assertions too), what was seen, and
/// whether the expectation itself must not be shown (a password field's value).
pub(super) struct Look {
    pub holds: Option<bool>,
    pub seen: String,
    pub secret: bool,
}

pub(super) const NO_ELEMENT: &str = "no element matches";

/// A look that decides the expectation.
pub(super) fn decided(holds: bool, seen: &str) -> Look {
    Look {
        holds: Some(holds),
        seen: seen.to_owned(),
        secret: false,
    }
}

/// A look that cannot decide it: the assertion fails whether negated or not.
pub(super) fn undecided(seen: &str) -> Look {
    Look {
        holds: None,
        seen: seen.to_owned(),
        secret: false,
    }
}

/// A look at a password field's value.
pub(super) fn secret(holds: bool) -> Look {
    Look {
        holds: Some(holds),
        seen: "a password field (its value is not shown)".into(),
        secret: true,
    }
}

pub(super) fn visible(state: &Value) -> Look {
    match state["visible"].as_bool() {
        Some(true) => decided(true, "visible"),
        _ => decided(false, "hidden"),
    }
}

pub(super) fn enabled(state: Option<&Value>, want: bool) -> Look {
    match state.map(|s| s["enabled"].as_bool().unwrap_or(false)) {
        None => undecided(NO_ELEMENT),
        Some(true) => decided(want, "enabled"),
        Some(false) => decided(!want, "disabled"),
    }
}

pub(super) fn text_look(text: Option<&str>, expected: &TextMatch) -> Look {
    match text {
        None => undecided(NO_ELEMENT),
        Some(text) => decided(expected.matches(text), &quote(text)),
    }
}

/// `text` as a quoted string, cut short when long.
pub(super) fn quote(text: &str) -> String {
    if text.chars().count() <= MAX_SHOWN {
        return format!("{text:?}");
    }
    let cut: String = text.chars().take(MAX_SHOWN).collect();
    format!("{cut:?}…")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn long_text_is_cut_short() {
        let long = "x".repeat(500);
        let shown = quote(&long);
        assert!(shown.ends_with("\"…") && shown.len() < 210, "{shown}");
        assert_eq!(quote("a \"b\""), "\"a \\\"b\\\"\"");
    }

    #[test]
    fn a_missing_element_decides_visibility_only() {
        assert_eq!(visible(&json!({})).holds, Some(false));
        assert_eq!(enabled(None, true).holds, None);
        assert_eq!(enabled(None, false).holds, None);
        let t = text_look(None, &TextMatch::from("x"));
        assert_eq!((t.holds, t.seen.as_str()), (None, NO_ELEMENT));
    }
}
