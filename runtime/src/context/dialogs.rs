//! JavaScript dialogs (`alert`, `confirm`, `prompt` and the "leave this page?" of a
//! `beforeunload` handler): each is answered as it opens, so none hangs the action that
//! opened it (the browser holds that action's reply until the dialog closes). By default
//! `alert`, `confirm` and `prompt` are dismissed (`confirm` returns false, `prompt` null) and
//! "leave this page?" is accepted, so a navigation, a closed tab or the end of a test is never
//! held up; a handler set with `Context::on_dialog` answers otherwise. Each dialog is a line of
//! the test's trace and of its failure report.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, Weak};
use std::time::Duration;

use serde_json::json;

use crate::cdp::{Connection, RawEvent};
use crate::error::{panic_text, Error, Result};
use crate::sync::{lock, wait_for, wait_for_handlers};
use crate::trace::Trace;

/// What kind of dialog a page opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DialogKind {
    /// `alert(message)`: one button.
    Alert,
    /// `confirm(message)`: returns true when accepted.
    Confirm,
    /// `prompt(message, default)`: returns the text when accepted, null when dismissed.
    Prompt,
    /// "Leave this page?", from a `beforeunload` handler: accepting leaves.
    BeforeUnload,
}

impl DialogKind {
    fn of(name: &str) -> DialogKind {
        match name {
            "alert" => DialogKind::Alert,
            "confirm" => DialogKind::Confirm,
            "prompt" => DialogKind::Prompt,
            _ => DialogKind::BeforeUnload,
        }
    }

    /// Its name in the browser's protocol and in Playwright: `alert`, `confirm`, `prompt`,
    /// `beforeunload`.
    pub fn as_str(self) -> &'static str {
        match self {
            DialogKind::Alert => "alert",
            DialogKind::Confirm => "confirm",
            DialogKind::Prompt => "prompt",
            DialogKind::BeforeUnload => "beforeunload",
        }
    }
}

impl std::fmt::Display for DialogKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A JavaScript dialog a page of the test opened. Answer it once, with
/// [`accept`](Dialog::accept) or [`dismiss`](Dialog::dismiss); one not answered by the
/// handler gets the default answer (README, "Dialogs").
///
/// ```no_run
/// # fn t(page: &session_test::Page) -> session_test::Result<()> {
/// use session_test::DialogKind;
/// page.on_dialog(|dialog| match dialog.kind() {
///     DialogKind::Prompt => dialog.accept(Some("alice")),
///     _ => dialog.accept(None),
/// });
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Dialog {
    inner: Arc<Opened>,
}

struct Opened {
    kind: DialogKind,
    message: String,
    default_value: String,
    /// The test's tab it opened in (0 its own).
    tab: u64,
    /// The session of the tab or frame it opened in: the answer goes there.
    session_id: String,
    conn: Weak<Connection>,
    hub: Weak<DialogHub>,
    /// `Some(true)` once accepted, `Some(false)` once dismissed.
    answer: Mutex<Option<bool>>,
    /// Set once answered and its handler (if any) returned: how the handler did.
    settled: Mutex<Option<std::result::Result<(), String>>>,
}

impl std::fmt::Debug for Dialog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The message is the page's own text, its URLs masked as in the report; a prompt's
        // answer is never kept.
        f.debug_struct("Dialog")
            .field("kind", &self.inner.kind)
            .field(
                "message",
                &crate::trace::with_urls_masked(&self.inner.message),
            )
            .field("accepted", &self.accepted())
            .finish()
    }
}

impl Dialog {
    /// What kind of dialog it is.
    pub fn kind(&self) -> DialogKind {
        self.inner.kind
    }

    /// The text the page showed.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// A prompt's default text ("" for the other kinds).
    pub fn default_value(&self) -> &str {
        &self.inner.default_value
    }

    /// `Some(true)` once accepted, `Some(false)` once dismissed, `None` while open.
    pub fn accepted(&self) -> Option<bool> {
        *lock(&self.inner.answer)
    }

    /// Accepts the dialog (OK, or "Leave"); a prompt returns `prompt_text`, or its default
    /// text when `None`. Fails with [`Error::DialogAnswered`] when it was answered already.
    pub fn accept(&self, prompt_text: Option<&str>) -> Result<()> {
        let text = prompt_text.unwrap_or(&self.inner.default_value);
        self.answer(true, text)
    }

    /// Dismisses the dialog (Cancel, or "Stay"). Fails with [`Error::DialogAnswered`] when it
    /// was answered already.
    pub fn dismiss(&self) -> Result<()> {
        self.answer(false, "")
    }

    fn answer(&self, accept: bool, prompt_text: &str) -> Result<()> {
        let mut answer = lock(&self.inner.answer);
        if answer.is_some() {
            return Err(Error::DialogAnswered {
                kind: self.inner.kind.as_str(),
            });
        }
        *answer = Some(accept);
        drop(answer);
        let sent = match self.inner.conn.upgrade() {
            // One way: the answer may come from the reader thread, and the dialog's page
            // needs no reply to go on.
            Some(conn) => conn.send_oneway(
                Some(&self.inner.session_id),
                "Page.handleJavaScriptDialog",
                json!({ "accept": accept, "promptText": prompt_text }),
            ),
            None => Ok(()),
        };
        if let Some(hub) = self.inner.hub.upgrade() {
            hub.answered(self);
        }
        sent
    }

    /// The answer a dialog gets when nobody gave one: "leave" for "leave this page?" (a
    /// navigation, a closed tab or a test's end must not be held up), dismiss otherwise.
    fn answer_by_default(&self) {
        if self.accepted().is_none() {
            let _ = self.answer(accepted_by_default(self.inner.kind), "");
        }
    }

    /// Its kind and message: `confirm "delete it?"` (URLs in it shown without their query
    /// values and credentials, as the trace shows them).
    fn named(&self) -> String {
        let message = crate::trace::with_urls_masked(&self.inner.message);
        format!("{} {message:?}", self.inner.kind)
    }

    /// The dialog as a line of the trace and the failure report.
    fn line(&self) -> String {
        let answer = match self.accepted() {
            Some(true) => "accepted",
            Some(false) => "dismissed",
            None => "open",
        };
        format!("{}: {answer}", self.named())
    }
}

/// Whether a dialog nobody answered is accepted: only "leave this page?" is.
fn accepted_by_default(kind: DialogKind) -> bool {
    kind == DialogKind::BeforeUnload
}

/// What a test's handler does with a dialog.
pub(crate) type Handler = Arc<dyn Fn(&Dialog) -> Result<()> + Send + Sync>;

/// The dialogs of one browser context's tabs and frames: the test's handler, the dialogs of
/// the test so far, and what went wrong in the handler.
pub(crate) struct DialogHub {
    handler: Mutex<Option<Handler>>,
    seen: Mutex<Seen>,
    /// Signalled when a dialog opens or settles, or a handler returns.
    changed: Condvar,
    failure: Mutex<Option<String>>,
    /// How long the end of a test waits for a handler still running.
    limit: Duration,
    /// The test's trace, when tests are traced.
    trace: Option<Arc<Mutex<Trace>>>,
}

/// The test's dialogs so far, and how many of its handler's runs have not returned.
#[derive(Default)]
struct Seen {
    dialogs: Vec<Dialog>,
    running: usize,
}

impl DialogHub {
    pub fn new(limit: Duration, trace: Option<Arc<Mutex<Trace>>>) -> Self {
        DialogHub {
            handler: Mutex::default(),
            seen: Mutex::default(),
            changed: Condvar::new(),
            failure: Mutex::default(),
            limit,
            trace,
        }
    }

    /// Takes an event of the tab `tab` or of one of its frames (session `session_id`), on the
    /// reader thread: a dialog that opened is answered by the handler on a thread of its own,
    /// or by default here.
    pub fn see(
        self: &Arc<Self>,
        conn: &Weak<Connection>,
        session_id: &str,
        tab: u64,
        ev: &RawEvent,
    ) {
        if ev.method != "Page.javascriptDialogOpening" {
            return;
        }
        let dialog = Dialog {
            inner: Arc::new(Opened {
                kind: DialogKind::of(ev.str_param("type")),
                message: ev.str_param("message").to_owned(),
                default_value: ev.str_param("defaultPrompt").to_owned(),
                tab,
                session_id: session_id.to_owned(),
                conn: conn.clone(),
                hub: Arc::downgrade(self),
                answer: Mutex::default(),
                settled: Mutex::default(),
            }),
        };
        let handler = lock(&self.handler).clone();
        {
            let mut seen = lock(&self.seen);
            seen.dialogs.push(dialog.clone());
            seen.running += usize::from(handler.is_some());
        }
        self.changed.notify_all();
        let Some(handler) = handler else {
            tracing::debug!(target: "session_test", kind = %dialog.kind(), "dialog answered by default");
            dialog.answer_by_default();
            return self.settle(&dialog, Ok(()));
        };
        let hub = Arc::clone(self);
        let run = dialog.clone();
        let spawned = std::thread::Builder::new()
            .name("session-test-dialog".into())
            .spawn(move || hub.handle(&handler, &run));
        if let Err(e) = spawned {
            dialog.answer_by_default();
            lock(&self.seen).running -= 1;
            let failure = format!("could not start the dialog handler's thread: {e}");
            self.settle(&dialog, Err(failure));
        }
    }

    /// Runs the handler on `dialog`; answers it by default when the handler did not.
    fn handle(&self, handler: &Handler, dialog: &Dialog) {
        let outcome = match catch_unwind(AssertUnwindSafe(|| handler(dialog))) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(e.to_string()),
            Err(panic) => Err(format!("it panicked: {}", panic_text(&*panic))),
        };
        let outcome =
            outcome.map_err(|e| format!("the dialog handler failed on {}: {e}", dialog.named()));
        // Kept before the dialog is answered: the page goes on then, and the failure of a
        // dialog it opens next (on a thread of its own) must not come first.
        if let Err(failure) = &outcome {
            lock(&self.failure).get_or_insert_with(|| failure.clone());
        }
        dialog.answer_by_default();
        lock(&self.seen).running -= 1;
        self.settle(dialog, outcome);
    }

    /// `dialog` is answered and its handler returned: how it went is kept (a failure also
    /// for the test's end), and whoever waits is told.
    fn settle(&self, dialog: &Dialog, outcome: std::result::Result<(), String>) {
        if let Err(failure) = &outcome {
            lock(&self.failure).get_or_insert_with(|| failure.clone());
        }
        *lock(&dialog.inner.settled) = Some(outcome);
        self.wake();
    }

    /// Wakes the waiters of `changed`; taking their lock first, so none that just looked
    /// misses it.
    fn wake(&self) {
        drop(lock(&self.seen));
        self.changed.notify_all();
    }

    /// A dialog was answered: its trace line. (Waiters wait for it to settle.)
    fn answered(&self, dialog: &Dialog) {
        if let Some(trace) = &self.trace {
            lock(trace).dialog(dialog.inner.tab, dialog.line());
        }
    }

    /// A new test begins in this context: no handler, no dialogs, no failure.
    pub fn start(&self) {
        *lock(&self.handler) = None;
        lock(&self.seen).dialogs.clear();
        *lock(&self.failure) = None;
    }

    /// The test's body ended: its handler goes (what opens after is answered by default),
    /// its runs still going are waited for (at most the wait limit), and what went wrong
    /// in it is returned.
    pub fn end(&self) -> Option<String> {
        *lock(&self.handler) = None;
        let seen = lock(&self.seen);
        let running = |seen: &Seen| seen.running;
        let stuck = wait_for_handlers(
            &self.changed,
            seen,
            self.limit,
            running,
            "the dialog handler",
        );
        let mut failure = lock(&self.failure);
        if let Some(stuck) = stuck {
            failure.get_or_insert(stuck);
        }
        failure.take()
    }

    /// The last `n` dialogs of the test, as lines for a failure report.
    pub fn last(&self, n: usize) -> Vec<String> {
        let seen = lock(&self.seen);
        let dialogs = &seen.dialogs;
        dialogs[dialogs.len().saturating_sub(n)..]
            .iter()
            .map(Dialog::line)
            .collect()
    }

    /// Sets the test's handler, replacing the one before.
    pub fn set_handler(&self, handler: Handler) {
        *lock(&self.handler) = Some(handler);
    }

    /// How many dialogs the test has seen so far.
    pub fn count(&self) -> usize {
        lock(&self.seen).dialogs.len()
    }

    /// The dialog after the first `before` of the test, once it settled (answered, its
    /// handler returned): `Err` with the handler's failure; `None` when none settled within
    /// `budget`.
    pub fn settled_after(
        &self,
        before: usize,
        budget: Duration,
    ) -> Option<std::result::Result<Dialog, String>> {
        wait_for(&self.changed, lock(&self.seen), budget, |seen| {
            let dialog = seen.dialogs.get(before)?.clone();
            let settled = lock(&dialog.inner.settled).clone()?;
            Some(settled.map(|()| dialog))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_leave_this_page_is_accepted_by_default() {
        for name in ["alert", "confirm", "prompt"] {
            assert!(!accepted_by_default(DialogKind::of(name)), "{name}");
        }
        assert!(accepted_by_default(DialogKind::of("beforeunload")));
        assert_eq!(DialogKind::of("prompt").to_string(), "prompt");
    }
}
