//! A browser cookie, and the form `Network.setCookies` takes it in.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::Redacted;

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
    /// The partition of a partitioned cookie (CHIPS, `Partitioned`): the top-level site it
    /// was set under, whose pages alone send it. `None` for an unpartitioned cookie (and in
    /// session files written before partitions were kept).
    #[serde(
        default,
        deserialize_with = "partition",
        skip_serializing_if = "Option::is_none"
    )]
    pub partition_key: Option<PartitionKey>,
}

/// The partition a partitioned cookie lives in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PartitionKey {
    /// The top-level site (`http://app.localhost`).
    pub top_level_site: String,
    /// Whether a frame between it and the top level is of another site.
    #[serde(default)]
    pub has_cross_site_ancestor: bool,
}

// Chromium reported the key as the site alone before it was an object.
fn partition<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<PartitionKey>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Site(String),
        Key(PartitionKey),
    }
    Ok(match Option::<Either>::deserialize(d)? {
        Some(Either::Site(site)) => Some(PartitionKey {
            top_level_site: site,
            has_cross_site_ancestor: true,
        }),
        Some(Either::Key(key)) => Some(key),
        None => None,
    })
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
            partition_key: None,
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
            .field("partition_key", &self.partition_key)
            .finish()
    }
}

/// `Network.CookieParam` for a captured cookie; host-only cookies are set by URL so they
/// stay host-only.
pub(crate) fn cookie_param(c: &Cookie) -> Value {
    let mut p = json!({
        "name": c.name, "value": c.value, "path": c.path,
        "secure": c.secure, "httpOnly": c.http_only,
    });
    if c.host_only() {
        let scheme = if c.secure { "https" } else { "http" };
        p["url"] = json!(format!("{scheme}://{}{}", c.domain, c.path));
    } else {
        p["domain"] = json!(c.domain);
    }
    if let Some(same_site) = &c.same_site {
        p["sameSite"] = json!(same_site);
    }
    if let Some(expires) = c.expires {
        p["expires"] = json!(expires);
    }
    if let Some(key) = &c.partition_key {
        p["partitionKey"] = json!(key);
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partition_key_is_read_in_either_form_and_kept_in_the_param() {
        let object = r#"{"name":"a","value":"v","domain":"auth.localhost",
            "partitionKey":{"topLevelSite":"http://app.localhost","hasCrossSiteAncestor":false}}"#;
        let site = r#"{"name":"a","value":"v","domain":"auth.localhost","partitionKey":"http://app.localhost"}"#;
        let old = r#"{"name":"a","value":"v","domain":"auth.localhost"}"#;
        let key = |json: &str| serde_json::from_str::<Cookie>(json).unwrap().partition_key;
        let app = |cross| PartitionKey {
            top_level_site: "http://app.localhost".into(),
            has_cross_site_ancestor: cross,
        };
        assert_eq!(key(object), Some(app(false)));
        assert_eq!(key(site), Some(app(true)));
        assert_eq!(key(old), None);
        let cookie: Cookie = serde_json::from_str(object).unwrap();
        assert_eq!(
            cookie_param(&cookie)["partitionKey"]["topLevelSite"],
            "http://app.localhost"
        );
    }
}
