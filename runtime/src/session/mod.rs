//! `session!`'s lifecycle (SPEC C1–C13): create, cache, restore, validate, recreate.

mod cache;
mod clock;
pub mod define;
pub mod helpers;
mod id;
pub(crate) mod indexed_db;
mod lifecycle;
mod outcome;
pub mod persist;
mod rotating;
mod state;

use std::time::{Duration, Instant, SystemTime};

use serde::Serialize;

pub use cache::Definition;
use cache::Lookup;
pub use clock::advance as advance_session_clock;
pub use id::canonical_id;
use lifecycle::{setup_step, validate_step, Call};
pub use outcome::{IntoSetupOutcome, IntoValidation};
pub use rotating::{keep_validate, session_rotating, KeptValidate};

use crate::data::{SessionData, SessionStatus};
use crate::error::Result;
use crate::page::Page;
use crate::test_context::current_page;

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
    /// `rotating = true`: held by one test at a time, saved again when it lets go.
    pub rotating: bool,
    /// `passkeys = true`: a virtual authenticator is installed before setup and its passkeys
    /// are part of the session, which one test at a time holds (as `rotating`).
    pub passkeys: bool,
    /// `max_age = N`: a saved session whose setup ran more than N seconds ago is recreated.
    pub max_age_secs: Option<u64>,
}

impl SessionOptions {
    fn definition(&self) -> Definition {
        Definition {
            fingerprint: self.fingerprint,
            location: self.location,
            indexed_db: self.indexed_db,
            passkeys: self.passkeys,
        }
    }

    /// True when a session whose setup ran at `created` is past its `max_age`; says so.
    fn too_old(&self, id: &str, page: &Page, created: SystemTime) -> bool {
        let Some(max) = self.max_age_secs.map(Duration::from_secs) else {
            return false;
        };
        let age = clock::age(created);
        if age <= max {
            return false;
        }
        let line = format!(
            "session \"{id}\": set up {} s ago, past its max_age of {} s; recreating it",
            age.as_secs(),
            max.as_secs()
        );
        crate::log::info(&line);
        page.note_session(line);
        true
    }
}

/// The runtime side of `session!`: restores the session `id` into the current test's page,
/// or creates it with `setup`.
pub fn session<I, S, SR, V, VR>(
    id: &I,
    setup: S,
    validate: Option<V>,
    options: SessionOptions,
) -> Result<SessionStatus>
where
    I: Serialize + ?Sized,
    S: FnMut(&Page) -> SR,
    SR: IntoSetupOutcome,
    V: FnMut(&Page) -> VR,
    VR: IntoValidation,
{
    session_call(id, options.persist, |page, id| {
        run(page, id, setup, validate, options)
    })
}

/// The one path of every `session!` call, plain or rotating: on the current test's page, an
/// action of its trace and a `session` span (the id and the status, never values); the
/// rotating session the test held let go; then `body`; then the page back on about:blank and
/// the status line.
pub(super) fn session_call<I: Serialize + ?Sized>(
    id: &I,
    persisted: bool,
    body: impl FnOnce(&Page, &str) -> Result<SessionStatus>,
) -> Result<SessionStatus> {
    let page = current_page("session!")?;
    let id = canonical_id(id)?;
    page.traced(
        "session",
        || id.clone(),
        |action| {
            let started = Instant::now();
            let span = tracing::info_span!(target: "session_test", "session", id = %id, status = tracing::field::Empty);
            let _in_session = span.enter();
            // Another session now, or this one again: a rotating one the test held is done
            // with.
            rotating::release_held(&page);
            let status = body(&page, &id).inspect_err(|_| {
                crate::report::session_failed(&id, started.elapsed(), persisted);
            })?;
            finish(&page, &id, status, started, persisted)?;
            span.record("status", tracing::field::display(status));
            action.detail = Some(status.to_string());
            Ok(status)
        },
    )
}

/// `session!`'s own work: restore from the cache or disk, or create.
fn run<S, SR, V, VR>(
    page: &Page,
    id: &str,
    setup: S,
    validate: Option<V>,
    options: SessionOptions,
) -> Result<SessionStatus>
where
    S: FnMut(&Page) -> SR,
    SR: IntoSetupOutcome,
    V: FnMut(&Page) -> VR,
    VR: IntoValidation,
{
    let (page, id) = (page.clone(), id.to_owned());
    let def = options.definition();
    let mut setup = setup_step(setup);
    let mut validate = validate_step(validate);
    let mut call = Call {
        page: &page,
        id: &id,
        def: &def,
        persist: options.persist,
        setup: &mut setup,
        validate: &mut validate,
    };
    let wait = page.budget();
    let status = match cache::lookup(&id, &def, wait)? {
        Lookup::Create(guard) if options.persist => {
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
                Some(loaded) if !options.too_old(&id, &page, loaded.created) => {
                    let saved = guard.save(loaded.data, def.clone(), loaded.created);
                    call.restore_or_recreate(&saved, "the session restored from disk")?
                }
                old => {
                    let saved = call.create(guard, old.is_some())?;
                    if lock.is_some() {
                        call.save_to_disk(&saved);
                    }
                    if old.is_some() {
                        SessionStatus::Recreated
                    } else {
                        SessionStatus::Created
                    }
                }
            }
        }
        Lookup::Create(guard) => {
            call.create(guard, false)?;
            SessionStatus::Created
        }
        Lookup::Saved(saved) if options.too_old(&id, &page, saved.created) => {
            call.recreate(&saved)?
        }
        Lookup::Saved(saved) => call.restore_or_recreate(&saved, "the restored session")?,
    };
    Ok(status)
}

/// The end of every `session!` call: the page back on about:blank, the status line.
fn finish(
    page: &Page,
    id: &str,
    status: SessionStatus,
    started: Instant,
    persisted: bool,
) -> Result<()> {
    // With test isolation off the page stays where setup or the test left it (SPEC C7).
    if page.is_isolated() && page.current_url() != "about:blank" {
        page.uncharged(|| page.go_to("about:blank"))?;
    }
    let took = started.elapsed();
    page.note_session(crate::log::session_line(id, status, took));
    // The run report names what the session holds: origins and cookie domains, no value.
    let holds = cache::get(id)
        .map(|saved| saved.data.holds())
        .unwrap_or_default();
    crate::report::session_finished(id, status, took, holds, persisted);
    Ok(())
}

/// The runtime side of `session!` inside helpers: the current page's data (off the test's
/// clock, as the framework's own step).
pub(crate) fn current_data(page: &Page) -> Result<SessionData> {
    page.uncharged(|| read_current_data(page))
}

fn read_current_data(page: &Page) -> Result<SessionData> {
    let back = page.url()?;
    // Reading an origin whose restore is still pending from a stub document lets the
    // restore run first.
    // The authenticator's passkeys too, when the test has one.
    let extras = state::Extras {
        indexed_db: false,
        passkeys: page.context().credentials().is_installed(),
    };
    let data = state::capture(
        page,
        page.origins_with_state(),
        page.frames_with_state(),
        extras,
    )?;
    if page.url()? != back {
        page.go_to(&back)?;
    }
    Ok(data)
}

pub use cache::waiters as session_waiters;
pub(crate) use cache::{clear as clear_cache, get as cached, remove as remove_cached};
