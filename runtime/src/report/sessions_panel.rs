//! The report's sessions panel (Cypress's instrument panel): each session id with its
//! status in each test that asked for it (created, restored, recreated, failed), the time
//! spent and saved, what it holds (origin and cookie domain names, never a value), and
//! whether it is kept on disk.

use std::fmt::Write;

use super::markup::{esc, ms};
use super::record::SessionRecord;

/// The panel: one section per id, in the order the ids were first asked for.
pub(super) fn sessions_panel(h: &mut dyn Write, calls: &[&SessionRecord]) {
    let mut ids: Vec<&str> = Vec::new();
    for call in calls {
        if !ids.contains(&call.id.as_str()) {
            ids.push(&call.id);
        }
    }
    let _ = h.write_str("<section id=sessions><h2>Sessions</h2>");
    for id in ids {
        let of_id: Vec<&SessionRecord> = calls.iter().copied().filter(|c| c.id == id).collect();
        session_section(h, id, &of_id);
    }
    let _ = h.write_str("</section>");
}

/// One id: a line (its counts, time spent and saved, what it holds, where it is kept), and
/// a row per call.
fn session_section(h: &mut dyn Write, id: &str, calls: &[&SessionRecord]) {
    let count = |status: &str| calls.iter().filter(|c| c.status == status).count();
    let spent: f64 = calls.iter().map(|c| c.took_ms).sum();
    let saved: f64 = calls.iter().map(|c| c.saved_ms).sum();
    let mut holds: Vec<&str> = calls
        .iter()
        .flat_map(|c| c.holds.iter().map(String::as_str))
        .collect();
    holds.sort();
    holds.dedup();
    let kept = if calls.iter().any(|c| c.persisted) {
        "persisted"
    } else {
        "in memory"
    };
    let counts: Vec<String> = ["created", "restored", "recreated", "failed"]
        .into_iter()
        .filter(|s| count(s) > 0)
        .map(|s| format!("{} {s}", count(s)))
        .collect();
    let _ = write!(
        h,
        "<details class=session open data-id=\"{id}\"><summary><code>{id}</code>: {counts}; \
         spent {spent}, saved {saved}; {kept}</summary><p class=holds>holds: {holds}</p>\
         <table><tr><th>test</th><th>status</th><th>time spent</th><th>time saved</th></tr>",
        id = esc(id),
        counts = counts.join(", "),
        spent = ms(spent),
        saved = ms(saved),
        holds = if holds.is_empty() {
            "nothing it names".to_owned()
        } else {
            esc(&holds.join(", "))
        },
    );
    for c in calls {
        let _ = write!(
            h,
            "<tr class={status}><td><a href=\"#test={test}\">{test}</a></td><td>{status}</td><td>{}</td><td>{}</td></tr>",
            ms(c.took_ms),
            ms(c.saved_ms),
            status = esc(&c.status),
            test = esc(&c.test),
        );
    }
    let _ = h.write_str("</table></details>");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(status: &str, test: &str, persisted: bool) -> SessionRecord {
        SessionRecord {
            id: "\"alice\"".into(),
            status: status.into(),
            took_ms: 10.0,
            saved_ms: 0.0,
            test: test.into(),
            holds: vec!["cookies of app.localhost".into()],
            persisted,
        }
    }

    #[test]
    fn an_id_shows_each_tests_status_what_it_holds_and_where_it_is_kept() {
        let calls = [
            call("failed", "a", true),
            call("created", "b", true),
            call("restored", "c", true),
        ];
        let mut h = String::new();
        sessions_panel(&mut h, &calls.iter().collect::<Vec<_>>());
        for part in [
            "1 created, 1 restored, 1 failed; spent 30 ms, saved 0 ms; persisted",
            "holds: cookies of app.localhost",
            "<tr class=failed><td><a href=\"#test=a\">a</a></td><td>failed</td>",
        ] {
            assert!(h.contains(part), "{part:?} in {h}");
        }
        assert_eq!(h.matches("<details class=session").count(), 1);
    }
}
