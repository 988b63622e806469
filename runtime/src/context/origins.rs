//! What a browser context's tabs loaded, and the restores waiting for an origin to load.
//!
//! localStorage, cookies and IndexedDB belong to the context, so the record is the
//! context's: an origin a popup loaded is captured and cleared like one the test's own tab
//! loaded, and a restore is done once the origin's first top-level document exists in any
//! of its tabs.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use crate::cdp::{Connection, RawEvent};
use crate::data::StorageItems;

/// A cross-site iframe's origin and the top-level origin it is embedded in: Chromium
/// partitions its storage by the top-level site.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Embedded {
    pub origin: String,
    pub top: String,
}

/// Storage to write into an origin's first document, before the page's scripts: a
/// top-level one, or with `top`, a cross-site iframe's under that top-level origin.
#[derive(Clone)]
pub(crate) struct Restore {
    pub origin: String,
    pub top: Option<String>,
    pub local: StorageItems,
    pub session: StorageItems,
    /// Clear both storages first (an isolated test); the shared page only adds.
    pub clear: bool,
}

impl Restore {
    /// The script for a tab: with the sessionStorage items in the test's own tab and in a
    /// popup (which starts with a copy of its opener's), without them in a new tab.
    pub fn source(&self, with_session_storage: bool) -> String {
        let clear = match (self.clear, with_session_storage) {
            (false, _) => "",
            (true, true) => "localStorage.clear(); sessionStorage.clear(); ",
            (true, false) => "localStorage.clear(); ",
        };
        let session = if with_session_storage {
            format!(
                "for (const [k, v] of {}) sessionStorage.setItem(k, v); ",
                entries(&self.session)
            )
        } else {
            String::new()
        };
        let elsewhere = match &self.top {
            None => "window.top !== window".to_string(),
            Some(top) => format!(
                "window.top === window || [...location.ancestorOrigins].pop() !== {}",
                json!(top)
            ),
        };
        format!(
            "(() => {{ if ({elsewhere} || location.origin !== {o}) return; \
             try {{ {clear}for (const [k, v] of {l}) localStorage.setItem(k, v); {session}}} \
             catch (e) {{}} }})()",
            o = json!(self.origin),
            l = entries(&self.local),
        )
    }

    /// The cross-site iframe partition it is for, if any.
    pub fn embedded(&self) -> Option<Embedded> {
        self.top.as_ref().map(|top| Embedded {
            origin: self.origin.clone(),
            top: top.clone(),
        })
    }
}

/// `[[key, value], …]` as a JavaScript literal.
pub(crate) fn entries(items: &StorageItems) -> String {
    Value::Array(items.iter().map(|(k, v)| json!([k, v])).collect()).to_string()
}

/// A restore waiting for its origin, and its script in each tab (session id, script id).
pub(crate) struct Pending {
    pub restore: Restore,
    pub scripts: Vec<(String, String)>,
}

/// Removes restore scripts from the tabs and frames that have them (session id, script id).
/// One-way sends, so safe on the connection's reader thread; a script already gone (its
/// origin loaded meanwhile) is nothing to undo.
pub(crate) fn remove_scripts(
    conn: &Connection,
    scripts: impl IntoIterator<Item = (String, String)>,
) {
    for (session, id) in scripts {
        let _ = conn.send_oneway(
            Some(&session),
            "Page.removeScriptToEvaluateOnNewDocument",
            json!({ "identifier": id }),
        );
    }
}

/// Files the scripts just added to the tab or frame `session_id` under their pending
/// restores (by key); the script of a restore done meanwhile, in another tab, goes at once.
pub(crate) fn file_scripts<K: Ord>(
    pending: &mut BTreeMap<K, Pending>,
    conn: &Connection,
    session_id: &str,
    added: impl IntoIterator<Item = (K, String)>,
) {
    for (key, id) in added {
        match pending.get_mut(&key) {
            Some(p) => p.scripts.push((session_id.to_string(), id)),
            None => remove_scripts(conn, [(session_id.to_string(), id)]),
        }
    }
}

/// Origins whose documents loaded in a context's tabs (main frames and iframes), from
/// `Page.frameNavigated`, recorded on the connection's reader thread.
#[derive(Default)]
pub(crate) struct OriginLog {
    /// Every origin since the context opened (what clearing must reach).
    pub ever: BTreeSet<String>,
    /// Origins since the last mark, in first-seen order (what a capture must read).
    pub since_mark: Vec<String>,
    /// Restores waiting for their origin's first top-level document, by origin.
    pub pending: BTreeMap<String, Pending>,
    /// Cross-site iframes since the context opened (their storage is partitioned).
    pub frames_ever: BTreeSet<Embedded>,
    /// Cross-site iframes since the last mark, in first-seen order.
    pub frames_since_mark: Vec<Embedded>,
    /// Restores waiting for a cross-site iframe of their origin under their top origin.
    pub frame_pending: BTreeMap<Embedded, Pending>,
}

/// Where a tab's main frame is.
pub(crate) struct TabLocation {
    /// `None` on about:blank and other opaque origins.
    pub origin: Option<String>,
    pub url: String,
}

impl Default for TabLocation {
    fn default() -> Self {
        TabLocation {
            origin: None,
            url: "about:blank".into(),
        }
    }
}

/// A navigation seen in a tab: the frame's http(s) origin, and whether it is the main frame
/// (with its URL).
pub(crate) struct Navigated {
    pub origin: Option<String>,
    pub main_frame_url: Option<String>,
}

impl Navigated {
    pub fn of(event: &RawEvent) -> Option<Navigated> {
        if event.method != "Page.frameNavigated" {
            return None;
        }
        let frame = &event.params["frame"];
        let origin = frame["securityOrigin"]
            .as_str()
            .filter(|o| o.starts_with("http://") || o.starts_with("https://"))
            .map(str::to_owned);
        let main_frame_url = frame.get("parentId").is_none().then(|| {
            format!(
                "{}{}",
                frame["url"].as_str().unwrap_or_default(),
                frame["urlFragment"].as_str().unwrap_or_default()
            )
        });
        Some(Navigated {
            origin,
            main_frame_url,
        })
    }
}

impl OriginLog {
    /// Records a navigation of one of the context's tabs; returns the restore it completed
    /// (its origin's top-level document was just created), whose scripts must go from every
    /// tab: a later document of the origin (after a logout, say) must not get it again.
    pub fn record(&mut self, nav: &Navigated) -> Option<Pending> {
        let origin = nav.origin.clone()?;
        let done = nav
            .main_frame_url
            .as_ref()
            .and_then(|_| self.pending.remove(&origin));
        if !self.since_mark.contains(&origin) {
            self.since_mark.push(origin.clone());
        }
        self.ever.insert(origin);
        done
    }

    /// Records a document of a cross-site iframe; returns the restore it completed.
    pub fn record_frame(&mut self, frame: Embedded) -> Option<Pending> {
        let done = self.frame_pending.remove(&frame);
        if !self.frames_since_mark.contains(&frame) {
            self.frames_since_mark.push(frame.clone());
        }
        self.frames_ever.insert(frame);
        done
    }

    /// Starts recording afresh (a session's setup begins).
    pub fn mark(&mut self) {
        self.since_mark.clear();
        self.frames_since_mark.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn restore(clear: bool) -> Restore {
        Restore {
            origin: "http://app.localhost:1".into(),
            top: None,
            local: StorageItems::from_iter([("l", "1")]),
            session: StorageItems::from_iter([("s", "2")]),
            clear,
        }
    }

    #[test]
    fn a_new_tab_gets_local_storage_only() {
        let popup = restore(true).source(true);
        assert!(popup.contains("sessionStorage.clear()") && popup.contains(r#"[["s","2"]]"#));
        let new_tab = restore(true).source(false);
        assert!(!new_tab.contains("sessionStorage") && new_tab.contains(r#"[["l","1"]]"#));
        assert!(!restore(false).source(true).contains(".clear()"));
    }

    #[test]
    fn an_iframe_restore_runs_only_under_its_top_origin() {
        let mut r = restore(true);
        r.top = Some("http://top.localhost:2".into());
        let source = r.source(false);
        assert!(
            source.contains(r#"[...location.ancestorOrigins].pop() !== "http://top.localhost:2""#)
        );
        assert!(source.contains("window.top === window"));
    }
}
