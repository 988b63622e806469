//! `SessionData`: what a session holds. Its `Debug` shows names and origins, never values.

use serde::{Deserialize, Serialize};

use super::{Cookie, Credential, EmbeddedStorage, OriginDatabases, OriginStorage, StorageItems};

/// Cookies plus localStorage and sessionStorage per origin (SPEC D3), and IndexedDB when
/// the session has `indexed_db = true` (SPEC C12).
///
/// ```
/// let data = session_test::sessions::SessionData::default();
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
    /// The passkeys of the context's virtual authenticator, private keys and counters
    /// included (`passkeys = true`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credentials: Vec<Credential>,
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

    /// The names of what it holds: its origins with storage or IndexedDB, and its cookies'
    /// domains; no value.
    pub fn holds(&self) -> Vec<String> {
        let mut all = self.origins();
        all.extend(self.indexed_db.iter().map(|o| o.origin.clone()));
        all.extend(
            self.cookies
                .iter()
                .map(|c| format!("cookies of {}", c.domain)),
        );
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
