//! `pathfinder ci`: a scan for CI, and the pull-request comments of GitHub Actions.
//!
//! The scan and its report (SARIF unless `--output` says otherwise) are those
//! of `scan`. Then, for a pull request:
//!
//! - `--pr-inline` posts one review comment per finding at or above
//!   `--fail-on` (default: every finding) that starts on a line the pull
//!   request added or changed. Each comment ends with a hidden marker
//!   `<!-- pathfinder:RULE:PATH:FINGERPRINT -->`; a finding whose marker is
//!   already on the pull request is not posted again, and our comments whose
//!   finding is gone are deleted. Comments are posted one by one, so GitHub
//!   rejecting one (422) does not lose the others.
//! - `--pr-comment` keeps one summary comment, found by the marker
//!   `<!-- pathfinder:summary -->` and edited in place on later runs.
//!
//! The repository, pull request, base branch and token come from the flags or
//! from GitHub Actions' environment (`GITHUB_REPOSITORY`, `GITHUB_EVENT_PATH`,
//! `GITHUB_BASE_REF`, `GITHUB_TOKEN`, `GITHUB_API_URL`). A failed API request
//! is reported on standard error and makes the exit code 2, after every other
//! request was tried.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::Write;

use pathfinder_diagnostics::{Diagnostic, Severity};
use pathfinder_engine::diff::{changed_lines, repository_prefix, resolve};
use pathfinder_engine::{ChangedLines, FileReport, Finding, ScanReport};
use serde_json::{Value, json};

use crate::Outcome;
use crate::args::{CiArgs, OutputFormat};
use crate::commands::{CommandError, finish, plan_and_scan};
use crate::github::{ApiError, GitHub, redact};

const SUMMARY_MARKER: &str = "<!-- pathfinder:summary -->";
const MARKER_PREFIX: &str = "<!-- pathfinder:";
/// The summary lists at most this many findings.
const SUMMARY_ROWS: usize = 50;

/// What GitHub Actions tells a step about its run.
#[derive(Debug, Default)]
struct Environment {
    in_actions: bool,
    repository: Option<String>,
    base_ref: Option<String>,
    api_url: String,
    token: Option<String>,
    pr: Option<u64>,
    head_sha: Option<String>,
}

impl Environment {
    fn detect() -> Result<Environment, CommandError> {
        let var = |name: &str| {
            std::env::var(name)
                .ok()
                .filter(|value| !value.trim().is_empty())
        };
        let mut environment = Environment {
            in_actions: var("GITHUB_ACTIONS").is_some_and(|value| value == "true"),
            repository: var("GITHUB_REPOSITORY"),
            base_ref: var("GITHUB_BASE_REF"),
            api_url: var("GITHUB_API_URL").unwrap_or_else(|| "https://api.github.com".to_string()),
            token: var("GITHUB_TOKEN"),
            ..Environment::default()
        };
        if let Some(path) = var("GITHUB_EVENT_PATH") {
            let text = std::fs::read_to_string(&path).map_err(|error| {
                CommandError::Usage(format!("cannot read GITHUB_EVENT_PATH `{path}`: {error}"))
            })?;
            let event: Value = serde_json::from_str(&text).map_err(|error| {
                CommandError::Usage(format!("GITHUB_EVENT_PATH `{path}` is not JSON: {error}"))
            })?;
            environment.pr = event
                .pointer("/pull_request/number")
                .or_else(|| event.get("number"))
                .and_then(Value::as_u64);
            environment.head_sha = event
                .pointer("/pull_request/head/sha")
                .and_then(Value::as_str)
                .map(ToString::to_string);
        }
        Ok(environment)
    }
}

/// One finding as the pull request sees it.
struct Item<'a> {
    file: &'a FileReport,
    finding: &'a Finding,
    line: usize,
}

impl Item<'_> {
    fn marker(&self) -> String {
        marker(
            self.finding.diagnostic.rule,
            &self.file.path,
            &self.finding.fingerprint,
        )
    }
}

fn marker(rule: &str, path: &str, fingerprint: &str) -> String {
    format!("{MARKER_PREFIX}{rule}:{path}:{fingerprint} -->")
}

pub(crate) fn ci_command(args: &CiArgs) -> Result<Outcome, CommandError> {
    let environment = Environment::detect()?;
    let project = &args.scan.project;
    let wants_github = args.pr_inline || args.pr_comment;
    // The base of the pull request: --base, else GITHUB_BASE_REF as fetched
    // from origin (what actions/checkout provides), else as a local branch.
    let base = args.scan.base.clone().or_else(|| {
        environment.base_ref.as_ref().map(|name| {
            let remote = format!("origin/{name}");
            if resolve(project, &remote).is_ok() {
                remote
            } else {
                name.clone()
            }
        })
    });
    // Without --diff-aware, the review comments still go only on the lines
    // the pull request changed: those lines, narrowed as a diff-aware scan
    // narrows.
    let pr_diff = match (args.scan.diff_aware, args.pr_inline, &base) {
        (false, true, Some(base)) => Some(
            changed_lines(project, base, args.scan.head.as_deref())
                .map_err(|error| CommandError::Usage(error.to_string()))?,
        ),
        (false, true, None) => {
            return Err(CommandError::Usage(
                "--pr-inline needs the pull request's base branch: --base REF, or GITHUB_BASE_REF in GitHub Actions".to_string(),
            ));
        }
        (true, _, _) | (false, false, _) => None,
    };
    // The scan of `scan`, diff-aware or not. A diff-aware report keeps the
    // findings off the diff aside, so that comments of findings still
    // present are never deleted.
    let (plan, report) = plan_and_scan(&args.scan, OutputFormat::Sarif, base.as_deref())?;
    let diff_aware = plan.settings.changed_lines.is_some();

    let mut stderr = anstream::stderr();

    let mut failures: Vec<String> = Vec::new();
    if wants_github {
        let token = args
            .github_token
            .clone()
            .filter(|token| !token.is_empty())
            .or_else(|| environment.token.clone())
            .ok_or_else(|| {
                CommandError::Usage(
                    "--pr-inline and --pr-comment need a token: --github-token or GITHUB_TOKEN"
                        .to_string(),
                )
            })?;
        let repo = args
            .github_repo
            .clone()
            .or_else(|| environment.repository.clone())
            .filter(|repo| repo.split('/').count() == 2 && !repo.starts_with('/') && !repo.ends_with('/'))
            .ok_or_else(|| {
                CommandError::Usage(
                    "the repository is unknown: pass --github-repo OWNER/NAME (GITHUB_REPOSITORY in GitHub Actions)".to_string(),
                )
            })?;
        let pr = args.github_pr.or(environment.pr).ok_or_else(|| {
            CommandError::Usage(format!(
                "the pull request is unknown: pass --github-pr NUMBER{}",
                if environment.in_actions {
                    " (this workflow event is not a pull request)"
                } else {
                    ""
                }
            ))
        })?;
        let github = GitHub::new(&environment.api_url, token.clone(), repo);
        let all: Vec<Item<'_>> = items(&report, Scope::All);
        let on_diff = || {
            if diff_aware {
                Some(items(&report, Scope::Reported))
            } else {
                pr_diff
                    .as_ref()
                    .map(|changed| items(&report, Scope::Changed(changed)))
            }
        };
        if args.pr_inline {
            let head = match &environment.head_sha {
                Some(sha) => sha.clone(),
                None => resolve(project, args.scan.head.as_deref().unwrap_or("HEAD"))
                    .map_err(|error| CommandError::Usage(error.to_string()))?,
            };
            let prefix = repository_prefix(project)
                .map_err(|error| CommandError::Usage(error.to_string()))?;
            let threshold = plan.fail_on.unwrap_or(Severity::Low);
            let on_diff: Vec<Item<'_>> = on_diff()
                .unwrap_or_default()
                .into_iter()
                .filter(|item| item.finding.diagnostic.severity >= threshold)
                .collect();
            let summary = post_inline(&github, pr, &head, &prefix, &on_diff, &all, &mut failures);
            writeln!(stderr, "pathfinder ci: {summary}")?;
        }
        if args.pr_comment {
            let on_diff = on_diff();
            let body = summary_body(&all, on_diff.as_deref());
            match upsert_summary(&github, pr, &body) {
                Ok(done) => writeln!(stderr, "pathfinder ci: summary comment {done}")?,
                Err(error) => failures.push(error.message),
            }
        }
        for failure in &mut failures {
            *failure = redact(failure, &token);
        }
    }

    let outcome = finish(&args.scan, &plan, &report)?;
    if failures.is_empty() {
        return Ok(outcome);
    }
    for failure in &failures {
        writeln!(stderr, "error: {failure}")?;
    }
    Ok(Outcome::Error)
}

/// Which findings of a report a pull request sees.
#[derive(Clone, Copy)]
enum Scope<'a> {
    /// The findings reported.
    Reported,
    /// Those and, in a diff-aware scan, the findings off the diff.
    All,
    /// The findings reported that a diff-aware scan of these changes keeps.
    Changed(&'a ChangedLines),
}

/// The findings of `report` in `scope`.
fn items<'a>(report: &'a ScanReport, scope: Scope<'_>) -> Vec<Item<'a>> {
    report
        .files
        .iter()
        .flat_map(|file| {
            let aside: &[Finding] = match scope {
                Scope::All => &file.outside_diff,
                Scope::Reported | Scope::Changed(_) => &[],
            };
            file.findings.iter().chain(aside).map(move |finding| Item {
                file,
                finding,
                line: file.start_line(&finding.diagnostic),
            })
        })
        .filter(|item| match scope {
            Scope::Changed(changed) => {
                changed.keeps(&item.file.path, &item.finding.diagnostic, item.line)
            }
            Scope::Reported | Scope::All => true,
        })
        .collect()
}

/// Posts the missing review comments and deletes the outdated ones; returns
/// a one-line account. Failures are collected, never fatal.
fn post_inline(
    github: &GitHub,
    pr: u64,
    head: &str,
    prefix: &str,
    on_diff: &[Item<'_>],
    all: &[Item<'_>],
    failures: &mut Vec<String>,
) -> String {
    let existing = match github.review_comments(pr) {
        Ok(existing) => existing,
        Err(error) => {
            failures.push(format!(
                "{} No review comment was posted or deleted, to avoid duplicates.",
                error.message
            ));
            return "review comments skipped".to_string();
        }
    };
    // Our comments: (id, marker).
    let ours: Vec<(u64, String)> = existing
        .iter()
        .filter_map(|comment| {
            let id = comment.get("id").and_then(Value::as_u64)?;
            let body = comment.get("body").and_then(Value::as_str)?;
            let marker = find_marker(body)?;
            Some((id, marker))
        })
        .collect();
    let posted_markers: HashSet<&str> = ours.iter().map(|(_, marker)| marker.as_str()).collect();
    let current: HashSet<String> = all.iter().map(Item::marker).collect();
    let (mut posted, mut present, mut deleted) = (0, 0, 0);
    for item in on_diff {
        let marker = item.marker();
        if posted_markers.contains(marker.as_str()) {
            present += 1;
            continue;
        }
        let what = format!(
            "posting the comment for {} on {}:{}",
            item.finding.diagnostic.rule, item.file.path, item.line
        );
        let mut comment = json!({
            "body": comment_body(item),
            "commit_id": head,
            "path": format!("{prefix}{}", item.file.path),
            "line": item.line,
            "side": "RIGHT",
        });
        if let Some((first, last, _)) = suggestion(item.file, &item.finding.diagnostic)
            && last > first
        {
            comment["start_line"] = json!(first);
            comment["line"] = json!(last);
            comment["start_side"] = json!("RIGHT");
        }
        match github.create_review_comment(pr, &comment, &what) {
            Ok(_) => posted += 1,
            // The token or the pull request is wrong: every other comment
            // would fail the same way, so say it once.
            Err(ApiError {
                status: Some(401 | 403 | 404),
                message,
            }) => {
                failures.push(message);
                return format!("{posted} review comments posted before GitHub refused");
            }
            Err(ApiError { message, .. }) => failures.push(message),
        }
    }
    for (id, marker) in &ours {
        if current.contains(marker) {
            continue;
        }
        let what = format!("deleting the outdated comment {id}");
        match github.delete_review_comment(*id, &what) {
            Ok(()) => deleted += 1,
            Err(error) => failures.push(error.message),
        }
    }
    format!(
        "{posted} review comments posted, {present} already on the pull request, {deleted} outdated deleted"
    )
}

/// The marker of one of our review comments (never the summary's).
fn find_marker(body: &str) -> Option<String> {
    let start = body.find(MARKER_PREFIX)?;
    let end = start + body[start..].find("-->")? + "-->".len();
    let marker = &body[start..end];
    (marker != SUMMARY_MARKER).then(|| marker.to_string())
}

fn comment_body(item: &Item<'_>) -> String {
    let diagnostic = &item.finding.diagnostic;
    let mut body = format!(
        "**{}** ({}): {}\n",
        diagnostic.rule, diagnostic.severity, diagnostic.message
    );
    let insecure: Vec<_> = diagnostic
        .details
        .iter()
        .filter(|detail| detail.state.is_insecure())
        .collect();
    if !insecure.is_empty() {
        body.push_str("\nInsecure attributes:\n");
        for detail in insecure {
            let _ = writeln!(body, "- `{}`: {}", detail.attribute, detail.reason);
        }
    }
    if let Some((_, _, replacement)) = suggestion(item.file, diagnostic) {
        let title = diagnostic
            .fix
            .as_ref()
            .map_or("Suggested fix", |fix| fix.title.as_str());
        let _ = write!(body, "\n{title}:\n```suggestion\n{replacement}\n```\n");
    }
    let _ = write!(
        body,
        "\n<sub>`pathfinder explain {}` tells more.</sub>\n{}",
        diagnostic.rule,
        item.marker()
    );
    body
}

/// The hook for fixes: the lines a finding's fix rewrites (one-based, first
/// and last) and their text after the fix, as a GitHub `suggestion` block
/// needs them. Rules do not offer fixes yet, so this returns `None` today.
fn suggestion(file: &FileReport, diagnostic: &Diagnostic) -> Option<(usize, usize, String)> {
    let fix = diagnostic.fix.as_ref()?;
    let first_edit = fix.edits.first()?;
    let last_edit = fix.edits.last()?;
    let index = &file.line_index;
    let first = index.line_of(first_edit.range.start());
    let last = index.line_of(last_edit.range.end());
    let start = usize::from(index.line_start(first));
    let end = if last + 1 < index.line_count() {
        usize::from(index.line_start(last + 1))
    } else {
        file.source.len()
    };
    let mut text = String::new();
    let mut at = start;
    for edit in &fix.edits {
        let (from, to) = (
            usize::from(edit.range.start()),
            usize::from(edit.range.end()),
        );
        text.push_str(file.source.get(at..from)?);
        text.push_str(edit.content.as_deref().unwrap_or(""));
        at = to;
    }
    text.push_str(file.source.get(at..end)?);
    Some((
        first + 1,
        last + 1,
        text.trim_end_matches(['\n', '\r']).to_string(),
    ))
}

fn summary_body(all: &[Item<'_>], on_diff: Option<&[Item<'_>]>) -> String {
    let shown = on_diff.unwrap_or(all);
    let mut body = format!("{SUMMARY_MARKER}\n### pathfinder\n\n");
    let scope = if on_diff.is_some() {
        "on the lines this pull request adds or changes"
    } else {
        "in the project"
    };
    if shown.is_empty() {
        let _ = writeln!(body, "No insecure cookie write {scope}.");
    } else {
        let _ = write!(
            body,
            "{} insecure cookie write{} {scope}:\n\n| Severity | Rule | Location | Problem |\n|---|---|---|---|\n",
            shown.len(),
            if shown.len() == 1 { "" } else { "s" }
        );
        for item in shown.iter().take(SUMMARY_ROWS) {
            let _ = writeln!(
                body,
                "| {} | {} | `{}:{}` | {} |",
                item.finding.diagnostic.severity,
                item.finding.diagnostic.rule,
                item.file.path,
                item.line,
                item.finding
                    .diagnostic
                    .message
                    .replace('|', "\\|")
                    .replace('\n', " ")
            );
        }
        if shown.len() > SUMMARY_ROWS {
            let _ = write!(body, "\n…and {} more.\n", shown.len() - SUMMARY_ROWS);
        }
    }
    if on_diff.is_some() {
        let _ = write!(body, "\n{} in the whole project.\n", all.len());
    }
    body
}

/// Creates the summary comment or edits ours in place; says which.
fn upsert_summary(github: &GitHub, pr: u64, body: &str) -> Result<&'static str, ApiError> {
    let comments = github.issue_comments(pr)?;
    let ours = comments.iter().find_map(|comment| {
        let text = comment.get("body").and_then(Value::as_str)?;
        text.contains(SUMMARY_MARKER)
            .then(|| comment.get("id").and_then(Value::as_u64))
            .flatten()
    });
    if let Some(id) = ours {
        github.update_issue_comment(id, body)?;
        Ok("updated")
    } else {
        github.create_issue_comment(pr, body)?;
        Ok("created")
    }
}
