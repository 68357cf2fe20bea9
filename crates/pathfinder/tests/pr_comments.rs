//! `pathfinder ci` against a pull request, end to end: a temporary git
//! repository with two commits (the first has one insecure cookie write; the
//! second adds two and fixes the first) and a fake GitHub REST API on
//! 127.0.0.1 that records every request and answers as GitHub does. No test
//! touches the network.

#![allow(
    clippy::print_stderr,
    reason = "the recorded requests are printed for people reading the test log"
)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tempfile::TempDir;

const TOKEN: &str = "ghs_TopSecretToken4242";
const REPO: &str = "acme/shop";
const PR: u64 = 7;

const FIRST: &str = r#"from django.http import HttpResponse


def old_view(request):
    response = HttpResponse("old")
    response.set_cookie("legacy", "1")
    return response
"#;

/// The old call is fixed; `new_one` (line 11) and `new_two` (line 17) are new.
const SECOND: &str = r#"from django.http import HttpResponse


def old_view(request):
    response = HttpResponse("old")
    response.set_cookie("legacy", "1", secure=True, httponly=True, samesite="Lax")
    return response


def new_one(request):
    response = HttpResponse("one")
    response.set_cookie("first", "1")
    return response


def new_two(request):
    response = HttpResponse("two")
    response.set_cookie("second", "2", secure=True)
    return response
"#;

// ---------------------------------------------------------------- fake GitHub

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Normal,
    /// Every request gets 403 "Resource not accessible by integration".
    Forbidden,
    /// The first request gets 429 with `Retry-After: 0`, then all is normal.
    RateLimitOnce,
}

#[derive(Debug, Clone)]
struct Recorded {
    method: String,
    path: String,
    body: Option<Value>,
    authorized: bool,
}

impl std::fmt::Display for Recorded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method, self.path)?;
        if let Some(body) = &self.body {
            let mut body = body.clone();
            // The comment bodies are long; show their marker line only.
            if let Some(text) = body.get("body").and_then(Value::as_str) {
                let marker = text.lines().last().unwrap_or_default().to_string();
                body["body"] = Value::from(format!("…{marker}"));
            }
            write!(f, " {body}")?;
        }
        Ok(())
    }
}

struct State {
    mode: Mode,
    review_comments: Vec<Value>,
    issue_comments: Vec<Value>,
    next_id: u64,
    /// A review comment on this (path, line) gets 422.
    reject: Option<(String, u64)>,
    requests: Vec<Recorded>,
    port: u16,
}

#[derive(Clone)]
struct FakeGitHub {
    state: Arc<Mutex<State>>,
    url: String,
}

impl FakeGitHub {
    fn start(mode: Mode) -> FakeGitHub {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(State {
            mode,
            review_comments: Vec::new(),
            issue_comments: Vec::new(),
            next_id: 1000,
            reject: None,
            requests: Vec::new(),
            port,
        }));
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                serve(stream, &shared);
            }
        });
        FakeGitHub {
            state,
            url: format!("http://127.0.0.1:{port}"),
        }
    }

    fn add_review_comment(&self, body: &str, path: &str, line: u64) -> u64 {
        let mut state = self.state.lock().unwrap();
        state.next_id += 1;
        let id = state.next_id;
        state
            .review_comments
            .push(json!({ "id": id, "body": body, "path": path, "line": line }));
        id
    }

    fn requests(&self) -> Vec<Recorded> {
        self.state.lock().unwrap().requests.clone()
    }

    fn clear_requests(&self) {
        self.state.lock().unwrap().requests.clear();
    }

    fn review_comments(&self) -> Vec<Value> {
        self.state.lock().unwrap().review_comments.clone()
    }

    fn issue_comments(&self) -> Vec<Value> {
        self.state.lock().unwrap().issue_comments.clone()
    }
}

fn serve(stream: TcpStream, state: &Mutex<State>) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut headers = BTreeMap::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|text| text.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or_default().to_string();
    let body: Option<Value> = serde_json::from_slice(&body).ok();
    let (status, extra, reply) = {
        let mut state = state.lock().unwrap();
        state.requests.push(Recorded {
            method: method.clone(),
            path: target.clone(),
            body: body.clone(),
            authorized: headers.get("authorization").map(String::as_str)
                == Some(&format!("Bearer {TOKEN}")),
        });
        route(&mut state, &method, &target, body.as_ref())
    };
    let reason = match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        403 => "Forbidden",
        404 => "Not Found",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        _ => "Whatever",
    };
    let text = reply.map(|value| value.to_string()).unwrap_or_default();
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n{text}",
        text.len()
    );
    let mut stream = stream;
    let _ = stream.write_all(response.as_bytes());
    let _ = stream.flush();
}

/// GitHub's answer: status, extra header lines, JSON body.
fn route(
    state: &mut State,
    method: &str,
    target: &str,
    body: Option<&Value>,
) -> (u16, String, Option<Value>) {
    match state.mode {
        Mode::Forbidden => {
            return (
                403,
                String::new(),
                Some(json!({
                    "message": "Resource not accessible by integration",
                    "documentation_url": "https://docs.github.com/rest"
                })),
            );
        }
        Mode::RateLimitOnce => {
            state.mode = Mode::Normal;
            return (
                429,
                "Retry-After: 0\r\nx-ratelimit-remaining: 0\r\n".to_string(),
                Some(json!({ "message": "API rate limit exceeded" })),
            );
        }
        Mode::Normal => {}
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let page: usize = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("page="))
        .and_then(|page| page.parse().ok())
        .unwrap_or(1);
    let pulls = format!("/repos/{REPO}/pulls/{PR}/comments");
    let issues = format!("/repos/{REPO}/issues/{PR}/comments");
    let next_id = |state: &mut State| {
        state.next_id += 1;
        state.next_id
    };
    match method {
        "GET" if path == pulls => {
            let list = state.review_comments.clone();
            paginate(&list, page, path, state.port)
        }
        "GET" if path == issues => {
            let list = state.issue_comments.clone();
            paginate(&list, page, path, state.port)
        }
        "POST" if path == pulls => {
            let body = body.cloned().unwrap_or(Value::Null);
            let at = (
                body["path"].as_str().unwrap_or_default().to_string(),
                body["line"].as_u64().unwrap_or(0),
            );
            if state.reject.as_ref() == Some(&at) {
                return (
                    422,
                    String::new(),
                    Some(json!({
                        "message": "Validation Failed",
                        "errors": [{
                            "resource": "PullRequestReviewComment",
                            "code": "custom",
                            "field": "pull_request_review_thread.line",
                            "message": "could not be resolved"
                        }],
                        "documentation_url": "https://docs.github.com/rest"
                    })),
                );
            }
            let id = next_id(state);
            let comment = json!({ "id": id, "body": body["body"], "path": at.0, "line": at.1 });
            state.review_comments.push(comment.clone());
            (201, String::new(), Some(comment))
        }
        "POST" if path == issues => {
            let id = next_id(state);
            let comment =
                json!({ "id": id, "body": body.map_or(Value::Null, |b| b["body"].clone()) });
            state.issue_comments.push(comment.clone());
            (201, String::new(), Some(comment))
        }
        "DELETE" => {
            let prefix = format!("/repos/{REPO}/pulls/comments/");
            let Some(id) = path
                .strip_prefix(&prefix)
                .and_then(|id| id.parse::<u64>().ok())
            else {
                return (404, String::new(), Some(json!({ "message": "Not Found" })));
            };
            let before = state.review_comments.len();
            state.review_comments.retain(|comment| comment["id"] != id);
            if state.review_comments.len() == before {
                return (404, String::new(), Some(json!({ "message": "Not Found" })));
            }
            (204, String::new(), None)
        }
        "PATCH" => {
            let prefix = format!("/repos/{REPO}/issues/comments/");
            let id = path
                .strip_prefix(&prefix)
                .and_then(|id| id.parse::<u64>().ok());
            let Some(comment) = state
                .issue_comments
                .iter_mut()
                .find(|comment| Some(comment["id"].as_u64().unwrap_or(0)) == id)
            else {
                return (404, String::new(), Some(json!({ "message": "Not Found" })));
            };
            comment["body"] = body.map_or(Value::Null, |b| b["body"].clone());
            (200, String::new(), Some(comment.clone()))
        }
        _ => (404, String::new(), Some(json!({ "message": "Not Found" }))),
    }
}

/// Pages of two items, with GitHub's `Link` header, so pagination is exercised.
fn paginate(list: &[Value], page: usize, path: &str, port: u16) -> (u16, String, Option<Value>) {
    const SIZE: usize = 2;
    let items: Vec<Value> = list
        .iter()
        .skip((page - 1) * SIZE)
        .take(SIZE)
        .cloned()
        .collect();
    let link = if page * SIZE < list.len() {
        format!(
            "Link: <http://127.0.0.1:{port}{path}?per_page=100&page={}>; rel=\"next\"\r\n",
            page + 1
        )
    } else {
        String::new()
    };
    (200, link, Some(Value::Array(items)))
}

// ------------------------------------------------------------ git repository

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Dev", "-c", "user.email=dev@example.com"])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .expect("run git");
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

/// A repository on branch `feature` (two commits) forked from `main` (one).
fn repository() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    std::fs::create_dir_all(dir.path().join("app")).unwrap();
    std::fs::write(dir.path().join("app/views.py"), FIRST).unwrap();
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "An insecure old call"]);
    git(dir.path(), &["checkout", "-q", "-b", "feature"]);
    std::fs::write(dir.path().join("app/views.py"), SECOND).unwrap();
    git(
        dir.path(),
        &["commit", "-q", "-am", "Two new cookies; fix the old one"],
    );
    dir
}

/// The fingerprint of the old finding, as the first commit's scan reports it.
fn old_fingerprint(repo: &Path) -> String {
    git(repo, &["checkout", "-q", "main"]);
    let output = pathfinder(repo, &[], &["scan", "-p", ".", "-o", "json"]);
    git(repo, &["checkout", "-q", "feature"]);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["findings"].as_array().unwrap().len(), 1);
    report["findings"][0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string()
}

fn pathfinder(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pathfinder"));
    command.args(args).current_dir(dir).env("NO_COLOR", "1");
    for name in [
        "GITHUB_ACTIONS",
        "GITHUB_EVENT_PATH",
        "GITHUB_BASE_REF",
        "GITHUB_REPOSITORY",
        "GITHUB_API_URL",
        "GITHUB_TOKEN",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    command.output().expect("run pathfinder")
}

fn ci_with_flags(repo: &Path, server: &FakeGitHub) -> Output {
    pathfinder(
        repo,
        &[("GITHUB_API_URL", &server.url)],
        &[
            "ci",
            "-p",
            ".",
            "--base",
            "main",
            "--pr-inline",
            "--pr-comment",
            "--github-token",
            TOKEN,
            "--github-repo",
            REPO,
            "--github-pr",
            "7",
        ],
    )
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_token_hidden(output: &Output) {
    assert!(!text(&output.stdout).contains(TOKEN), "token on stdout");
    assert!(!text(&output.stderr).contains(TOKEN), "token on stderr");
}

fn show(requests: &[Recorded]) -> String {
    requests
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

fn count(requests: &[Recorded], method: &str, path_start: &str) -> usize {
    requests
        .iter()
        .filter(|request| request.method == method && request.path.starts_with(path_start))
        .count()
}

// --------------------------------------------------------------------- tests

/// The whole life of a pull request in GitHub Actions: the first run posts
/// the two new findings, deletes the comment of the fixed one and creates the
/// summary; the second run posts nothing and edits the summary in place.
#[test]
fn pull_request_in_github_actions() {
    let repo = repository();
    let head = git(repo.path(), &["rev-parse", "HEAD"]);
    let server = FakeGitHub::start(Mode::Normal);
    // A previous run, on the first commit, commented on the old finding.
    let old_marker = format!(
        "<!-- pathfinder:PYTHON-DJANGO-SEC-070:app/views.py:{} -->",
        old_fingerprint(repo.path())
    );
    let old_id = server.add_review_comment(
        &format!("**PYTHON-DJANGO-SEC-070** (medium): old\n{old_marker}"),
        "app/views.py",
        6,
    );
    let human = server.add_review_comment("Looks good to me", "app/views.py", 1);
    server.add_review_comment("Nit: naming", "app/views.py", 2);

    let event = repo.path().join("event.json");
    std::fs::write(
        &event,
        json!({ "number": PR, "pull_request": { "number": PR, "head": { "sha": head } } })
            .to_string(),
    )
    .unwrap();
    let event = event.to_str().unwrap().to_string();
    let env = [
        ("GITHUB_ACTIONS", "true"),
        ("GITHUB_EVENT_PATH", event.as_str()),
        ("GITHUB_BASE_REF", "main"),
        ("GITHUB_REPOSITORY", REPO),
        ("GITHUB_API_URL", server.url.as_str()),
        ("GITHUB_TOKEN", TOKEN),
    ];
    let run = || {
        pathfinder(
            repo.path(),
            &env,
            &[
                "ci",
                "-p",
                ".",
                "--pr-inline",
                "--pr-comment",
                "--fail-on",
                "medium",
            ],
        )
    };

    let first = run();
    let requests = server.requests();
    eprintln!("first run, recorded requests:\n{}\n", show(&requests));
    eprintln!("first run, stderr:\n{}", text(&first.stderr));
    assert_eq!(
        first.status.code(),
        Some(1),
        "two medium findings meet --fail-on medium"
    );
    assert_token_hidden(&first);
    assert!(requests.iter().all(|request| request.authorized));
    let sarif: Value = serde_json::from_slice(&first.stdout).expect("SARIF on stdout");
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(
        sarif["runs"][0]["results"].as_array().unwrap().len(),
        2,
        "the SARIF of the whole project: the old call is fixed"
    );

    let posts: Vec<&Recorded> = requests
        .iter()
        .filter(|request| request.method == "POST" && request.path.contains("/pulls/"))
        .collect();
    assert_eq!(posts.len(), 2, "{}", show(&requests));
    let mut lines: Vec<u64> = posts
        .iter()
        .map(|post| post.body.as_ref().unwrap()["line"].as_u64().unwrap())
        .collect();
    lines.sort_unstable();
    assert_eq!(lines, vec![12, 18]);
    for post in &posts {
        let body = post.body.as_ref().unwrap();
        assert_eq!(body["commit_id"], head.as_str());
        assert_eq!(body["path"], "app/views.py");
        assert_eq!(body["side"], "RIGHT");
        let comment = body["body"].as_str().unwrap();
        assert!(comment.contains("<!-- pathfinder:PYTHON-DJANGO-SEC-070:app/views.py:"));
        assert!(
            comment.contains("`secure`") || comment.contains("`httponly`"),
            "{comment}"
        );
        assert!(!comment.contains(&old_marker));
    }
    assert_eq!(
        count(
            &requests,
            "DELETE",
            &format!("/repos/{REPO}/pulls/comments/{old_id}")
        ),
        1,
        "the fixed finding's comment is deleted"
    );
    assert_eq!(count(&requests, "DELETE", "/"), 1, "human comments stay");
    assert!(
        server
            .review_comments()
            .iter()
            .any(|comment| comment["id"] == human)
    );
    assert_eq!(
        count(
            &requests,
            "POST",
            &format!("/repos/{REPO}/issues/{PR}/comments")
        ),
        1
    );
    let summary = server.issue_comments();
    assert_eq!(summary.len(), 1);
    let summary_body = summary[0]["body"].as_str().unwrap();
    assert!(summary_body.contains("<!-- pathfinder:summary -->"));
    assert!(summary_body.contains("2 insecure cookie writes on the lines this pull request"));
    assert!(summary_body.contains("`app/views.py:12`"));
    let stderr = text(&first.stderr);
    assert!(
        stderr.contains(
            "2 review comments posted, 0 already on the pull request, 1 outdated deleted"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("summary comment created"), "{stderr}");

    // The second run: nothing new to post, nothing to delete, summary edited.
    server.clear_requests();
    let second = run();
    let requests = server.requests();
    eprintln!("second run, recorded requests:\n{}\n", show(&requests));
    assert_eq!(second.status.code(), Some(1));
    assert_token_hidden(&second);
    assert_eq!(count(&requests, "POST", "/"), 0, "{}", show(&requests));
    assert_eq!(count(&requests, "DELETE", "/"), 0, "{}", show(&requests));
    assert_eq!(
        count(
            &requests,
            "PATCH",
            &format!("/repos/{REPO}/issues/comments/")
        ),
        1
    );
    assert_eq!(server.issue_comments().len(), 1, "edited in place");
    assert_eq!(
        server
            .review_comments()
            .iter()
            .filter(|comment| comment["body"]
                .as_str()
                .unwrap()
                .contains("<!-- pathfinder:"))
            .count(),
        2
    );
    assert!(
        text(&second.stderr).contains(
            "0 review comments posted, 2 already on the pull request, 0 outdated deleted"
        )
    );
}

#[test]
fn a_rejected_comment_does_not_block_the_others() {
    let repo = repository();
    let server = FakeGitHub::start(Mode::Normal);
    server.state.lock().unwrap().reject = Some(("app/views.py".to_string(), 12));
    let output = ci_with_flags(repo.path(), &server);
    let requests = server.requests();
    eprintln!("recorded requests:\n{}", show(&requests));
    let stderr = text(&output.stderr);
    eprintln!("stderr:\n{stderr}");
    assert_eq!(output.status.code(), Some(2), "an API failure is an error");
    assert_token_hidden(&output);
    assert_eq!(
        count(&requests, "POST", &format!("/repos/{REPO}/pulls/")),
        2
    );
    let kept = server.review_comments();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0]["line"], 18);
    assert!(stderr.contains("422 Unprocessable Entity"), "{stderr}");
    assert!(stderr.contains("app/views.py:12"), "{stderr}");
    assert!(stderr.contains("could not be resolved"), "{stderr}");
    assert!(stderr.contains("1 review comments posted"), "{stderr}");
    assert_eq!(
        server.issue_comments().len(),
        1,
        "the summary is still posted"
    );
}

#[test]
fn a_forbidden_token_is_reported_clearly() {
    let repo = repository();
    let server = FakeGitHub::start(Mode::Forbidden);
    let output = ci_with_flags(repo.path(), &server);
    let stderr = text(&output.stderr);
    eprintln!(
        "recorded requests:\n{}\nstderr:\n{stderr}",
        show(&server.requests())
    );
    assert_eq!(output.status.code(), Some(2));
    assert_token_hidden(&output);
    assert!(stderr.contains("403 Forbidden"), "{stderr}");
    assert!(
        stderr.contains("Resource not accessible by integration"),
        "{stderr}"
    );
    assert!(stderr.contains("pull-requests: write"), "{stderr}");
    assert_eq!(
        count(&server.requests(), "POST", "/"),
        0,
        "nothing is posted blind"
    );
    let sarif: Value = serde_json::from_slice(&output.stdout).expect("the report is still written");
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 2);
}

#[test]
fn a_rate_limit_is_waited_out_once() {
    let repo = repository();
    let server = FakeGitHub::start(Mode::RateLimitOnce);
    let output = ci_with_flags(repo.path(), &server);
    let requests = server.requests();
    eprintln!(
        "recorded requests:\n{}\nstderr:\n{}",
        show(&requests),
        text(&output.stderr)
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "no --fail-on, no API failure"
    );
    assert_eq!(
        count(
            &requests,
            "GET",
            &format!("/repos/{REPO}/pulls/{PR}/comments")
        ),
        2,
        "the rate-limited list is asked again"
    );
    assert_eq!(server.review_comments().len(), 2);
}

#[test]
fn missing_pull_request_details_are_usage_errors() {
    let repo = repository();
    let server = FakeGitHub::start(Mode::Normal);
    let output = pathfinder(
        repo.path(),
        &[("GITHUB_API_URL", &server.url)],
        &[
            "ci",
            "-p",
            ".",
            "--base",
            "main",
            "--pr-inline",
            "--github-repo",
            REPO,
            "--github-pr",
            "7",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("need a token"));
    let output = pathfinder(
        repo.path(),
        &[("GITHUB_API_URL", &server.url), ("GITHUB_TOKEN", TOKEN)],
        &[
            "ci",
            "-p",
            ".",
            "--pr-inline",
            "--github-repo",
            REPO,
            "--github-pr",
            "7",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("base branch"));
    let output = pathfinder(
        repo.path(),
        &[("GITHUB_API_URL", &server.url), ("GITHUB_TOKEN", TOKEN)],
        &[
            "ci",
            "-p",
            ".",
            "--base",
            "gone",
            "--pr-inline",
            "--github-repo",
            REPO,
            "--github-pr",
            "7",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("`gone` does not exist"));
    assert!(
        server.requests().is_empty(),
        "no request before the inputs are known"
    );
    assert_token_hidden(&output);
}
