//! Navigation: `visit`, waiting for the load an action started, the page's URL and title,
//! and relative URLs.

use std::time::Instant;

use serde_json::{json, Value};

use crate::cdp::{ends_session, EventStream, RawEvent, DETACHED};
use crate::config;
use crate::error::{Error, Result};
use crate::sync::lock;
use crate::trace::without_query_values;

use super::Page;

impl Page {
    /// Navigates to `url` and waits for its `load` event (not for network idle).
    ///
    /// A path such as `/login` resolves against [`set_base_url`](crate::set_base_url) or
    /// `$SESSION_TEST_BASE_URL`; absolute URLs are used as they are.
    pub fn visit(&self, url: &str) -> Result<()> {
        self.traced("visit", || shown_url(url), |_| self.go_to(url))
    }

    /// `visit` as the framework's own step: not one of the test's actions.
    pub(crate) fn go_to(&self, url: &str) -> Result<()> {
        let url = resolve_url(url)?;
        // The site only (its origin), never a path or query: the bench sums visits per site.
        let _navigate =
            tracing::info_span!(target: "session_test", "navigate", site = %site_of(&url))
                .entered();
        if url != "about:blank" {
            self.slowmo();
        }
        let events = self.inner.target.subscribe();
        // The browser answers Page.navigate only once the response starts: a server that
        // never answers is a page that never loads.
        let reply = self
            .call("Page.navigate", json!({ "url": url }))
            .map_err(|e| match e {
                Error::Timeout { after, .. } => Error::Timeout {
                    what: format!("the `load` event of {url}"),
                    after,
                },
                other => other,
            })?;
        if let Some(err) = reply.get("errorText").and_then(Value::as_str) {
            if !err.is_empty() {
                return Err(Error::Navigation {
                    url,
                    reason: err.to_string(),
                });
            }
        }
        let Some(loader) = reply.get("loaderId").and_then(Value::as_str) else {
            return Ok(()); // same-document navigation: no load event follows
        };
        let mut navigated = false;
        self.wait_events(
            &events,
            || format!("the `load` event of {url}"),
            |ev| {
                match ev.method.as_str() {
                    "Page.frameNavigated" => {
                        let frame = &ev.params["frame"];
                        if frame["id"] == self.target_id() && frame["loaderId"] == loader {
                            navigated = true;
                        }
                    }
                    "Page.loadEventFired" if navigated => return Some(Ok(())),
                    _ => {}
                }
                None
            },
        )
    }

    /// Waits on `events` until `step` returns a result; fails after the page's budget.
    pub(super) fn wait_events<T>(
        &self,
        events: &EventStream,
        what: impl Fn() -> String,
        mut step: impl FnMut(&RawEvent) -> Option<Result<T>>,
    ) -> Result<T> {
        let budget = self.budget();
        let start = Instant::now();
        loop {
            let left = budget.saturating_sub(start.elapsed());
            if left.is_zero() {
                return Err(Error::Timeout {
                    what: what(),
                    after: budget,
                });
            }
            if let Some(ev) = events.next_timeout(left)? {
                if ev.method == "Inspector.targetCrashed" {
                    return Err(Error::BrowserClosed {
                        reason: "the page's renderer crashed".into(),
                    });
                }
                if ends_session(&ev, self.inner.target.id()) {
                    return Err(Error::TabClosed {
                        waiting_for: what(),
                    });
                }
                if let Some(done) = step(&ev) {
                    return done;
                }
            }
        }
    }

    /// Runs `action`, then, if it started a navigation of the page (a link, a form
    /// submission), waits until the new document has loaded.
    pub(super) fn with_navigation<T>(&self, action: impl FnOnce() -> Result<T>) -> Result<T> {
        let events = self.inner.target.subscribe();
        let out = action()?;
        // Events the action caused arrive before the reply to a later call on the same
        // renderer; a task turn lets scheduled form submissions start.
        let _ = self.evaluate("new Promise(r => setTimeout(r, 0))");
        let main = self.target_id().to_string();
        let is_main = |ev: &RawEvent| ev.str_param("frameId") == main;
        let mut started = false;
        let mut navigated = false;
        while let Some(ev) = events.try_next() {
            match ev.method.as_str() {
                // The action closed the tab (a popup's last step): it did what it had to.
                DETACHED if ends_session(&ev, self.inner.target.id()) => return Ok(out),
                "Page.frameRequestedNavigation"
                | "Page.frameStartedNavigating"
                | "Page.frameStartedLoading"
                    if is_main(&ev) =>
                {
                    started = true
                }
                "Page.frameNavigated" if ev.params["frame"]["id"] == main.as_str() => {
                    navigated = true
                }
                "Page.loadEventFired" if navigated => return Ok(out),
                "Page.frameStoppedLoading" if is_main(&ev) && started && !navigated => {
                    return Ok(out)
                }
                _ => {}
            }
        }
        if !started && !navigated {
            return Ok(out);
        }
        self.wait_events(
            &events,
            || "the page to load after the action".into(),
            |ev| {
                match ev.method.as_str() {
                    "Page.frameNavigated" if ev.params["frame"]["id"] == main.as_str() => {
                        navigated = true
                    }
                    "Page.loadEventFired" if navigated => return Some(Ok(())),
                    "Page.frameStoppedLoading" if is_main(ev) && !navigated => return Some(Ok(())),
                    _ => {}
                }
                None
            },
        )?;
        Ok(out)
    }

    /// The page's current URL.
    pub fn url(&self) -> Result<String> {
        Ok(self.target_info()?["url"]
            .as_str()
            .unwrap_or_default()
            .to_string())
    }

    /// The document's title.
    pub fn title(&self) -> Result<String> {
        Ok(self
            .evaluate("document.title")?
            .as_str()
            .unwrap_or_default()
            .to_string())
    }

    /// The main frame's origin (`None` on about:blank).
    pub(crate) fn current_origin(&self) -> Option<String> {
        lock(&self.inner.location).origin.clone()
    }

    /// The main frame's URL as last navigated (no protocol call).
    pub(crate) fn current_url(&self) -> String {
        lock(&self.inner.location).url.clone()
    }
}

pub(super) fn is_navigation_race(e: &Error) -> bool {
    match e {
        Error::Cdp { message, .. } => [
            "Execution context was destroyed",
            "Cannot find context with specified id",
            "Cannot find default execution context",
            "Inspected target navigated or closed",
        ]
        .iter()
        .any(|m| message.contains(m)),
        _ => false,
    }
}

/// The origin of `url` (`about:blank` as it is).
fn site_of(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(parsed) if parsed.has_host() => parsed.origin().ascii_serialization(),
        _ => url.split(['?', '#']).next().unwrap_or_default().to_owned(),
    }
}

/// `url` as a trace shows it: resolved (as given when it cannot be), its query values left
/// out.
pub(crate) fn shown_url(url: &str) -> String {
    without_query_values(&resolve_url(url).unwrap_or_else(|_| url.to_owned()))
}

/// Resolves `url` against the configured base URL unless it is absolute.
pub(crate) fn resolve_url(url: &str) -> Result<String> {
    resolve_against(config::base_url(), url)
}

pub(super) fn resolve_against(base: Option<String>, url: &str) -> Result<String> {
    if let Ok(abs) = url::Url::parse(url) {
        return Ok(abs.to_string());
    }
    let Some(base) = base else {
        return Err(Error::InvalidUrl {
            url: url.into(),
            reason: "a relative URL needs a base URL: call session_test::config::set_base_url(…) or set \
                     $SESSION_TEST_BASE_URL"
                .into(),
        });
    };
    let base = url::Url::parse(&base)
        .map_err(|e| e.to_string())
        .and_then(|b| {
            if b.cannot_be_a_base() || b.host_str().is_none() {
                Err("it needs a scheme and a host, e.g. http://app.localhost:8080".to_string())
            } else {
                Ok(b)
            }
        })
        .map_err(|reason| Error::InvalidUrl {
            url: base.clone(),
            reason: format!("the base URL is not valid: {reason}"),
        })?;
    base.join(url)
        .map(|u| u.to_string())
        .map_err(|e| Error::InvalidUrl {
            url: url.into(),
            reason: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::resolve_against;

    #[test]
    fn relative_urls_need_a_base_that_parses() {
        assert_eq!(
            resolve_against(Some("http://app.localhost:8080/x/".into()), "/login").unwrap(),
            "http://app.localhost:8080/login"
        );
        assert_eq!(
            resolve_against(None, "http://a.localhost/").unwrap(),
            "http://a.localhost/"
        );
        assert_eq!(
            resolve_against(None, "/login").unwrap_err().to_string(),
            "invalid URL `/login`: a relative URL needs a base URL: call \
             session_test::config::set_base_url(…) or set $SESSION_TEST_BASE_URL"
        );
        assert_eq!(
            resolve_against(Some("app.localhost:8080".into()), "/login")
                .unwrap_err()
                .to_string(),
            "invalid URL `app.localhost:8080`: the base URL is not valid: it needs a scheme and a \
             host, e.g. http://app.localhost:8080"
        );
        assert_eq!(
            resolve_against(Some("not a url".into()), "/login")
                .unwrap_err()
                .to_string(),
            "invalid URL `not a url`: the base URL is not valid: relative URL without a base"
        );
    }
}
