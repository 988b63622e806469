//! The demo's passkeys: sign-up and sign-in verified by a WebAuthn relying-party library
//! (`webauthn_rp`), with the strict signature-counter rule of py_webauthn and webauthn-rs: an
//! assertion whose counter does not grow past the highest seen is refused, so two copies of
//! one passkey used in turn fail.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};

use serde_json::Value;
use webauthn_rp::bin::{Decode as _, Encode as _};
use webauthn_rp::request::auth::{AuthenticationVerificationOptions, SignatureCounterEnforcement};
use webauthn_rp::request::register::{
    PublicKeyCredentialUserEntity, RegistrationVerificationOptions, UserHandle64, Username,
    USER_HANDLE_MAX_LEN,
};
use webauthn_rp::request::{AsciiDomain, FixedCapHashSet, InsertResult, RpId, TimedCeremony};
use webauthn_rp::response::auth::error::AuthCeremonyErr;
use webauthn_rp::response::register::{CompressedPubKey, DynamicState, StaticState};
use webauthn_rp::response::SentChallenge;
use webauthn_rp::{
    AuthenticatedCredential, DiscoverableAuthentication64, DiscoverableAuthenticationServerState,
    DiscoverableCredentialRequestOptions, PublicKeyCredentialCreationOptions, Registration,
    RegistrationServerState,
};

/// An HTTP status and why, for a refused step.
pub type Refused = (u16, String);

type Key = CompressedPubKey<[u8; 32], [u8; 32], [u8; 48], Vec<u8>>;

/// A registered passkey, as the server keeps it.
struct Stored {
    user: UserHandle64,
    name: String,
    public_key: Vec<u8>,
    dynamic: DynamicState,
}

/// The relying party: its ceremonies under way, the registered passkeys, and counts.
#[derive(Default)]
pub struct Passkeys {
    /// The RP id (the host) and the origin pages come from, once the port is known.
    rp: OnceLock<(RpId, String)>,
    registering: UnderWay<RegistrationServerState<USER_HANDLE_MAX_LEN>>,
    signing_in: UnderWay<DiscoverableAuthenticationServerState>,
    /// User handle → name, from the options to the registration.
    pending: Mutex<HashMap<UserHandle64, String>>,
    /// Credential id → passkey.
    stored: Mutex<HashMap<Vec<u8>, Stored>>,
    pub registrations: AtomicU64,
    pub assertions: AtomicU64,
    pub refused_counters: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn bad(status: u16) -> impl Fn(&dyn std::fmt::Display) -> Refused {
    move |e| (status, e.to_string())
}

/// Ceremonies under way, by challenge.
type UnderWay<T> = Mutex<Option<FixedCapHashSet<T>>>;

/// Keeps the server's half of a ceremony until the browser's answer comes.
fn keep<T>(under_way: &UnderWay<T>, server: T) -> Result<(), Refused>
where
    T: Borrow<SentChallenge> + Eq + Hash + TimedCeremony,
{
    let mut set = lock(under_way);
    let set = set.get_or_insert_with(|| FixedCapHashSet::new(64));
    match set.insert_or_replace_all_expired(server) {
        InsertResult::Success => Ok(()),
        _ => Err((503, "too many ceremonies under way".into())),
    }
}

/// The server's half of the ceremony the browser answers with `challenge`.
fn answered<T, E: std::fmt::Display>(
    under_way: &UnderWay<T>,
    challenge: Result<SentChallenge, E>,
) -> Result<T, Refused>
where
    T: Borrow<SentChallenge> + Eq + Hash + TimedCeremony,
{
    let challenge = challenge.map_err(|e| bad(400)(&e))?;
    let taken = lock(under_way)
        .as_mut()
        .and_then(|set| set.take(&challenge));
    taken.ok_or((400, "unknown challenge".into()))
}

impl Passkeys {
    /// The relying party of `host`, whose pages are `http://host:port`.
    pub fn configure(&self, host: &str, port: u16) {
        if let Ok(domain) = AsciiDomain::try_from(host.to_owned()) {
            let _ = self
                .rp
                .set((RpId::Domain(domain), format!("http://{host}:{port}")));
        }
    }

    fn rp(&self) -> Result<&(RpId, String), Refused> {
        self.rp.get().ok_or((500, "no relying party".into()))
    }

    /// The options of a new passkey for `name` (for `navigator.credentials.create`).
    pub fn register_options(&self, name: &str) -> Result<Value, Refused> {
        let (rp, _) = self.rp()?;
        let id = UserHandle64::new();
        let name_ok = Username::try_from(name).map_err(|e| bad(400)(&e))?;
        let user = PublicKeyCredentialUserEntity {
            name: name_ok,
            id: &id,
            display_name: None,
        };
        let (server, client) = PublicKeyCredentialCreationOptions::first_passkey(rp, user)
            .start_ceremony()
            .map_err(|e| bad(500)(&e))?;
        keep(&self.registering, server)?;
        lock(&self.pending).insert(id, name.to_owned());
        serde_json::to_value(&client).map_err(|e| bad(500)(&e))
    }

    /// Verifies a new passkey (the browser's `credential.toJSON()`); the user's name.
    pub fn register(&self, body: &[u8]) -> Result<String, Refused> {
        let (rp, origin) = self.rp()?;
        let registration: Registration = serde_json::from_slice(body).map_err(|e| bad(400)(&e))?;
        let server = answered(&self.registering, registration.challenge())?;
        let options = RegistrationVerificationOptions::<&str, &str> {
            allowed_origins: &[origin.as_str()],
            ..Default::default()
        };
        let credential = server
            .verify(rp, &registration, &options)
            .map_err(|e| bad(401)(&e))?;
        let (id, user) = (credential.id().as_ref().to_vec(), *credential.user_id());
        let name = lock(&self.pending).remove(&user).unwrap_or_default();
        let public_key = credential
            .static_state()
            .encode()
            .unwrap_or_else(|never| match never {});
        let mut stored = lock(&self.stored);
        if stored.contains_key(&id) {
            return Err((409, "credential registered already".into()));
        }
        let dynamic = credential.dynamic_state();
        stored.insert(
            id,
            Stored {
                user,
                name: name.clone(),
                public_key,
                dynamic,
            },
        );
        self.registrations.fetch_add(1, Ordering::SeqCst);
        Ok(name)
    }

    /// The options of a sign-in with any passkey of this site (`navigator.credentials.get`).
    pub fn sign_in_options(&self) -> Result<Value, Refused> {
        let (rp, _) = self.rp()?;
        let (server, client) = DiscoverableCredentialRequestOptions::passkey(rp)
            .start_ceremony()
            .map_err(|e| bad(500)(&e))?;
        keep(&self.signing_in, server)?;
        serde_json::to_value(&client).map_err(|e| bad(500)(&e))
    }

    /// Verifies an assertion (the browser's `credential.toJSON()`), its counter past the
    /// highest seen; the user's name.
    pub fn sign_in(&self, body: &[u8]) -> Result<String, Refused> {
        let (rp, origin) = self.rp()?;
        let assertion: DiscoverableAuthentication64 =
            serde_json::from_slice(body).map_err(|e| bad(400)(&e))?;
        let server = answered(&self.signing_in, assertion.challenge())?;
        let mut stored = lock(&self.stored);
        let passkey = stored
            .get_mut(assertion.raw_id().as_ref())
            .ok_or((401, "unknown passkey".into()))?;
        let key =
            StaticState::<Key>::decode(passkey.public_key.as_slice()).map_err(|e| bad(500)(&e))?;
        let (user, highest) = (passkey.user, passkey.dynamic.sign_count);
        let mut credential =
            AuthenticatedCredential::new(assertion.raw_id(), &user, key, passkey.dynamic)
                .map_err(|e| bad(500)(&e))?;
        let options = AuthenticationVerificationOptions::<&str, &str> {
            allowed_origins: &[origin.as_str()],
            sig_counter_enforcement: SignatureCounterEnforcement::Fail,
            ..Default::default()
        };
        // The library lets a counter of 0 stay 0: the strict rule refuses that too.
        let refused = match server.verify(rp, &assertion, &mut credential, &options) {
            Ok(_) => credential.dynamic_state().sign_count <= highest,
            Err(AuthCeremonyErr::SignatureCounter) => true,
            Err(e) => return Err(bad(401)(&e)),
        };
        if refused {
            self.refused_counters.fetch_add(1, Ordering::SeqCst);
            return Err((401, "the signature counter did not grow".into()));
        }
        passkey.dynamic = credential.dynamic_state();
        self.assertions.fetch_add(1, Ordering::SeqCst);
        Ok(passkey.name.clone())
    }
}
