//! `--output gitlab`: a GitLab SAST security report (schema version 15).
//!
//! The report has `version`, `scan` (analyzer, scanner, type `sast`, status,
//! start and end times) and one vulnerability per finding with a stable `id`
//! derived from the finding's fingerprint, `category`, `name`, `description`,
//! `severity` (`Critical`, `High`, `Medium`, `Low`), `solution`, `location`
//! (file, start and end line) and `identifiers`: the rule id first (the
//! primary identifier), then its CWE ids.

use std::fmt::Write as _;
use std::io::{self, Write};

use pathfinder_diagnostics::Severity;
use pathfinder_engine::ScanReport;
use pathfinder_rules::find_rule;
use serde_json::{Value, json};

use crate::span;

/// The schema version written; GitLab 16 and later ingest 15.0.x reports.
const SCHEMA_VERSION: &str = "15.0.6";

pub(crate) fn write(report: &ScanReport, out: &mut dyn Write) -> io::Result<()> {
    let mut vulnerabilities = Vec::new();
    for file in &report.files {
        for finding in &file.findings {
            let diagnostic = &finding.diagnostic;
            let (start, end) = span(file, diagnostic);
            let rule = find_rule(diagnostic.rule);
            let fingerprint = &finding.fingerprint;
            let mut identifiers = vec![json!({
                "type": "pathfinder_rule_id",
                "name": format!("pathfinder {}", diagnostic.rule),
                "value": diagnostic.rule,
            })];
            for cwe in rule.map_or(&[][..], |rule| rule.cwe) {
                let number = cwe.trim_start_matches("CWE-");
                identifiers.push(json!({
                    "type": "cwe",
                    "name": cwe,
                    "value": number,
                    "url": format!("https://cwe.mitre.org/data/definitions/{number}.html"),
                }));
            }
            let mut description = diagnostic.message.clone();
            let insecure = diagnostic.insecure_attributes();
            if !insecure.is_empty() {
                let _ = write!(
                    description,
                    "\n\nInsecure attributes: {}.",
                    insecure.join(", ")
                );
            }
            let mut vulnerability = json!({
                "id": uuid_like(diagnostic.rule, &file.path, fingerprint),
                "category": "sast",
                "name": rule.map_or(diagnostic.rule, |rule| rule.title),
                "description": description,
                "severity": severity(diagnostic.severity),
                "location": {
                    "file": file.path,
                    "start_line": start.line,
                    "end_line": end.line,
                },
                "identifiers": identifiers,
            });
            if let Some(solution) = rule.and_then(|rule| rule.section("How to fix")) {
                vulnerability["solution"] = Value::from(solution);
            }
            vulnerabilities.push(vulnerability);
        }
    }
    let started = report.stats.started_unix;
    let ended = started + report.stats.elapsed.as_secs();
    let tool = json!({
        "id": "pathfinder",
        "name": "pathfinder",
        "version": env!("CARGO_PKG_VERSION"),
        "vendor": { "name": "pathfinder" },
    });
    let document = json!({
        "version": SCHEMA_VERSION,
        "schema": format!("https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v{SCHEMA_VERSION}/dist/sast-report-format.json"),
        "scan": {
            "analyzer": tool,
            "scanner": tool,
            "type": "sast",
            "status": "success",
            "start_time": timestamp(started),
            "end_time": timestamp(ended),
        },
        "vulnerabilities": vulnerabilities,
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
    }
}

/// A UUID-shaped id that stays the same for the same finding across runs.
fn uuid_like(rule: &str, path: &str, fingerprint: &str) -> String {
    let fnv = |seed: u64| {
        let mut hash = seed;
        for byte in rule
            .bytes()
            .chain([0])
            .chain(path.bytes())
            .chain([0])
            .chain(fingerprint.bytes())
        {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        hash
    };
    let high = fnv(0xcbf2_9ce4_8422_2325);
    let low = fnv(0x8422_2325_cbf2_9ce4);
    let hex = format!("{high:016x}{low:016x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// `YYYY-MM-DDTHH:MM:SS` in UTC, the form the schema's pattern accepts.
fn timestamp(unix: u64) -> String {
    let days = unix / 86_400;
    let seconds = unix % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00");
        assert_eq!(timestamp(951_782_400), "2000-02-29T00:00:00");
        assert_eq!(timestamp(1_767_225_599), "2025-12-31T23:59:59");
    }

    #[test]
    fn ids_are_stable_and_uuid_shaped() {
        let id = uuid_like("R-1", "a.py", "00:1");
        assert_eq!(id, uuid_like("R-1", "a.py", "00:1"));
        assert_ne!(id, uuid_like("R-1", "a.py", "00:2"));
        assert_eq!(id.len(), 36);
        assert_eq!(id.matches('-').count(), 4);
    }
}
