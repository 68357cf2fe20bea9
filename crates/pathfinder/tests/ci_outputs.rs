//! The CI output formats on the demo project: GitHub workflow commands and
//! the GitLab SAST report. Rendering is pinned by snapshots; the shape GitLab
//! requires of its report (schema 15) by assertions.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn demo_project() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/demo-project")
        .canonicalize()
        .expect("the demo project exists")
}

fn scan_demo(format: &str) -> String {
    let project = demo_project();
    let output = Command::new(env!("CARGO_BIN_EXE_pathfinder"))
        .args([
            "scan",
            "--ruleset",
            "python/PYTHON-DJANGO-SEC-070",
            "--project",
        ])
        .arg(&project)
        .args(["--output", format])
        .env("NO_COLOR", "1")
        .output()
        .expect("run pathfinder");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("UTF-8 output")
        .replace(project.to_str().unwrap(), "[PROJECT]")
}

#[test]
fn github_output() {
    let log = scan_demo("github");
    for line in log.lines() {
        // Medium findings are warnings; the one credential cookie is high, an
        // error (`remember_me` holds only the flag "1").
        assert!(
            line.starts_with("::warning file=") || line.starts_with("::error file="),
            "{line}"
        );
        assert!(line.contains(",line=") && line.contains(",endLine=") && line.contains(",col="));
        assert!(line.contains(",title=PYTHON-DJANGO-SEC-070::"), "{line}");
    }
    assert_eq!(log.lines().count(), 5);
    assert_eq!(
        log.lines()
            .filter(|line| line.starts_with("::error"))
            .count(),
        1
    );
    insta::assert_snapshot!("demo_github", log);
}

#[test]
fn gitlab_output() {
    let report = scan_demo("gitlab");
    let document: Value = serde_json::from_str(&report).expect("JSON");
    assert!(document["version"].as_str().unwrap().starts_with("15."));
    let scan = &document["scan"];
    assert_eq!(scan["type"], "sast");
    assert_eq!(scan["status"], "success");
    for tool in ["analyzer", "scanner"] {
        for field in ["id", "name", "version"] {
            assert!(!scan[tool][field].as_str().unwrap().is_empty());
        }
        assert!(!scan[tool]["vendor"]["name"].as_str().unwrap().is_empty());
    }
    for time in ["start_time", "end_time"] {
        let text = scan[time].as_str().unwrap();
        assert_eq!(text.len(), 19, "{text}: YYYY-MM-DDTHH:MM:SS");
        assert_eq!(&text[10..11], "T");
    }
    let vulnerabilities = document["vulnerabilities"].as_array().unwrap();
    assert_eq!(vulnerabilities.len(), 5);
    for vulnerability in vulnerabilities {
        assert_eq!(vulnerability["id"].as_str().unwrap().len(), 36);
        assert!(["Medium", "High"].contains(&vulnerability["severity"].as_str().unwrap()));
        assert!(vulnerability["location"]["file"].as_str().is_some());
        assert!(vulnerability["location"]["start_line"].as_u64().is_some());
        let identifiers = vulnerability["identifiers"].as_array().unwrap();
        assert!(
            identifiers
                .iter()
                .any(|identifier| identifier["type"] == "cwe")
        );
        for identifier in identifiers {
            for field in ["type", "name", "value"] {
                assert!(!identifier[field].as_str().unwrap().is_empty());
            }
        }
    }
    // The times change on every run; everything else is pinned.
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", "[TIME]");
    settings.bind(|| insta::assert_snapshot!("demo_gitlab", report));
}
