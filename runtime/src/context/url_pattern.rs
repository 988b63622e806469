//! What a route matches: a glob (`**/api/*`), a regular expression, or a predicate on the
//! URL, each against the whole URL, as Playwright matches.

use std::fmt;
use std::sync::Arc;

use regex::Regex;

use crate::error::{Error, Result};

/// The URLs a route takes.
///
/// ```
/// use session_test::UrlPattern;
/// let api = UrlPattern::glob("**/api/*").unwrap();
/// assert!(api.matches("http://app.localhost:8080/api/user"));
/// assert!(!api.matches("http://app.localhost:8080/api/user/1"));
/// let odd = UrlPattern::predicate(|url| url.ends_with(".png"));
/// assert!(odd.matches("http://cdn.localhost/a.png"));
/// ```
#[derive(Clone)]
pub struct UrlPattern {
    kind: Kind,
}

#[derive(Clone)]
enum Kind {
    /// The glob as written, and the expression it became.
    Glob(String, Regex),
    Regex(Regex),
    Predicate(Arc<dyn Fn(&str) -> bool + Send + Sync>),
}

impl UrlPattern {
    /// A glob over the whole URL: `*` is any text without `/`, `**` any text, `?` a literal
    /// question mark, `{a,b}` either; everything else stands for itself.
    pub fn glob(glob: &str) -> Result<UrlPattern> {
        let regex = glob_regex(glob)?;
        Ok(UrlPattern {
            kind: Kind::Glob(glob.to_owned(), regex),
        })
    }

    /// URLs that `regex` matches anywhere.
    pub fn regex(regex: Regex) -> UrlPattern {
        UrlPattern {
            kind: Kind::Regex(regex),
        }
    }

    /// URLs for which `predicate` is true.
    pub fn predicate(predicate: impl Fn(&str) -> bool + Send + Sync + 'static) -> UrlPattern {
        UrlPattern {
            kind: Kind::Predicate(Arc::new(predicate)),
        }
    }

    /// Whether it takes `url`.
    pub fn matches(&self, url: &str) -> bool {
        match &self.kind {
            Kind::Glob(_, regex) | Kind::Regex(regex) => regex.is_match(url),
            Kind::Predicate(predicate) => predicate(url),
        }
    }

    /// The glob or expression as written (what `unroute` compares); `None` for a predicate.
    pub(crate) fn source(&self) -> Option<&str> {
        match &self.kind {
            Kind::Glob(glob, _) => Some(glob),
            Kind::Regex(regex) => Some(regex.as_str()),
            Kind::Predicate(_) => None,
        }
    }
}

impl fmt::Display for UrlPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Glob(glob, _) => write!(f, "{glob}"),
            Kind::Regex(regex) => write!(f, "/{}/", regex.as_str()),
            Kind::Predicate(_) => f.write_str("a predicate"),
        }
    }
}

impl fmt::Debug for UrlPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UrlPattern({self})")
    }
}

/// What `route` and `unroute` take: a glob (`&str`, `String`), a `Regex`, or a
/// [`UrlPattern`].
pub trait IntoUrlPattern {
    /// The pattern; an invalid glob is an error naming it.
    fn into_url_pattern(self) -> Result<UrlPattern>;
}

impl IntoUrlPattern for &str {
    fn into_url_pattern(self) -> Result<UrlPattern> {
        UrlPattern::glob(self)
    }
}

impl IntoUrlPattern for String {
    fn into_url_pattern(self) -> Result<UrlPattern> {
        UrlPattern::glob(&self)
    }
}

impl IntoUrlPattern for Regex {
    fn into_url_pattern(self) -> Result<UrlPattern> {
        Ok(UrlPattern::regex(self))
    }
}

impl IntoUrlPattern for UrlPattern {
    fn into_url_pattern(self) -> Result<UrlPattern> {
        Ok(self)
    }
}

/// The anchored expression of `glob`.
fn glob_regex(glob: &str) -> Result<Regex> {
    let invalid = |reason: &str| Error::InvalidUrlPattern {
        pattern: glob.to_owned(),
        reason: reason.to_owned(),
    };
    let mut out = String::from("^");
    let mut chars = glob.chars().peekable();
    let mut in_group = false;
    while let Some(c) = chars.next() {
        match c {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                out.push_str(".*");
            }
            '*' => out.push_str("[^/]*"),
            '{' if in_group => return Err(invalid("a `{` inside `{…}`")),
            '{' => {
                in_group = true;
                out.push_str("(?:");
            }
            '}' if in_group => {
                in_group = false;
                out.push(')');
            }
            '}' => return Err(invalid("a `}` without its `{`")),
            ',' if in_group => out.push('|'),
            c => out.push_str(&regex::escape(&c.to_string())),
        }
    }
    if in_group {
        return Err(invalid("a `{` without its `}`"));
    }
    out.push('$');
    Regex::new(&out).map_err(|e| invalid(&e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_as_playwright_reads_them() {
        let m = |glob: &str, url: &str| UrlPattern::glob(glob).unwrap().matches(url);
        assert!(m("**/api/*", "http://a.localhost/api/user"));
        assert!(!m("**/api/*", "http://a.localhost/api/user/1"));
        assert!(m("**/api/**", "http://a.localhost/api/user/1"));
        assert!(m("**/*.{png,jpg}", "http://a.localhost/x/y.jpg"));
        assert!(!m("**/*.{png,jpg}", "http://a.localhost/x/y.gif"));
        assert!(m("**/search?q=*", "http://a.localhost/search?q=x"));
        assert!(!m("**/search?q=*", "http://a.localhost/searchXq=x"));
        assert!(m("http://a.localhost/", "http://a.localhost/"));
        assert!(!m("http://a.localhost/", "http://a.localhost/x"));
    }

    #[test]
    fn an_invalid_glob_is_named() {
        for glob in ["**/{a,b", "**/a}", "**/{a,{b}}"] {
            let e = UrlPattern::glob(glob).unwrap_err().to_string();
            assert!(
                e.starts_with(&format!("invalid URL pattern `{glob}`")),
                "{e}"
            );
        }
    }
}
