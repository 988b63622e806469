//! Routes as the test sets them: on the context (every tab, frame and worker of it), or
//! through any of its pages.

use std::sync::Arc;

use super::{Context, Page};
use crate::context::{IntoUrlPattern, Route, RouteHandler};
use crate::error::Result;

impl Context {
    /// Routes the requests of this context's tabs, frames and workers whose URL `pattern`
    /// takes (a glob such as `**/api/*`, a `Regex`, or a [`UrlPattern`](crate::UrlPattern))
    /// to `handler`, which decides what each gets: [`Route::fulfill`], [`Route::abort`],
    /// [`Route::continue_with`], or [`Route::fallback`] to the route added before it. The
    /// route added last is asked first. Handlers run on a thread of their own, so they may
    /// call the page; one that fails, panics or returns without deciding fails the request
    /// and the test. Routes end with the test.
    ///
    /// ```no_run
    /// use session_test::Fulfill;
    /// # fn t(page: &session_test::Page) -> session_test::Result<()> {
    /// page.context().route("**/api/user", |route| {
    ///     route.fulfill(Fulfill::json(200, &serde_json::json!({ "name": "alice" })))
    /// })?;
    /// # Ok(()) }
    /// ```
    pub fn route<F>(&self, pattern: impl IntoUrlPattern, handler: F) -> Result<()>
    where
        F: Fn(Route) -> Result<()> + Send + Sync + 'static,
    {
        self.add_route(pattern, None, Arc::new(handler))
    }

    /// [`Context::route`] for the next `times` requests it takes only.
    pub fn route_times<F>(
        &self,
        pattern: impl IntoUrlPattern,
        times: usize,
        handler: F,
    ) -> Result<()>
    where
        F: Fn(Route) -> Result<()> + Send + Sync + 'static,
    {
        self.add_route(pattern, Some(times), Arc::new(handler))
    }

    fn add_route(
        &self,
        pattern: impl IntoUrlPattern,
        times: Option<usize>,
        handler: RouteHandler,
    ) -> Result<()> {
        let pattern = pattern.into_url_pattern()?;
        self.state().routes.add(pattern, times, handler);
        Ok(())
    }

    /// Removes the routes set with this glob or expression (as written).
    pub fn unroute(&self, pattern: &str) {
        self.state().routes.remove(pattern);
    }
}

impl Page {
    /// Routes the requests of this page's context (this tab, the tabs it opens, their
    /// frames and workers): [`Context::route`].
    ///
    /// ```no_run
    /// # fn t(page: &session_test::Page) -> session_test::Result<()> {
    /// page.route("**/*.{png,jpg}", |route| route.abort())?;
    /// # Ok(()) }
    /// ```
    pub fn route<F>(&self, pattern: impl IntoUrlPattern, handler: F) -> Result<()>
    where
        F: Fn(Route) -> Result<()> + Send + Sync + 'static,
    {
        self.context().route(pattern, handler)
    }

    /// [`Context::unroute`].
    pub fn unroute(&self, pattern: &str) {
        self.context().unroute(pattern);
    }

    /// Where the context's routes stand: [`Page::unroute_since`] removes those added after.
    pub(crate) fn routes_mark(&self) -> u64 {
        self.inner.ctx.routes.mark()
    }

    /// Removes the routes added since `mark`.
    pub(crate) fn unroute_since(&self, mark: u64) {
        self.inner.ctx.routes.remove_since(mark);
    }

    /// A new test begins on this page: its context's routes and waiters start afresh.
    pub(crate) fn start_routes(&self) {
        self.inner.ctx.routes.start();
        self.inner.ctx.traffic.start();
    }

    /// The test's body ended: its routes go; returns how a handler failed, if one did.
    /// Those of the contexts the test opened besides end too.
    pub(crate) fn end_routes(&self) -> Option<String> {
        self.end_in_each_context(|ctx| ctx.routes.end())
    }
}
