//! Baselines: the findings a team accepted when it adopted the scanner.
//!
//! `--write-baseline FILE` records every finding of a scan as `(rule_id, path,
//! fingerprint)`; `--baseline FILE` leaves those out of later scans, so only
//! new findings are reported. Fingerprints do not use line numbers, so code
//! that moves within its file does not bring its finding back.
//!
//! The file is JSON:
//! `{"version": 1, "findings": [{"rule_id": ..., "path": ..., "fingerprint": ...}]}`,
//! sorted, so that it diffs well under version control.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::ScanReport;

/// The version this build writes and reads.
const VERSION: u64 = 1;

/// A set of accepted findings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    /// `(rule_id, path, fingerprint)`.
    entries: BTreeSet<(String, String, String)>,
}

impl Baseline {
    /// Every finding of `report`.
    pub fn from_report(report: &ScanReport) -> Baseline {
        let entries = report
            .files
            .iter()
            .flat_map(|file| {
                file.findings.iter().map(|finding| {
                    (
                        finding.diagnostic.rule.to_string(),
                        file.path.clone(),
                        finding.fingerprint.clone(),
                    )
                })
            })
            .collect();
        Baseline { entries }
    }

    /// Reads a baseline file's text.
    pub fn from_json(text: &str) -> Result<Baseline, String> {
        let document: Value =
            serde_json::from_str(text).map_err(|error| format!("not a baseline: {error}"))?;
        match document.get("version").and_then(Value::as_u64) {
            Some(VERSION) => {}
            Some(other) => {
                return Err(format!(
                    "baseline version {other} is not supported (this pathfinder reads version {VERSION})"
                ));
            }
            None => return Err("not a baseline: no `version`".to_string()),
        }
        let findings = document
            .get("findings")
            .and_then(Value::as_array)
            .ok_or("not a baseline: no `findings` list")?;
        let mut entries = BTreeSet::new();
        for (index, finding) in findings.iter().enumerate() {
            let field = |name: &str| {
                finding
                    .get(name)
                    .and_then(Value::as_str)
                    .map(ToString::to_string)
                    .ok_or_else(|| format!("baseline finding {index} has no string `{name}`"))
            };
            entries.insert((field("rule_id")?, field("path")?, field("fingerprint")?));
        }
        Ok(Baseline { entries })
    }

    /// The baseline file's text.
    pub fn to_json(&self) -> String {
        let findings: Vec<Value> = self
            .entries
            .iter()
            .map(|(rule, path, fingerprint)| {
                json!({ "rule_id": rule, "path": path, "fingerprint": fingerprint })
            })
            .collect();
        let document = json!({ "version": VERSION, "findings": findings });
        let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
        text.push('\n');
        text
    }

    pub fn contains(&self, rule: &str, path: &str, fingerprint: &str) -> bool {
        self.entries
            .contains(&(rule.to_string(), path.to_string(), fingerprint.to_string()))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_errors() {
        let text = r#"{"version": 1, "findings": [
            {"rule_id": "R-1", "path": "a.py", "fingerprint": "00ff:1"}
        ]}"#;
        let baseline = Baseline::from_json(text).unwrap();
        assert!(baseline.contains("R-1", "a.py", "00ff:1"));
        assert!(!baseline.contains("R-1", "a.py", "00ff:2"));
        assert_eq!(Baseline::from_json(&baseline.to_json()).unwrap(), baseline);
        assert!(
            Baseline::from_json(r#"{"version": 9, "findings": []}"#)
                .unwrap_err()
                .contains("version 9")
        );
        assert!(
            Baseline::from_json(r#"{"version": 1, "findings": [{"path": "a.py"}]}"#)
                .unwrap_err()
                .contains("`rule_id`")
        );
        assert!(Baseline::from_json("[").is_err());
    }
}
