//! The process cache (SPEC C9): id → saved session, with single flight per id. While one
//! test creates a session, others asking for the same id wait, then restore it. A failed or
//! panicking setup leaves the slot as it was before (empty, or the previous good session).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use once_cell::sync::Lazy;

use crate::data::SessionData;
use crate::error::{Error, Result};
use crate::sync::{lock, wait_timeout};

/// What makes two `session!` calls the same definition (SPEC C8).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Definition {
    /// Hash of the setup and validate tokens and the options.
    pub fingerprint: u64,
    /// `file:line` of the `session!` call.
    pub location: &'static str,
    /// `indexed_db = true`: IndexedDB is part of the session.
    pub indexed_db: bool,
    /// `passkeys = true`: the virtual authenticator's passkeys are part of the session.
    pub passkeys: bool,
}

impl Definition {
    /// What capturing the session reads besides cookies and storage.
    pub fn extras(&self) -> super::state::Extras {
        super::state::Extras {
            indexed_db: self.indexed_db,
            passkeys: self.passkeys,
        }
    }
}

/// A session in the cache. The data is immutable and shared: restoring holds no lock.
#[derive(Clone, Debug)]
pub struct Saved {
    /// The captured state.
    pub data: Arc<SessionData>,
    /// The definition that created it.
    pub def: Definition,
    /// When its setup ran (on the session clock), for `max_age`.
    pub created: SystemTime,
    generation: u64,
}

impl Saved {
    /// A session that is not in the cache's slots (a rotating session's instance).
    pub fn new(data: SessionData, def: Definition, created: SystemTime) -> Saved {
        Saved {
            data: Arc::new(data),
            def,
            created,
            generation: next_generation(),
        }
    }
}

fn next_generation() -> u64 {
    static GENERATION: AtomicU64 = AtomicU64::new(1);
    GENERATION.fetch_add(1, Ordering::Relaxed)
}

enum SlotState {
    Empty,
    Busy,
    Ready(Saved),
}

struct Slot {
    state: Mutex<SlotState>,
    changed: Condvar,
    /// Failed creations so far and the last one's cause: waiters of a failed creation get
    /// an error instead of running setup themselves.
    failures: Mutex<(u64, String)>,
    waiters: AtomicU64,
}

impl Slot {
    fn lock(&self) -> MutexGuard<'_, SlotState> {
        lock(&self.state)
    }
}

/// Either a saved session to restore, or the right (and duty) to create it.
pub enum Lookup {
    /// Restore this.
    Saved(Saved),
    /// Run setup, then [`CreateGuard::save`]; dropping the guard unsaved releases waiters.
    Create(CreateGuard),
}

/// Held by the one test that runs setup for an id.
pub struct CreateGuard {
    slot: Arc<Slot>,
    previous: Option<Saved>,
    saved: bool,
    cause: Option<String>,
}

impl CreateGuard {
    /// Stores the new session, whose setup ran at `created`, and wakes the waiters.
    pub fn save(mut self, data: SessionData, def: Definition, created: SystemTime) -> Saved {
        let saved = Saved::new(data, def, created);
        *self.slot.lock() = SlotState::Ready(saved.clone());
        self.saved = true;
        self.slot.changed.notify_all();
        saved
    }
}

impl CreateGuard {
    /// Records why the creation failed, for the waiters' error.
    pub fn fail(mut self, cause: &str) {
        self.cause = Some(cause.to_string());
    }
}

impl Drop for CreateGuard {
    fn drop(&mut self) {
        if !self.saved {
            {
                let mut failures = lock(&self.slot.failures);
                failures.0 += 1;
                failures.1 = self
                    .cause
                    .take()
                    .unwrap_or_else(|| "its setup panicked or timed out".into());
            }
            *self.slot.lock() = match self.previous.take() {
                Some(prev) => SlotState::Ready(prev),
                None => SlotState::Empty,
            };
            self.slot.changed.notify_all();
        }
    }
}

static SLOTS: Lazy<Mutex<HashMap<String, Arc<Slot>>>> = Lazy::new(|| Mutex::new(HashMap::new()));

fn slots() -> MutexGuard<'static, HashMap<String, Arc<Slot>>> {
    lock(&SLOTS)
}

fn slot(id: &str) -> Arc<Slot> {
    Arc::clone(slots().entry(id.to_string()).or_insert_with(|| {
        Arc::new(Slot {
            state: Mutex::new(SlotState::Empty),
            changed: Condvar::new(),
            failures: Mutex::new((0, String::new())),
            waiters: AtomicU64::new(0),
        })
    }))
}

/// Finds `id`: saved (checked against `def`), or the duty to create it. Waits while another
/// test creates it, at most `wait`.
pub fn lookup(id: &str, def: &Definition, wait: Duration) -> Result<Lookup> {
    acquire(id, wait, |state| match state {
        SlotState::Ready(saved) if saved.def.fingerprint != def.fingerprint => {
            Decision::Fail(Error::SessionConflict {
                id: id.to_string(),
                first: saved.def.location.to_string(),
                second: def.location.to_string(),
            })
        }
        SlotState::Ready(saved) => Decision::Restore(saved.clone()),
        SlotState::Busy => Decision::Wait,
        SlotState::Empty => Decision::Create { previous: None },
    })
}

/// After `stale` failed validation: the duty to recreate it, or the session another test
/// recreated meanwhile.
pub fn begin_recreate(id: &str, stale: &Saved, wait: Duration) -> Result<Lookup> {
    acquire(id, wait, |state| match state {
        SlotState::Ready(saved) if saved.generation != stale.generation => {
            Decision::Restore(saved.clone())
        }
        SlotState::Ready(saved) => Decision::Create {
            previous: Some(saved.clone()),
        },
        SlotState::Busy => Decision::Wait,
        SlotState::Empty => Decision::Create { previous: None },
    })
}

/// What a caller of [`acquire`] does with a slot in the state it sees.
enum Decision {
    /// Another test is creating it: wait for the slot to change.
    Wait,
    /// Restore this session.
    Restore(Saved),
    /// Take the slot and create the session, putting `previous` back if that fails.
    Create { previous: Option<Saved> },
    /// Give up with this error.
    Fail(Error),
}

/// Looks at `id`'s slot until `decide` says what to do (waiting at most `wait` in all).
fn acquire(
    id: &str,
    wait: Duration,
    mut decide: impl FnMut(&SlotState) -> Decision,
) -> Result<Lookup> {
    let slot = slot(id);
    let deadline = Instant::now() + wait;
    let failures_before = lock(&slot.failures).0;
    let mut state = slot.lock();
    let mut waited = false;
    loop {
        // A creation this call waited for failed: report it rather than retry at once.
        if waited {
            let failures = lock(&slot.failures).clone();
            if failures.0 > failures_before && !matches!(*state, SlotState::Ready(_)) {
                return Err(Error::SetupFailedElsewhere {
                    id: id.to_string(),
                    cause: failures.1,
                });
            }
        }
        match decide(&state) {
            Decision::Fail(e) => return Err(e),
            Decision::Restore(saved) => return Ok(Lookup::Saved(saved)),
            Decision::Create { previous } => {
                *state = SlotState::Busy;
                drop(state);
                return Ok(Lookup::Create(CreateGuard {
                    slot,
                    previous,
                    saved: false,
                    cause: None,
                }));
            }
            Decision::Wait => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(Error::Timeout {
                        what: format!("another test to finish creating session \"{id}\""),
                        after: wait,
                    });
                }
                waited = true;
                slot.waiters.fetch_add(1, Ordering::SeqCst);
                state = wait_timeout(&slot.changed, state, left);
                slot.waiters.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }
}

/// How many calls are waiting for `id` to be created (for tests of single flight).
pub fn waiters(id: &str) -> u64 {
    slots()
        .get(id)
        .map(|s| s.waiters.load(Ordering::SeqCst))
        .unwrap_or(0)
}

/// The saved session of `id`, if any.
pub fn get(id: &str) -> Option<Saved> {
    let slot = slots().get(id).cloned()?;
    let state = slot.lock();
    match &*state {
        SlotState::Ready(saved) => Some(saved.clone()),
        _ => None,
    }
}

/// Forgets `id`. A creation under way finishes into a slot nobody finds any more.
pub fn remove(id: &str) -> bool {
    slots()
        .remove(id)
        .is_some_and(|slot| matches!(&*slot.lock(), SlotState::Ready(_)))
}

/// Forgets every session.
pub fn clear() {
    slots().clear();
}
