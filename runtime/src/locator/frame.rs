//! Locators inside an iframe: `page.frame_locator("iframe#login").locator("#submit")`, as
//! Playwright's `frameLocator`. The iframe is found again on every use, like any element;
//! a cross-site one (its own process) is searched through its own DevTools session, a
//! same-site one in an isolated world of its frame. Points are turned into the page's
//! coordinates, so clicks are real mouse events hit-tested through the iframe.

use serde_json::{json, Value};

use super::{role_step, test_id_step, text_step, Locator, Step};
use crate::error::Result;
use crate::frame::Frame;
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
    narrowing_locators!(first_in, "of the iframe's document");

    fn first_in(&self, step: Step) -> Locator {
        let mut locator = Locator::new(&self.page, step, true);
        locator.frame = Some(FrameRef::Iframe(self.selector.clone()));
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

/// The document a locator searches when not the page's: an iframe found by a CSS selector
/// in the page ([`FrameLocator`]), or a frame by its id ([`Frame`]).
#[derive(Clone, Debug)]
pub(super) enum FrameRef {
    Iframe(String),
    Id(String),
}

/// The iframe element of `frame` in its parent's document, as a remote object, scrolled into
/// view first when `scroll`; `None` when there is none.
fn owner_object(page: &Page, frame: &FrameRef, scroll: bool) -> Result<Option<String>> {
    match frame {
        FrameRef::Iframe(selector) => {
            let found = page.call(
                "Runtime.evaluate",
                json!({ "expression": format!("({FIND_IFRAME})({}, {scroll})", json!(selector)) }),
            )?;
            Ok(found["result"]["objectId"].as_str().map(str::to_owned))
        }
        FrameRef::Id(id) => {
            // (A frame nested in a cross-site one has its owner in that frame's process: no
            // owner here, so its points stay in the frame's own coordinates.)
            let Ok(owner) = page.call("DOM.getFrameOwner", json!({ "frameId": id })) else {
                return Ok(None);
            };
            let node = page.call(
                "DOM.resolveNode",
                json!({ "backendNodeId": owner["backendNodeId"] }),
            )?;
            let Some(object) = node["object"]["objectId"].as_str().map(str::to_owned) else {
                return Ok(None);
            };
            if scroll {
                page.call(
                    "Runtime.callFunctionOn",
                    json!({ "objectId": object, "functionDeclaration": SCROLL_INTO_VIEW }),
                )?;
            }
            Ok(Some(object))
        }
    }
}

const SCROLL_INTO_VIEW: &str = "function () { \
    this.scrollIntoView({ block: 'nearest', inline: 'nearest', behavior: 'instant' }); }";

/// Runs `function(args…)` in the document of `frame` of `page`; `None` when there is no such
/// frame, or its document is not there yet. A returned `x`/`y` is moved into the page's
/// coordinates.
pub(super) fn call_in_frame(
    page: &Page,
    frame: &FrameRef,
    function: &str,
    args: &[Value],
    scroll: bool,
) -> Result<Option<Value>> {
    let object = owner_object(page, frame, scroll)?;
    let (frame_id, offset) = match (&object, frame) {
        (Some(object), _) => {
            let (node, offset) = (
                page.call("DOM.describeNode", json!({ "objectId": object })),
                page.call(
                    "Runtime.callFunctionOn",
                    json!({ "objectId": object, "functionDeclaration": CONTENT_BOX, "returnByValue": true }),
                ),
            );
            let _ = page.call("Runtime.releaseObject", json!({ "objectId": object }));
            let frame_id = match frame {
                FrameRef::Id(id) => Some(id.clone()),
                FrameRef::Iframe(_) => node?["node"]["frameId"].as_str().map(str::to_owned),
            };
            (frame_id, offset?["result"]["value"].clone())
        }
        (None, FrameRef::Id(id)) => (Some(id.clone()), json!({ "x": 0, "y": 0 })),
        (None, FrameRef::Iframe(_)) => (None, Value::Null),
    };
    let Some(frame_id) = frame_id else {
        return Ok(None);
    };
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

impl Frame {
    narrowing_locators!(first_in, "of the frame's document");

    /// A locator of this frame's document (the main frame's is the page's own).
    fn first_in(&self, step: Step) -> Locator {
        let mut locator = Locator::new(self.page(), step, true);
        if !self.is_main() {
            locator.frame = Some(FrameRef::Id(self.id().to_owned()));
        }
        locator
    }
}
