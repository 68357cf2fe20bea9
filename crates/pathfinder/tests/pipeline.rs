//! One sequence for every finding, through the built binary: file rules and
//! project rules alike are suppressed, baselined, narrowed to a diff and
//! fixed the same way, by `scan` and by `ci`.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;
use tempfile::TempDir;

#[path = "common/git.rs"]
mod git_repo;
use git_repo::git;

const SETTINGS: &str = "DEBUG = False\nINSTALLED_APPS = ['django.contrib.sessions']\nMIDDLEWARE = [\n    'django.contrib.sessions.middleware.SessionMiddleware',\n    'django.middleware.csrf.CsrfViewMiddleware',\n]\nSESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\n";
const WSGI: &str = "import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\napplication = get_wsgi_application()\n";
const HEADER: &str = "from django.http import HttpResponse\nr = HttpResponse()\n";

fn project(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn pathfinder(dir: &Path, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pathfinder"));
    command.args(args).current_dir(dir).env("NO_COLOR", "1");
    // `ci` reads GitHub Actions' environment; these tests run outside it.
    for (name, _) in std::env::vars() {
        if name.starts_with("GITHUB_") {
            command.env_remove(name);
        }
    }
    command.output().expect("run pathfinder")
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "{error}: {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// `(rule, path, line)` of each finding of a JSON report.
fn findings(report: &Value) -> Vec<(String, String, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            (
                finding["rule_id"].as_str().unwrap().to_string(),
                finding["path"].as_str().unwrap().to_string(),
                finding["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn notices(report: &Value) -> Vec<String> {
    report["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|notice| format!("{}: {}", notice["path"], notice["reason"]))
        .collect()
}

fn read(dir: &TempDir, path: &str) -> String {
    std::fs::read_to_string(dir.path().join(path)).unwrap()
}

#[test]
fn scan_and_ci_narrow_a_diff_the_same_way() {
    let views = format!("{HEADER}r.set_cookie('old', 'v')\n");
    let dir = project(&[
        ("site/__init__.py", ""),
        ("site/settings.py", SETTINGS),
        ("site/wsgi.py", WSGI),
        ("site/views.py", &views),
    ]);
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "first"]);
    git(dir.path(), &["checkout", "-q", "-b", "feature"]);
    // The change deletes a line of the deployed settings (a finding no
    // changed line holds) and adds a cookie write; the old one stays off
    // the diff.
    std::fs::write(
        dir.path().join("site/settings.py"),
        SETTINGS.replace("SESSION_COOKIE_SECURE = True\n", ""),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("site/views.py"),
        format!("{views}r.set_cookie('new', 'v')\n"),
    )
    .unwrap();
    git(dir.path(), &["commit", "-q", "-am", "change"]);

    let args = ["-o", "json", "--diff-aware", "--base", "main"];
    let scanned = pathfinder(dir.path(), &[&["scan"], &args[..]].concat());
    assert_eq!(
        scanned.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&scanned.stderr)
    );
    let from_ci = pathfinder(dir.path(), &[&["ci"], &args[..]].concat());
    assert_eq!(
        from_ci.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&from_ci.stderr)
    );
    let scanned = findings(&json(&scanned));
    let rules: Vec<&str> = scanned.iter().map(|(rule, _, _)| rule.as_str()).collect();
    assert_eq!(
        rules,
        ["PYTHON-DJANGO-SEC-071", "PYTHON-DJANGO-SEC-070"],
        "{scanned:?}"
    );
    assert_eq!(
        scanned[1],
        (
            "PYTHON-DJANGO-SEC-070".to_string(),
            "site/views.py".to_string(),
            4
        )
    );
    assert_eq!(findings(&json(&from_ci)), scanned);
}

#[test]
fn a_settings_file_with_a_cookie_write_is_fixed_in_one_run() {
    // The deployed settings never set CSRF_COOKIE_SECURE (a project
    // finding) and write a cookie (a file finding): both fixes apply.
    let settings = format!(
        "{}{HEADER}r.set_cookie('a', 'b')\n",
        SETTINGS.replace("CSRF_COOKIE_SECURE = True\n", "")
    );
    let dir = project(&[
        ("site/__init__.py", ""),
        ("site/settings.py", &settings),
        ("site/wsgi.py", WSGI),
    ]);
    let before = pathfinder(dir.path(), &["scan", "-o", "json"]);
    let mut rules: Vec<String> = findings(&json(&before))
        .into_iter()
        .map(|(rule, _, _)| rule)
        .collect();
    rules.sort();
    assert_eq!(rules, ["PYTHON-DJANGO-SEC-070", "PYTHON-DJANGO-SEC-072"]);

    let fixed = pathfinder(dir.path(), &["scan", "--fix", "-o", "json"]);
    let report = json(&fixed);
    assert_eq!(report["summary"]["fixed"], 2, "{report}");
    assert!(findings(&report).is_empty(), "{report}");
    assert!(notices(&report).is_empty(), "{report}");
    let text = read(&dir, "site/settings.py");
    assert!(text.contains("CSRF_COOKIE_SECURE = True\n"), "{text}");
    assert!(
        text.contains("r.set_cookie('a', 'b', secure=True, httponly=True, samesite='Lax')"),
        "{text}"
    );

    let again = pathfinder(dir.path(), &["scan", "--fix", "-o", "json"]);
    let report = json(&again);
    assert_eq!(report["summary"]["fixed"], 0, "{report}");
    assert!(findings(&report).is_empty(), "{report}");
    assert_eq!(read(&dir, "site/settings.py"), text);
}

#[test]
fn a_file_with_syntax_errors_is_never_fixed() {
    // Issue 14, reproducer 3: a call that does not parse gets no fix at all,
    // and a fixable call in a file broken elsewhere is not fixed either.
    let broken_call = format!("{HEADER}r.set_cookie('sessionid', 'v', secure=False=)\n");
    let broken_elsewhere = format!("{HEADER}r.set_cookie('sessionid', 'v')\ndef f(:\n    pass\n");
    let dir = project(&[("a.py", &broken_call), ("b.py", &broken_elsewhere)]);
    let output = pathfinder(
        dir.path(),
        &["scan", "--fix", "--unsafe-fixes", "-o", "json"],
    );
    let report = json(&output);
    assert_eq!(read(&dir, "a.py"), broken_call, "a.py is left as it was");
    assert_eq!(
        read(&dir, "b.py"),
        broken_elsewhere,
        "b.py is left as it was"
    );
    assert_eq!(report["summary"]["fixed"], 0);
    let found = findings(&report);
    assert_eq!(found.len(), 2, "{report}");
    let in_a = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|finding| finding["path"] == "a.py")
        .expect("a.py's finding");
    assert!(
        in_a["fix"].is_null(),
        "no fix for a call that does not parse: {report}"
    );
    assert!(
        notices(&report).iter().any(|notice| notice.contains("b.py")
            && notice.contains("not fixed: the file has syntax errors")),
        "{report}"
    );
    let diff = pathfinder(dir.path(), &["scan", "--diff", "--unsafe-fixes"]);
    assert!(
        diff.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&diff.stdout)
    );
    assert_eq!(diff.status.code(), Some(0));
}

#[test]
fn fix_leaves_baselined_findings_alone() {
    // Issue 14, reproducer 4.
    let old = format!("{HEADER}r.set_cookie('old', 'v')\n");
    let dir = project(&[("a.py", &old)]);
    let output = pathfinder(dir.path(), &["scan", "--write-baseline", "baseline.json"]);
    assert_eq!(output.status.code(), Some(0));
    let both = format!("{old}r.set_cookie('new', 'v')\n");
    std::fs::write(dir.path().join("a.py"), &both).unwrap();

    let output = pathfinder(
        dir.path(),
        &["scan", "--fix", "--baseline", "baseline.json", "-o", "json"],
    );
    let report = json(&output);
    assert_eq!(report["summary"]["fixed"], 1, "{report}");
    assert!(
        findings(&report).is_empty(),
        "the baselined call is still in the baseline: {report}"
    );
    assert_eq!(
        read(&dir, "a.py"),
        format!("{old}r.set_cookie('new', 'v', secure=True, httponly=True, samesite='Lax')\n")
    );
}

#[test]
fn the_summary_after_fix_counts_what_is_left() {
    // Issue 14, reproducer 5: a.py is fixed in full; b.py keeps two
    // findings whose fixes are unsafe.
    let fixable = format!("{HEADER}r.set_cookie('a', 'v')\n");
    let explicit = format!(
        "{HEADER}r.set_cookie('b', 'v', secure=False, httponly=True, samesite='Lax')\nr.set_cookie('c', 'v', secure=False, httponly=True, samesite='Lax')\n"
    );
    let dir = project(&[("a.py", &fixable), ("b.py", &explicit)]);
    let output = pathfinder(dir.path(), &["scan", "--fix"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("Fixed 1 finding."), "{text}");
    assert!(
        text.contains("Found 2 findings (2 medium) in 1 file;"),
        "{text}"
    );
    let output = pathfinder(dir.path(), &["scan", "--fix", "-o", "json"]);
    let report = json(&output);
    assert_eq!(report["summary"]["findings"], 2);
    assert_eq!(report["summary"]["fixed"], 0);
}
