//! `--output json`: one object with `findings`, `notices` and `summary`.

use std::io::{self, Write};

use pathfinder_diagnostics::{Applicability, Fix};
use pathfinder_engine::{FileReport, Finding, ScanReport, display_path};
use serde_json::{Value, json};

use crate::{span, stream};

/// A fix as JSON: its title, applicability and edits with one-based positions.
pub(crate) fn fix_json(file: &FileReport, fix: &Fix) -> Value {
    let edits: Vec<Value> = fix
        .edits
        .iter()
        .map(|edit| {
            let start = file
                .line_index
                .line_column(edit.range.start(), &file.source);
            let end = file.line_index.line_column(edit.range.end(), &file.source);
            json!({
                "start": { "line": start.line, "column": start.column },
                "end": { "line": end.line, "column": end.column },
                "content": edit.content.as_deref().unwrap_or(""),
            })
        })
        .collect();
    json!({
        "title": fix.title,
        "applicability": match fix.applicability {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::DisplayOnly => "display-only",
        },
        "edits": edits,
    })
}

pub(crate) fn write(report: &ScanReport, out: &mut dyn Write) -> io::Result<()> {
    let findings = report.files.iter().flat_map(|file| {
        file.findings
            .iter()
            .map(move |finding| finding_json(file, finding))
    });
    let notices: Vec<Value> = report
        .notices
        .iter()
        .map(|notice| json!({ "path": display_path(&notice.path), "reason": notice.message }))
        .collect();
    let mut document = json!({
        "version": env!("CARGO_PKG_VERSION"),
        "findings": stream::MARKER,
        "notices": notices,
        "summary": {
            "findings": report.finding_count(),
            "fixed": report.fixes_applied(),
            "files_seen": report.stats.files_seen,
            "files_parsed": report.stats.files_parsed,
            "files_skipped_as_tests": report.stats.files_skipped_as_tests,
        },
    });
    if !report.unused_ignores.is_empty() {
        document["unused_ignores"] = report
            .unused_ignores
            .iter()
            .map(|ignore| {
                json!({
                    "path": ignore.path,
                    "line": ignore.line,
                    "column": ignore.column,
                    "comment": ignore.comment,
                    "message": ignore.message(),
                })
            })
            .collect();
    }
    stream::write_pretty(out, &document, findings)
}
/// One finding as JSON.
fn finding_json(file: &FileReport, finding: &Finding) -> Value {
    let diagnostic = &finding.diagnostic;
    let (start, end) = span(file, diagnostic);
    let attributes: serde_json::Map<String, Value> = diagnostic
        .details
        .iter()
        .map(|detail| {
            (
                detail.attribute.to_string(),
                json!({ "state": detail.state.as_str(), "reason": detail.reason }),
            )
        })
        .collect();
    json!({
        "rule_id": diagnostic.rule,
        "severity": diagnostic.severity.as_str(),
        "path": file.path,
        "line": start.line,
        "column": start.column,
        "end_line": end.line,
        "end_column": end.column,
        "message": diagnostic.message,
        "insecure": diagnostic.insecure_attributes(),
        "attributes": attributes,
        "fingerprint": finding.fingerprint,
        "fix": diagnostic.fix.as_ref().map_or(Value::Null, |fix| fix_json(file, fix)),
        "related": diagnostic
            .related
            .iter()
            .map(|related| json!({
                "path": related.path,
                "line": related.line,
                "column": related.column,
                "message": related.message,
            }))
            .collect::<Vec<Value>>(),
    })
}
