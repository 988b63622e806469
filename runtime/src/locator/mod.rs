//! Locators: a lazy description of elements, found again in the page on every use.

/// The locator methods of what narrows a search (a [`Locator`], a [`FrameLocator`]'s iframe,
/// a [`Frame`](crate::Frame)): each makes its step and hands it to `$narrow`; `$within`
/// says where the elements are, for the docs.
macro_rules! narrowing_locators {
    ($narrow:ident, $within:literal) => {
        #[doc = concat!("Elements ", $within, " matching a CSS `selector`.")]
        pub fn locator(&self, selector: &str) -> Locator {
            self.$narrow(Step::Css(selector.into()))
        }

        #[doc = concat!("Elements ", $within, " whose text contains `text`; see [`Page::get_by_text`].")]
        pub fn get_by_text(&self, text: &str) -> Locator {
            self.$narrow(text_step(text, false))
        }

        #[doc = concat!("Elements ", $within, " whose whole text is `text`; see [`Page::get_by_text_exact`].")]
        pub fn get_by_text_exact(&self, text: &str) -> Locator {
            self.$narrow(text_step(text, true))
        }

        #[doc = concat!("Elements ", $within, " with test id `id`; see [`Page::get_by_test_id`].")]
        pub fn get_by_test_id(&self, id: &str) -> Locator {
            self.$narrow(test_id_step(id))
        }

        #[doc = concat!("Elements ", $within, " with an ARIA role; see [`Page::get_by_role`].")]
        pub fn get_by_role(&self, role: &str, name: Option<&str>) -> Locator {
            self.$narrow(role_step(role, name))
        }
    };
}

mod expect;
mod frame;
mod look;
mod step;
mod text_match;

use std::fmt;

use serde_json::{json, Value};

pub use expect::{expect, Expectable, LocatorAssertions, PageAssertions};
pub use frame::FrameLocator;
use frame::FrameRef;
pub(crate) use step::Step;
pub use text_match::TextMatch;

use crate::config;
use crate::deadline::Deadline;
use crate::error::{Error, Result};
use crate::page::Page;

/// Resolves steps to elements and runs one operation on them (see the file's comments).
const QUERY_JS: &str = include_str!("query.js");

/// Elements of a page, described by how to find them: a CSS selector, text, a test id or an
/// ARIA role, narrowed by position or text. Nothing is looked up when a locator is made;
/// every action and assertion finds its elements again, so a re-rendered element is never
/// stale.
///
/// Actions and single-element assertions need exactly one element: a locator matching
/// several is an error listing them (narrow it, or take [`Locator::first`],
/// [`Locator::last`] or [`Locator::nth`]). Actions wait (up to the page's wait timeout) for
/// their element to be ready: [`Locator::click`] for it to be visible, enabled, stable and
/// not covered by another element, scrolled into view; [`Locator::fill`] for it to be
/// visible and editable. Open shadow roots (web components) are searched like the rest of
/// the page; closed ones are not.
///
/// ```no_run
/// use session_test::{expect, session_test, Page};
///
/// #[session_test]
/// fn signs_in(page: &Page) -> session_test::Result<()> {
///     page.visit("/login")?;
///     page.get_by_test_id("name").fill("alice")?;
///     page.get_by_test_id("password").fill("s3cr3t")?;
///     page.get_by_role("button", Some("Sign in")).click()?;
///     expect(&page.locator("#hello")).to_have_text("hello alice")?;
///     Ok(())
/// }
/// ```
#[derive(Clone)]
pub struct Locator {
    page: Page,
    steps: Vec<Step>,
    /// False for the `Page` shortcuts (`page.click(selector)`): the first match is used.
    strict: bool,
    /// The iframe whose document is searched (see [`FrameLocator`] and [`Frame`]).
    frame: Option<FrameRef>,
}

/// Narrows a locator by text; see [`Locator::filter`].
#[derive(Clone, Debug)]
pub struct Filter {
    text: String,
    negate: bool,
}

impl Filter {
    /// Elements whose text contains `text` (case-insensitive, whitespace-normalized).
    pub fn has_text(text: impl Into<String>) -> Self {
        Filter {
            text: text.into(),
            negate: false,
        }
    }

    /// Elements whose text does not contain `text`.
    pub fn has_not_text(text: impl Into<String>) -> Self {
        Filter {
            text: text.into(),
            negate: true,
        }
    }
}

/// What one query found.
pub(crate) enum Found {
    None,
    One(Value),
}

impl Page {
    /// The elements matching a CSS `selector`.
    ///
    /// ```no_run
    /// # fn t(page: &session_test::Page) -> session_test::Result<()> {
    /// let items = page.locator("#todo li");
    /// assert_eq!(items.count()?, 0);
    /// # Ok(()) }
    /// ```
    pub fn locator(&self, selector: &str) -> Locator {
        Locator::new(self, Step::Css(selector.into()), true)
    }

    /// The innermost elements whose text contains `text` (case-insensitive,
    /// whitespace-normalized), e.g. the `<button>` of `<form>…<button>Sign in</button></form>`.
    pub fn get_by_text(&self, text: &str) -> Locator {
        Locator::new(self, text_step(text, false), true)
    }

    /// The innermost elements whose whole text is `text` (whitespace-normalized).
    pub fn get_by_text_exact(&self, text: &str) -> Locator {
        Locator::new(self, text_step(text, true), true)
    }

    /// The elements whose test id is `id`: `[data-testid=…]` or `[data-test=…]`, or the one
    /// attribute named by [`set_test_id_attribute`](crate::set_test_id_attribute) or
    /// `$SESSION_TEST_TEST_ID_ATTRIBUTE`.
    pub fn get_by_test_id(&self, id: &str) -> Locator {
        Locator::new(self, test_id_step(id), true)
    }

    /// The elements with ARIA `role` (from a `role` attribute or implied by the element: a
    /// `<button>` is a `button`, an `<a href>` a `link`, an `<h2>` a `heading`, a text
    /// `<input>` a `textbox`, …) and, when given, an accessible name (its label,
    /// `aria-label` or text) containing `name`, case-insensitive. Elements hidden from
    /// assistive technology are left out.
    pub fn get_by_role(&self, role: &str, name: Option<&str>) -> Locator {
        Locator::new(self, role_step(role, name), true)
    }

    /// The first element matching `selector` (what the `Page` shortcuts act on).
    pub(crate) fn first_match(&self, selector: &str) -> Locator {
        Locator::new(self, Step::Css(selector.into()), false)
    }
}

fn text_step(text: &str, exact: bool) -> Step {
    Step::Text {
        text: text.into(),
        exact,
    }
}

fn test_id_step(id: &str) -> Step {
    Step::TestId {
        value: id.into(),
        attributes: config::test_id_attributes(),
    }
}

fn role_step(role: &str, name: Option<&str>) -> Step {
    Step::Role {
        role: role.trim().to_ascii_lowercase(),
        name: name.map(str::to_owned),
    }
}

impl Locator {
    fn new(page: &Page, step: Step, strict: bool) -> Self {
        Locator {
            page: page.clone(),
            steps: vec![step],
            strict,
            frame: None,
        }
    }

    /// This locator, its waits and calls ending by `deadline`.
    pub(crate) fn until(&self, deadline: Deadline) -> Self {
        Locator {
            page: self.page.until(deadline),
            ..self.clone()
        }
    }

    fn then(&self, step: Step) -> Self {
        let mut next = self.clone();
        next.steps.push(step);
        next
    }

    /// The page this locator searches.
    pub fn page(&self) -> &Page {
        &self.page
    }

    narrowing_locators!(then, "inside these elements");

    /// The element at `index` of those matched, from 0; a negative index counts from the
    /// end (-1 is the last).
    pub fn nth(&self, index: i32) -> Locator {
        self.then(Step::Nth(index))
    }

    /// The first element matched.
    pub fn first(&self) -> Locator {
        self.nth(0)
    }

    /// The last element matched.
    pub fn last(&self) -> Locator {
        self.nth(-1)
    }

    /// The elements matched that pass `filter`.
    ///
    /// ```no_run
    /// # fn t(page: &session_test::Page) -> session_test::Result<()> {
    /// use session_test::Filter;
    /// page.locator("li").filter(Filter::has_text("milk")).click()?;
    /// # Ok(()) }
    /// ```
    pub fn filter(&self, filter: Filter) -> Locator {
        self.then(Step::HasText {
            text: filter.text,
            negate: filter.negate,
        })
    }

    /// How many elements match now (no waiting).
    pub fn count(&self) -> Result<usize> {
        let v = self.evaluate("count", Value::Null)?;
        Ok(v["count"].as_u64().unwrap_or(0) as usize)
    }

    /// Whether the element is there and visible now (no waiting).
    pub fn is_visible(&self) -> Result<bool> {
        Ok(match self.query("state", Value::Null)? {
            Found::One(state) => state["visible"].as_bool().unwrap_or(false),
            Found::None => false,
        })
    }

    /// The element's rendered text (`innerText`), once it exists.
    pub fn text(&self) -> Result<String> {
        let state = self.wait_until(None, "state", Value::Null)?;
        Ok(state["text"].as_str().unwrap_or_default().to_owned())
    }

    /// The value of the input, textarea or select, once it exists.
    pub fn value(&self) -> Result<String> {
        let state = self.wait_until(None, "state", Value::Null)?;
        Ok(state["value"].as_str().unwrap_or_default().to_owned())
    }

    /// The element's attribute `name` once the element exists; `None` when it has none.
    pub fn attribute(&self, name: &str) -> Result<Option<String>> {
        let state = self.wait_until(None, "state", json!(name))?;
        Ok(state["attribute"].as_str().map(str::to_owned))
    }

    /// Clicks the middle of the element once it is visible, enabled, stable (not moving
    /// between two animation frames) and not covered by another element, scrolled into
    /// view; then waits for a navigation the click started.
    pub fn click(&self) -> Result<()> {
        self.page.traced(
            "click",
            || self.to_string(),
            |_| {
                let point = self.wait_until(
                    Some("clickable (visible, enabled, stable and not covered)"),
                    "click",
                    Value::Null,
                )?;
                let (x, y) = (
                    point["x"].as_f64().unwrap_or(0.0),
                    point["y"].as_f64().unwrap_or(0.0),
                );
                self.page.click_at(x, y)
            },
        )
    }

    /// Replaces the value of the text input, textarea or contenteditable element with
    /// `text` once it is visible, enabled, editable and focused: selects what is there and
    /// types over it (as a user would, so frameworks that track input events see it).
    /// Another kind of element (a checkbox, a `<select>`) is an error at once.
    pub fn fill(&self, text: &str) -> Result<()> {
        self.page.traced(
            "fill",
            || self.to_string(),
            |action| {
                let password = self.focus_for_typing("fill", true)?;
                action.detail = Some(typed(text, password));
                if password {
                    self.page.keep_secret(text);
                }
                if text.is_empty() {
                    // Delete what is selected (everything).
                    self.page.press_key("Delete")
                } else {
                    self.page.insert_text(text)
                }
            },
        )
    }

    /// Types `text` key by key after the element's current value, once it is visible,
    /// editable and focused.
    pub fn type_text(&self, text: &str) -> Result<()> {
        self.page.traced(
            "type",
            || self.to_string(),
            |action| {
                let password = self.focus_for_typing("type_text", false)?;
                action.detail = Some(typed(text, password));
                if password {
                    self.page.keep_secret(text);
                }
                self.page.type_keys(text)
            },
        )
    }

    /// Waits until the element can take typed text and has the focus; `select_all` selects
    /// its content (else the caret goes to the end). True for a password field.
    fn focus_for_typing(&self, action: &'static str, select_all: bool) -> Result<bool> {
        let ready = self.wait_until(
            Some("editable (visible, enabled, not read-only and focused)"),
            "fill",
            json!(select_all),
        )?;
        match ready.get("unfit").and_then(Value::as_str) {
            Some(reason) => Err(Error::WrongElement {
                action,
                locator: self.to_string(),
                reason: format!(
                    "it is {reason}; it needs a text <input>, a <textarea> or a contenteditable \
                     element"
                ),
            }),
            None => Ok(ready["password"] == true),
        }
    }

    /// Waits until an element matches.
    pub(crate) fn wait_attached(&self) -> Result<()> {
        self.wait_until(None, "count", Value::Null).map(|_| ())
    }

    /// Runs query.js once.
    fn evaluate(&self, op: &str, arg: Value) -> Result<Value> {
        let mut steps: Vec<Value> = self.steps.iter().map(Step::to_json).collect();
        if !self.strict {
            steps.push(Step::Nth(0).to_json());
        }
        let args = [Value::Array(steps), json!(op), arg];
        let v = match &self.frame {
            None => self.page.call_js(QUERY_JS, &args)?,
            // No iframe (yet): nothing matches.
            Some(in_frame) => {
                frame::call_in_frame(&self.page, in_frame, QUERY_JS, &args, op == "click")?
                    .unwrap_or_else(|| json!({ "count": 0 }))
            }
        };
        if let Some(reason) = v.get("invalid").and_then(Value::as_str) {
            return Err(Error::InvalidSelector {
                locator: self.to_string(),
                reason: reason.into(),
            });
        }
        Ok(v)
    }

    /// Runs `op` on the one element matched: none is `Found::None`, several an error.
    pub(crate) fn query(&self, op: &str, arg: Value) -> Result<Found> {
        let v = self.evaluate(op, arg)?;
        if let Some(many) = v.get("many").and_then(Value::as_array) {
            return Err(Error::AmbiguousLocator {
                locator: self.to_string(),
                count: v["count"].as_u64().unwrap_or(0) as usize,
                elements: many
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        Ok(match v["count"].as_u64() {
            Some(0) | None => Found::None,
            _ => Found::One(v),
        })
    }

    /// Repeats `op` until its element exists and is no longer `waiting` for something, within
    /// the page's wait budget. `needs` names the readiness awaited (none: only existence).
    fn wait_until(&self, needs: Option<&str>, op: &str, arg: Value) -> Result<Value> {
        let mut last = String::from("no element matches");
        let budget = self.page.budget();
        let ready = self.page.retry(Deadline::after(budget), || {
            Ok(match self.query(op, arg.clone())? {
                Found::None => {
                    last = "no element matches".to_owned();
                    None
                }
                Found::One(v) => match v.get("waiting").and_then(Value::as_str) {
                    Some(reason) => {
                        last = reason.to_owned();
                        None
                    }
                    None => Some(v),
                },
            })
        })?;
        ready.ok_or_else(|| Error::Timeout {
            what: match needs {
                None => format!("an element matching `{self}`"),
                Some(needs) => format!("`{self}` to be {needs}; last seen: {last}"),
            },
            after: budget,
        })
    }
}

/// The steps in Playwright's notation: `#list li >> nth=0`.
/// Typed text as the trace shows it: a password field's as `•••`.
fn typed(text: &str, password: bool) -> String {
    if password {
        "•••".into()
    } else {
        format!("{text:?}")
    }
}

impl fmt::Display for Locator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.frame {
            Some(FrameRef::Iframe(iframe)) => {
                write!(f, "{iframe} >> internal:control=enter-frame >> ")?
            }
            Some(FrameRef::Id(id)) => write!(f, "frame {id} >> ")?,
            None => {}
        }
        for (i, step) in self.steps.iter().enumerate() {
            if i > 0 {
                f.write_str(" >> ")?;
            }
            write!(f, "{step}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Locator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Locator(`{self}`)")
    }
}
