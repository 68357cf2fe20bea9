//! The JSON API and the routing of every request, as a pure function from a
//! [`Request`] to a [`Reply`]: the server glue in `lib.rs` only moves bytes.
//!
//! `POST /api/scan` runs [`pathfinder_engine::scan`], the entry point of the
//! command line, on a virtual project holding the one posted file, and
//! answers with the JSON emitter's bytes: the same document
//! `pathfinder scan --output json` prints for that file.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use pathfinder_emit::{EmitOptions, Format, emit};
use pathfinder_engine::{NoProgress, Overlay, Settings, scan};
use pathfinder_rules::registry::BUNDLES;
use pathfinder_rules::{Rule, find_rule, rules, select};
use serde_json::{Value, json};

use crate::assets;

/// The largest request body accepted, in bytes.
pub const MAX_BODY: usize = 1024 * 1024;

/// The root of the virtual project a posted file is placed in. It does not
/// exist on disk, so the scan sees only the overlay.
pub const VIRTUAL_ROOT: &str = "/pathfinder-playground";

/// The Content-Security-Policy of every response: everything from this
/// origin only, no inline script or style, no frames, no other host.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; \
     form-action 'none'; frame-ancestors 'none'";

/// A request, as the server read it.
#[derive(Debug)]
pub struct Request<'a> {
    pub method: &'a str,
    /// The path and query, as sent.
    pub url: &'a str,
    pub host: Option<&'a str>,
    pub origin: Option<&'a str>,
    pub content_type: Option<&'a str>,
    /// The body, or `None` when it was longer than [`MAX_BODY`].
    pub body: Option<&'a [u8]>,
}

/// A response: status, content type and body. The server adds the security
/// headers to every one.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Reply {
    fn json(status: u16, value: &Value) -> Reply {
        Reply {
            status,
            content_type: "application/json",
            body: serde_json::to_vec_pretty(value).unwrap_or_default(),
        }
    }

    fn error(status: u16, message: &str) -> Reply {
        Reply::json(status, &json!({ "error": message }))
    }
}

/// Answers one request of a server listening on `port`.
pub fn route(request: &Request<'_>, port: u16) -> Reply {
    // DNS rebinding: a page of another site whose name was pointed at
    // 127.0.0.1 sends its own host name. Only our own names are served.
    let own = [format!("127.0.0.1:{port}"), format!("localhost:{port}")];
    if !request
        .host
        .is_some_and(|host| own.iter().any(|name| name.eq_ignore_ascii_case(host)))
    {
        return Reply::error(
            421,
            "this server answers only to 127.0.0.1 and localhost on its own port",
        );
    }
    if let Some(origin) = request.origin {
        let same = own
            .iter()
            .any(|name| origin.eq_ignore_ascii_case(&format!("http://{name}")));
        if !same {
            return Reply::error(403, "requests from other origins are refused");
        }
    }
    let path = request.url.split(['?', '#']).next().unwrap_or_default();
    match (request.method, path) {
        ("POST", "/api/scan") => scan_reply(request),
        (_, "/api/scan") => Reply::error(405, "use POST"),
        ("GET", "/api/rules") => Reply::json(200, &rules_json()),
        ("GET", path) if path.starts_with("/api/rules/") => {
            let id = &path["/api/rules/".len()..];
            match find_rule(id) {
                Some(rule) => Reply::json(200, &rule_json(rule, true)),
                None => Reply::error(404, &format!("unknown rule `{id}`")),
            }
        }
        ("GET", path) => match assets::get(path) {
            Some((content_type, body)) => Reply {
                status: 200,
                content_type,
                body: body.to_vec(),
            },
            None => Reply::error(404, "not found"),
        },
        _ => Reply::error(405, "only GET, and POST on /api/scan"),
    }
}

fn scan_reply(request: &Request<'_>) -> Reply {
    let Some(body) = request.body else {
        return Reply::error(413, "the body is larger than 1 MB");
    };
    if !request
        .content_type
        .is_some_and(|value| value.trim_start().starts_with("application/json"))
    {
        return Reply::error(415, "send the body as application/json");
    }
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(error) => return Reply::error(400, &format!("malformed JSON: {error}")),
    };
    let scan_request = match ScanRequest::from_json(&value) {
        Ok(request) => request,
        Err(message) => return Reply::error(400, &message),
    };
    match scan_request.run() {
        Ok(bytes) => Reply {
            status: 200,
            content_type: "application/json",
            body: bytes,
        },
        Err(ApiError::BadRequest(message)) => Reply::error(400, &message),
        Err(ApiError::Internal(message)) => Reply::error(500, &message),
    }
}

/// Why a scan was not run.
#[derive(Debug)]
pub enum ApiError {
    /// The request asked for something that cannot be (unknown rule, bad path).
    BadRequest(String),
    /// The scan failed.
    Internal(String),
}

/// The body of `POST /api/scan`.
#[derive(Debug, Clone)]
pub struct ScanRequest {
    pub source: String,
    /// Relative to the virtual project, such as `views.py` or `app/settings.py`.
    pub path: String,
    /// Rule ids and bundles, as `--ruleset` takes them; empty means every rule.
    pub ruleset: Vec<String>,
}

impl ScanRequest {
    /// Reads `{"source": "...", "path": "views.py", "ruleset": [...]}`;
    /// `path` defaults to `views.py` and `ruleset` to every rule.
    pub fn from_json(value: &Value) -> Result<ScanRequest, String> {
        let object = value
            .as_object()
            .ok_or("the body must be a JSON object with a `source` string")?;
        let source = object
            .get("source")
            .and_then(Value::as_str)
            .ok_or("`source` must be a string")?
            .to_string();
        let path = match object.get("path") {
            None | Some(Value::Null) => "views.py".to_string(),
            Some(Value::String(path)) => path.clone(),
            Some(_) => return Err("`path` must be a string".to_string()),
        };
        let ruleset = match object.get("ruleset") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::String(one)) => vec![one.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| {
                    item.as_str()
                        .map(str::to_string)
                        .ok_or("`ruleset` must be a list of strings")
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err("`ruleset` must be a list of strings".to_string()),
        };
        Ok(ScanRequest {
            source,
            path,
            ruleset,
        })
    }

    /// Scans the source as the file `path` of a virtual project and returns
    /// the JSON report, byte for byte what `scan --output json` writes.
    pub fn run(&self) -> Result<Vec<u8>, ApiError> {
        let relative = checked_path(&self.path).map_err(ApiError::BadRequest)?;
        let rules = select(&self.ruleset)
            .map_err(|unknown| ApiError::BadRequest(format!("unknown ruleset `{unknown}`")))?;
        let root = PathBuf::from(VIRTUAL_ROOT);
        let mut overlay = Overlay::new();
        overlay.insert(root.join(&relative), self.source.as_str());
        let settings = Settings {
            root,
            rules,
            overlay: Some(Arc::new(overlay)),
            paths: Some(vec![relative]),
            jobs: 1,
            ..Settings::default()
        };
        let report =
            scan(&settings, &NoProgress).map_err(|error| ApiError::Internal(error.to_string()))?;
        let mut out = Vec::new();
        emit(Format::Json, &report, EmitOptions::default(), &mut out)
            .map_err(|error| ApiError::Internal(error.to_string()))?;
        Ok(out)
    }
}

/// A relative path of plain components ending in `.py`.
fn checked_path(path: &str) -> Result<PathBuf, String> {
    let candidate = Path::new(path);
    let plain = !path.is_empty()
        && path.len() <= 255
        && candidate
            .components()
            .all(|component| matches!(component, Component::Normal(_)));
    if !plain
        || candidate
            .extension()
            .is_none_or(|extension| extension != "py")
    {
        return Err(format!(
            "`path` must be a relative path to a `.py` file, such as `views.py`; got `{path}`"
        ));
    }
    Ok(candidate.to_path_buf())
}

fn rules_json() -> Value {
    let list: Vec<Value> = rules().iter().map(|rule| rule_json(rule, false)).collect();
    let mut bundles: Vec<Value> = Vec::new();
    for bundle in BUNDLES {
        if bundles.iter().any(|seen| seen["name"] == bundle.name) {
            continue;
        }
        let members: Vec<&str> = rules()
            .iter()
            .filter(|rule| bundle.name == "python/all" || rule.bundles.contains(&bundle.name))
            .map(|rule| rule.id)
            .collect();
        bundles.push(json!({
            "name": bundle.name,
            "description": bundle.description,
            "rules": members,
        }));
    }
    json!({ "rules": list, "bundles": bundles })
}

/// A rule's metadata and examples; with `full`, its documentation too.
fn rule_json(rule: &Rule, full: bool) -> Value {
    let mut value = json!({
        "id": rule.id,
        "name": rule.name,
        "title": rule.title,
        "summary": rule.summary(),
        "severity": rule.severity.as_str(),
        "status": rule.status.as_str(),
        "since": rule.since,
        "cwe": rule.cwe,
        "owasp": rule.owasp,
        "bundles": rule.bundles,
    });
    // A rule with only a project pass judges the whole project, which a
    // single file cannot show.
    value["whole_project"] = json!(!rule.checks_files());
    value["examples"] = crate::examples::for_rule(rule)
        .iter()
        .map(|example| {
            json!({
                "name": example.name,
                "kind": example.kind.as_str(),
                "path": example.path,
                "source": example.source,
            })
        })
        .collect();
    if full {
        value["docs"] = json!(rule.docs);
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request<'a>(method: &'a str, url: &'a str, body: Option<&'a [u8]>) -> Request<'a> {
        Request {
            method,
            url,
            host: Some("127.0.0.1:8000"),
            origin: None,
            content_type: Some("application/json"),
            body,
        }
    }

    #[test]
    fn refuses_other_hosts_and_origins() {
        let mut evil = request("GET", "/", None);
        evil.host = Some("attacker.example:8000");
        assert_eq!(route(&evil, 8000).status, 421);
        evil.host = Some("127.0.0.1:9999");
        assert_eq!(route(&evil, 8000).status, 421);
        evil.host = None;
        assert_eq!(route(&evil, 8000).status, 421);
        let mut cross = request("GET", "/api/rules", None);
        cross.origin = Some("http://attacker.example");
        assert_eq!(route(&cross, 8000).status, 403);
        cross.origin = Some("http://localhost:8000");
        assert_eq!(route(&cross, 8000).status, 200);
    }

    #[test]
    fn rejects_bad_paths() {
        for path in ["", "/etc/x.py", "../x.py", "a/../x.py", "x.txt", "x"] {
            assert!(checked_path(path).is_err(), "{path}");
        }
        assert!(checked_path("app/views.py").is_ok());
    }

    #[test]
    fn rejects_bad_bodies() {
        assert_eq!(route(&request("POST", "/api/scan", None), 8000).status, 413);
        let reply = route(&request("POST", "/api/scan", Some(b"{")), 8000);
        assert_eq!(reply.status, 400);
        assert!(String::from_utf8_lossy(&reply.body).contains("malformed JSON"));
        let reply = route(
            &request("POST", "/api/scan", Some(br#"{"source": 1}"#)),
            8000,
        );
        assert_eq!(reply.status, 400);
        let reply = route(
            &request(
                "POST",
                "/api/scan",
                Some(br#"{"source": "", "ruleset": ["nope"]}"#),
            ),
            8000,
        );
        assert_eq!(reply.status, 400);
        let mut form = request("POST", "/api/scan", Some(b"source=x"));
        form.content_type = Some("text/plain");
        assert_eq!(route(&form, 8000).status, 415);
    }
}
