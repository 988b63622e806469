//! What the async page waits for after an action (a popup, a dialog, a request, a
//! response), and the handlers it sets (routes, dialogs): each wait is armed before the
//! action's future is awaited, so nothing the action causes is missed, and settles on a
//! blocking thread. The same waits as the blocking face's, armed the same way.

use std::future::Future;

use super::Page;
use crate::context::{Dialog, IntoUrlPattern, Request, Response, Route};
use crate::error::Result;
use crate::page::Armed;

impl Page {
    /// Awaits `action` (usually a click) and returns the tab it opened, as
    /// [`crate::Page::wait_for_popup`].
    ///
    /// ```no_run
    /// # async fn t(page: &session_test::async_api::Page) -> session_test::Result<()> {
    /// let popup = page.wait_for_popup(page.click("#sign-in")).await?;
    /// popup.fill("[data-test=name]", "alice").await?;
    /// # Ok(()) }
    /// ```
    pub async fn wait_for_popup(&self, action: impl Future<Output = Result<()>>) -> Result<Page> {
        let popup = self.settle(self.blocking().arm_popup(), action).await?;
        Ok(Page::new(popup, self.test()))
    }

    /// Awaits `action` and returns the first dialog its context opened from then on, once
    /// answered, as [`crate::Page::wait_for_dialog`].
    ///
    /// ```no_run
    /// # async fn t(page: &session_test::async_api::Page) -> session_test::Result<()> {
    /// let dialog = page.wait_for_dialog(page.click("#delete")).await?;
    /// assert_eq!(dialog.message(), "delete it?");
    /// # Ok(()) }
    /// ```
    pub async fn wait_for_dialog(
        &self,
        action: impl Future<Output = Result<()>>,
    ) -> Result<Dialog> {
        let armed = self.blocking().context().arm_dialog();
        self.settle(armed, action).await
    }

    /// Awaits `action` and returns the first request from then on whose URL `pattern`
    /// takes, as [`crate::Page::wait_for_request`].
    ///
    /// ```no_run
    /// # async fn t(page: &session_test::async_api::Page) -> session_test::Result<()> {
    /// let login = page.wait_for_request("**/api/login", page.click("#submit")).await?;
    /// assert_eq!(login.method(), "POST");
    /// # Ok(()) }
    /// ```
    pub async fn wait_for_request(
        &self,
        pattern: impl IntoUrlPattern,
        action: impl Future<Output = Result<()>>,
    ) -> Result<Request> {
        self.settle(self.blocking().arm_request(pattern)?, action)
            .await
    }

    /// Awaits `action` and returns the first response from then on to a request whose URL
    /// `pattern` takes, as [`crate::Page::wait_for_response`].
    ///
    /// ```no_run
    /// # async fn t(page: &session_test::async_api::Page) -> session_test::Result<()> {
    /// let saved = page.wait_for_response("**/api/items", page.click("#save")).await?;
    /// assert!(saved.ok());
    /// # Ok(()) }
    /// ```
    pub async fn wait_for_response(
        &self,
        pattern: impl IntoUrlPattern,
        action: impl Future<Output = Result<()>>,
    ) -> Result<Response> {
        let armed = self.blocking().arm_response(pattern)?;
        self.settle(armed, action).await
    }

    /// Awaits `action`, then what `armed` waits for, on a blocking thread.
    async fn settle<T: Send + 'static>(
        &self,
        armed: Armed<T>,
        action: impl Future<Output = Result<()>>,
    ) -> Result<T> {
        action.await?;
        self.run(move |_| armed.settle()).await
    }

    /// Routes the requests of this page's context whose URL `pattern` takes to `handler`,
    /// as [`crate::Page::route`]. It waits for nothing: the handler runs on a thread of its
    /// own for each request (so it may block, or `Handle::block_on` a future of the test's
    /// runtime while the test awaits).
    ///
    /// ```no_run
    /// use session_test::Fulfill;
    /// # async fn t(page: &session_test::async_api::Page) -> session_test::Result<()> {
    /// page.route("**/api/user", |route| {
    ///     route.fulfill(Fulfill::json(200, &serde_json::json!({ "name": "alice" })))
    /// })?;
    /// page.visit("/profile").await?;
    /// # Ok(()) }
    /// ```
    pub fn route(
        &self,
        pattern: impl IntoUrlPattern,
        handler: impl Fn(Route) -> Result<()> + Send + Sync + 'static,
    ) -> Result<()> {
        self.blocking().route(pattern, handler)
    }

    /// Removes the routes set with this glob or expression, as [`crate::Page::unroute`].
    pub fn unroute(&self, pattern: &str) {
        self.blocking().unroute(pattern);
    }

    /// Sets the handler of this context's JavaScript dialogs, as
    /// [`crate::Page::on_dialog`]; it waits for nothing.
    pub fn on_dialog<F>(&self, handler: F)
    where
        F: Fn(&Dialog) -> Result<()> + Send + Sync + 'static,
    {
        self.blocking().on_dialog(handler);
    }
}
