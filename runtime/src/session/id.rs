//! Canonical session ids (SPEC C2): a string as it is; anything else as JSON with object
//! keys sorted and no whitespace, so equal values name the same session.

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Result};

/// The canonical text of an id.
pub fn canonical_id<I: Serialize + ?Sized>(id: &I) -> Result<String> {
    let value = serde_json::to_value(id).map_err(|e| Error::InvalidSessionId {
        reason: format!("it cannot be serialized: {e}"),
    })?;
    let text = match value {
        Value::String(s) => s,
        other => sorted(other).to_string(),
    };
    if text.is_empty() {
        return Err(Error::InvalidSessionId {
            reason: "it is an empty string".into(),
        });
    }
    Ok(text)
}

/// Object keys in order at every depth. serde_json's map sorts them already, unless some
/// crate of the build turns on its `preserve_order` feature, which would make ids built in
/// another field order name other sessions.
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strings_are_verbatim() {
        assert_eq!(canonical_id("alice").unwrap(), "alice");
        assert_eq!(canonical_id(&String::from("a b")).unwrap(), "a b");
    }

    #[test]
    fn other_values_are_sorted_compact_json() {
        assert_eq!(
            canonical_id(&["user", "alice"]).unwrap(),
            r#"["user","alice"]"#
        );
        assert_eq!(
            canonical_id(&json!({"b": 1, "a": 2})).unwrap(),
            canonical_id(&json!({"a": 2, "b": 1})).unwrap()
        );
        assert_eq!(
            canonical_id(&json!({"b": 1, "a": {"d": 1, "c": 2}})).unwrap(),
            r#"{"a":{"c":2,"d":1},"b":1}"#
        );
        assert_eq!(canonical_id(&42).unwrap(), "42");
    }

    #[test]
    fn empty_and_unserializable_ids_are_errors() {
        assert_eq!(
            canonical_id("").unwrap_err().to_string(),
            "invalid session id: it is an empty string"
        );
        let mut bad = std::collections::HashMap::new();
        bad.insert((1, 2), "tuple keys are not JSON object keys");
        let err = canonical_id(&bad).unwrap_err().to_string();
        assert!(
            err.starts_with("invalid session id: it cannot be serialized: "),
            "{err}"
        );
    }
}
