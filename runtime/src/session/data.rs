//! `SessionData`: what a session holds. Its `Debug` shows names and origins, never values.

use serde::{Deserialize, Serialize};

use super::indexed_db::OriginDatabases;
use crate::data::{Cookie, StorageItems};

/// Cookies plus localStorage and sessionStorage per origin (SPEC D3), and IndexedDB when
/// the session has `indexed_db = true` (SPEC C12).
///
/// ```
/// let data = session_test::SessionData::default();
/// assert!(data.cookies.is_empty() && data.local_storage.is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SessionData {
    /// Every cookie of the context, all domains.
    pub cookies: Vec<Cookie>,
    /// localStorage of each captured origin (origins with no items are left out).
    pub local_storage: Vec<OriginStorage>,
    /// sessionStorage of each captured origin (origins with no items are left out).
    pub session_storage: Vec<OriginStorage>,
    /// IndexedDB databases of each captured origin that has any (`indexed_db = true`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexed_db: Vec<OriginDatabases>,
    /// localStorage and sessionStorage of each cross-site iframe the session loaded, in the
    /// partition of the top-level origin it was embedded in (origins with no items are left
    /// out).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub embedded: Vec<EmbeddedStorage>,
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

impl SessionData {
    /// Every origin that has localStorage or sessionStorage items.
    pub fn origins(&self) -> Vec<String> {
        let mut all: Vec<String> = self
            .local_storage
            .iter()
            .chain(&self.session_storage)
            .map(|o| o.origin.clone())
            .collect();
        all.sort();
        all.dedup();
        all
    }

    /// The localStorage items of `origin` (empty when none).
    pub fn local_storage_of(&self, origin: &str) -> StorageItems {
        find(&self.local_storage, origin)
    }

    /// The sessionStorage items of `origin` (empty when none).
    pub fn session_storage_of(&self, origin: &str) -> StorageItems {
        find(&self.session_storage, origin)
    }
}

fn find(list: &[OriginStorage], origin: &str) -> StorageItems {
    list.iter()
        .find(|o| o.origin == origin)
        .map(|o| o.items.clone())
        .unwrap_or_default()
}
