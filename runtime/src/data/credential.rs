//! A passkey as a virtual authenticator holds it: its id, relying party, user handle, private
//! key and signature counter.

use std::fmt;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::Redacted;

/// A WebAuthn credential (a passkey) of a virtual authenticator
/// ([`Context::credentials`](crate::Context::credentials)). Its `Debug` shows the id, the
/// relying party and the counter; never the private key or the user handle.
///
/// ```no_run
/// # fn t(page: &session_test::Page) -> session_test::Result<()> {
/// let passkeys = page.context().credentials();
/// for passkey in passkeys.list()? {
///     println!("{} for {}, used {} times", passkey.id_base64url(), passkey.rp_id(), passkey.sign_count());
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credential {
    id: Vec<u8>,
    rp_id: String,
    user_handle: Option<Vec<u8>>,
    /// PKCS#8, DER.
    private_key: Vec<u8>,
    sign_count: u32,
    resident: bool,
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("id", &self.id_base64url())
            .field("rp_id", &self.rp_id)
            .field("sign_count", &self.sign_count)
            .field("resident", &self.resident)
            .field("user_handle", &self.user_handle.as_ref().map(|_| Redacted))
            .field("private_key", &Redacted)
            .finish()
    }
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

impl Credential {
    /// A credential with the private key `private_key` (PKCS#8, DER) for relying party
    /// `rp_id`; a discoverable one (a passkey) when it has a user handle.
    pub fn new(id: &[u8], rp_id: &str, user_handle: Option<&[u8]>, private_key: &[u8]) -> Self {
        Credential {
            id: id.to_vec(),
            rp_id: rp_id.to_owned(),
            user_handle: user_handle.map(<[u8]>::to_vec),
            private_key: private_key.to_vec(),
            sign_count: 0,
            resident: user_handle.is_some(),
        }
    }

    /// The same credential, its counter at `sign_count`.
    pub fn with_sign_count(mut self, sign_count: u32) -> Self {
        self.sign_count = sign_count;
        self
    }

    /// The credential id.
    pub fn id(&self) -> &[u8] {
        &self.id
    }

    /// The credential id as the page's `PublicKeyCredential.id` shows it (base64url).
    pub fn id_base64url(&self) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&self.id)
    }

    /// The relying party (`example.com`).
    pub fn rp_id(&self) -> &str {
        &self.rp_id
    }

    /// The user handle the relying party gave at registration (discoverable credentials).
    pub fn user_handle(&self) -> Option<&[u8]> {
        self.user_handle.as_deref()
    }

    /// The private key, PKCS#8 DER: a secret.
    pub fn private_key(&self) -> &[u8] {
        &self.private_key
    }

    /// How many signatures it made: relying parties refuse one that does not grow.
    pub fn sign_count(&self) -> u32 {
        self.sign_count
    }

    /// Whether it is discoverable (a passkey a sign-in finds without being named).
    pub fn is_resident(&self) -> bool {
        self.resident
    }

    /// From the WebAuthn domain's `Credential`.
    pub(crate) fn from_protocol(v: &Value) -> Option<Credential> {
        let bytes = |key: &str| b64().decode(v[key].as_str()?).ok();
        Some(Credential {
            id: bytes("credentialId")?,
            rp_id: v["rpId"].as_str().unwrap_or_default().to_owned(),
            user_handle: bytes("userHandle"),
            private_key: bytes("privateKey")?,
            sign_count: v["signCount"].as_u64().unwrap_or(0) as u32,
            resident: v["isResidentCredential"].as_bool().unwrap_or(false),
        })
    }

    /// As the WebAuthn domain's `Credential`.
    pub(crate) fn to_protocol(&self) -> Value {
        let mut v = json!({
            "credentialId": b64().encode(&self.id),
            "isResidentCredential": self.resident,
            "rpId": self.rp_id,
            "privateKey": b64().encode(&self.private_key),
            "signCount": self.sign_count,
        });
        if let Some(handle) = &self.user_handle {
            v["userHandle"] = json!(b64().encode(handle));
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_protocols_form_round_trips_and_debug_shows_no_secret() {
        let c = Credential::new(
            b"id-1",
            "app.localhost",
            Some(b"user-SECRET"),
            b"key-SECRET",
        )
        .with_sign_count(7);
        assert_eq!(Credential::from_protocol(&c.to_protocol()), Some(c.clone()));
        let shown = format!("{c:?}");
        assert!(
            shown.contains("app.localhost") && shown.contains("sign_count: 7"),
            "{shown}"
        );
        assert!(!shown.contains("SECRET") && !shown.contains(&b64().encode("key-SECRET")));
    }
}
