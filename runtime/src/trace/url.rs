//! URLs as a trace shows them: query values and user info left out, since sign-in flows
//! carry codes, tokens and passwords there.

/// `url` with each query parameter's value replaced by `•••`, and without `user:password@`
/// and fragment values; left as it is when it does not parse (about:blank, data: URLs are
/// cut short).
pub(crate) fn without_query_values(url: &str) -> String {
    if url.starts_with("data:") {
        let head: String = url.chars().take(40).collect();
        return format!("{head}…");
    }
    let Ok(mut parsed) = url::Url::parse(url) else {
        return url.to_owned();
    };
    if parsed.cannot_be_a_base() {
        return url.to_owned();
    }
    let _ = parsed.set_username("");
    let _ = parsed.set_password(None);
    let query = parsed.query().map(|_| {
        parsed
            .query_pairs()
            .map(|(k, _)| format!("{k}=•••"))
            .collect::<Vec<_>>()
            .join("&")
    });
    // `#access_token=…` of implicit flows.
    let fragment = parsed.fragment().map(|f| {
        if f.contains('=') {
            "•••".to_owned()
        } else {
            f.to_owned()
        }
    });
    parsed.set_query(None);
    parsed.set_fragment(None);
    let mut shown = parsed.to_string();
    if let Some(query) = query {
        shown.push('?');
        shown.push_str(&query);
    }
    if let Some(fragment) = fragment {
        shown.push('#');
        shown.push_str(&fragment);
    }
    shown
}

/// `text` (an error message) with every http(s) URL in it shown as
/// [`without_query_values`] shows it.
pub(crate) fn with_urls_masked(text: &str) -> String {
    static URL: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let url = URL.get_or_init(|| regex::Regex::new(r#"https?://[^\s"'<>`]+"#).expect("valid"));
    url.replace_all(text, |c: &regex::Captures<'_>| without_query_values(&c[0]))
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_go_names_stay() {
        assert_eq!(
            without_query_values("http://bob:pw@a.localhost:8080/cb?code=xyz&state=1#t"),
            "http://a.localhost:8080/cb?code=•••&state=•••#t"
        );
        assert_eq!(
            without_query_values("http://a.localhost/#access_token=abc"),
            "http://a.localhost/#•••"
        );
        assert_eq!(without_query_values("about:blank"), "about:blank");
        assert_eq!(
            with_urls_masked("HTTP request to http://a.localhost/w?token=abc failed: timeout"),
            "HTTP request to http://a.localhost/w?token=••• failed: timeout"
        );
        assert_eq!(
            without_query_values("http://a.localhost/x"),
            "http://a.localhost/x"
        );
    }
}
