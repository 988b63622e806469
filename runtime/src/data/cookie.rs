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
    p
}
