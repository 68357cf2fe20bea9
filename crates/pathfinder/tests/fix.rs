//! `--fix`, `--diff` and `--unsafe-fixes` through the binary, on files on disk.
//! The shapes of the edits are pinned by the `.fixed.py` fixtures; these tests
//! pin what happens to files.

use std::path::Path;
use std::process::{Command, Output};

const INSECURE: &str = "from django.http import HttpResponse\n\n\ndef view(request):\n    response = HttpResponse('ok')\n    response.set_cookie('a', 'b')\n    return response\n";
const EXPLICIT: &str = "from django.http import HttpResponse\n\n\ndef view(request):\n    response = HttpResponse('ok')\n    response.set_cookie('a', 'b', secure=False, httponly=True, samesite='Lax')\n    return response\n";

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pathfinder"))
        .arg("scan")
        .args(args)
        .arg("--project")
        .arg(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run pathfinder")
}

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

#[test]
fn diff_changes_nothing_and_exits_one() {
    let dir = project(&[("views.py", INSECURE)]);
    let output = run(dir.path(), &["--diff"]);
    assert_eq!(output.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&output.stdout);
    assert!(
        diff.contains(
            "+    response.set_cookie('a', 'b', secure=True, httponly=True, samesite='Lax')"
        ),
        "{diff}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("views.py")).unwrap(),
        INSECURE
    );
}

#[test]
fn fix_is_idempotent_and_reports_what_is_left() {
    let dir = project(&[("views.py", INSECURE), ("explicit.py", EXPLICIT)]);
    let output = run(dir.path(), &["--fix", "-o", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["fixed"], 1);
    // The explicit secure=False needs --unsafe-fixes: reported, file untouched.
    let left: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(left, ["explicit.py"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("explicit.py")).unwrap(),
        EXPLICIT
    );
    let fixed = std::fs::read_to_string(dir.path().join("views.py")).unwrap();
    assert!(
        fixed.contains("secure=True, httponly=True, samesite='Lax'"),
        "{fixed}"
    );

    let again = run(dir.path(), &["--fix", "-o", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(report["summary"]["fixed"], 0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("views.py")).unwrap(),
        fixed
    );

    let unsafe_run = run(dir.path(), &["--fix", "--unsafe-fixes", "-o", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&unsafe_run.stdout).unwrap();
    assert_eq!(report["summary"]["fixed"], 1);
    assert!(report["findings"].as_array().unwrap().is_empty());
}

#[cfg(unix)]
#[test]
fn read_only_files_are_reported_and_left_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project(&[("views.py", INSECURE)]);
    let path = dir.path().join("views.py");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let output = run(dir.path(), &["--fix", "-o", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["fixed"], 0);
    assert!(
        report["notices"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["reason"].as_str().unwrap().contains("read-only")),
        "{report}"
    );
    assert_eq!(
        report["findings"].as_array().unwrap().len(),
        1,
        "the finding is still reported"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), INSECURE);
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o444
    );
}

#[test]
fn suppressed_findings_are_not_fixed() {
    let text = INSECURE.replace("samesite", "x").replace(
        "    response.set_cookie('a', 'b')\n",
        "    response.set_cookie('a', 'b')  # pathfinder: ignore[PYTHON-DJANGO-SEC-070]\n",
    );
    let dir = project(&[("views.py", &text)]);
    let output = run(dir.path(), &["--fix", "-o", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["fixed"], 0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("views.py")).unwrap(),
        text
    );
}
