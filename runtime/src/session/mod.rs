//! `session!`'s lifecycle (SPEC C1–C13): create, cache, restore, validate, recreate.

mod cache;
mod data;
pub mod define;
pub mod helpers;
mod id;
pub(crate) mod indexed_db;
mod outcome;
pub mod persist;
mod state;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use serde::Serialize;

pub use cache::Definition;
use cache::{CreateGuard, Lookup, Saved};
pub use data::{OriginStorage, SessionData};
pub use id::canonical_id;
pub use indexed_db::OriginDatabases;
pub use outcome::{IntoSetupOutcome, IntoValidation};

use crate::error::{Error, Result};
use crate::harness::current_page;
use crate::page::Page;

/// What a `session!` call did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SessionStatus {
    /// First use in the process: setup ran and the session was saved.
    Created,
    /// A saved session was restored and passed validation.
    Restored,
    /// A saved session failed validation, so setup ran again.
    Recreated,
}

impl std::fmt::Display for SessionStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SessionStatus::Created => "created",
            SessionStatus::Restored => "restored",
            SessionStatus::Recreated => "recreated",
        })
    }
}

/// Options of one `session!` call, filled in by the macro.
#[derive(Clone, Debug)]
pub struct SessionOptions {
    /// Fingerprint of the setup and validate tokens and the options (SPEC C8).
    pub fingerprint: u64,
    /// `file:line` of the call.
    pub location: &'static str,
    /// `persist = true`: also saved to and restored from disk.
    pub persist: bool,
    /// `indexed_db = true`: IndexedDB databases are captured and restored too (SPEC C12).
    pub indexed_db: bool,
}

/// The runtime side of `session!`: restores the session `id` into the current test's page,
/// or creates it with `setup`.
pub fn session<I, S, SR, V, VR>(
    id: &I,
    mut setup: S,
    mut validate: Option<V>,
    options: SessionOptions,
) -> Result<SessionStatus>
where
    I: Serialize + ?Sized,
    S: FnMut(&Page) -> SR,
    SR: IntoSetupOutcome,
    V: FnMut(&Page) -> VR,
    VR: IntoValidation,
{
    let page = current_page("session!")?;
    let id = canonical_id(id)?;
    let started = Instant::now();
    // Spans carry the id and the outcome only: never cookie or storage values.
    let span = tracing::info_span!(target: "session_test", "session", id = %id, status = tracing::field::Empty);
    let _in_session = span.enter();
    let def = Definition {
        fingerprint: options.fingerprint,
        location: options.location,
        indexed_db: options.indexed_db,
    };
    let mut run_setup = |page: &Page| -> std::result::Result<(), String> {
        let _in = tracing::info_span!(target: "session_test", "setup").entered();
        match catch_unwind(AssertUnwindSafe(|| setup(page))) {
            Ok(r) => r.into_setup_outcome(),
            Err(p) => Err(format!("setup panicked: {}", outcome::panic_text(&*p))),
        }
    };
    let mut run_validate = |page: &Page| -> std::result::Result<(), String> {
        let Some(validate) = validate.as_mut() else {
            return Ok(());
        };
        let _in = tracing::info_span!(target: "session_test", "validate").entered();
        match catch_unwind(AssertUnwindSafe(|| validate(page))) {
            Ok(r) => r.into_validation(),
            Err(p) => Err(format!("validate panicked: {}", outcome::panic_text(&*p))),
        }
    };
    let wait = page.budget();
    let persist = options.persist;
    let status = match cache::lookup(&id, &def, wait)? {
        Lookup::Create(guard) if persist => {
            // Held while this process looks on disk and, if needed, runs setup: processes
            // asking for one id at once log in once.
            let lock = persist::lock(&id, def.fingerprint, wait)?;
            let from_disk = match &lock {
                Some(_) if !persist::fresh() => {
                    page.uncharged(|| persist::load(&id, def.fingerprint))
                }
                _ => None,
            };
            match from_disk {
                Some(data) => {
                    let saved = guard.save(data, def.clone());
                    let from = "the session restored from disk";
                    restore_or_recreate(
                        &page,
                        &id,
                        &def,
                        &saved,
                        from,
                        &mut run_setup,
                        &mut run_validate,
                        persist,
                    )?
                }
                None => {
                    let saved = create(
                        &page,
                        &id,
                        &def,
                        guard,
                        &mut run_setup,
                        &mut run_validate,
                        false,
                    )?;
                    if lock.is_some() {
                        page.uncharged(|| {
                            persist::save(&id, def.fingerprint, def.location, &saved.data)
                        });
                    }
                    SessionStatus::Created
                }
            }
        }
        Lookup::Create(guard) => {
            create(
                &page,
                &id,
                &def,
                guard,
                &mut run_setup,
                &mut run_validate,
                false,
            )?;
            SessionStatus::Created
        }
        Lookup::Saved(saved) => {
            let from = "the restored session";
            restore_or_recreate(
                &page,
                &id,
                &def,
                &saved,
                from,
                &mut run_setup,
                &mut run_validate,
                persist,
            )?
        }
    };
    // With test isolation off the page stays where setup or the test left it (SPEC C7).
    if page.is_isolated() && page.current_url() != "about:blank" {
        page.uncharged(|| page.visit("about:blank"))?;
    }
    span.record("status", tracing::field::display(status));
    page.note_session(crate::log::session_line(&id, status, started.elapsed()));
    Ok(status)
}

/// Puts a saved session into the page (a `restore` span), off the test's clock.
fn restore(page: &Page, saved: &Saved) -> Result<()> {
    let _in = tracing::info_span!(target: "session_test", "restore").entered();
    page.uncharged(|| state::clear_and_restore(page, Some(&saved.data)))
}

type Step<'a> = dyn FnMut(&Page) -> std::result::Result<(), String> + 'a;

/// Restores `saved` and validates it; recreates it when validation fails (SPEC C6).
#[allow(clippy::too_many_arguments)]
fn restore_or_recreate(
    page: &Page,
    id: &str,
    def: &Definition,
    saved: &Saved,
    what: &str,
    setup: &mut Step<'_>,
    validate: &mut Step<'_>,
    persist: bool,
) -> Result<SessionStatus> {
    restore(page, saved)?;
    match validate(page) {
        Ok(()) => Ok(SessionStatus::Restored),
        Err(why) => {
            let warning =
                format!("session \"{id}\": {what} failed validation ({why}); recreating it");
            crate::log::warn(&warning);
            page.note_session(format!("warning: {warning}"));
            recreate(page, id, def, saved, setup, validate, persist)
        }
    }
}

fn recreate(
    page: &Page,
    id: &str,
    def: &Definition,
    stale: &Saved,
    setup: &mut Step<'_>,
    validate: &mut Step<'_>,
    persist: bool,
) -> Result<SessionStatus> {
    match cache::begin_recreate(id, stale, page.call_timeout())? {
        Lookup::Create(guard) => {
            let saved = create(page, id, def, guard, setup, validate, true)?;
            if persist {
                page.uncharged(|| persist::save(id, def.fingerprint, def.location, &saved.data));
            }
            Ok(SessionStatus::Recreated)
        }
        // Another test recreated it meanwhile: restore that one.
        Lookup::Saved(fresh) => {
            restore(page, &fresh)?;
            validate(page).map_err(|cause| Error::ValidationFailed {
                id: id.into(),
                location: def.location.into(),
                when: "after another test recreated the session",
                cause,
            })?;
            Ok(SessionStatus::Restored)
        }
    }
}

/// Clear, setup, validate, capture, save (SPEC C4). On any failure the guard is dropped
/// unsaved: waiters are released and nothing is cached. Only setup and validate run on the
/// test's clock.
fn create(
    page: &Page,
    id: &str,
    def: &Definition,
    guard: CreateGuard,
    setup: &mut Step<'_>,
    validate: &mut Step<'_>,
    recreating: bool,
) -> Result<Saved> {
    page.uncharged(|| state::clear_and_restore(page, None))?;
    page.mark_origins();
    if let Err(cause) = setup(page) {
        guard.fail(&cause);
        return Err(Error::SetupFailed {
            id: id.into(),
            location: def.location.into(),
            cause,
        });
    }
    let origins_after_setup = page.origin_log().since_mark.clone();
    if page.is_isolated() {
        page.uncharged(|| page.visit("about:blank"))?;
    }
    let when = if recreating {
        "after recreating the session"
    } else {
        "immediately after creating the session"
    };
    if let Err(cause) = validate(page) {
        guard.fail(&format!("validation failed {when}: {cause}"));
        return Err(Error::ValidationFailed {
            id: id.into(),
            location: def.location.into(),
            when,
            cause,
        });
    }
    let mut origins = page.origin_log().since_mark.clone();
    for o in origins_after_setup {
        if !origins.contains(&o) {
            origins.push(o);
        }
    }
    let left_at = page.current_url();
    let data = page.uncharged(|| {
        let data = state::capture(page, origins, def.indexed_db)?;
        // Reading other origins' storage moved the page: on the shared page, go back to
        // where setup left it.
        if !page.is_isolated() && page.current_url() != left_at {
            page.visit(&left_at)?;
        }
        Ok::<_, Error>(data)
    })?;
    Ok(guard.save(data, def.clone()))
}

/// The runtime side of `session!` inside helpers: the current page's data (off the test's
/// clock, as the framework's own step).
pub(crate) fn current_data(page: &Page) -> Result<SessionData> {
    page.uncharged(|| read_current_data(page))
}

fn read_current_data(page: &Page) -> Result<SessionData> {
    let back = page.url()?;
    // The origins this tab loaded, and those a restore is still waiting to write (right
    // after `session!` restored, the tab has loaded none of them, yet their storage is the
    // test's): reading one from a stub document lets its restore run first.
    let origins: Vec<String> = {
        let log = page.origin_log();
        let mut all: Vec<String> = log.ever.iter().chain(log.pending.keys()).cloned().collect();
        all.sort();
        all.dedup();
        all
    };
    let data = state::capture(page, origins, false)?;
    if page.url()? != back {
        page.visit(&back)?;
    }
    Ok(data)
}

pub use cache::waiters as session_waiters;
pub(crate) use cache::{clear as clear_cache, get as cached, remove as remove_cached};
pub(crate) use state::cookie_param;
