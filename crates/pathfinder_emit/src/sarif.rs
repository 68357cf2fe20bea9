//! `--output sarif`: SARIF 2.1.0 as GitHub code scanning reads it.
//!
//! Paths are relative to the project, under the `%SRCROOT%` base id; each rule
//! carries its documentation as `help` and a `security-severity`; each result
//! carries `partialFingerprints` and the insecure attributes.

use std::io::{self, Write};

use pathfinder_engine::ScanReport;
use pathfinder_rules::{Rule, rules};
use serde_json::{Value, json};

use crate::span;

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

fn file_uri(path: &std::path::Path) -> String {
    let mut text = path.to_string_lossy().replace('\\', "/");
    if !text.ends_with('/') {
        text.push('/');
    }
    if !text.starts_with('/') {
        text.insert(0, '/');
    }
    let encoded: String = text
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' | b':' => {
                (byte as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect();
    format!("file://{encoded}")
}

fn relative_uri(path: &str) -> String {
    path.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (byte as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

pub(crate) fn write(report: &ScanReport, out: &mut dyn Write) -> io::Result<()> {
    let all_rules = rules();
    let mut results = Vec::new();
    for file in &report.files {
        for finding in &file.findings {
            let diagnostic = &finding.diagnostic;
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
            results.push(json!({
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
            }));
        }
    }
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
                            "uri": relative_uri(&notice.path.to_string_lossy()),
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
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
