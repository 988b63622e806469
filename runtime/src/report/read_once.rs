//! Files the report embeds (screenshots, traces), turned into what it shows once per version.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use crate::sync::lock;

/// What `make` makes of the file at `path`, made once per version of the file (its
/// modification time) and kind of thing made: the report is rewritten after every test.
pub(super) fn once_per_version(
    kind: &'static str,
    path: &Path,
    make: impl FnOnce(&[u8]) -> Option<String>,
) -> Option<Arc<str>> {
    type Key = (&'static str, PathBuf, SystemTime);
    static MADE: Mutex<Option<HashMap<Key, Arc<str>>>> = Mutex::new(None);
    let key = (
        kind,
        path.to_owned(),
        path.metadata().ok()?.modified().ok()?,
    );
    if let Some(hit) = lock(&MADE).get_or_insert_with(HashMap::new).get(&key) {
        return Some(hit.clone());
    }
    let made: Arc<str> = make(&std::fs::read(path).ok()?)?.into();
    lock(&MADE)
        .get_or_insert_with(HashMap::new)
        .insert(key, made.clone());
    Some(made)
}
