//! The session helpers of SPEC D1–D5.

use super::state::{clear_then_restore, restore_partition_databases};
use super::{cached, clear_cache, current_data, remove_cached, SessionData};
use crate::error::{Error, Result};
use crate::test_context::current_page;

/// Forgets every saved session (also those persisted on disk) and, inside a test, clears the current page's data (D1). The
/// next `session!` of any id runs its setup again.
///
/// ```no_run
/// session_test::sessions::clear_all_saved_sessions()?;
/// # Ok::<(), session_test::Error>(())
/// ```
pub fn clear_all_saved_sessions() -> Result<()> {
    clear_cache();
    super::rotating::forget_all();
    super::persist::delete_in(&super::persist::cache_dir(), None);
    match current_page("clear_all_saved_sessions") {
        Ok(page) => page.uncharged(|| clear_everything(&page)),
        Err(Error::NotInTest { .. }) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Clears cookies, localStorage and sessionStorage of every origin in the current test's
/// context and goes to about:blank (D2). Like `session!`'s own steps, this does not count
/// against the test's time limit.
pub fn clear_current_session_data() -> Result<()> {
    let page = current_page("clear_current_session_data")?;
    // A rotating session the test holds is done with: saved as the test left it first.
    super::rotating::release_held(&page);
    page.uncharged(|| clear_everything(&page))
}

/// The current test's cookies and the storages of every origin its tab has loaded (D3).
/// Origins other than the page's own are read from stub documents of those origins; the
/// page is then brought back to its URL (reloaded), or left on about:blank.
pub fn get_current_session_data() -> Result<SessionData> {
    current_data(&current_page("get_current_session_data")?)
}

/// The saved data of session `id` (D4); `session with id "<id>" not found` otherwise.
///
/// ```no_run
/// let data = session_test::sessions::get_session("alice")?;
/// println!("{} cookies", data.cookies.len());
/// # Ok::<(), session_test::Error>(())
/// ```
pub fn get_session<I: serde::Serialize + ?Sized>(id: &I) -> Result<SessionData> {
    let id = super::canonical_id(id)?;
    cached(&id)
        .or_else(|| super::rotating::latest(&id))
        .map(|s| (*s.data).clone())
        .ok_or(Error::SessionNotFound { id })
}

/// Forgets session `id` (D5), in this process and on disk; true when it was saved.
pub fn clear_session<I: serde::Serialize + ?Sized>(id: &I) -> Result<bool> {
    let id = super::canonical_id(id)?;
    let in_process = remove_cached(&id) | super::rotating::forget(&id);
    let on_disk = super::persist::delete_in(&super::persist::cache_dir(), Some(&id)) > 0;
    Ok(in_process || on_disk)
}

/// Every cookie and storage of the context, the IndexedDB of the cross-site iframes'
/// partitions included; the page ends on about:blank.
fn clear_everything(page: &crate::page::Page) -> Result<()> {
    let seen = page.frames_with_state();
    clear_then_restore(page, None)?;
    restore_partition_databases(page, seen, None)
}
