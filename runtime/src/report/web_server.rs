//! The report's section on the run's web server: its command and URL, how the test
//! processes came to it, and the last lines of its output (read when the report is
//! written, so a failed test's report shows what the server printed up to then).

use std::fmt::Write;

use super::markup::esc;
use super::record::Run;
use crate::web_server::ServerUse;

/// How many of the output's last lines the report shows; the whole is in its file.
const SHOWN_LINES: usize = 200;

/// The section, when a process of the run used a web server.
pub(super) fn web_server_section(h: &mut dyn Write, runs: &[&Run]) {
    let mut servers: Vec<&ServerUse> = runs.iter().filter_map(|r| r.web_server.as_ref()).collect();
    servers.sort_by(|a, b| (&a.command, &a.url, &a.how).cmp(&(&b.command, &b.url, &b.how)));
    servers.dedup();
    if servers.is_empty() {
        return;
    }
    let _ = h.write_str("<h2>Web server</h2>");
    for server in servers {
        let (command, url) = (esc(&server.command), esc(&server.url));
        let how = esc(&server.how);
        let _ = write!(
            h,
            "<section class=web-server><p><code>{command}</code> at {url}: {how}</p>"
        );
        if let Some(path) = &server.output {
            let output = std::fs::read_to_string(path).unwrap_or_default();
            let lines: Vec<&str> = output.lines().collect();
            let last = &lines[lines.len().saturating_sub(SHOWN_LINES)..];
            let _ = write!(
                h,
                "<p>its output ({} of {} lines; all in {}):</p><pre class=output>{}</pre>",
                last.len(),
                lines.len(),
                esc(&path.display().to_string()),
                esc(&last.join("\n")),
            );
        }
        let _ = h.write_str("</section>");
    }
}
