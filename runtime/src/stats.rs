//! Counts of session statuses and the setup time they saved, for the harness summary.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use crate::session::SessionStatus;

#[derive(Default)]
struct Stats {
    created: u32,
    restored: u32,
    recreated: u32,
    /// How long creating each id took: what each restore of it saved (minus its own time).
    create_time: HashMap<String, Duration>,
    saved: Duration,
}

static STATS: Mutex<Option<Stats>> = Mutex::new(None);

pub(crate) fn record(id: &str, status: SessionStatus, took: Duration) {
    let mut guard = STATS.lock().unwrap_or_else(|e| e.into_inner());
    let stats = guard.get_or_insert_with(Stats::default);
    let mut saved_now = Duration::ZERO;
    match status {
        SessionStatus::Created | SessionStatus::Recreated => {
            if status == SessionStatus::Created {
                stats.created += 1;
            } else {
                stats.recreated += 1;
            }
            stats.create_time.insert(id.to_string(), took);
        }
        SessionStatus::Restored => {
            stats.restored += 1;
            if let Some(create) = stats.create_time.get(id) {
                saved_now = create.saturating_sub(took);
                stats.saved += saved_now;
            }
        }
    }
    drop(guard);
    crate::report::session_finished(id, status, took, saved_now);
}

/// `sessions: 2 created, 18 restored, 0 recreated; setup time saved: 3.9 s`, or `None`
/// when no session was used.
pub fn summary() -> Option<String> {
    let guard = STATS.lock().unwrap_or_else(|e| e.into_inner());
    let s = guard.as_ref()?;
    Some(format!(
        "sessions: {} created, {} restored, {} recreated; setup time saved: {:.1} s",
        s.created,
        s.restored,
        s.recreated,
        s.saved.as_secs_f64()
    ))
}
