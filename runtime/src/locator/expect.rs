//! `expect(&locator)` and `expect(&page)`: assertions that retry until they hold.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::look::{
    decided, enabled, quote, secret, text_look, undecided, visible, Look, NO_ELEMENT,
};
use super::{Found, Locator, TextMatch};
use crate::config;
use crate::deadline::Deadline;
use crate::error::{Error, Result};
use crate::page::Page;

/// Assertions on a [`Locator`] or a [`Page`] that retry (every 5 ms) until they hold or
/// their timeout passes: 5 s, or `$SESSION_TEST_EXPECT_TIMEOUT` seconds, or `.timeout(…)`,
/// and never past the test's own deadline. A failure names the expectation, the last value
/// seen, the time waited, the page's URL and a screenshot taken at that moment:
///
/// ```text
/// expected `#hello` to have text "hello alice", last saw "hello bob" (waited 5.0 s)
/// at http://app.localhost:41234/home; screenshot: target/session-test/screenshots/greets.png
/// ```
///
/// ```no_run
/// use std::time::Duration;
/// use session_test::{expect, TextMatch};
/// use session_test::regex::Regex;
///
/// # fn t(page: &session_test::Page) -> session_test::Result<()> {
/// expect(&page.locator("#hello")).to_have_text("hello alice")?;
/// expect(&page.locator("#hello")).to_contain_text("alice")?;
/// expect(&page.locator("#hello")).to_have_text(Regex::new(r"^hello \w+$").unwrap())?;
/// expect(&page.locator(".spinner")).to_be_hidden()?;
/// expect(&page.locator("#error")).not().to_be_visible()?;
/// expect(&page.locator("li")).timeout(Duration::from_secs(10)).to_have_count(3)?;
/// expect(page).to_have_url(TextMatch::contains("/home"))?;
/// # Ok(()) }
/// ```
pub fn expect<T: Expectable + ?Sized>(target: &T) -> T::Assertions {
    target.assertions()
}

/// What [`expect`] takes: a [`Locator`] or a [`Page`].
pub trait Expectable {
    /// The assertions available on it.
    type Assertions;
    /// Its assertions, not negated, with the default timeout.
    fn assertions(&self) -> Self::Assertions;
}

/// `expect(&page)` inside a test, where `page` is already a `&Page`.
impl<T: Expectable + ?Sized> Expectable for &T {
    type Assertions = T::Assertions;
    fn assertions(&self) -> T::Assertions {
        (**self).assertions()
    }
}

impl Expectable for Locator {
    type Assertions = LocatorAssertions;
    fn assertions(&self) -> LocatorAssertions {
        LocatorAssertions {
            locator: self.clone(),
            how: How::default(),
        }
    }
}

impl Expectable for Page {
    type Assertions = PageAssertions;
    fn assertions(&self) -> PageAssertions {
        PageAssertions {
            page: self.clone(),
            how: How::default(),
        }
    }
}

/// Negation and timeout, shared by both kinds of assertions.
#[derive(Clone, Copy, Default)]
struct How {
    negate: bool,
    timeout: Option<Duration>,
}

/// Assertions on a locator's element; see [`expect`].
#[must_use = "an assertion checks nothing until one of its `to_…` methods is called"]
pub struct LocatorAssertions {
    locator: Locator,
    how: How,
}

/// Assertions on a page's URL and title; see [`expect`].
#[must_use = "an assertion checks nothing until one of its `to_…` methods is called"]
pub struct PageAssertions {
    page: Page,
    how: How,
}

impl LocatorAssertions {
    /// Expects the opposite of the assertion that follows.
    #[allow(clippy::should_implement_trait)] // reads as English: expect(&l).not().to_…
    pub fn not(mut self) -> Self {
        self.how.negate = !self.how.negate;
        self
    }

    /// Waits up to `timeout` instead of the default.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.how.timeout = Some(timeout);
        self
    }

    /// The element exists and is visible (a non-empty box, not `visibility: hidden`).
    pub fn to_be_visible(&self) -> Result<()> {
        self.on_state("to be visible", Value::Null, |s| match s {
            None => decided(false, NO_ELEMENT),
            Some(s) => visible(s),
        })
    }

    /// No element matches, or it is not visible.
    pub fn to_be_hidden(&self) -> Result<()> {
        self.on_state("to be hidden", Value::Null, |s| match s {
            None => decided(true, NO_ELEMENT),
            Some(s) => {
                let v = visible(s);
                Look {
                    holds: v.holds.map(|h| !h),
                    ..v
                }
            }
        })
    }

    /// The element's rendered text is `expected`: a string (the whole text), a
    /// [`TextMatch::contains`] or a [`Regex`](crate::Regex).
    pub fn to_have_text(&self, expected: impl Into<TextMatch>) -> Result<()> {
        let expected = expected.into();
        self.on_state(&format!("to have text {expected}"), Value::Null, |s| {
            text_look(s.map(|s| s["text"].as_str().unwrap_or_default()), &expected)
        })
    }

    /// The element's rendered text contains `part`.
    pub fn to_contain_text(&self, part: &str) -> Result<()> {
        self.to_have_text(TextMatch::contains(part))
    }

    /// The value of the input, textarea or select matches. A password field's value is
    /// compared but never shown, neither the expected nor the actual one.
    pub fn to_have_value(&self, expected: impl Into<TextMatch>) -> Result<()> {
        let expected = expected.into();
        let expectation = format!("to have value {expected}");
        self.on_state(&expectation, Value::Null, |s| {
            let Some(s) = s else {
                return undecided(NO_ELEMENT);
            };
            match s["value"].as_str() {
                None => undecided("an element without a value"),
                Some(v) if s["password"] == true => secret(expected.matches(v)),
                Some(v) => decided(expected.matches(v), &quote(v)),
            }
        })
    }

    /// The element's attribute `name` matches.
    pub fn to_have_attribute(&self, name: &str, expected: impl Into<TextMatch>) -> Result<()> {
        let expected = expected.into();
        let expectation = format!("to have attribute `{name}` {expected}");
        self.on_state(&expectation, json!(name), |s| {
            let Some(s) = s else {
                return undecided(NO_ELEMENT);
            };
            match s["attribute"].as_str() {
                None => decided(false, &format!("no `{name}` attribute")),
                Some(v) if s["password"] == true && name.eq_ignore_ascii_case("value") => {
                    secret(expected.matches(v))
                }
                Some(v) => decided(expected.matches(v), &quote(v)),
            }
        })
    }

    /// Exactly `count` elements match (the one assertion that takes several).
    pub fn to_have_count(&self, count: usize) -> Result<()> {
        let what = format!("to have count {count}");
        self.run(&what, |locator| {
            let n = locator.count()?;
            Ok(decided(
                n == count,
                &format!("{n} element{}", if n == 1 { "" } else { "s" }),
            ))
        })
    }

    /// The element is enabled (not `disabled`, not in a disabled fieldset, not
    /// `aria-disabled`).
    pub fn to_be_enabled(&self) -> Result<()> {
        self.on_state("to be enabled", Value::Null, |s| enabled(s, true))
    }

    /// The element is disabled.
    pub fn to_be_disabled(&self) -> Result<()> {
        self.on_state("to be disabled", Value::Null, |s| enabled(s, false))
    }

    /// The checkbox or radio is checked (or the element has `aria-checked="true"`).
    pub fn to_be_checked(&self) -> Result<()> {
        self.on_state("to be checked", Value::Null, |s| {
            let Some(s) = s else {
                return undecided(NO_ELEMENT);
            };
            match s["checked"].as_bool() {
                Some(true) => decided(true, "checked"),
                Some(false) => decided(false, "unchecked"),
                None => undecided("an element that cannot be checked"),
            }
        })
    }

    /// Retries `judge` on the one element's state (`None`: no element).
    fn on_state(
        &self,
        expectation: &str,
        arg: Value,
        judge: impl Fn(Option<&Value>) -> Look,
    ) -> Result<()> {
        self.run(expectation, |locator| {
            Ok(match locator.query("state", arg.clone())? {
                Found::None => judge(None),
                Found::One(state) => judge(Some(&state)),
            })
        })
    }

    /// Retries `probe` on the locator, its calls ending with the assertion's time.
    fn run(
        &self,
        expectation: &str,
        mut probe: impl FnMut(&Locator) -> Result<Look>,
    ) -> Result<()> {
        let subject = format!("`{}`", self.locator);
        retry_expectation(
            &self.locator.page,
            self.how,
            &subject,
            expectation,
            |deadline| probe(&self.locator.until(deadline)),
        )
    }
}

impl PageAssertions {
    /// Expects the opposite of the assertion that follows.
    #[allow(clippy::should_implement_trait)] // reads as English: expect(&p).not().to_…
    pub fn not(mut self) -> Self {
        self.how.negate = !self.how.negate;
        self
    }

    /// Waits up to `timeout` instead of the default.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.how.timeout = Some(timeout);
        self
    }

    /// The page's URL matches: a string is the whole URL (a path such as `/home` is resolved
    /// against the base URL, as `visit` does), or a [`TextMatch`].
    pub fn to_have_url(&self, expected: impl Into<TextMatch>) -> Result<()> {
        let expected = match expected.into() {
            TextMatch::Exact(path) if path.starts_with('/') => {
                TextMatch::Exact(crate::page::resolve_url(&path)?)
            }
            other => other,
        };
        self.run(&format!("to have URL {expected}"), |page| {
            let url = page.url()?;
            Ok(decided(
                expected.matches(&url),
                &quote(&without_userinfo(&url)),
            ))
        })
    }

    /// The document's title matches.
    pub fn to_have_title(&self, expected: impl Into<TextMatch>) -> Result<()> {
        let expected = expected.into();
        self.run(&format!("to have title {expected}"), |page| {
            let title = page.title()?;
            Ok(decided(expected.matches(&title), &quote(&title)))
        })
    }

    /// Retries `probe` on the page, its calls ending with the assertion's time.
    fn run(&self, expectation: &str, mut probe: impl FnMut(&Page) -> Result<Look>) -> Result<()> {
        retry_expectation(&self.page, self.how, "the page", expectation, |deadline| {
            probe(&self.page.until(deadline))
        })
    }
}

/// Looks until the expectation (negated or not) holds; on timeout, the failure with the last
/// thing seen and a screenshot. No protocol call outlasts the budget by more than 100 ms.
fn retry_expectation(
    page: &Page,
    how: How,
    subject: &str,
    expectation: &str,
    probe: impl FnMut(Deadline) -> Result<Look>,
) -> Result<()> {
    let target = || subject.trim_matches('`').to_owned();
    page.traced("expect", target, |action| {
        let not = if how.negate { "not " } else { "" };
        let mut secret = false;
        let result = look_until_it_holds(page, how, subject, expectation, probe, &mut secret);
        action.detail = Some(if secret {
            format!("{not}to have the value given (a password field)")
        } else {
            format!("{not}{expectation}")
        });
        result
    })
}

/// [`retry_expectation`]'s looking; `secret` tells whether the last look was at a password
/// field.
fn look_until_it_holds(
    page: &Page,
    how: How,
    subject: &str,
    expectation: &str,
    mut probe: impl FnMut(Deadline) -> Result<Look>,
    secret: &mut bool,
) -> Result<()> {
    let budget = page.budget_of(how.timeout.unwrap_or_else(config::expect_timeout));
    let start = Instant::now();
    let mut last = Look {
        holds: None,
        seen: "nothing yet (the page was navigating)".into(),
        secret: false,
    };
    let deadline = Deadline::at(start + budget);
    let held = page.retry(deadline, || {
        last = probe(deadline)?;
        Ok((last.holds == Some(!how.negate)).then_some(()))
    })?;
    *secret = last.secret;
    if held.is_some() {
        return Ok(());
    }
    let waited = start.elapsed();
    let not = if how.negate { "not " } else { "" };
    let expected = if last.secret {
        // A password field: the expected value is a password too.
        format!("{subject} {not}to have the value given (not shown: a password field)")
    } else {
        format!("{subject} {not}{expectation}")
    };
    // The URL and the picture are the framework's own steps: off the test's clock.
    // None once the test's deadline has passed: the harness's report must not be delayed.
    let past_deadline = page.budget().is_zero();
    let (url, screenshot) = page.uncharged(|| {
        let url = page
            .until(Deadline::after(Duration::from_millis(500)))
            .url()
            .unwrap_or_else(|_| page.current_url());
        (
            url,
            (!past_deadline).then(|| failure_screenshot(page)).flatten(),
        )
    });
    Err(Error::Expectation {
        expected,
        last_seen: last.seen,
        waited,
        url: without_userinfo(&url),
        screenshot,
    })
}

/// The page now, beside the test's own screenshot: `<test>.expect-<n>.png`, numbered so
/// that a second failure does not overwrite the first one's picture.
fn failure_screenshot(page: &Page) -> Option<PathBuf> {
    static TAKEN: AtomicUsize = AtomicUsize::new(0);
    let png = page
        .until(Deadline::after(Duration::from_secs(1)))
        .screenshot()
        .ok()?;
    let test = crate::test_context::current_test_name().unwrap_or_else(|| "expect".into());
    let n = TAKEN.fetch_add(1, Ordering::Relaxed) + 1;
    crate::screenshots::write_png(&format!("{test}.expect-{n}"), &png).ok()
}

/// `url` without a `user:password@` part.
fn without_userinfo(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if !u.username().is_empty() || u.password().is_some() => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.to_string()
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_is_left_out_of_urls() {
        assert_eq!(
            without_userinfo("http://bob:hunter2@app.localhost:8080/home?x=1"),
            "http://app.localhost:8080/home?x=1"
        );
        assert_eq!(without_userinfo("about:blank"), "about:blank");
    }
}
