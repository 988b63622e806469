//! The IndexedDB databases of one origin, as a session keeps them (`indexed_db = true`).

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The IndexedDB databases of one origin: names, versions, object stores (key paths,
/// auto-increment and the key generator's next number, indexes) and every record, values
/// encoded with their types. `Debug` shows names and record counts, never values.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OriginDatabases {
    /// `scheme://host:port`.
    pub origin: String,
    /// The databases, in the form indexeddb.js reads and writes.
    pub databases: Value,
}

impl OriginDatabases {
    /// `(database name, records)` for each database.
    pub fn summary(&self) -> Vec<(String, usize)> {
        self.databases
            .as_array()
            .map(|dbs| {
                dbs.iter()
                    .map(|db| {
                        let records = db["stores"]
                            .as_array()
                            .map(|s| {
                                s.iter()
                                    .map(|s| s["records"].as_array().map_or(0, Vec::len))
                                    .sum()
                            })
                            .unwrap_or(0);
                        (db["name"].as_str().unwrap_or_default().to_owned(), records)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl fmt::Debug for OriginDatabases {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OriginDatabases")
            .field("origin", &self.origin)
            .field("databases (name, records)", &self.summary())
            .finish()
    }
}
