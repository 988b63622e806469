//! Storage items: those of one origin's localStorage or sessionStorage, an origin's, and
//! a cross-site iframe's in the partition of the top-level origin it was embedded in.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::Redacted;

/// The items of one origin's localStorage or sessionStorage.
///
/// ```
/// let items = session_test::sessions::StorageItems::from_iter([("token", "t0k3n")]);
/// assert_eq!(items.get("token"), Some("t0k3n"));
/// assert!(!format!("{items:?}").contains("t0k3n"));
/// ```
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StorageItems(BTreeMap<String, String>);

impl StorageItems {
    /// The value stored under `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }
    /// Number of items.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// True when there are no items.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Keys and values, sorted by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
    /// The underlying map.
    pub fn into_inner(self) -> BTreeMap<String, String> {
        self.0
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for StorageItems {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        StorageItems(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

impl fmt::Debug for StorageItems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.keys().map(|k| (k, Redacted)))
            .finish()
    }
}

/// The storage of a cross-site iframe's origin under one top-level origin: Chromium keeps
/// it apart from the origin's own (third-party storage partitioning).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmbeddedStorage {
    /// The iframe's origin, `scheme://host:port`.
    pub origin: String,
    /// The top-level origin it was embedded in.
    pub top_level_origin: String,
    /// Its localStorage items there.
    pub local_storage: StorageItems,
    /// Its sessionStorage items there.
    pub session_storage: StorageItems,
    /// Its IndexedDB databases there (`indexed_db = true`), in the form indexeddb.js reads
    /// and writes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub databases: Option<serde_json::Value>,
}

/// The storage items of one origin.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OriginStorage {
    /// `scheme://host:port`.
    pub origin: String,
    /// The items.
    pub items: StorageItems,
}

impl OriginStorage {
    /// Items of `origin`.
    pub fn new(origin: impl Into<String>, items: StorageItems) -> Self {
        OriginStorage {
            origin: origin.into(),
            items,
        }
    }
}
