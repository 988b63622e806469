//! Passkeys (README, "Passkeys"): a virtual authenticator in the context's tabs; a page
//! registers and signs in with it, and the test lists, removes, clears and adds back its
//! credentials, keys and counters included.

mod support;

use session_test::{session_test, AuthenticatorOptions, Page};

/// Registers a passkey for this site (`navigator.credentials.create`); its id.
const REGISTER: &str = "navigator.credentials.create({ publicKey: { \
    rp: { name: 'demo', id: location.hostname }, \
    user: { id: new Uint8Array([1, 2, 3, 4]), name: 'alice', displayName: 'Alice' }, \
    challenge: new Uint8Array(32), pubKeyCredParams: [{ type: 'public-key', alg: -7 }], \
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' } } \
    }).then(c => c.id, e => 'failed: ' + e.name)";

/// Signs in with a passkey of this site the authenticator finds (`navigator.credentials.get`);
/// the credential's id.
const SIGN_IN: &str = "navigator.credentials.get({ publicKey: { \
    challenge: new Uint8Array(32), rpId: location.hostname, userVerification: 'required' } \
    }).then(c => c.id, e => 'failed: ' + e.name)";

#[session_test]
fn a_page_registers_and_signs_in_with_a_passkey_the_test_can_hold(
    page: &Page,
) -> session_test::Result<()> {
    page.visit(&support::sites().app.url("/blank"))?;
    let passkeys = page.context().credentials();
    assert!(passkeys.list().is_err(), "nothing installed yet");
    passkeys.install(AuthenticatorOptions::default())?;
    let id = page.eval(REGISTER)?;
    let id = id.as_str().unwrap().to_owned();
    assert!(!id.starts_with("failed"), "registration: {id}");
    let listed = passkeys.list()?;
    assert_eq!(listed.len(), 1);
    let passkey = listed[0].clone();
    assert_eq!(passkey.id_base64url(), id);
    assert_eq!(passkey.rp_id(), "app.localhost");
    assert_eq!(passkey.user_handle(), Some(&[1u8, 2, 3, 4][..]));
    assert!(passkey.is_resident() && !passkey.private_key().is_empty());
    // A sign-in signs once more.
    assert_eq!(page.eval(SIGN_IN)?, id.as_str());
    let count = passkeys.list()?[0].sign_count();
    assert!(count > passkey.sign_count(), "{count} after {passkey:?}");
    // Held by the test: cleared, the page cannot sign in; added back, it can.
    passkeys.clear()?;
    assert!(passkeys.list()?.is_empty());
    assert_eq!(page.eval(SIGN_IN)?, "failed: NotAllowedError");
    passkeys.add(&passkey.clone().with_sign_count(count))?;
    assert_eq!(page.eval(SIGN_IN)?, id.as_str());
    passkeys.remove(passkey.id())?;
    assert!(passkeys.list()?.is_empty());
    // No secret in what a test prints.
    let shown = format!("{passkey:?}");
    assert!(shown.contains("<redacted>"), "{shown}");
    Ok(())
}
