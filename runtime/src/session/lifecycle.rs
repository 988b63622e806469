//! The steps of one `session!` call, shared by plain and rotating sessions: clear and set up
//! a new one, restore a saved one, validate it, recreate it. Only setup and validate run on
//! the test's clock; the rest is the framework's own work.

use std::panic::{catch_unwind, AssertUnwindSafe};

use super::cache::{self, CreateGuard, Definition, Lookup, Saved};
use super::outcome::{IntoSetupOutcome, IntoValidation};
use super::{clock, persist, state};
use crate::data::{SessionData, SessionStatus};
use crate::error::{Error, Result};
use crate::page::Page;

/// A setup or validate closure, normalised: `Err` says why it failed.
pub(super) type Check<'a> = dyn FnMut(&Page) -> Result<()> + 'a;

/// `setup` in a `setup` span, its panic caught.
pub(super) fn setup_step<S, R>(mut setup: S) -> impl FnMut(&Page) -> Result<()>
where
    S: FnMut(&Page) -> R,
    R: IntoSetupOutcome,
{
    move |page: &Page| {
        let _in = tracing::info_span!(target: "session_test", "setup").entered();
        // Routes the setup adds are its own: the test after it gets the network as it was.
        let routes = page.routes_mark();
        let outcome = match catch_unwind(AssertUnwindSafe(|| setup(page))) {
            Ok(r) => r.into_setup_outcome(),
            Err(p) => Err(Error::Panicked {
                step: "setup",
                message: crate::error::panic_text(&*p),
            }),
        };
        page.unroute_since(routes);
        outcome
    }
}

/// `validate` (none: always valid) in a `validate` span, its panic caught.
pub(super) fn validate_step<V, R>(mut validate: Option<V>) -> impl FnMut(&Page) -> Result<()>
where
    V: FnMut(&Page) -> R,
    R: IntoValidation,
{
    move |page: &Page| {
        let Some(validate) = validate.as_mut() else {
            return Ok(());
        };
        let _in = tracing::info_span!(target: "session_test", "validate").entered();
        match catch_unwind(AssertUnwindSafe(|| validate(page))) {
            Ok(r) => r.into_validation(),
            Err(p) => Err(Error::Panicked {
                step: "validate",
                message: crate::error::panic_text(&*p),
            }),
        }
    }
}

/// What the tests that waited for a failed creation are told: its cause, without the id and
/// place their own error adds.
fn cause_for_waiters(error: &Error) -> String {
    match error {
        Error::SetupFailed { cause, .. } => cause.to_string(),
        Error::ValidationFailed { when, cause, .. } => format!("validation failed {when}: {cause}"),
        other => other.to_string(),
    }
}

/// One `session!` call: where, what, and its setup and validate.
pub(super) struct Call<'a, 'f> {
    pub page: &'a Page,
    pub id: &'a str,
    pub def: &'a Definition,
    pub persist: bool,
    pub setup: &'a mut Check<'f>,
    pub validate: &'a mut Check<'f>,
}

impl Call<'_, '_> {
    /// Puts a saved session into the page (a `restore` span), off the test's clock.
    pub fn restore(&self, data: &SessionData) -> Result<()> {
        let _in = tracing::info_span!(target: "session_test", "restore").entered();
        self.page
            .uncharged(|| state::clear_and_restore(self.page, Some(data), self.def.extras()))
    }

    /// Keeps a warning line for the log and the test's failure report.
    pub fn warn(&self, warning: String) {
        crate::log::warn(&warning);
        self.page.note_session(format!("warning: {warning}"));
    }

    /// Restores `data` and validates it: `Err` when that fails; inside, why the saved session
    /// is no good (validation failed, or a passkey could not be put back).
    pub fn restore_checked(&mut self, data: &SessionData) -> Result<Result<()>> {
        match self.restore(data) {
            Ok(()) => Ok((self.validate)(self.page)),
            Err(e @ Error::PasskeyNotRestored { .. }) => Ok(Err(e)),
            Err(e) => Err(e),
        }
    }

    /// Restores `saved` and validates it; recreates it when validation fails (SPEC C6).
    pub fn restore_or_recreate(&mut self, saved: &Saved, what: &str) -> Result<SessionStatus> {
        match self.restore_checked(&saved.data)? {
            Ok(()) => Ok(SessionStatus::Restored),
            Err(why) => {
                self.warn(format!(
                    "session \"{}\": {what} failed validation ({why}); recreating it",
                    self.id
                ));
                self.recreate(saved)
            }
        }
    }

    /// Runs setup again in place of `stale`, unless another test already did.
    pub fn recreate(&mut self, stale: &Saved) -> Result<SessionStatus> {
        match cache::begin_recreate(self.id, stale, self.page.call_timeout())? {
            Lookup::Create(guard) => {
                let saved = self.create(guard, true)?;
                if self.persist {
                    self.save_to_disk(&saved);
                }
                Ok(SessionStatus::Recreated)
            }
            // Another test recreated it meanwhile: restore that one.
            Lookup::Saved(fresh) => {
                self.restore(&fresh.data)?;
                (self.validate)(self.page).map_err(|cause| Error::ValidationFailed {
                    id: self.id.into(),
                    location: self.def.location.into(),
                    when: "after another test recreated the session",
                    cause: Box::new(cause),
                })?;
                Ok(SessionStatus::Restored)
            }
        }
    }

    /// Writes `saved` to disk, off the test's clock.
    pub fn save_to_disk(&self, saved: &Saved) {
        self.page.uncharged(|| {
            persist::save(
                self.id,
                self.def.fingerprint,
                self.def.location,
                &saved.data,
                saved.created,
            )
        });
    }

    /// Clear, setup, validate, capture, save into the cache (SPEC C4). On any failure the
    /// guard is dropped unsaved: waiters are released and nothing is cached.
    pub fn create(&mut self, guard: CreateGuard, recreating: bool) -> Result<Saved> {
        match self.set_up(recreating) {
            Ok(data) => Ok(guard.save(data, self.def.clone(), clock::now())),
            Err(error) => {
                guard.fail(&cause_for_waiters(&error));
                Err(error)
            }
        }
    }

    /// Clear, setup, validate, capture.
    pub fn set_up(&mut self, recreating: bool) -> Result<SessionData> {
        let page = self.page;
        page.uncharged(|| state::clear_and_restore(page, None, self.def.extras()))?;
        if self.def.passkeys {
            page.uncharged(|| state::install_authenticator(page))?;
        }
        page.mark_origins();
        (self.setup)(page).map_err(|cause| Error::SetupFailed {
            id: self.id.into(),
            location: self.def.location.into(),
            cause: Box::new(cause),
        })?;
        let (origins_after_setup, frames_after_setup) = {
            let log = page.origin_log();
            (log.since_mark.clone(), log.frames_since_mark.clone())
        };
        if page.is_isolated() {
            page.uncharged(|| page.go_to("about:blank"))?;
        }
        let when = if recreating {
            "after recreating the session"
        } else {
            "immediately after creating the session"
        };
        (self.validate)(page).map_err(|cause| Error::ValidationFailed {
            id: self.id.into(),
            location: self.def.location.into(),
            when,
            cause: Box::new(cause),
        })?;
        let (mut origins, mut frames) = {
            let log = page.origin_log();
            (log.since_mark.clone(), log.frames_since_mark.clone())
        };
        for o in origins_after_setup {
            if !origins.contains(&o) {
                origins.push(o);
            }
        }
        for f in frames_after_setup {
            if !frames.contains(&f) {
                frames.push(f);
            }
        }
        let left_at = page.current_url();
        page.uncharged(|| {
            let data = state::capture(page, origins, frames, self.def.extras())?;
            // Reading other origins' storage moved the page: on the shared page, go back
            // to where setup left it.
            if !page.is_isolated() && page.current_url() != left_at {
                page.go_to(&left_at)?;
            }
            Ok(data)
        })
    }
}
