//! JavaScript dialogs (README, "Dialogs"): answered as they open, so that no action and no
//! reset waits on one; dismissed by default ("leave this page?" accepted); `on_dialog` and
//! `wait_for_dialog` to answer and assert on them, in popups and cross-site iframes too.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use session_test::{expect, session_test, DialogKind, Page};

/// The first test's context in the reuse pair, for the second to compare with its own.
static FIRST_CONTEXT: Mutex<Option<String>> = Mutex::new(None);

fn dialogs(page: &Page) -> session_test::Result<()> {
    support::sites();
    page.visit("/dialogs")
}

/// Types into the page's draft: leaving the page now asks "leave this page?".
fn leave_a_draft(page: &Page) -> session_test::Result<()> {
    page.fill("#draft", "unsaved")?;
    expect(&page.locator("#result")).to_have_text("guarded")
}

#[session_test]
fn an_alert_then_a_confirm_on_a_click_are_dismissed_and_the_click_completes(
    page: &Page,
) -> session_test::Result<()> {
    dialogs(page)?;
    let alert = page.wait_for_dialog(|| page.click("#alert-confirm"))?;
    assert_eq!(alert.kind(), DialogKind::Alert);
    assert_eq!(alert.message(), "saved");
    assert_eq!(alert.accepted(), Some(false));
    // The confirm after it was dismissed too: it returned false.
    expect(&page.locator("#result")).to_have_text("confirm: false")?;
    // Answering again is a clear error.
    let again = alert.accept(None).unwrap_err();
    assert_eq!(again.to_string(), "the alert dialog was answered already");
    // The page goes on working.
    assert_eq!(page.eval("1 + 1")?, 2);
    Ok(())
}

#[session_test]
fn a_prompt_is_dismissed_by_default_and_returns_null(page: &Page) -> session_test::Result<()> {
    dialogs(page)?;
    let prompt = page.wait_for_dialog(|| page.click("#prompt"))?;
    assert_eq!(prompt.kind(), DialogKind::Prompt);
    assert_eq!(prompt.message(), "your name?");
    assert_eq!(prompt.default_value(), "anon");
    expect(&page.locator("#result")).to_have_text("prompt: null")?;
    Ok(())
}

#[session_test]
fn on_dialog_answers_each_kind(page: &Page) -> session_test::Result<()> {
    dialogs(page)?;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let kinds = Arc::clone(&seen);
    page.on_dialog(move |dialog| {
        kinds.lock().unwrap().push(dialog.kind());
        match dialog.kind() {
            DialogKind::Prompt => dialog.accept(Some("bob")),
            _ => dialog.accept(None),
        }
    });
    page.click("#alert-confirm")?;
    expect(&page.locator("#result")).to_have_text("confirm: true")?;
    page.click("#prompt")?;
    expect(&page.locator("#result")).to_have_text("prompt: \"bob\"")?;
    // "Leave this page?" goes to the handler too, which lets the page go.
    leave_a_draft(page)?;
    let leave = page.wait_for_dialog(|| page.visit("/blank"))?;
    assert_eq!(leave.kind(), DialogKind::BeforeUnload);
    assert_eq!(leave.accepted(), Some(true));
    assert!(page.url()?.ends_with("/blank"));
    assert_eq!(
        *seen.lock().unwrap(),
        [
            DialogKind::Alert,
            DialogKind::Confirm,
            DialogKind::Prompt,
            DialogKind::BeforeUnload
        ]
    );
    Ok(())
}

#[session_test]
fn a_handler_may_call_the_page(page: &Page) -> session_test::Result<()> {
    dialogs(page)?;
    // The handler runs on a thread of its own, not the connection's: a call of the page
    // from inside it is answered (one the open dialog does not block: the tab's URL).
    let tab = page.clone();
    page.on_dialog(move |dialog| {
        let url = tab.url()?;
        if url.ends_with("/dialogs") {
            dialog.accept(Some("from the handler"))
        } else {
            dialog.dismiss()
        }
    });
    page.click("#prompt")?;
    expect(&page.locator("#result")).to_have_text("prompt: \"from the handler\"")?;
    Ok(())
}

#[session_test]
fn a_handler_that_blocks_holds_up_no_other_tab(page: &Page) -> session_test::Result<()> {
    dialogs(page)?;
    // The handler holds the prompt open until the test lets it go. Meanwhile the connection
    // serves everyone else: a tab of another context loads and runs script, and the browser
    // answers about this one. (A tab sharing the prompt's renderer would wait: that is the
    // browser's, which runs the renderer's script on one thread.)
    let (opened_tx, opened) = mpsc::channel::<()>();
    let (release, released) = mpsc::channel::<()>();
    let (opened_tx, released) = (Mutex::new(opened_tx), Mutex::new(released));
    page.on_dialog(move |dialog| {
        let _ = opened_tx.lock().unwrap().send(());
        released
            .lock()
            .unwrap()
            .recv_timeout(Duration::from_secs(60))
            .map_err(|_| session_test::Error::msg("the test never let the handler go"))?;
        dialog.accept(Some("held"))
    });
    let clicker = {
        let page = page.clone();
        std::thread::spawn(move || page.click("#prompt"))
    };
    opened
        .recv_timeout(Duration::from_secs(30))
        .expect("the prompt reached the handler");
    let other = Page::new_isolated()?;
    other.visit("/blank")?;
    assert_eq!(other.eval("6 * 7")?, 42);
    other.close();
    assert!(page.cookies()?.is_empty());
    assert_eq!(page.context().pages().len(), 1);
    release.send(()).unwrap();
    clicker.join().expect("the click returns")?;
    expect(&page.locator("#result")).to_have_text("prompt: \"held\"")?;
    Ok(())
}

#[session_test]
fn a_handler_that_answers_nothing_leaves_the_default_answer(
    page: &Page,
) -> session_test::Result<()> {
    dialogs(page)?;
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&calls);
    page.on_dialog(move |_| {
        counted.fetch_add(1, Ordering::SeqCst);
        Ok(())
    });
    page.click("#alert-confirm")?;
    expect(&page.locator("#result")).to_have_text("confirm: false")?;
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    Ok(())
}

#[session_test]
fn leave_this_page_is_accepted_by_default(page: &Page) -> session_test::Result<()> {
    dialogs(page)?;
    leave_a_draft(page)?;
    let leave = page.wait_for_dialog(|| page.visit("/blank"))?;
    assert_eq!(leave.kind(), DialogKind::BeforeUnload);
    assert_eq!(leave.accepted(), Some(true), "left by default");
    assert!(page.url()?.ends_with("/blank"));
    Ok(())
}

#[session_test]
fn a_popup_with_a_draft_closes(page: &Page) -> session_test::Result<()> {
    dialogs(page)?;
    let popup = page.wait_for_popup(|| page.click("#popup"))?;
    leave_a_draft(&popup)?;
    popup.close();
    let gone = || {
        let targets = session_test::browser::browser()
            .and_then(|b| {
                b.connection().call_raw(
                    None,
                    "Target.getTargets",
                    serde_json::json!({}),
                    std::time::Duration::from_secs(10),
                )
            })
            .expect("the browser lists its targets");
        !targets.to_string().contains(popup.target_id())
    };
    assert!(
        support::poll_until(std::time::Duration::from_secs(10), gone),
        "the guarded popup closed"
    );
    Ok(())
}

#[session_test]
fn dialogs_in_a_popup_follow_the_same_rules(page: &Page) -> session_test::Result<()> {
    dialogs(page)?;
    let popup = page.wait_for_popup(|| page.click("#popup"))?;
    expect(&popup.locator("#alert-confirm")).to_be_visible()?;
    // By default: dismissed.
    popup.click("#alert-confirm")?;
    expect(&popup.locator("#result")).to_have_text("confirm: false")?;
    // The page's handler covers the tabs it opens.
    page.on_dialog(|dialog| dialog.accept(Some("from the opener")));
    let prompt = popup.wait_for_dialog(|| popup.click("#prompt"))?;
    assert_eq!(prompt.kind(), DialogKind::Prompt);
    expect(&popup.locator("#result")).to_have_text("prompt: \"from the opener\"")?;
    Ok(())
}

#[session_test]
fn dialogs_in_a_cross_site_iframe_follow_the_same_rules(page: &Page) -> session_test::Result<()> {
    let sites = support::sites();
    let inner = sites.auth.url("/dialogs");
    page.visit(&format!("/frame?src={}", support::urlencode(&inner)))?;
    let frame = page.frame_locator("#frame");
    expect(&frame.locator("#alert-confirm")).to_be_visible()?;
    let alert = page.wait_for_dialog(|| frame.locator("#alert-confirm").click())?;
    assert_eq!(alert.message(), "saved");
    expect(&frame.locator("#result")).to_have_text("confirm: false")?;
    page.on_dialog(|dialog| dialog.accept(None));
    frame.locator("#alert-confirm").click()?;
    expect(&frame.locator("#result")).to_have_text("confirm: true")?;
    Ok(())
}

// Tests that must fail, run in a child process by `bad_handlers_fail_their_test_clearly`.

#[session_test(ignore)]
fn dialog_fixture_handler_panics(page: &Page) -> session_test::Result<()> {
    dialogs(page)?;
    page.on_dialog(|_| panic!("the handler's own bug"));
    page.click("#alert-confirm")?;
    // The dialogs were still answered: the click completed.
    expect(&page.locator("#result")).to_have_text("confirm: false")
}

#[session_test(ignore)]
fn dialog_fixture_handler_answers_twice(page: &Page) -> session_test::Result<()> {
    dialogs(page)?;
    page.on_dialog(|dialog| {
        dialog.accept(None)?;
        dialog.dismiss()
    });
    // The wait returns the handler's failure on that dialog.
    page.wait_for_dialog(|| page.click("#prompt")).map(drop)
}

#[session_test(ignore)]
fn dialog_fixture_wait_for_one_that_never_opens(page: &Page) -> session_test::Result<()> {
    dialogs(page)?;
    page.wait_for_dialog(|| page.fill("#draft", "no dialog"))
        .map(drop)
}

#[test]
fn bad_handlers_fail_their_test_clearly() {
    let (out, shown) = support::children::run_with_env(
        "dialogs",
        &["--ignored", "dialog_fixture_"],
        // The wait for a dialog that never opens ends at this limit.
        &[("SESSION_TEST_WAIT_TIMEOUT", "5")],
    );
    assert!(!out.status.success(), "{shown}");
    let panicked = support::children::report_of(&shown, "dialog_fixture_handler_panics");
    assert!(
        panicked.contains(
            "the dialog handler failed on alert \"saved\": it panicked: the handler's own bug"
        ),
        "{panicked}"
    );
    assert!(
        panicked.contains(
            "last dialogs:\n    alert \"saved\": dismissed\n    confirm \"delete it?\": dismissed"
        ),
        "{panicked}"
    );
    // Each dialog is a line of the trace too, with its answer.
    let trace = panicked
        .lines()
        .find_map(|l| l.trim().strip_prefix("trace: "))
        .unwrap_or_else(|| panic!("no trace in {panicked}"));
    let trace: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(trace).unwrap()).unwrap();
    let dialogs: Vec<&str> = trace["console"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["level"] == "dialog")
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        dialogs,
        [
            "alert \"saved\": dismissed",
            "confirm \"delete it?\": dismissed"
        ]
    );
    let twice = support::children::report_of(&shown, "dialog_fixture_handler_answers_twice");
    assert!(
        twice.contains("the dialog handler failed on prompt \"your name?\": the prompt dialog was answered already"),
        "{twice}"
    );
    let none = support::children::report_of(&shown, "dialog_fixture_wait_for_one_that_never_opens");
    assert!(
        none.contains("timed out after 5.0 s waiting for a dialog opened by the action given to `wait_for_dialog`"),
        "{none}"
    );
}

// A test whose click opens an alert and a confirm, and that leaves a page with a "leave this
// page?" handler, hands its context on at once.

#[session_test(ignore)]
fn dialog_reuse_1_leaves_a_guarded_page(page: &Page) -> session_test::Result<()> {
    *FIRST_CONTEXT.lock().unwrap() = Some(page.browser_context_id().to_string());
    dialogs(page)?;
    page.click("#alert-confirm")?;
    expect(&page.locator("#result")).to_have_text("confirm: false")?;
    // Its reset's about:blank asks "leave this page?" (it waited out 30 s, then disposed the
    // context, before dialogs were answered).
    leave_a_draft(page)?;
    println!("dialog reuse: guarded at {:?}", Instant::now());
    Ok(())
}

#[session_test(ignore)]
fn dialog_reuse_2_gets_its_context(page: &Page) -> session_test::Result<()> {
    println!("dialog reuse: next test began at {:?}", Instant::now());
    assert_eq!(
        FIRST_CONTEXT.lock().unwrap().as_deref(),
        Some(page.browser_context_id()),
        "the guarded page's context was reset and reused"
    );
    assert_eq!(page.url()?, "about:blank");
    Ok(())
}

#[test]
fn a_guarded_page_does_not_hold_up_the_reset() {
    // Printed for the record (`--nocapture`), not asserted: the two tests and the process.
    let start = Instant::now();
    assert_eq!(support::passed_in_a_child("dialog_reuse_", true), 2);
    println!(
        "two tests with reuse, one answering two dialogs and leaving a guarded page, \
         in a process of their own: {:?}",
        start.elapsed()
    );
}
