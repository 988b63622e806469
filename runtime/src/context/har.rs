//! HAR 1.2 files (the HTTP Archive format browsers export): the entries a test recorded, read
//! back to answer requests. What a file holds is written as it came (cookies and tokens in
//! headers and bodies): the file is the user's, written 0600.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use super::response::Response;
use crate::error::{Error, Result};

/// A HAR file: `{ "log": { … } }`.
#[derive(Serialize, Deserialize, Default)]
pub(crate) struct Har {
    pub log: Log,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct Log {
    pub version: String,
    pub creator: Creator,
    pub entries: Vec<Entry>,
}

impl Default for Log {
    fn default() -> Log {
        Log {
            version: "1.2".into(),
            creator: Creator {
                name: "session-test".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            entries: Vec::new(),
        }
    }
}

#[derive(Serialize, Deserialize)]
pub(crate) struct Creator {
    pub name: String,
    pub version: String,
}

/// One request and its response.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Entry {
    pub started_date_time: String,
    /// Milliseconds from the request to the response's end.
    pub time: f64,
    pub request: HarRequest,
    pub response: HarResponse,
    #[serde(default)]
    pub cache: serde_json::Value,
    #[serde(default)]
    pub timings: serde_json::Value,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct HarRequest {
    pub method: String,
    pub url: String,
    #[serde(default = "http11")]
    pub http_version: String,
    #[serde(default)]
    pub headers: Vec<Header>,
    #[serde(default)]
    pub query_string: Vec<Header>,
    #[serde(default)]
    pub cookies: Vec<serde_json::Value>,
    #[serde(default = "unknown")]
    pub headers_size: i64,
    #[serde(default = "unknown")]
    pub body_size: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_data: Option<PostData>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PostData {
    #[serde(default)]
    pub mime_type: String,
    #[serde(default)]
    pub text: String,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct HarResponse {
    pub status: u16,
    #[serde(default)]
    pub status_text: String,
    #[serde(default = "http11")]
    pub http_version: String,
    #[serde(default)]
    pub headers: Vec<Header>,
    #[serde(default)]
    pub cookies: Vec<serde_json::Value>,
    pub content: Content,
    #[serde(default, rename = "redirectURL")]
    pub redirect_url: String,
    #[serde(default = "unknown")]
    pub headers_size: i64,
    #[serde(default = "unknown")]
    pub body_size: i64,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Content {
    #[serde(default)]
    pub size: i64,
    #[serde(default)]
    pub mime_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
}

#[derive(Serialize, Deserialize, Clone)]
pub(crate) struct Header {
    pub name: String,
    pub value: String,
}

fn http11() -> String {
    "HTTP/1.1".into()
}

fn unknown() -> i64 {
    -1
}

impl Har {
    /// Reads `path`; an error names the file, and the line and field that are wrong.
    pub fn read(path: &Path) -> Result<Har> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::io(format!("reading the HAR file {}", path.display()), e))?;
        serde_json::from_str(&text).map_err(|e| Error::InvalidHar {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })
    }

    /// Writes it to `path`, readable by its owner only (it holds cookies and tokens):
    /// through a file beside it, so a reader never sees half of it.
    pub fn write(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(self).unwrap_or_default();
        let partial = PathBuf::from(format!("{}.partial", path.display()));
        let wrote = crate::private_file::write_private(&partial, text.as_bytes())
            .and_then(|()| std::fs::rename(&partial, path));
        wrote.map_err(|e| Error::io(format!("writing the HAR file {}", path.display()), e))
    }

    /// The first entry that answers `method` on `url` (with `post_data` when the entry has
    /// a body).
    pub fn find(&self, method: &str, url: &str, post_data: Option<&str>) -> Option<&Entry> {
        self.log.entries.iter().find(|e| {
            e.request.method.eq_ignore_ascii_case(method)
                && e.request.url == url
                && e.request
                    .post_data
                    .as_ref()
                    .is_none_or(|p| Some(p.text.as_str()) == post_data)
        })
    }
}

impl Entry {
    /// The entry of `response`.
    pub fn of(response: &Response) -> Entry {
        let request = response.request();
        let headers = |hs: &[(String, String)]| -> Vec<Header> {
            hs.iter()
                .map(|(name, value)| Header {
                    name: name.clone(),
                    value: value.clone(),
                })
                .collect()
        };
        let mime = response
            .header("content-type")
            .unwrap_or_default()
            .to_owned();
        let body = response.body();
        let (text, encoding) = match std::str::from_utf8(body) {
            Ok(text) => (text.to_owned(), None),
            Err(_) => (
                base64::engine::general_purpose::STANDARD.encode(body),
                Some("base64".to_owned()),
            ),
        };
        let timing = response.timing();
        Entry {
            started_date_time: iso8601(timing.start),
            time: timing.response_start.as_secs_f64() * 1e3,
            request: HarRequest {
                method: request.method.clone(),
                url: request.url.clone(),
                http_version: http11(),
                headers: headers(&request.headers),
                query_string: Vec::new(),
                cookies: Vec::new(),
                headers_size: -1,
                body_size: request.post_data.as_ref().map_or(0, |b| b.len() as i64),
                post_data: request.post_data.as_ref().map(|text| PostData {
                    mime_type: request.header("content-type").unwrap_or_default().into(),
                    text: text.clone(),
                }),
            },
            response: HarResponse {
                status: response.status(),
                status_text: response.status_text().to_owned(),
                http_version: http11(),
                headers: headers(response.headers()),
                cookies: Vec::new(),
                content: Content {
                    size: body.len() as i64,
                    mime_type: mime,
                    text: Some(text),
                    encoding,
                },
                redirect_url: response.header("location").unwrap_or_default().into(),
                headers_size: -1,
                body_size: body.len() as i64,
            },
            cache: serde_json::json!({}),
            timings: serde_json::json!({
                "send": 0, "wait": timing.response_start.as_secs_f64() * 1e3, "receive": 0,
            }),
        }
    }

    /// The recorded body, decoded.
    pub fn body(&self) -> Vec<u8> {
        let text = self.response.content.text.as_deref().unwrap_or_default();
        match self.response.content.encoding.as_deref() {
            Some("base64") => base64::engine::general_purpose::STANDARD
                .decode(text)
                .unwrap_or_default(),
            _ => text.as_bytes().to_vec(),
        }
    }
}

/// `at` as ISO 8601 in UTC, milliseconds included (`2026-12-04T19:53:01.250Z`).
fn iso8601(at: SystemTime) -> String {
    let since = at.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO);
    let secs = since.as_secs();
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60,
        since.subsec_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_iso_8601_in_utc() {
        let at = UNIX_EPOCH + Duration::from_millis(1_796_413_981_250);
        assert_eq!(iso8601(at), "2026-12-04T19:53:01.250Z");
        assert_eq!(iso8601(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn a_malformed_file_is_named_with_its_line_and_field() {
        let dir = std::env::temp_dir().join(format!("har-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("bad.har");
        std::fs::write(
            &path,
            "{\n \"log\": {\n  \"version\": \"1.2\",\n  \"creator\": {\"name\": \"x\", \"version\": \"1\"},\n  \"entries\": [{\"startedDateTime\": \"\", \"time\": 0,\n   \"request\": {\"method\": \"GET\", \"url\": \"http://a/\"},\n   \"response\": {\"content\": {}}}]\n }\n}",
        )
        .unwrap();
        let err = Har::read(&path).err().expect("malformed").to_string();
        assert!(err.contains("bad.har"), "{err}");
        assert!(
            err.contains("missing field `status`") && err.contains("line 7"),
            "{err}"
        );
        let missing = Har::read(&dir.join("none.har"))
            .err()
            .expect("missing")
            .to_string();
        assert!(missing.contains("none.har"), "{missing}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
