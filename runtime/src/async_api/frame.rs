//! `Frame`: the async face of one document of a tab (its main frame or an iframe's).

use serde_json::Value;

use super::{Locator, Page};
use crate::error::Result;

/// A frame of a tab, as [`crate::Frame`] with async calls.
///
/// ```no_run
/// # async fn t(page: &session_test::async_api::Page) -> session_test::Result<()> {
/// page.visit("/widget/host").await?;
/// for frame in page.frames().await? {
///     if frame.name().await? == "widget" {
///         frame.locator("[data-test=name]").fill("alice").await?;
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Frame {
    frame: crate::frame::Frame,
    test: String,
}

impl Page {
    /// The tab's main frame.
    pub fn main_frame(&self) -> Frame {
        Frame::new(self.blocking().main_frame(), self.test())
    }

    /// Every frame of the tab, the main frame first, as [`crate::Page::frames`].
    pub async fn frames(&self) -> Result<Vec<Frame>> {
        let frames = self.run(|page| page.frames()).await?;
        Ok(self.frames_of(frames))
    }

    fn frames_of(&self, frames: Vec<crate::frame::Frame>) -> Vec<Frame> {
        let test = self.test();
        frames.into_iter().map(|f| Frame::new(f, test)).collect()
    }
}

impl Frame {
    faced!(frame: crate::frame::Frame, tab);

    fn tab(&self) -> &crate::page::Page {
        self.frame.page()
    }

    fn wrap(&self, locator: crate::locator::Locator) -> Locator {
        Locator::new(locator, self.test())
    }

    locating!(frame);

    awaiting! {
        /// Evaluates `expression` in its document, as [`crate::Frame::eval`].
        fn eval(expression) -> Result<Value>;
    }

    /// The browser's id of the frame.
    pub fn id(&self) -> &str {
        self.frame.id()
    }

    /// True for the tab's main frame.
    pub fn is_main(&self) -> bool {
        self.frame.is_main()
    }

    /// The tab it is in.
    pub fn page(&self) -> Page {
        Page::new(self.frame.page().clone(), self.test())
    }

    /// Its document's URL.
    pub async fn url(&self) -> Result<String> {
        self.run(|frame| frame.url()).await
    }

    /// Its iframe's `name` attribute ("" for the main frame and an unnamed iframe).
    pub async fn name(&self) -> Result<String> {
        self.run(|frame| frame.name()).await
    }

    /// The frame whose document holds its iframe; `None` for the main frame.
    pub async fn parent_frame(&self) -> Result<Option<Frame>> {
        let parent = self.run(|frame| frame.parent_frame()).await?;
        Ok(parent.map(|f| Frame::new(f, self.test())))
    }

    /// The frames of the iframes in its document.
    pub async fn child_frames(&self) -> Result<Vec<Frame>> {
        let children = self.run(|frame| frame.child_frames()).await?;
        Ok(self.page().frames_of(children))
    }
}
