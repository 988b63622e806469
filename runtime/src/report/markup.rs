//! HTML text of the report: escaping what the run recorded (test names, messages, URLs).

/// `s` as HTML text or an attribute value in double quotes.
pub(super) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A duration in milliseconds, as the report shows it (`412 ms`).
pub(super) fn ms(ms: f64) -> String {
    format!("{ms:.0} ms")
}
