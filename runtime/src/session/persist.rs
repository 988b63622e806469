//! Sessions on disk (`persist = true`, SPEC E1–E4): other test binaries of the workspace and
//! later runs restore them without running setup.
//!
//! One file per session, named by a hash of id + definition fingerprint (changing setup or
//! validate code invalidates it), versioned JSON, mode 0600 in a 0700 directory, written to a
//! temporary file and renamed (a crash never leaves a half file that is read later). A lock
//! file per session makes processes that ask for one id at once run setup once. Faults are
//! warnings, never failures: a bad file is replaced, an unwritable directory leaves the
//! session in the process cache only.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use serde::{Deserialize, Serialize};

use super::clock;
use crate::data::SessionData;
use crate::error::{Error, Result};
use crate::log::warn;

/// The file format's version; files of another version are replaced.
const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct SessionFile {
    version: u32,
    id: String,
    fingerprint: u64,
    location: String,
    /// Seconds since the Unix epoch.
    saved_at: u64,
    /// When its setup ran (seconds since the Unix epoch; a rotating session is saved again
    /// later). Files written before this field existed count from `saved_at`.
    #[serde(default)]
    created_at: Option<u64>,
    data: SessionData,
}

/// A session read from disk.
pub struct Loaded {
    /// What it holds.
    pub data: SessionData,
    /// When its setup ran.
    pub created: SystemTime,
}

/// Where persisted sessions live: `$SESSION_TEST_CACHE_DIR`, else
/// `target/session-test/sessions/`.
pub fn cache_dir() -> PathBuf {
    std::env::var_os("SESSION_TEST_CACHE_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::config::output_dir().join("sessions"))
}

/// `SESSION_TEST_FRESH=1`: persisted sessions are not read in this run (they are still written).
pub fn fresh() -> bool {
    std::env::var("SESSION_TEST_FRESH").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// The file name of one definition of one id.
fn file_stem(id: &str, fingerprint: u64) -> String {
    use std::hash::Hasher;
    // FNV-1a over bytes (not `write_u64`, whose bytes are the machine's order).
    let mut hash = fnv::FnvHasher::default();
    hash.write(id.as_bytes());
    hash.write(&fingerprint.to_le_bytes());
    format!("{:016x}", hash.finish())
}

/// The directory, created 0700 (and tightened if it exists looser); `None` with a warning
/// when it cannot be used.
fn ensure_dir() -> Option<PathBuf> {
    let dir = cache_dir();
    let made = std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&dir)
        .and_then(|()| std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)));
    match made {
        Ok(()) => Some(dir),
        Err(e) => {
            warn(&format!(
                "cannot use the session cache directory {}: {e}; sessions stay in this process only",
                dir.display()
            ));
            None
        }
    }
}

/// Held while a process checks the disk for a session and, if needed, creates it (and, for
/// a rotating session, while one of its tests holds the session).
pub struct DiskLock {
    _file: File,
}

/// The lock file of `id`'s definition, opened; `None` with a warning when it cannot be.
fn lock_file(id: &str, fingerprint: u64) -> Option<(File, PathBuf)> {
    let dir = ensure_dir()?;
    let path = dir.join(format!("{}.lock", file_stem(id, fingerprint)));
    match OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .open(&path)
    {
        Ok(f) => Some((f, path)),
        Err(e) => {
            warn(&format!(
                "cannot create the lock file {}: {e}; sessions stay in this process only",
                path.display()
            ));
            None
        }
    }
}

/// The lock of `id`'s definition if no other process holds it now; `None` when one does or
/// the cache directory is unusable.
pub fn try_lock(id: &str, fingerprint: u64) -> Option<DiskLock> {
    let (file, _) = lock_file(id, fingerprint)?;
    match file.try_lock() {
        Ok(()) => Some(DiskLock { _file: file }),
        Err(_) => None,
    }
}

/// Takes the lock of `id`'s definition, waiting at most `wait`. `None` when the cache
/// directory is unusable (a warning was printed).
pub fn lock(id: &str, fingerprint: u64, wait: Duration) -> Result<Option<DiskLock>> {
    let Some((file, path)) = lock_file(id, fingerprint) else {
        return Ok(None);
    };
    let deadline = Instant::now() + wait;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Some(DiskLock { _file: file })),
            Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::Timeout {
                    what: format!("another process to finish creating session \"{id}\""),
                    after: wait,
                })
            }
            Err(std::fs::TryLockError::Error(e)) => {
                warn(&format!(
                    "cannot lock {}: {e}; going on without it",
                    path.display()
                ));
                return Ok(Some(DiskLock { _file: file }));
            }
        }
    }
}

/// The persisted session of this definition, if there is a usable one. Cookies past their
/// expiry are dropped; a session whose cookies have all expired counts as absent. A file
/// that cannot be used is removed with a warning (it will be replaced).
pub fn load(id: &str, fingerprint: u64) -> Option<Loaded> {
    let path = cache_dir().join(format!("{}.json", file_stem(id, fingerprint)));
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            warn(&format!(
                "cannot read the session file {}: {e}; ignoring it",
                path.display()
            ));
            return None;
        }
    };
    let discard = |why: &str| {
        warn(&format!(
            "session \"{id}\": the session file {} is {why}; it is ignored and will be replaced",
            path.display()
        ));
        let _ = std::fs::remove_file(&path);
        None
    };
    // Parse the version first, so a foreign version is named as such.
    let Ok(head) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return discard("corrupt or truncated");
    };
    if head.get("version").and_then(serde_json::Value::as_u64) != Some(u64::from(VERSION)) {
        return discard(&format!(
            "of another format version (this one reads {VERSION})"
        ));
    }
    let Ok(file) = serde_json::from_value::<SessionFile>(head) else {
        return discard("corrupt");
    };
    if file.id != id || file.fingerprint != fingerprint {
        return discard("for another session");
    }
    let created = clock::from_secs(file.created_at.unwrap_or(file.saved_at));
    let mut data = file.data;
    let had_cookies = !data.cookies.is_empty();
    let now = clock::now_secs() as f64;
    data.cookies.retain(|c| c.expires.is_none_or(|e| e > now));
    if had_cookies && data.cookies.is_empty() {
        let _ = std::fs::remove_file(&path);
        return None;
    }
    Some(Loaded { data, created })
}

/// Deletes the persisted session of this definition (a rotating session that no longer
/// passes validate).
pub fn remove(id: &str, fingerprint: u64) {
    let _ = std::fs::remove_file(cache_dir().join(format!("{}.json", file_stem(id, fingerprint))));
}

/// Writes the session, whose setup ran at `created`: a temporary file of mode 0600 in the
/// same directory, then a rename.
pub fn save(id: &str, fingerprint: u64, location: &str, data: &SessionData, created: SystemTime) {
    let Some(dir) = ensure_dir() else {
        return;
    };
    let stem = file_stem(id, fingerprint);
    let file = SessionFile {
        version: VERSION,
        id: id.to_string(),
        fingerprint,
        location: location.to_string(),
        saved_at: clock::now_secs(),
        created_at: Some(clock::secs(created)),
        data: data.clone(),
    };
    let tmp = dir.join(format!(".{stem}.{}.tmp", std::process::id()));
    let written = serde_json::to_vec(&file)
        .map_err(std::io::Error::other)
        .and_then(|bytes| crate::private_file::write_private(&tmp, &bytes))
        .and_then(|()| std::fs::rename(&tmp, dir.join(format!("{stem}.json"))));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        warn(&format!(
            "session \"{id}\": cannot write it to {}: {e}; it stays in this process only",
            dir.display()
        ));
    }
}

/// What `list` shows of one persisted session: no values.
#[derive(Debug, Clone)]
pub struct Persisted {
    /// The file.
    pub path: PathBuf,
    /// The session id.
    pub id: String,
    /// Where it was defined.
    pub location: String,
    /// When it was saved (seconds since the Unix epoch).
    pub saved_at: u64,
    /// Origins with storage.
    pub origins: Vec<String>,
    /// Cookie names with their expiry (seconds since the epoch; `None`: session cookie).
    pub cookies: Vec<(String, Option<f64>)>,
}

/// Every readable persisted session in `dir`.
pub fn list_in(dir: &Path) -> Vec<Persisted> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<Persisted> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter_map(|path| {
            let file: SessionFile = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
            Some(Persisted {
                origins: file.data.origins(),
                cookies: file
                    .data
                    .cookies
                    .iter()
                    .map(|c| (c.name.clone(), c.expires))
                    .collect(),
                path,
                id: file.id,
                location: file.location,
                saved_at: file.saved_at,
            })
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// Deletes the persisted sessions in `dir` whose id is `id` (every id when `None`); returns
/// how many were deleted.
pub fn delete_in(dir: &Path, id: Option<&str>) -> usize {
    let paths: Vec<PathBuf> = match id {
        Some(id) => list_in(dir)
            .into_iter()
            .filter(|p| p.id == id)
            .map(|p| p.path)
            .collect(),
        // Everything, unreadable files included.
        None => std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "json"))
                    .collect()
            })
            .unwrap_or_default(),
    };
    paths
        .iter()
        .filter(|p| std::fs::remove_file(p).is_ok())
        .count()
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_names_stay_those_earlier_versions_wrote() {
        // FNV-1a 64 of "admin" and 42 as little-endian bytes.
        assert_eq!(super::file_stem("admin", 42), "bcef91905871803e");
    }
}
