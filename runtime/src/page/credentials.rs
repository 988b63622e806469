//! Passkeys: a virtual WebAuthn authenticator in the context's tabs
//! (`page.context().credentials()`), whose credentials a test installs, adds, lists and
//! removes, keys and counters included.

use std::sync::Weak;

use serde_json::json;

use super::{Context, Page, PageInner};
use crate::data::Credential;
use crate::error::{Error, Result};
use crate::sync::lock;

/// How a virtual authenticator presents itself ([`Credentials::install`]). The default is a
/// platform authenticator with passkeys, as a phone or a laptop's: CTAP 2.1 (with credential
/// protection) over the internal transport, resident keys, user verification that succeeds,
/// presence given without a tap.
///
/// ```
/// use session_test::{AuthenticatorOptions, AuthenticatorProtocol};
/// let security_key = AuthenticatorOptions {
///     protocol: AuthenticatorProtocol::U2f,
///     transport: "usb",
///     resident_keys: false,
///     ..AuthenticatorOptions::default()
/// };
/// ```
#[derive(Clone, Debug)]
pub struct AuthenticatorOptions {
    /// Over which protocol it speaks; CTAP2 by default (U2F keys have no passkeys).
    pub protocol: AuthenticatorProtocol,
    /// How it is reached: `internal` (built in, the default), `usb`, `nfc`, `ble`, `hybrid`.
    pub transport: &'static str,
    /// Stores discoverable credentials (passkeys).
    pub resident_keys: bool,
    /// Can verify the user (a PIN, a fingerprint).
    pub user_verification: bool,
    /// That verification succeeds.
    pub user_verified: bool,
}

/// The protocol of a virtual authenticator ([`AuthenticatorOptions::protocol`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AuthenticatorProtocol {
    /// FIDO2's CTAP2: passkeys, user verification.
    #[default]
    Ctap2,
    /// The older FIDO U2F: second-factor keys only.
    U2f,
}

impl Default for AuthenticatorOptions {
    fn default() -> Self {
        AuthenticatorOptions {
            protocol: AuthenticatorProtocol::Ctap2,
            transport: "internal",
            resident_keys: true,
            user_verification: true,
            user_verified: true,
        }
    }
}

/// The passkeys of a context: a virtual authenticator in its tabs. Get it with
/// [`Context::credentials`].
///
/// ```no_run
/// use session_test::AuthenticatorOptions;
/// # fn t(page: &session_test::Page) -> session_test::Result<()> {
/// let passkeys = page.context().credentials();
/// passkeys.install(AuthenticatorOptions::default())?;
/// page.click("#register")?; // the page calls navigator.credentials.create()
/// assert_eq!(passkeys.list()?.len(), 1);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Credentials {
    context: Context,
}

impl Context {
    /// The context's passkeys: [`Credentials`].
    pub fn credentials(&self) -> Credentials {
        Credentials {
            context: self.clone(),
        }
    }
}

impl Credentials {
    /// Installs a virtual authenticator in each open tab of the context, and in each tab
    /// opened after (with the context's passkeys), so that the pages'
    /// `navigator.credentials.create()` and `.get()` use it (no prompt). Once per context: a
    /// second call keeps the first. A context with an authenticator is not reused for a
    /// later test (README, "Context reuse").
    pub fn install(&self, options: AuthenticatorOptions) -> Result<()> {
        let state = self.context.state();
        let mut installed = lock(&state.authenticators);
        if !installed.is_empty() {
            return Ok(());
        }
        state
            .leftovers
            .add("a virtual authenticator (credentials().install)");
        let protocol = match options.protocol {
            AuthenticatorProtocol::Ctap2 => "ctap2",
            AuthenticatorProtocol::U2f => "u2f",
        };
        let ctap2 = options.protocol == AuthenticatorProtocol::Ctap2;
        let authenticator = json!({ "options": {
            "protocol": protocol,
            // CTAP 2.1, as today's platform authenticators: credential protection, which
            // relying parties may require of a passkey (webauthn_rp's passkey options do).
            "ctap2Version": if ctap2 { "ctap2_1" } else { "ctap2_0" },
            "hasCredBlob": ctap2,
            "transport": options.transport,
            "hasResidentKey": options.resident_keys,
            "hasUserVerification": options.user_verification,
            "isUserVerified": options.user_verified,
            "automaticPresenceSimulation": true,
        }});
        *lock(&state.authenticator) = Some(authenticator.clone());
        for page in self.context.pages() {
            let id = add_authenticator(&page, &authenticator)?;
            installed.push((std::sync::Arc::downgrade(&page.inner), id));
        }
        Ok(())
    }

    /// Gives `tab`, opened after [`Credentials::install`], an authenticator of its own that
    /// holds the context's passkeys, before its first document runs. Nothing when none was
    /// installed.
    pub(super) fn follow_into(&self, tab: &Page) -> Result<()> {
        let state = self.context.state();
        let Some(authenticator) = lock(&state.authenticator).clone() else {
            return Ok(());
        };
        let passkeys = self.list()?;
        let id = add_authenticator(tab, &authenticator)?;
        for passkey in &passkeys {
            let params = json!({ "authenticatorId": id, "credential": passkey.to_protocol() });
            tab.call("WebAuthn.addCredential", params)?;
        }
        lock(&state.authenticators).push((std::sync::Arc::downgrade(&tab.inner), id));
        Ok(())
    }

    /// Adds `credential` (a passkey saved from [`Credentials::list`], or made with
    /// [`Credential::new`]) to the authenticator.
    pub fn add(&self, credential: &Credential) -> Result<()> {
        let credential = credential.to_protocol();
        self.each(|page, id| {
            let params = json!({ "authenticatorId": id, "credential": credential });
            page.call("WebAuthn.addCredential", params).map(drop)
        })
    }

    /// The authenticator's credentials, private keys and counters included (one a page
    /// registered too). The same credential in several tabs is listed once, with its
    /// highest counter.
    pub fn list(&self) -> Result<Vec<Credential>> {
        let mut all: Vec<Credential> = Vec::new();
        self.each(|page, id| {
            let reply = page.call("WebAuthn.getCredentials", json!({ "authenticatorId": id }))?;
            let listed = reply["credentials"].as_array().cloned().unwrap_or_default();
            for credential in listed.iter().filter_map(Credential::from_protocol) {
                match all.iter_mut().find(|c| c.id() == credential.id()) {
                    Some(seen) if seen.sign_count() >= credential.sign_count() => {}
                    Some(seen) => *seen = credential,
                    None => all.push(credential),
                }
            }
            Ok(())
        })?;
        Ok(all)
    }

    /// Removes the credential whose id is `id`.
    pub fn remove(&self, id: &[u8]) -> Result<()> {
        use base64::Engine as _;
        let id = base64::engine::general_purpose::STANDARD.encode(id);
        self.each(|page, authenticator| {
            let params = json!({ "authenticatorId": authenticator, "credentialId": id });
            page.call("WebAuthn.removeCredential", params).map(drop)
        })
    }

    /// Removes every credential.
    pub fn clear(&self) -> Result<()> {
        self.each(|page, id| {
            let params = json!({ "authenticatorId": id });
            page.call("WebAuthn.clearCredentials", params).map(drop)
        })
    }

    /// Whether [`Credentials::install`] ran in this context.
    pub(crate) fn is_installed(&self) -> bool {
        !lock(&self.context.state().authenticators).is_empty()
    }

    /// Runs `call` on each open tab's authenticator; none installed is an error that says so.
    fn each(&self, mut call: impl FnMut(&Page, &str) -> Result<()>) -> Result<()> {
        let installed: Vec<(Weak<PageInner>, String)> =
            lock(&self.context.state().authenticators).clone();
        if installed.is_empty() {
            return Err(Error::msg(
                "no virtual authenticator in this context: call credentials().install(…) first",
            ));
        }
        for (page, id) in installed {
            let Some(inner) = page.upgrade() else {
                continue;
            };
            let page = Page { inner, cap: None };
            if !page.is_closed() {
                call(&page, &id)?;
            }
        }
        Ok(())
    }
}

/// A virtual authenticator made with `authenticator` in `page`; its id.
fn add_authenticator(page: &Page, authenticator: &serde_json::Value) -> Result<String> {
    page.call("WebAuthn.enable", json!({ "enableUI": false }))
        .map_err(refused)?;
    let reply = page.call("WebAuthn.addVirtualAuthenticator", authenticator.clone())?;
    Ok(reply["authenticatorId"]
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

/// A browser that has no WebAuthn domain (a remote one that refuses it): named so.
fn refused(e: Error) -> Error {
    Error::msg(format!(
        "the browser refused a virtual authenticator (WebAuthn.enable): {e}"
    ))
}
