//! Locators inside an iframe: `page.frame_locator("iframe#login").locator("#submit")`, as
//! Playwright's `frameLocator`. The iframe is found again on every use, like any element;
//! a cross-site one (its own process) is searched through its own DevTools session, a
//! same-site one in an isolated world of its frame. Points are turned into the page's
//! coordinates, so clicks are real mouse events hit-tested through the iframe.

use serde_json::{json, Value};

use super::{role_step, test_id_step, text_step, Locator, Step};
use crate::error::Result;
use crate::page::Page;

/// An iframe of the page, by a CSS selector, whose document locators search.
///
/// ```no_run
/// # fn t(page: &session_test::Page) -> session_test::Result<()> {
/// let widget = page.frame_locator("iframe#sign-in");
/// widget.locator("[data-test=name]").fill("alice")?;
/// widget.get_by_role("button", Some("Sign in")).click()?;
/// session_test::expect(&widget.locator("#who")).to_have_text("alice")?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct FrameLocator {
    page: Page,
    selector: String,
}

impl Page {
    /// The iframe matching the CSS `selector` (the first one), for locators inside it.
    pub fn frame_locator(&self, selector: &str) -> FrameLocator {
        FrameLocator {
            page: self.clone(),
            selector: selector.into(),
        }
    }
}

impl FrameLocator {
    /// Elements of the iframe's document matching a CSS `selector`.
    pub fn locator(&self, selector: &str) -> Locator {
        self.first(Step::Css(selector.into()))
    }

    /// Elements of the iframe whose text contains `text`; see [`Page::get_by_text`].
    pub fn get_by_text(&self, text: &str) -> Locator {
        self.first(text_step(text, false))
    }

    /// Elements of the iframe with test id `id`; see [`Page::get_by_test_id`].
    pub fn get_by_test_id(&self, id: &str) -> Locator {
        self.first(test_id_step(id))
    }

    /// Elements of the iframe with an ARIA role; see [`Page::get_by_role`].
    pub fn get_by_role(&self, role: &str, name: Option<&str>) -> Locator {
        self.first(role_step(role, name))
    }

    fn first(&self, step: Step) -> Locator {
        let mut locator = Locator::new(&self.page, step, true);
        locator.frame = Some(self.selector.clone());
        locator
    }
}

/// Finds the iframe: its frame id and the offset of its content box in the page, scrolled
/// into view first when `scroll`.
const FIND_IFRAME: &str = "(selector, scroll) => { \
    const f = document.querySelector(selector); \
    if (!(f instanceof HTMLIFrameElement)) return null; \
    if (scroll) f.scrollIntoView({ block: 'nearest', inline: 'nearest', behavior: 'instant' }); \
    return f; }";

const CONTENT_BOX: &str = "function () { const r = this.getBoundingClientRect(); \
    const s = getComputedStyle(this); \
    return { x: r.left + this.clientLeft + parseFloat(s.paddingLeft), \
             y: r.top + this.clientTop + parseFloat(s.paddingTop) }; }";

/// Runs `function(args…)` in the document of the iframe `selector` of `page`; `None` when
/// there is no such iframe, or its document is not there yet. A returned `x`/`y` is moved
/// into the page's coordinates.
pub(super) fn call_in_frame(
    page: &Page,
    selector: &str,
    function: &str,
    args: &[Value],
    scroll: bool,
) -> Result<Option<Value>> {
    let found = page.call(
        "Runtime.evaluate",
        json!({ "expression": format!("({FIND_IFRAME})({}, {scroll})", json!(selector)) }),
    )?;
    let Some(object) = found["result"]["objectId"].as_str() else {
        return Ok(None);
    };
    let (node, offset) = (
        page.call("DOM.describeNode", json!({ "objectId": object })),
        page.call(
            "Runtime.callFunctionOn",
            json!({ "objectId": object, "functionDeclaration": CONTENT_BOX, "returnByValue": true }),
        ),
    );
    let _ = page.call("Runtime.releaseObject", json!({ "objectId": object }));
    let Some(frame_id) = node?["node"]["frameId"].as_str().map(str::to_owned) else {
        return Ok(None);
    };
    let offset = offset?["result"]["value"].clone();
    let args = args
        .iter()
        .map(Value::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let expression = format!("({function})({args})");
    let Some(mut value) = page.eval_in_frame(&frame_id, &expression)? else {
        return Ok(None);
    };
    for axis in ["x", "y"] {
        if let (Some(v), Some(o)) = (value[axis].as_f64(), offset[axis].as_f64()) {
            value[axis] = json!(v + o);
        }
    }
    Ok(Some(value))
}
