//! Answering requests from a HAR file, or recording them into one (`route_from_har`): a route
//! over the HAR file, as the test sets it on a page or its context.

use std::path::Path;
use std::sync::{Arc, Mutex};

use super::{Context, Page};
use crate::context::{is_as_sent, Entry, Fulfill, Har, UrlPattern};
use crate::error::Result;
use crate::sync::lock;

/// What a request the HAR file does not hold gets ([`HarOptions::not_found`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HarNotFound {
    /// A network error, as Playwright's default.
    #[default]
    Abort,
    /// The route added before, or the network.
    Fallback,
}

/// How [`Context::route_from_har`] uses its file.
///
/// ```
/// use session_test::{HarOptions, UrlPattern};
/// let options = HarOptions {
///     url_filter: Some(UrlPattern::glob("**/api/**")?),
///     ..HarOptions::default()
/// };
/// # Ok::<(), session_test::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct HarOptions {
    /// The requests the file answers (or records); `None`: every request.
    pub url_filter: Option<UrlPattern>,
    /// What a request the file does not hold gets.
    pub not_found: HarNotFound,
    /// Records instead: each request goes to the network, and the file is written anew
    /// with every response (0600: it holds cookies and tokens).
    pub update: bool,
}

impl Context {
    /// Answers the requests of this context that `options.url_filter` takes from the HAR
    /// 1.2 file at `path`: the first entry of the same method and URL (and body, when the
    /// entry has one) is the response; a request the file does not hold is aborted or falls
    /// back ([`HarNotFound`]). With `update`, records instead: the requests go to the
    /// network and the file is written with each response (readable by its owner only: it
    /// holds the cookies and tokens the requests and responses carried). A missing or
    /// malformed file is an error naming it, with the line and field.
    ///
    /// ```no_run
    /// use session_test::HarOptions;
    /// # fn t(page: &session_test::Page) -> session_test::Result<()> {
    /// page.route_from_har("tests/api.har", HarOptions::default())?;
    /// page.visit("/dashboard")?; // its API calls answered from the file
    /// # Ok(()) }
    /// ```
    pub fn route_from_har(&self, path: impl AsRef<Path>, options: HarOptions) -> Result<()> {
        let path = path.as_ref().to_path_buf();
        let pattern = match options.url_filter {
            Some(pattern) => pattern,
            None => UrlPattern::glob("**")?,
        };
        if options.update {
            let recorded = Arc::new(Mutex::new(Har::default()));
            lock(&recorded).write(&path)?;
            return self.route(pattern, move |route| {
                let response = route.fetch()?;
                let mut har = lock(&recorded);
                har.log.entries.push(Entry::of(&response));
                har.write(&path)?;
                drop(har);
                route.fulfill(Fulfill::from(&response))
            });
        }
        let har = Har::read(&path)?;
        let not_found = options.not_found;
        self.route(pattern, move |route| {
            let request = route.request();
            let entry = har.find(request.method(), request.url(), request.post_data());
            match (entry, not_found) {
                (Some(entry), _) => route.fulfill(fulfill_of(entry)),
                (None, HarNotFound::Fallback) => route.fallback(),
                (None, HarNotFound::Abort) => route.abort(),
            }
        })
    }
}

/// The recorded response as a route's answer (its body decoded, so without the headers that
/// describe the body as it was sent).
fn fulfill_of(entry: &Entry) -> Fulfill {
    let response = &entry.response;
    response
        .headers
        .iter()
        .filter(|h| !is_as_sent(&h.name))
        .fold(Fulfill::new(response.status), |f, h| {
            f.header(&h.name, &h.value)
        })
        .body(entry.body())
}

impl Page {
    /// [`Context::route_from_har`].
    pub fn route_from_har(&self, path: impl AsRef<Path>, options: HarOptions) -> Result<()> {
        self.context().route_from_har(path, options)
    }
}
