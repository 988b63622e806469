//! Cookies and storage items as the runtime hands them out. Their `Debug` never shows a
//! value: these are credentials.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// A browser cookie, with every attribute the protocol reports.
///
/// ```
/// let c = session_test::Cookie::new("sid", "secret", "app.localhost");
/// assert!(!format!("{c:?}").contains("secret"));
/// ```
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Cookie {
    /// Cookie name.
    pub name: String,
    /// Cookie value (a secret: never printed by `Debug`).
    pub value: String,
    /// Domain; a leading `.` means the cookie is sent to subdomains too (not host-only).
    pub domain: String,
    /// Path.
    #[serde(default = "root_path")]
    pub path: String,
    /// Expiry as seconds since the Unix epoch; `None` for a session cookie.
    #[serde(default, deserialize_with = "expiry")]
    pub expires: Option<f64>,
    /// Not visible to scripts.
    #[serde(default)]
    pub http_only: bool,
    /// Only sent over HTTPS.
    #[serde(default)]
    pub secure: bool,
    /// `Strict`, `Lax` or `None`, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_site: Option<String>,
}

fn root_path() -> String {
    "/".into()
}

// The protocol reports session cookies with `expires: -1`.
fn expiry<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let v = Option::<f64>::deserialize(d)?;
    Ok(v.filter(|e| *e > 0.0))
}

impl Cookie {
    /// A host-only session cookie for `domain` with path `/`.
    pub fn new(
        name: impl Into<String>,
        value: impl Into<String>,
        domain: impl Into<String>,
    ) -> Self {
        Cookie {
            name: name.into(),
            value: value.into(),
            domain: domain.into(),
            path: root_path(),
            expires: None,
            http_only: false,
            secure: false,
            same_site: None,
        }
    }

    /// True when the cookie is sent only to its exact host.
    pub fn host_only(&self) -> bool {
        !self.domain.starts_with('.')
    }
}

impl fmt::Debug for Cookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cookie")
            .field("name", &self.name)
            .field("value", &Redacted)
            .field("domain", &self.domain)
            .field("path", &self.path)
            .field("expires", &self.expires)
            .field("http_only", &self.http_only)
            .field("secure", &self.secure)
            .field("same_site", &self.same_site)
            .finish()
    }
}

/// The items of one origin's localStorage or sessionStorage.
///
/// ```
/// let items = session_test::StorageItems::from_iter([("token", "t0k3n")]);
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

struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
