//! The GitHub REST API, as `pathfinder ci` uses it: review comments and issue
//! comments of one pull request. This is the command line's only network use.
//!
//! The base URL comes from `GITHUB_API_URL` (default `https://api.github.com`),
//! so tests point it at a local server. Errors become sentences that say what
//! was being done and what to check; the token never appears in them (it is
//! redacted from every message), and pagination follows `Link: rel="next"`
//! only on the same API origin, so the token is never sent elsewhere. A rate
//! limit (403 or 429 with `Retry-After`, or `x-ratelimit-remaining: 0`) is
//! waited out once per request, within 60 seconds for the whole run. Each
//! request has a deadline (30 seconds, or `PATHFINDER_GITHUB_TIMEOUT`) for the
//! whole exchange, reply included, and a request that misses it says so.

use std::cell::Cell;
use std::time::Duration;

use serde_json::Value;

/// The longest the whole run waits for rate limits.
const WAIT_BUDGET: Duration = Duration::from_mins(1);
/// The deadline of one request, from connecting to the last byte of the
/// reply, unless `PATHFINDER_GITHUB_TIMEOUT` (seconds) says otherwise. A
/// server that answers a byte at a time is cut off here.
const REQUEST_DEADLINE: Duration = Duration::from_secs(30);
/// Pages of 100 items; more than this many pages is surely a loop.
const MAX_PAGES: usize = 100;

/// A failed request, with a message meant for the person reading the CI log.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub(crate) status: Option<u16>,
    pub(crate) message: String,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A client for one repository.
pub(crate) struct GitHub {
    agent: ureq::Agent,
    api: String,
    token: String,
    repo: String,
    budget: Cell<Duration>,
    deadline: Duration,
}

struct Reply {
    body: String,
    next: Option<String>,
}

impl GitHub {
    pub(crate) fn new(api: &str, token: String, repo: String) -> GitHub {
        let deadline = std::env::var("PATHFINDER_GITHUB_TIMEOUT")
            .ok()
            .and_then(|text| text.trim().parse::<u64>().ok())
            .filter(|seconds| *seconds > 0)
            .map_or(REQUEST_DEADLINE, Duration::from_secs);
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(deadline))
            .user_agent(concat!("pathfinder/", env!("CARGO_PKG_VERSION")))
            .max_redirects(0)
            .build()
            .new_agent();
        GitHub {
            agent,
            api: api.trim_end_matches('/').to_string(),
            token,
            repo,
            budget: Cell::new(WAIT_BUDGET),
            deadline,
        }
    }

    pub(crate) fn review_comments(&self, pr: u64) -> Result<Vec<Value>, ApiError> {
        self.get_all(
            &format!("/repos/{}/pulls/{pr}/comments", self.repo),
            "listing the pull request's review comments",
        )
    }

    pub(crate) fn create_review_comment(
        &self,
        pr: u64,
        comment: &Value,
        what: &str,
    ) -> Result<Value, ApiError> {
        let reply = self.request(
            "POST",
            &format!("{}/repos/{}/pulls/{pr}/comments", self.api, self.repo),
            Some(comment),
            what,
        )?;
        Ok(serde_json::from_str(&reply.body).unwrap_or(Value::Null))
    }

    pub(crate) fn delete_review_comment(&self, id: u64, what: &str) -> Result<(), ApiError> {
        self.request(
            "DELETE",
            &format!("{}/repos/{}/pulls/comments/{id}", self.api, self.repo),
            None,
            what,
        )
        .map(|_| ())
    }

    pub(crate) fn issue_comments(&self, pr: u64) -> Result<Vec<Value>, ApiError> {
        self.get_all(
            &format!("/repos/{}/issues/{pr}/comments", self.repo),
            "listing the pull request's comments",
        )
    }

    pub(crate) fn create_issue_comment(&self, pr: u64, body: &str) -> Result<(), ApiError> {
        self.request(
            "POST",
            &format!("{}/repos/{}/issues/{pr}/comments", self.api, self.repo),
            Some(&serde_json::json!({ "body": body })),
            "creating the summary comment",
        )
        .map(|_| ())
    }

    pub(crate) fn update_issue_comment(&self, id: u64, body: &str) -> Result<(), ApiError> {
        self.request(
            "PATCH",
            &format!("{}/repos/{}/issues/comments/{id}", self.api, self.repo),
            Some(&serde_json::json!({ "body": body })),
            "updating the summary comment",
        )
        .map(|_| ())
    }

    /// Every item of a paginated list.
    fn get_all(&self, path: &str, what: &str) -> Result<Vec<Value>, ApiError> {
        let mut items = Vec::new();
        let mut url = format!("{}{path}?per_page=100", self.api);
        for _ in 0..MAX_PAGES {
            let reply = self.request("GET", &url, None, what)?;
            let page: Value = serde_json::from_str(&reply.body).map_err(|error| ApiError {
                status: None,
                message: format!("GitHub sent a reply that is not JSON while {what}: {error}"),
            })?;
            let Value::Array(page) = page else {
                return Err(ApiError {
                    status: None,
                    message: format!("GitHub sent a reply that is not a list while {what}"),
                });
            };
            items.extend(page);
            match reply.next {
                Some(next) if next.starts_with(&format!("{}/", self.api)) => url = next,
                _ => return Ok(items),
            }
        }
        Ok(items)
    }

    /// One request, retried once after a rate limit when the wait fits the budget.
    fn request(
        &self,
        method: &str,
        url: &str,
        body: Option<&Value>,
        what: &str,
    ) -> Result<Reply, ApiError> {
        for attempt in 0..2 {
            let mut response = self.send(method, url, body).map_err(|error| ApiError {
                status: None,
                message: self.redact(&match error {
                    ureq::Error::Timeout(_) => self.timed_out(what),
                    error => format!(
                        "could not reach GitHub at {} while {what}: {error}",
                        self.api
                    ),
                }),
            })?;
            let status = response.status().as_u16();
            let header = |name: &str| {
                response
                    .headers()
                    .get(name)
                    .and_then(|value| value.to_str().ok())
                    .map(str::trim)
                    .map(ToString::to_string)
            };
            let retry_after = header("retry-after");
            let remaining = header("x-ratelimit-remaining");
            let reset = header("x-ratelimit-reset");
            let next = header("link").as_deref().and_then(next_link);
            let text = response
                .body_mut()
                .with_config()
                .limit(64 * 1024 * 1024)
                .read_to_string()
                .map_err(|error| ApiError {
                    status: Some(status),
                    message: self.redact(&match error {
                        ureq::Error::Timeout(_) => self.timed_out(what),
                        error => format!("could not read GitHub's reply while {what}: {error}"),
                    }),
                })?;
            if (200..300).contains(&status) {
                return Ok(Reply { body: text, next });
            }
            let rate_limited = status == 429
                || (status == 403 && (retry_after.is_some() || remaining.as_deref() == Some("0")));
            if rate_limited && attempt == 0 {
                let wait = wait_for(retry_after.as_deref(), reset.as_deref());
                let left = self.budget.get();
                if wait <= left {
                    self.budget.set(left.saturating_sub(wait));
                    std::thread::sleep(wait);
                    continue;
                }
            }
            return Err(ApiError {
                status: Some(status),
                message: self.redact(&explain(status, &text, what, &self.repo, rate_limited)),
            });
        }
        unreachable!("the loop returns on its second attempt")
    }

    fn send(
        &self,
        method: &str,
        url: &str,
        body: Option<&Value>,
    ) -> Result<ureq::http::Response<ureq::Body>, ureq::Error> {
        let authorization = format!("Bearer {}", self.token);
        macro_rules! with_headers {
            ($builder:expr) => {
                $builder
                    .header("Accept", "application/vnd.github+json")
                    .header("X-GitHub-Api-Version", "2022-11-28")
                    .header("Authorization", &authorization)
            };
        }
        let payload = body.map(Value::to_string).unwrap_or_default();
        match method {
            "GET" => with_headers!(self.agent.get(url)).call(),
            "DELETE" => with_headers!(self.agent.delete(url)).call(),
            "PATCH" => with_headers!(self.agent.patch(url))
                .header("Content-Type", "application/json")
                .send(payload),
            _ => with_headers!(self.agent.post(url))
                .header("Content-Type", "application/json")
                .send(payload),
        }
    }

    fn timed_out(&self, what: &str) -> String {
        format!(
            "GitHub at {} did not answer in full within {} s while {what}: the request timed out (PATHFINDER_GITHUB_TIMEOUT sets the limit)",
            self.api,
            self.deadline.as_secs()
        )
    }

    /// `text` with the token replaced.
    pub(crate) fn redact(&self, text: &str) -> String {
        redact(text, &self.token)
    }
}

/// `text` with every occurrence of `secret` replaced by `***`.
pub(crate) fn redact(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        text.to_string()
    } else {
        text.replace(secret, "***")
    }
}

/// How long to wait before retrying a rate-limited request.
fn wait_for(retry_after: Option<&str>, reset: Option<&str>) -> Duration {
    if let Some(seconds) = retry_after.and_then(|text| text.parse::<u64>().ok()) {
        return Duration::from_secs(seconds);
    }
    if let Some(reset) = reset.and_then(|text| text.parse::<u64>().ok()) {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_secs());
        return Duration::from_secs(reset.saturating_sub(now) + 1);
    }
    Duration::from_mins(1)
}

/// The `rel="next"` URL of a `Link` header.
fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        params
            .split(';')
            .any(|param| param.trim() == "rel=\"next\"")
            .then(|| {
                url.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string()
            })
    })
}

/// GitHub's own explanation from an error body: `message` and `errors`.
fn github_message(body: &str) -> String {
    let Ok(value) = serde_json::from_str::<Value>(body) else {
        return body.chars().take(200).collect();
    };
    let mut parts = Vec::new();
    if let Some(message) = value.get("message").and_then(Value::as_str) {
        parts.push(message.to_string());
    }
    for error in value
        .get("errors")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        match error {
            Value::String(text) => parts.push(text.clone()),
            other => {
                if let Some(text) = other.get("message").and_then(Value::as_str) {
                    parts.push(text.to_string());
                } else if let Some(field) = other.get("field").and_then(Value::as_str) {
                    let code = other
                        .get("code")
                        .and_then(Value::as_str)
                        .unwrap_or("invalid");
                    parts.push(format!("{field}: {code}"));
                }
            }
        }
    }
    parts.join("; ")
}

fn explain(status: u16, body: &str, what: &str, repo: &str, rate_limited: bool) -> String {
    let said = github_message(body);
    let said = if said.is_empty() {
        String::new()
    } else {
        format!(" GitHub said: \"{said}\".")
    };
    match status {
        401 => format!(
            "GitHub rejected the token (401 Unauthorized) while {what}.{said} Check --github-token or GITHUB_TOKEN."
        ),
        403 | 429 if rate_limited => format!(
            "GitHub's rate limit was hit ({status}) while {what} and did not lift within the time pathfinder waits.{said} Run again later."
        ),
        403 => format!(
            "GitHub refused the request (403 Forbidden) while {what}.{said} The token needs `pull-requests: write` (and `issues: write` for --pr-comment); in a workflow, grant them under `permissions:`. A pull request from a fork gets a read-only GITHUB_TOKEN."
        ),
        404 => format!(
            "GitHub found nothing (404 Not Found) while {what}.{said} Check that the repository `{repo}` and the pull request exist and that the token can see them."
        ),
        422 => format!(
            "GitHub could not process the request (422 Unprocessable Entity) while {what}.{said} For a review comment this usually means the line is not part of the pull request's diff, or the commit is not its head."
        ),
        other => format!("GitHub answered {other} while {what}.{said}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_messages_and_redaction() {
        assert_eq!(
            next_link(
                "<https://api.github.com/x?page=2>; rel=\"next\", <https://api.github.com/x?page=5>; rel=\"last\""
            ),
            Some("https://api.github.com/x?page=2".to_string())
        );
        assert_eq!(next_link("<https://a/x?page=1>; rel=\"prev\""), None);
        assert_eq!(
            github_message(
                r#"{"message":"Validation Failed","errors":[{"resource":"PullRequestReviewComment","code":"custom","field":"pull_request_review_thread.line","message":"could not be resolved"}]}"#
            ),
            "Validation Failed; could not be resolved"
        );
        assert_eq!(redact("token abc123 here", "abc123"), "token *** here");
        assert_eq!(wait_for(Some("1"), None), Duration::from_secs(1));
    }
}
