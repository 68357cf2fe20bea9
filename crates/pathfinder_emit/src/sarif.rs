//! `--output sarif`: SARIF 2.1.0 as GitHub code scanning reads it.
//!
//! Paths are relative to the project, under the `%SRCROOT%` base id; each rule
//! carries its documentation as `help` and a `security-severity`; each result
//! carries `partialFingerprints` and the insecure attributes.

use std::io::{self, Write};

use pathfinder_engine::{FileReport, Finding, ScanReport, display_path};
use pathfinder_rules::{Rule, rules};
use serde_json::{Value, json};

use crate::{span, stream};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn rule_descriptor(rule: &Rule) -> Value {
    let mut tags: Vec<String> = vec!["security".to_string()];
    tags.extend(rule.tags.iter().map(ToString::to_string));
    tags.extend(
        rule.cwe
            .iter()
            .map(|cwe| format!("external/cwe/{}", cwe.to_ascii_lowercase())),
    );
    tags.extend(rule.owasp.iter().map(|owasp| format!("owasp/{owasp}")));
    json!({
        "id": rule.id,
        "name": rule.name,
        "shortDescription": { "text": rule.title },
        "fullDescription": { "text": rule.summary() },
        "help": { "text": rule.docs, "markdown": rule.docs },
        "defaultConfiguration": { "level": rule.severity.level().as_str() },
        "properties": {
            "tags": tags,
            "precision": "high",
            "problem.severity": rule.severity.level().as_str(),
            "security-severity": rule.severity.security_severity(),
        },
    })
}

/// The project folder as a `file://` URI.
fn file_uri(path: &std::path::Path) -> String {
    let mut text = display_path(path);
    if !text.ends_with('/') {
        text.push('/');
    }
    if !text.starts_with('/') {
        text.insert(0, '/');
    }
    format!("file://{}", encode_uri_path(&text, b":"))
}

/// A project-relative path as a URI reference.
fn relative_uri(path: &str) -> String {
    encode_uri_path(path, b"")
}

/// Percent-encodes a path written by [`display_path`] for a URI: its `%`
/// escapes (a literal `%`, a byte that is not UTF-8) are kept as they are,
/// every other byte outside the unreserved set, `/` and `also` is encoded.
fn encode_uri_path(path: &str, also: &[u8]) -> String {
    path.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' | b'%' => {
                (byte as char).to_string()
            }
            other if also.contains(&other) => (other as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

pub(crate) fn write(report: &ScanReport, out: &mut dyn Write) -> io::Result<()> {
    let all_rules = rules();
    let results = report.files.iter().flat_map(|file| {
        file.findings
            .iter()
            .map(move |finding| result(file, finding))
    });
    let notifications: Vec<Value> = report
        .notices
        .iter()
        .map(|notice| {
            json!({
                "level": "warning",
                "message": { "text": notice.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": relative_uri(&display_path(&notice.path)),
                            "uriBaseId": "%SRCROOT%",
                        },
                    },
                }],
            })
        })
        .collect();
    let document = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "pathfinder",
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": all_rules.iter().map(|rule| rule_descriptor(rule)).collect::<Vec<_>>(),
                },
            },
            "originalUriBaseIds": { "%SRCROOT%": { "uri": file_uri(&report.root) } },
            "invocations": [{
                "executionSuccessful": true,
                "toolExecutionNotifications": notifications,
            }],
            "results": stream::MARKER,
        }],
    });
    stream::write_pretty(out, &document, results)
}

/// One finding as a SARIF result.
fn result(file: &FileReport, finding: &Finding) -> Value {
    let diagnostic = &finding.diagnostic;
    let all_rules = rules();
    let (start, end) = span(file, diagnostic);
    let rule_index = all_rules.iter().position(|rule| rule.id == diagnostic.rule);
    let fixes: Vec<Value> = diagnostic
                .fix
                .iter()
                .map(|fix| {
                    let replacements: Vec<Value> = fix
                        .edits
                        .iter()
                        .map(|edit| {
                            let start = file.line_index.line_column(edit.range.start(), &file.source);
                            let end = file.line_index.line_column(edit.range.end(), &file.source);
                            json!({
                                "deletedRegion": {
                                    "startLine": start.line,
                                    "startColumn": start.column,
                                    "endLine": end.line,
                                    "endColumn": end.column,
                                },
                                "insertedContent": { "text": edit.content.as_deref().unwrap_or("") },
                            })
                        })
                        .collect();
                    json!({
                        "description": { "text": fix.title },
                        "artifactChanges": [{
                            "artifactLocation": { "uri": relative_uri(&file.path), "uriBaseId": "%SRCROOT%" },
                            "replacements": replacements,
                        }],
                    })
                })
                .collect();
    let related: Vec<Value> = diagnostic
        .related
        .iter()
        .enumerate()
        .map(|(id, related)| {
            json!({
                "id": id,
                "physicalLocation": {
                    "artifactLocation": { "uri": relative_uri(&related.path), "uriBaseId": "%SRCROOT%" },
                    "region": { "startLine": related.line, "startColumn": related.column },
                },
                "message": { "text": related.message },
            })
        })
        .collect();
    let mut result = json!({
        "ruleId": diagnostic.rule,
        "ruleIndex": rule_index,
        // The finding's own severity (a secret cookie is high, an
        // override may change it), not the rule's default.
        "level": diagnostic.severity.level().as_str(),
        "message": { "text": diagnostic.message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": relative_uri(&file.path), "uriBaseId": "%SRCROOT%" },
                "region": {
                    "startLine": start.line,
                    "startColumn": start.column,
                    "endLine": end.line,
                    "endColumn": end.column,
                },
            },
        }],
        "partialFingerprints": { "pathfinderFingerprint/v1": finding.fingerprint },
        "fixes": fixes,
        "properties": {
            "severity": diagnostic.severity.as_str(),
            "security-severity": diagnostic.severity.security_severity(),
            "insecure": diagnostic.insecure_attributes(),
        },
    });
    if !related.is_empty() {
        result["relatedLocations"] = Value::Array(related);
    }
    result
}
