//! headless_chrome's `Tab` on the same target, for anything `Page` lacks.

use std::sync::Arc;
use std::time::Duration;

use crate::error::{Error, Result};

use super::Page;

/// headless_chrome's view of this tab, on a transport of its own.
#[cfg(feature = "headless_chrome")]
pub(super) struct HeadlessTab {
    pub(super) tab: Arc<headless_chrome::Tab>,
    pub(super) transport: Arc<headless_chrome::browser::transport::Transport>,
}

impl Page {
    /// headless_chrome's `Tab` for this same tab, for anything `Page` lacks. It talks over a
    /// connection of its own (headless_chrome's, ~100 ms a call), opened on first use.
    ///
    /// ```no_run
    /// # fn t(page: &session_test::Page) -> session_test::Result<()> {
    /// let tab = page.tab()?;
    /// let heading = tab.find_element("h1")?.get_inner_text()?;
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "headless_chrome")]
    pub fn tab(&self) -> Result<Arc<headless_chrome::Tab>> {
        let made = self.inner.tab.get_or_try_init(|| {
            let info = serde_json::from_value(self.target_info()?)
                .map_err(|e| Error::protocol("Target.getTargetInfo", e))?;
            let url = url::Url::parse(self.inner.ctx.browser.ws_url()).map_err(|e| {
                Error::InvalidUrl {
                    url: self.inner.ctx.browser.ws_url().into(),
                    reason: e.to_string(),
                }
            })?;
            // A bare transport: headless_chrome's `Browser` would also attach to every other
            // test's tabs, and shuts its connection down when one vanishes first.
            let transport = Arc::new(headless_chrome::browser::transport::Transport::new(
                url,
                None,
                Duration::from_secs(60 * 60 * 24 * 7),
                None,
            )?);
            let tab = headless_chrome::Tab::new(info, Arc::clone(&transport))?;
            Ok::<_, Error>(HeadlessTab {
                tab: Arc::new(tab),
                transport,
            })
        })?;
        Ok(Arc::clone(&made.tab))
    }
}
