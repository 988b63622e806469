//! How an assertion compares text: exactly, by substring, or by a regular expression.

use std::fmt;

use crate::error::{Error, Result};

/// What `to_have_text`, `to_have_value`, `to_have_attribute`, `to_have_url` and
/// `to_have_title` expect. A string means the whole text, compared with runs of whitespace
/// collapsed and the ends trimmed (as a reader sees it); [`TextMatch::contains`] a part of it;
/// a [`Regex`](crate::Regex) a match anywhere in the text as it is.
///
/// ```
/// use session_test::TextMatch;
/// use session_test::regex::Regex;
///
/// assert!(TextMatch::from("hello  alice\n").matches(" hello alice"));
/// assert!(TextMatch::contains("alice").matches("hello alice"));
/// assert!(TextMatch::from(Regex::new(r"^hello \w+$").unwrap()).matches("hello bob"));
/// assert!(!TextMatch::from("hello").matches("hello alice"));
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum TextMatch {
    /// The whole text (whitespace-normalized).
    Exact(String),
    /// A part of the text (whitespace-normalized).
    Contains(String),
    /// A regular expression (Rust `regex` syntax) found anywhere in the text.
    Regex(regex::Regex),
}

impl TextMatch {
    /// The whole text, whitespace-normalized.
    pub fn exact(text: impl Into<String>) -> Self {
        TextMatch::Exact(text.into())
    }

    /// A part of the text, whitespace-normalized.
    pub fn contains(text: impl Into<String>) -> Self {
        TextMatch::Contains(text.into())
    }

    /// A regular expression; an invalid pattern is an error naming it.
    ///
    /// ```
    /// let m = session_test::TextMatch::regex(r"^\d+ items$")?;
    /// assert!(m.matches("3 items"));
    /// assert!(session_test::TextMatch::regex("(").is_err());
    /// # Ok::<(), session_test::Error>(())
    /// ```
    pub fn regex(pattern: &str) -> Result<Self> {
        regex::Regex::new(pattern)
            .map(TextMatch::Regex)
            .map_err(|e| Error::InvalidPattern {
                pattern: pattern.into(),
                reason: e.to_string(),
                source: e,
            })
    }

    /// Whether `actual` satisfies this match.
    pub fn matches(&self, actual: &str) -> bool {
        match self {
            TextMatch::Exact(text) => normalize(actual) == normalize(text),
            TextMatch::Contains(text) => normalize(actual).contains(&normalize(text)),
            TextMatch::Regex(re) => re.is_match(actual),
        }
    }
}

/// Runs of whitespace as one space, the ends trimmed.
pub(crate) fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// As the expectation reads: `"hello alice"`, `containing "alice"`, `matching /^hello/`.
impl fmt::Display for TextMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextMatch::Exact(text) => write!(f, "{text:?}"),
            TextMatch::Contains(text) => write!(f, "containing {text:?}"),
            TextMatch::Regex(re) => write!(f, "matching /{}/", re.as_str()),
        }
    }
}

impl From<&str> for TextMatch {
    fn from(text: &str) -> Self {
        TextMatch::Exact(text.into())
    }
}

impl From<String> for TextMatch {
    fn from(text: String) -> Self {
        TextMatch::Exact(text)
    }
}

impl From<&String> for TextMatch {
    fn from(text: &String) -> Self {
        TextMatch::Exact(text.clone())
    }
}

impl From<regex::Regex> for TextMatch {
    fn from(re: regex::Regex) -> Self {
        TextMatch::Regex(re)
    }
}

impl From<&regex::Regex> for TextMatch {
    fn from(re: &regex::Regex) -> Self {
        TextMatch::Regex(re.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_and_contains_ignore_whitespace_runs_but_not_case() {
        assert!(TextMatch::exact("a b").matches("\n a   b "));
        assert!(!TextMatch::exact("A b").matches("a b"));
        assert!(TextMatch::contains("b  c").matches("a b\tc d"));
        assert!(!TextMatch::contains("x").matches("a b"));
    }

    #[test]
    fn expectations_read_as_sentences() {
        assert_eq!(TextMatch::from("hi").to_string(), "\"hi\"");
        assert_eq!(TextMatch::contains("hi").to_string(), "containing \"hi\"");
        assert_eq!(TextMatch::regex("^h").unwrap().to_string(), "matching /^h/");
    }

    #[test]
    fn an_invalid_pattern_is_named() {
        let e = TextMatch::regex("a(").unwrap_err();
        let text = e.to_string();
        assert!(
            text.starts_with("invalid regular expression `a(`"),
            "{text}"
        );
        // The regex crate's error is kept, typed.
        let source = std::error::Error::source(&e).expect("a source");
        assert!(source.downcast_ref::<regex::Error>().is_some());
    }
}
