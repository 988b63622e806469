//! Rotating sessions (`rotating = true`): logins whose tokens change with every use.
//!
//! Apps that follow OAuth 2.1 for browsers rotate their refresh token on every refresh and
//! revoke the whole grant when a used one comes back. A saved session is a snapshot of one
//! token chain, so it may be in use in one place only. Each *instance* of a rotating session
//! is held by one test at a time; when that test ends, or calls `session!` for another
//! session, the state it leaves is validated, captured again and replaces the saved one (a
//! state that no longer passes validate is dropped). A test that asks while every instance
//! is held gets one of its own: its own setup, its own chain. With `persist = true` the
//! instance on disk is held through its lock file, and once written back it is forgotten in
//! memory, so no two processes ever restore one chain.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::SystemTime;

use once_cell::sync::Lazy;
use serde::Serialize;

use super::cache::{Definition, Saved};
use super::lifecycle::{setup_step, validate_step, Call};
use super::outcome::{IntoSetupOutcome, IntoValidation};
use super::persist::{self, DiskLock};
use super::{clock, SessionOptions};
use crate::data::{SessionData, SessionStatus};
use crate::error::Result;
use crate::page::Page;
use crate::sync::lock;

/// A rotating session's validate, kept to run again when the test lets the session go.
pub type KeptValidate = Box<dyn FnMut(&Page) -> Result<()> + Send>;

/// Keeps `validate` (none: always valid) for the test's end, normalised, its panic caught.
pub fn keep_validate<F, R>(validate: Option<F>) -> KeptValidate
where
    F: FnMut(&Page) -> R + Send + 'static,
    R: IntoValidation + 'static,
{
    Box::new(validate_step(validate))
}

struct Instance {
    number: u64,
    saved: Option<Saved>,
    held: bool,
}

/// The instances of each rotating session id in this process.
static POOLS: Lazy<Mutex<HashMap<String, Vec<Instance>>>> = Lazy::new(Default::default);

fn pools() -> MutexGuard<'static, HashMap<String, Vec<Instance>>> {
    lock(&POOLS)
}

/// An instance a test holds, with what letting it go needs.
struct Held {
    id: String,
    number: u64,
    def: Definition,
    persist: bool,
    /// When its setup ran.
    created: SystemTime,
    validate: KeptValidate,
    /// The persisted copy's lock, while this test holds it.
    disk: Option<DiskLock>,
}

/// The instances each page's test holds, by target id.
static HELD: Lazy<Mutex<HashMap<String, Vec<Held>>>> = Lazy::new(Default::default);

fn held() -> MutexGuard<'static, HashMap<String, Vec<Held>>> {
    lock(&HELD)
}

/// An instance just taken: its number, what it holds (if anything) and the disk lock.
struct Taken {
    number: u64,
    saved: Option<Saved>,
    disk: Option<DiskLock>,
}

/// A free instance of `id` with a saved state, else a new one (holding the persisted copy
/// when `persist` and no other process holds it).
fn take(id: &str, def: &Definition, persist: bool) -> Taken {
    static NUMBER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    if let Some(free) = pools()
        .entry(id.to_string())
        .or_default()
        .iter_mut()
        .find(|i| !i.held && i.saved.is_some())
    {
        free.held = true;
        return Taken {
            number: free.number,
            saved: free.saved.clone(),
            disk: None,
        };
    }
    let disk = if persist {
        persist::try_lock(id, def.fingerprint)
    } else {
        None
    };
    let saved = match &disk {
        Some(_) if !persist::fresh() => persist::load(id, def.fingerprint)
            .map(|loaded| Saved::new(loaded.data, def.clone(), loaded.created)),
        _ => None,
    };
    let number = NUMBER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    pools().entry(id.to_string()).or_default().push(Instance {
        number,
        saved: saved.clone(),
        held: true,
    });
    Taken {
        number,
        saved,
        disk,
    }
}

/// Forgets instance `number` of `id`; false when it was already gone (the session was
/// cleared meanwhile).
fn drop_instance(id: &str, number: u64) -> bool {
    let mut pools = pools();
    let Some(pool) = pools.get_mut(id) else {
        return false;
    };
    let before = pool.len();
    pool.retain(|i| i.number != number);
    pool.len() < before
}

/// The runtime side of `session!(…, rotating = true)`: takes an instance of `id` for the
/// current test (restoring it, or setting it up), to be saved again when the test lets go.
pub fn session_rotating<I, S, SR>(
    id: &I,
    setup: S,
    validate: KeptValidate,
    options: SessionOptions,
) -> Result<SessionStatus>
where
    I: Serialize + ?Sized,
    S: FnMut(&Page) -> SR,
    SR: IntoSetupOutcome,
{
    super::session_call(id, options.persist, |page, id| {
        take_for_test(page, id, setup, validate, options)
    })
}

/// `session!(…, rotating = true)`'s work on the current test's page.
fn take_for_test<S, SR>(
    page: &Page,
    id: &str,
    setup: S,
    mut validate: KeptValidate,
    options: SessionOptions,
) -> Result<SessionStatus>
where
    S: FnMut(&Page) -> SR,
    SR: IntoSetupOutcome,
{
    let (page, id) = (page.clone(), id.to_owned());
    let def = options.definition();
    let taken = page.uncharged(|| take(&id, &def, options.persist));
    let mut setup = setup_step(setup);
    let mut check = |page: &Page| validate(page);
    let mut call = Call {
        page: &page,
        id: &id,
        def: &def,
        persist: options.persist,
        setup: &mut setup,
        validate: &mut check,
    };
    let outcome = match &taken.saved {
        Some(saved) if !options.too_old(&id, &page, saved.created) => call
            .restore_checked(&saved.data)
            .and_then(|checked| match checked {
                Ok(()) => Ok((SessionStatus::Restored, saved.created)),
                Err(why) => {
                    call.warn(format!(
                        "session \"{id}\": the saved session failed validation ({why}); \
                         recreating it"
                    ));
                    set_up(&mut call, true)
                }
            }),
        old => set_up(&mut call, old.is_some()),
    };
    let (status, created) = match outcome {
        Ok(done) => done,
        Err(e) => {
            // Nothing of a failed setup is kept; the chain it may have started is not ours.
            drop_instance(&id, taken.number);
            return Err(e);
        }
    };
    held()
        .entry(page.target_id().to_string())
        .or_default()
        .push(Held {
            id: id.clone(),
            number: taken.number,
            def,
            persist: options.persist,
            created,
            validate,
            disk: taken.disk,
        });
    page.at_test_end("rotating sessions", release_held);
    Ok(status)
}

/// Setup in a taken instance; the instance's state is captured when the test lets go.
fn set_up(call: &mut Call<'_, '_>, recreating: bool) -> Result<(SessionStatus, SystemTime)> {
    call.set_up(recreating)?;
    let status = if recreating {
        SessionStatus::Recreated
    } else {
        SessionStatus::Created
    };
    Ok((status, clock::now()))
}

/// Lets go of every rotating session the test on `page` holds: each is validated, captured
/// and saved again, or dropped when it no longer passes validate.
pub(crate) fn release_held(page: &Page) {
    let mine = held().remove(page.target_id()).unwrap_or_default();
    for h in mine {
        release(page, h);
    }
}

fn release(page: &Page, mut h: Held) {
    let _in = tracing::info_span!(target: "session_test", "release", id = %h.id).entered();
    if let Err(why) = (h.validate)(page) {
        let line = format!(
            "session \"{}\": no longer valid when the test let it go ({why}); nothing is saved",
            h.id
        );
        crate::log::info(&line);
        page.note_session(line);
        if drop_instance(&h.id, h.number) && h.persist {
            // The disk copy is older than the state that failed: no use either.
            if let Some(_lock) = h.disk.take() {
                persist::remove(&h.id, h.def.fingerprint);
            }
        }
        return;
    }
    let captured = page.uncharged(|| capture_left_state(page, &h.def));
    let data = match captured {
        Ok(data) => data,
        Err(e) => {
            crate::log::warn(&format!(
                "session \"{}\": cannot capture it when the test let it go ({e}); it is dropped",
                h.id
            ));
            drop_instance(&h.id, h.number);
            return;
        }
    };
    let saved = Saved::new(data, h.def.clone(), h.created);
    if h.persist {
        let lock = h
            .disk
            .take()
            .or_else(|| persist::try_lock(&h.id, h.def.fingerprint));
        if let Some(_lock) = lock {
            // On disk it is the one copy: forgotten here, so that no two processes ever
            // restore one chain.
            if drop_instance(&h.id, h.number) {
                page.uncharged(|| {
                    persist::save(
                        &h.id,
                        h.def.fingerprint,
                        h.def.location,
                        &saved.data,
                        h.created,
                    )
                });
            }
            return;
        }
    }
    if let Some(instance) = pools()
        .get_mut(&h.id)
        .and_then(|pool| pool.iter_mut().find(|i| i.number == h.number))
    {
        instance.saved = Some(saved);
        instance.held = false;
    }
}

/// What the test left: cookies and the storages of every origin it loaded or that a restore
/// still has to write. The page goes to about:blank first, so that no script of the app
/// refreshes its tokens while they are read.
fn capture_left_state(page: &Page, def: &Definition) -> Result<SessionData> {
    if page.is_isolated() && page.current_url() != "about:blank" {
        page.go_to("about:blank")?;
    }
    let origins = page.origins_with_state();
    super::state::capture(page, origins, page.frames_with_state(), def.extras())
}

/// The newest saved state of a rotating session in this process, held or not.
pub(crate) fn latest(id: &str) -> Option<Saved> {
    pools()
        .get(id)?
        .iter()
        .filter_map(|i| i.saved.clone())
        .max_by_key(|s| s.created)
}

/// Forgets a rotating session's instances (tests holding one save nothing); true when one
/// had a saved state.
pub(crate) fn forget(id: &str) -> bool {
    pools()
        .remove(id)
        .is_some_and(|pool| pool.iter().any(|i| i.saved.is_some()))
}

/// Forgets every rotating session.
pub(crate) fn forget_all() {
    pools().clear();
}
