//! Locators and auto-waiting assertions (SPEC G3) against a demo page that changes 300 ms
//! after it loads (`/dynamic`): each assertion passes when the state arrives, fails with a
//! message a person can act on when it never does, and no test sleeps.

mod support;

use std::time::Duration;

use session_test::regex::Regex;
use session_test::{expect, session_test, Error, Filter, Page, TextMatch};

/// The page, changing after `ms` milliseconds.
fn dynamic(page: &Page, ms: u64) -> session_test::Result<()> {
    support::sites();
    page.visit(&format!("/dynamic?ms={ms}"))
}

type Check = fn(&Page) -> session_test::Result<()>;

/// The timeout of assertions that fail by design: long enough for at least one look at the
/// page on a loaded machine (a shorter one may end before the first reply, "nothing yet").
const ONE_LOOK: Duration = Duration::from_secs(1);

#[session_test]
fn assertions_wait_for_late_text_visibility_count_and_state(
    page: &Page,
) -> session_test::Result<()> {
    // Each holds only once the page has changed, 300 ms after loading: each gets a fresh
    // load, so that none passes because an earlier one already waited.
    let checks: [(&str, Check); 12] = [
        ("text", |p| {
            expect(&p.locator("#status")).to_have_text("ready")
        }),
        ("late element", |p| {
            expect(&p.locator("#late")).to_be_visible()
        }),
        ("hidden", |p| expect(&p.locator("#toast")).to_be_hidden()),
        ("shown", |p| expect(&p.locator("#banner")).to_be_visible()),
        ("count", |p| expect(&p.locator("#list li")).to_have_count(3)),
        ("enabled", |p| expect(&p.locator("#save")).to_be_enabled()),
        ("value", |p| {
            expect(&p.locator("#name")).to_have_value("prefilled")
        }),
        ("checked", |p| expect(&p.locator("#agree")).to_be_checked()),
        ("title", |p| expect(p).to_have_title("ready")),
        ("url", |p| {
            expect(p).to_have_url(TextMatch::contains("#ready"))
        }),
        ("negated", |p| {
            expect(&p.locator("#status")).not().to_have_text("loading")
        }),
        ("regex", |p| {
            expect(&p.locator("#late")).to_have_text(Regex::new(r"^arrived \w+$").unwrap())
        }),
    ];
    for (what, check) in checks {
        dynamic(page, 300)?;
        check(page).map_err(|e| Error::msg(format!("{what}: {e}")))?;
    }
    // And once settled: substring, a path URL, an attribute, a missing element hidden.
    expect(&page.locator("#late")).to_contain_text("late")?;
    expect(page).to_have_url("/dynamic?ms=300#ready")?;
    expect(&page.get_by_test_id("send")).to_have_attribute("type", "button")?;
    expect(&page.locator("#never")).to_be_hidden()?;
    Ok(())
}

#[session_test]
fn negated_assertions_need_the_element(page: &Page) -> session_test::Result<()> {
    dynamic(page, 0)?;
    // A misspelt selector satisfies neither `to_be_disabled` nor its negation.
    for err in [
        expect(&page.locator("#svae"))
            .not()
            .timeout(ONE_LOOK)
            .to_be_disabled(),
        expect(&page.locator("#svae"))
            .not()
            .timeout(ONE_LOOK)
            .to_have_text("x"),
        expect(&page.locator("#svae"))
            .not()
            .timeout(ONE_LOOK)
            .to_be_checked(),
    ] {
        let message = err.unwrap_err().to_string();
        assert!(message.contains("last saw no element matches"), "{message}");
    }
    expect(&page.locator("#save")).not().to_be_disabled()?;
    Ok(())
}

#[session_test]
fn a_failed_assertion_names_expectation_last_value_wait_url_and_screenshot(
    page: &Page,
) -> session_test::Result<()> {
    dynamic(page, 300)?;
    // Once the page has changed (a busy machine may run its timer late), it never says done.
    expect(&page.locator("#status")).to_have_text("ready")?;
    let err = expect(&page.locator("#status"))
        .timeout(Duration::from_millis(1000))
        .to_have_text("done")
        .unwrap_err();
    let message = err.to_string();
    let url = support::sites().app.url("/dynamic?ms=300#ready");
    assert!(
        message
            .starts_with("expected `#status` to have text \"done\", last saw \"ready\" (waited "),
        "{message}"
    );
    assert!(
        message.contains(&format!(" s) at {url}; screenshot: ")),
        "{message}"
    );
    let Error::Expectation {
        screenshot: Some(path),
        ..
    } = &err
    else {
        panic!("not an expectation failure: {err:?}");
    };
    let file = path.file_name().unwrap().to_string_lossy().to_string();
    assert!(
        file.starts_with(
            "a_failed_assertion_names_expectation_last_value_wait_url_and_screenshot.expect-"
        ),
        "{file}"
    );
    let png = std::fs::read(path).expect("the screenshot was written");
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");

    let never = expect(&page.locator("#never"))
        .timeout(ONE_LOOK)
        .to_be_visible()
        .unwrap_err()
        .to_string();
    assert!(
        never
            .starts_with("expected `#never` to be visible, last saw no element matches (waited 1."),
        "{never}"
    );
    let negated = expect(&page.locator("#status"))
        .not()
        .timeout(ONE_LOOK)
        .to_have_text(TextMatch::contains("read"))
        .unwrap_err()
        .to_string();
    assert!(
        negated.starts_with(
            "expected `#status` not to have text containing \"read\", last saw \"ready\""
        ),
        "{negated}"
    );
    let title = expect(page)
        .timeout(ONE_LOOK)
        .to_have_title("home")
        .unwrap_err()
        .to_string();
    assert!(
        title.starts_with("expected the page to have title \"home\", last saw \"ready\""),
        "{title}"
    );
    Ok(())
}

#[session_test]
fn a_password_value_is_compared_but_never_shown(page: &Page) -> session_test::Result<()> {
    dynamic(page, 0)?;
    expect(&page.locator("#secret")).to_have_value("hunter2")?;
    let message = expect(&page.locator("#secret"))
        .timeout(ONE_LOOK)
        .to_have_value("nope")
        .unwrap_err()
        .to_string();
    assert!(!message.contains("hunter2"), "{message}");
    assert!(
        message.contains("last saw a password field (its value is not shown)"),
        "{message}"
    );
    // The expected value of a password field is a password too.
    let guessed = expect(&page.locator("#secret"))
        .timeout(ONE_LOOK)
        .to_have_value("my-guess")
        .unwrap_err();
    for shown in [guessed.to_string(), format!("{guessed:?}")] {
        assert!(!shown.contains("my-guess"), "{shown}");
    }
    let attribute = expect(&page.locator("#secret"))
        .timeout(ONE_LOOK)
        .to_have_attribute("value", "nope")
        .unwrap_err()
        .to_string();
    assert!(!attribute.contains("hunter2"), "{attribute}");
    Ok(())
}

#[session_test]
fn click_waits_until_enabled_uncovered_and_stable(page: &Page) -> session_test::Result<()> {
    // Until the page settles, `#save` is disabled, `#covered` is under an overlay and
    // `#mover` jumps 200 px every frame: a click at load time would do nothing, hit the
    // overlay, or miss. A fresh load for each, so that no wait lets another settle.
    dynamic(page, 300)?;
    page.locator("#covered").click()?;
    expect(&page.locator("#covered-clicks")).to_have_text("1")?;
    dynamic(page, 300)?;
    page.locator("#mover").click()?;
    expect(&page.locator("#mover-clicks")).to_have_text("1")?;
    dynamic(page, 300)?;
    page.locator("#save").click()?;
    expect(&page.locator("#saved")).to_have_text("saved")?;
    // A link wrapped over two lines is clicked on one of its lines.
    page.locator("#wrapped").click()?;
    expect(page).to_have_url(TextMatch::contains("#wrapped"))?;
    Ok(())
}

#[session_test]
fn fill_clears_the_field_first(page: &Page) -> session_test::Result<()> {
    dynamic(page, 0)?;
    expect(&page.locator("#name")).to_have_value("prefilled")?;
    let name = page.get_by_role("textbox", None).first();
    name.fill("alice")?;
    expect(&name).to_have_value("alice")?;
    name.type_text(" smith")?;
    assert_eq!(name.value()?, "alice smith");
    name.fill("")?;
    expect(&name).to_have_value("")?;
    // A contenteditable element: fill replaces, type_text appends at the end.
    let editor = page.locator("#editor");
    editor.type_text(" more")?;
    expect(&editor).to_have_text("draft more")?;
    editor.fill("new text")?;
    expect(&editor).to_have_text("new text")?;
    // Not a text field: an error at once, naming what it is.
    let wrong = page.locator("#agree").fill("x").unwrap_err().to_string();
    assert_eq!(
        wrong,
        "cannot fill `#agree`: it is an <input type=checkbox>, not a text field; it needs a \
         text <input>, a <textarea> or a contenteditable element"
    );
    Ok(())
}

#[session_test]
fn locators_find_by_css_text_test_id_role_position_and_filter(
    page: &Page,
) -> session_test::Result<()> {
    dynamic(page, 0)?;
    expect(&page.locator("#status")).to_have_text("ready")?;
    // Text: the innermost element, substring and case-insensitive unless exact.
    assert_eq!(page.get_by_text("ARRIVED").text()?, "arrived late");
    assert_eq!(page.get_by_text_exact("arrived").count()?, 0);
    assert_eq!(page.get_by_text_exact("arrived late").count()?, 1);
    assert_eq!(
        page.get_by_text("a note")
            .attribute("data-test")?
            .as_deref(),
        Some("note")
    );
    // Test ids: data-testid and data-test by default.
    assert_eq!(page.get_by_test_id("send").text()?, "Send");
    assert_eq!(page.get_by_test_id("note").text()?, "a note");
    // Roles, implicit and by accessible name, and chained.
    page.get_by_role("button", Some("save")).click()?;
    expect(&page.locator("#saved")).to_have_text("saved")?;
    assert_eq!(page.get_by_role("link", None).count()?, 3);
    let end = page
        .get_by_role("navigation", Some("main"))
        .get_by_role("link", Some("end"));
    assert_eq!(end.attribute("href")?.as_deref(), Some("#end"));
    assert_eq!(page.get_by_role("checkbox", None).count()?, 1);
    // Names from an image's alt inside; options of a closed <select>.
    assert_eq!(page.get_by_role("button", Some("Close")).count()?, 1);
    assert_eq!(page.get_by_role("option", Some("blue")).count()?, 1);
    // Text inside scripts is not page text.
    assert_eq!(page.get_by_text("requestAnimationFrame").count()?, 0);
    assert_eq!(page.get_by_text("textContent").count()?, 0);
    // A chained selector is matched from the element it starts at.
    assert_eq!(page.locator("#list").locator("ul li").count()?, 0);
    assert_eq!(page.locator("#list").locator("> li").count()?, 3);
    // Position and filters.
    let items = page.locator("#list").locator("li");
    assert_eq!(items.first().text()?, "one");
    assert_eq!(items.nth(1).text()?, "two");
    assert_eq!(items.last().text()?, "three");
    assert_eq!(items.nth(-2).text()?, "two");
    assert_eq!(items.nth(5).count()?, 0);
    assert_eq!(items.filter(Filter::has_text("THR")).text()?, "three");
    assert_eq!(items.filter(Filter::has_not_text("o")).text()?, "three");
    assert_eq!(
        items.filter(Filter::has_text("t")).to_string(),
        "#list >> li >> has_text=\"t\""
    );
    Ok(())
}

/// Open shadow roots (web components) are searched like the rest of the page, nested ones
/// too, and closed ones are not, as in Playwright; a chain crosses into a component; clicks
/// and typing reach inside, and a cover over a component is still a cover.
#[session_test]
fn locators_reach_into_open_shadow_roots(page: &Page) -> session_test::Result<()> {
    support::sites();
    page.visit("/shadow")?;
    // Two cards, each with its own `#nick`: strictness counts both.
    assert_eq!(page.locator("#nick").count()?, 2);
    let ada = page.locator("#card");
    ada.get_by_test_id("nick").fill("grace")?;
    ada.get_by_role("button", Some("Save card")).click()?;
    expect(&ada.locator("#out")).to_have_text("saved grace")?;
    expect(&ada.get_by_role("textbox", Some("nickname"))).to_have_value("grace")?;
    // Text: the innermost element, in a nested shadow root, and slotted content.
    assert_eq!(
        page.get_by_text("card of ada")
            .attribute("class")?
            .as_deref(),
        Some("name")
    );
    assert_eq!(
        ada.get_by_text("deep badge").attribute("class")?.as_deref(),
        Some("badge")
    );
    assert_eq!(page.locator(".badge").count()?, 2);
    assert_eq!(
        page.get_by_text("slotted note")
            .attribute("slot")?
            .as_deref(),
        Some("note")
    );
    // Page order across trees: a component's contents right after it.
    let names = page.locator("h1, .name, .badge");
    let order: Vec<String> = (0..5)
        .map(|i| names.nth(i).text())
        .collect::<session_test::Result<_>>()?;
    assert_eq!(
        order,
        [
            "outside",
            "card of ada",
            "deep badge",
            "card of bo",
            "deep badge"
        ]
    );
    // A closed shadow root stays closed.
    assert_eq!(page.locator(".secret").count()?, 0);
    assert_eq!(page.get_by_text("closed text").count()?, 0);
    // A filter sees a component's text; a veil over the page holds the click until it goes.
    let bo = page
        .locator("user-card")
        .filter(Filter::has_text("card of bo"));
    bo.locator("#nick").fill("max")?;
    page.eval(
        "const veil = document.createElement('div'); veil.style = 'position:fixed;inset:0'; \
         document.body.append(veil); setTimeout(() => veil.remove(), 300)",
    )?;
    bo.locator("#save").click()?;
    expect(&bo.locator("#out")).to_have_text("saved max")?;
    Ok(())
}

#[session_test]
fn a_locator_is_found_again_on_every_use(page: &Page) -> session_test::Result<()> {
    let status = page.locator("#status"); // before the page even exists
    dynamic(page, 0)?;
    expect(&status).to_have_text("ready")?;
    page.eval("document.querySelector('#status').outerHTML = '<p id=status>replaced</p>'")?;
    assert_eq!(status.text()?, "replaced");
    page.visit("/login")?;
    expect(&status).to_be_hidden()?;
    assert_eq!(status.count()?, 0);
    Ok(())
}

#[session_test]
fn a_locator_matching_several_elements_is_an_error_listing_them(
    page: &Page,
) -> session_test::Result<()> {
    dynamic(page, 0)?;
    expect(&page.locator("#list li")).to_have_count(3)?;
    let message = page.locator("#list li").text().unwrap_err().to_string();
    assert!(
        message.starts_with(
            "`#list li` matches 3 elements (li \"one\", li \"two\", li \"three\"); an action \
             or assertion needs exactly one"
        ),
        "{message}"
    );
    let assertion = expect(&page.locator("#list li"))
        .to_be_visible()
        .unwrap_err();
    assert!(matches!(
        assertion,
        Error::AmbiguousLocator { count: 3, .. }
    ));
    // The Page shortcuts act on the first match, as they always did.
    assert_eq!(page.text("#list li")?, "one");
    Ok(())
}

#[session_test]
fn bad_selectors_and_patterns_are_named(page: &Page) -> session_test::Result<()> {
    dynamic(page, 0)?;
    let message = page.locator("li >> ##").count().unwrap_err().to_string();
    assert_eq!(
        message,
        "invalid locator `li >> ##`: `li >> ##` is not a valid CSS selector"
    );
    let pattern = TextMatch::regex("(unclosed").unwrap_err().to_string();
    assert!(
        pattern.starts_with("invalid regular expression `(unclosed`"),
        "{pattern}"
    );
    Ok(())
}

/// Run by `timeouts_the_test_id_attribute_and_browser_args_come_from_the_environment` in a child process
/// with the variables set.
#[session_test(ignore)]
fn fixture_environment(page: &Page) -> session_test::Result<()> {
    dynamic(page, 600_000)?; // never settles
    println!("test ids: {}", page.get_by_test_id("send").count()?);
    println!("user agent: {}", page.eval("navigator.userAgent")?);
    let expectation = expect(&page.locator("#status"))
        .to_have_text("ready")
        .unwrap_err();
    println!("expect: {expectation}");
    let click = page.locator("#save").click().unwrap_err();
    println!("click: {click}");
    Ok(())
}

#[test]
fn timeouts_the_test_id_attribute_and_browser_args_come_from_the_environment() {
    let stdout = support::run_this_binary(
        &["--ignored", "--exact", "fixture_environment", "--nocapture"],
        &[
            ("SESSION_TEST_EXPECT_TIMEOUT", "1"),
            // Opening the page is bounded by the wait limit too: 3 s leaves it margin.
            ("SESSION_TEST_WAIT_TIMEOUT", "3"),
            ("SESSION_TEST_TEST_ID_ATTRIBUTE", "data-test"),
            (
                "SESSION_TEST_BROWSER_ARGS",
                "--user-agent=SessionTestProbe/1.0",
            ),
        ],
    );
    assert!(
        stdout.contains("user agent: \"SessionTestProbe/1.0\""),
        "{stdout}"
    );
    // `send` is a data-testid: with only data-test looked at, it is not found.
    assert!(stdout.contains("test ids: 0"), "{stdout}");
    assert!(
        stdout.contains(
            "expect: expected `#status` to have text \"ready\", last saw \"loading\" (waited 1."
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "click: timed out after 3.0 s waiting for `#save` to be clickable (visible, \
             enabled, stable and not covered); last seen: disabled"
        ),
        "{stdout}"
    );
}
