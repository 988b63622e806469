//! Refresh-token rotation, as OAuth 2.1 asks of browser apps (Auth0, Okta, Azure AD B2C and
//! node-oidc-provider do it): every refresh returns a new refresh token and retires the old
//! one, and presenting a retired token revokes the whole grant, since it means two parties
//! hold one chain. Rejected refreshes are counted, so tests can tell a chain was reused.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// One login's chain of refresh tokens.
struct Grant {
    user: String,
    /// The one refresh token that may be used next.
    current: String,
    revoked: bool,
}

/// A new access and refresh token pair.
pub struct Tokens {
    pub access: String,
    pub refresh: String,
    pub user: String,
}

#[derive(Default)]
pub struct Grants {
    grants: Mutex<HashMap<u64, Grant>>,
    /// Every refresh token ever issued → its grant.
    refresh_tokens: Mutex<HashMap<String, u64>>,
    /// Access token → user, while its grant stands.
    access_tokens: Mutex<HashMap<String, (u64, String)>>,
    next: AtomicU64,
    pub rejected: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Grants {
    /// A new grant for `user` (after its password was checked).
    pub fn start(&self, user: &str, new_id: impl Fn() -> String) -> Tokens {
        let grant = self.next.fetch_add(1, Ordering::SeqCst);
        let tokens = Tokens {
            access: new_id(),
            refresh: new_id(),
            user: user.to_string(),
        };
        lock(&self.grants).insert(
            grant,
            Grant {
                user: user.to_string(),
                current: tokens.refresh.clone(),
                revoked: false,
            },
        );
        self.issue(grant, &tokens);
        tokens
    }

    fn issue(&self, grant: u64, tokens: &Tokens) {
        lock(&self.refresh_tokens).insert(tokens.refresh.clone(), grant);
        lock(&self.access_tokens).insert(tokens.access.clone(), (grant, tokens.user.clone()));
    }

    /// Rotates `refresh`: new tokens when it is its grant's current one. A retired token
    /// revokes its grant; any failure is counted as a rejected refresh.
    pub fn refresh(&self, refresh: &str, new_id: impl Fn() -> String) -> Option<Tokens> {
        let grant = lock(&self.refresh_tokens).get(refresh).copied();
        let mut grants = lock(&self.grants);
        let rotated = grant.and_then(|id| {
            let g = grants.get_mut(&id)?;
            if g.revoked {
                return None;
            }
            if g.current != refresh {
                // Reuse of a retired token: someone else holds this chain.
                g.revoked = true;
                return None;
            }
            g.current = new_id();
            Some((
                id,
                Tokens {
                    access: new_id(),
                    refresh: g.current.clone(),
                    user: g.user.clone(),
                },
            ))
        });
        drop(grants);
        match rotated {
            Some((id, tokens)) => {
                self.issue(id, &tokens);
                Some(tokens)
            }
            None => {
                self.rejected.fetch_add(1, Ordering::SeqCst);
                None
            }
        }
    }

    /// The user of a live access token.
    pub fn user_of_access(&self, access: &str) -> Option<String> {
        let (grant, user) = lock(&self.access_tokens).get(access).cloned()?;
        let live = lock(&self.grants).get(&grant).is_some_and(|g| !g.revoked);
        live.then_some(user)
    }

    /// Signs out: the grant of `refresh` is revoked (an unknown token is no error).
    pub fn revoke(&self, refresh: &str) {
        let grant = lock(&self.refresh_tokens).get(refresh).copied();
        if let Some(id) = grant {
            if let Some(g) = lock(&self.grants).get_mut(&id) {
                g.revoked = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> impl Fn() -> String {
        let n = AtomicU64::new(0);
        move || format!("t{}", n.fetch_add(1, Ordering::SeqCst))
    }

    #[test]
    fn a_reused_refresh_token_revokes_the_grant() {
        let grants = Grants::default();
        let new_id = ids();
        let first = grants.start("ana", &new_id);
        let second = grants.refresh(&first.refresh, &new_id).expect("rotates");
        assert_eq!(
            grants.user_of_access(&second.access).as_deref(),
            Some("ana")
        );
        // The retired token again: rejected, and the whole grant with it.
        assert!(grants.refresh(&first.refresh, &new_id).is_none());
        assert!(grants.refresh(&second.refresh, &new_id).is_none());
        assert_eq!(grants.user_of_access(&second.access), None);
        assert_eq!(grants.rejected.load(Ordering::SeqCst), 2);
    }
}
