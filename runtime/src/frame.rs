//! `Frame`: one document of a tab, by the browser's frame id: the tab's main frame, or an
//! iframe's, same-site or cross-site (a cross-site iframe runs in a process of its own and is
//! reached through its own DevTools session). Playwright's `Frame`; a tab lists its frames
//! with [`Page::frames`].

use serde_json::{json, Value};

use crate::error::{Error, Result};
use crate::page::Page;

/// A frame of a tab: its main document, or an iframe's.
///
/// Found again by its id on every use, like a locator's element: a frame whose iframe was
/// removed fails its calls with [`Error::FrameGone`].
///
/// ```no_run
/// # fn t(page: &session_test::Page) -> session_test::Result<()> {
/// page.visit("/widget/host")?;
/// let frames = page.frames()?;
/// assert!(frames[0].is_main());
/// let widget = frames.iter().find(|f| f.name().is_ok_and(|n| n == "widget")).unwrap();
/// widget.locator("[data-test=name]").fill("alice")?;
/// assert_eq!(widget.parent_frame()?.unwrap().id(), page.main_frame().id());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Frame {
    page: Page,
    id: String,
}

impl std::fmt::Debug for Frame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Frame").field("id", &self.id).finish()
    }
}

/// One frame as the browser lists it.
struct FrameInfo {
    id: String,
    parent: Option<String>,
    name: String,
    url: String,
}

impl Page {
    /// The tab's main frame (its top-level document).
    pub fn main_frame(&self) -> Frame {
        Frame {
            page: self.clone(),
            id: self.target_id().to_owned(),
        }
    }

    /// Every frame of the tab: the main frame first, then its iframes (each before its own
    /// iframes), same-site and cross-site.
    pub fn frames(&self) -> Result<Vec<Frame>> {
        Ok(self
            .frame_infos()?
            .into_iter()
            .map(|info| Frame {
                page: self.clone(),
                id: info.id,
            })
            .collect())
    }

    /// The frames of this tab's process, then those of each cross-site iframe's.
    fn frame_infos(&self) -> Result<Vec<FrameInfo>> {
        let mut infos = Vec::new();
        let tree = self.call("Page.getFrameTree", json!({}))?;
        flatten(&tree["frameTree"], &mut infos);
        for tree in self.cross_site_frame_trees() {
            flatten(&tree["frameTree"], &mut infos);
        }
        Ok(infos)
    }
}

/// `tree` (a `Page.FrameTree`) into `out`, each frame before its children.
fn flatten(tree: &Value, out: &mut Vec<FrameInfo>) {
    let frame = &tree["frame"];
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    out.push(FrameInfo {
        id: text(&frame["id"]),
        parent: frame["parentId"].as_str().map(str::to_owned),
        name: text(&frame["name"]),
        url: text(&frame["url"]),
    });
    for child in tree["childFrames"].as_array().into_iter().flatten() {
        flatten(child, out);
    }
}

impl Frame {
    /// The browser's id of the frame (the main frame's is its tab's target id).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The tab it is in.
    pub fn page(&self) -> &Page {
        &self.page
    }

    /// True for the tab's main frame.
    pub fn is_main(&self) -> bool {
        self.id == self.page.target_id()
    }

    fn info(&self) -> Result<FrameInfo> {
        self.page
            .frame_infos()?
            .into_iter()
            .find(|f| f.id == self.id)
            .ok_or_else(|| self.gone())
    }

    fn gone(&self) -> Error {
        Error::FrameGone {
            frame: self.id.clone(),
        }
    }

    /// Its document's URL.
    pub fn url(&self) -> Result<String> {
        Ok(self.info()?.url)
    }

    /// Its iframe's `name` attribute ("" for the main frame and an unnamed iframe).
    pub fn name(&self) -> Result<String> {
        Ok(self.info()?.name)
    }

    /// The frame whose document holds its iframe; `None` for the main frame.
    pub fn parent_frame(&self) -> Result<Option<Frame>> {
        Ok(self.info()?.parent.map(|id| Frame {
            page: self.page.clone(),
            id,
        }))
    }

    /// The frames of the iframes in its document.
    pub fn child_frames(&self) -> Result<Vec<Frame>> {
        Ok(self
            .page
            .frame_infos()?
            .into_iter()
            .filter(|f| f.parent.as_deref() == Some(self.id.as_str()))
            .map(|f| Frame {
                page: self.page.clone(),
                id: f.id,
            })
            .collect())
    }

    /// Evaluates a JavaScript expression in its document and returns the value as JSON (a
    /// promise is awaited). The main frame's is [`Page::eval`]; a same-site iframe's runs in
    /// an isolated world of its document (its DOM, not the page's own script variables), a
    /// cross-site iframe's in its document.
    pub fn eval(&self, expression: &str) -> Result<Value> {
        if self.is_main() {
            return self.page.eval(expression);
        }
        self.page
            .eval_in_frame(&self.id, expression)?
            .ok_or_else(|| self.gone())
    }
}
