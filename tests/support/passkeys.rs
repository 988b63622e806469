//! Passkeys as a page makes and uses them, with no server to verify them: for `passkeys.rs`
//! and the `fixture_rotating_*` binaries, which share a persisted passkey session.

use session_test::{session, Page, SessionStatus};

/// Registers a passkey for this site (`navigator.credentials.create`); its id.
pub const REGISTER: &str = "navigator.credentials.create({ publicKey: { \
    rp: { name: 'demo', id: location.hostname }, \
    user: { id: new Uint8Array([1, 2, 3, 4]), name: 'alice', displayName: 'Alice' }, \
    challenge: new Uint8Array(32), pubKeyCredParams: [{ type: 'public-key', alg: -7 }], \
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' } } \
    }).then(c => c.id, e => 'failed: ' + e.name)";

/// Signs in with a passkey of this site the authenticator finds
/// (`navigator.credentials.get`); the credential's id.
pub const SIGN_IN: &str = "navigator.credentials.get({ publicKey: { \
    challenge: new Uint8Array(32), rpId: location.hostname, userVerification: 'required', \
    timeout: 5000 } \
    }).then(c => c.id, e => 'failed: ' + e.name)";

/// Runs `script` (one of the above) on the app's blank page; its answer, which must not be
/// a failure.
pub fn on_blank(page: &Page, script: &str) -> session_test::Result<String> {
    page.visit("/blank")?;
    let answer = page.eval(script)?.as_str().unwrap_or_default().to_owned();
    assert!(!answer.starts_with("failed"), "{script}: {answer}");
    Ok(answer)
}

/// Signs in, and returns the counter of the context's one passkey after it.
pub fn signs_in(page: &Page) -> session_test::Result<u32> {
    on_blank(page, SIGN_IN)?;
    let passkeys = page.context().credentials().list()?;
    assert_eq!(passkeys.len(), 1, "{passkeys:?}");
    Ok(passkeys[0].sign_count())
}

/// A passkey session on disk: setup registers, validate signs in.
pub fn login_persisted() -> session_test::Result<SessionStatus> {
    super::rotating::use_app();
    session!(
        "passkey-on-disk",
        |page: &Page| on_blank(page, REGISTER).map(drop),
        validate = |page: &Page| on_blank(page, SIGN_IN).map(drop),
        passkeys = true,
        persist = true
    )
}
