//! What a team needs to adopt the scanner on an existing code base, through
//! the built binary: inline suppressions, baselines, the configuration file
//! and diff-aware scans.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;
use tempfile::TempDir;

#[path = "common/git.rs"]
mod git_repo;
use git_repo::git;

const RULE: &str = "PYTHON-DJANGO-SEC-070";

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
    Command::new(env!("CARGO_BIN_EXE_pathfinder"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run pathfinder")
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

/// `(path, line)` of each finding of a JSON report.
fn findings(report: &Value) -> Vec<(String, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            (
                finding["path"].as_str().unwrap().to_string(),
                finding["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const SUPPRESSED: &str = r#"from django.http import HttpResponse


def view(request):
    r = HttpResponse("x")
    r.set_cookie("a", "1")  # pathfinder: ignore[PYTHON-DJANGO-SEC-070]
    # pathfinder: ignore
    r.set_cookie("b", "1")
    r.set_cookie("c", "1")  # nosec
    r.set_cookie("d", "1")  # noqa: PYTHON-DJANGO-SEC-070
    r.set_cookie("e", "1")  # noqa: E501
    r.set_cookie("f", "1")  # noqa
    # nosec
    r.set_cookie("g", "1")
    count = 1  # pathfinder: ignore
    r.set_cookie("h", "1", secure=True, httponly=True, samesite="Lax")  # pathfinder: ignore[python/PYTHON-DJANGO-SEC-070]
    return r
"#;

#[test]
fn suppression_comments() {
    let dir = project(&[
        ("views.py", SUPPRESSED),
        ("other.py", "x = 1  # pathfinder: ignore\n"),
    ]);
    let output = pathfinder(dir.path(), &["scan", "-o", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let report = json(&output);
    assert_eq!(
        findings(&report),
        vec![
            ("views.py".to_string(), 11),
            ("views.py".to_string(), 12),
            ("views.py".to_string(), 14)
        ],
        "`noqa: E501` and a bare `noqa` are other tools' markers; a `nosec` on the line before is too far"
    );
    assert!(report.get("unused_ignores").is_none());

    let output = pathfinder(
        dir.path(),
        &["scan", "-o", "json", "--report-unused-ignores"],
    );
    let report = json(&output);
    let unused: Vec<(String, u64)> = report["unused_ignores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|ignore| {
            (
                ignore["path"].as_str().unwrap().to_string(),
                ignore["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        unused,
        vec![
            ("other.py".to_string(), 1),
            ("views.py".to_string(), 15),
            ("views.py".to_string(), 16)
        ]
    );
    assert!(
        report["unused_ignores"][0]["message"]
            .as_str()
            .unwrap()
            .contains("`# pathfinder: ignore` suppresses nothing")
    );

    let output = pathfinder(dir.path(), &["scan", "--report-unused-ignores"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("unused-ignore: views.py:15:16: `# pathfinder: ignore` suppresses nothing"),
        "{text}"
    );
    // An unused ignore counts as a low finding for --fail-on.
    let output = pathfinder(
        dir.path(),
        &[
            "scan",
            "--report-unused-ignores",
            "--exclude",
            "views.py",
            "--fail-on",
            "low",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let output = pathfinder(
        dir.path(),
        &["scan", "--exclude", "views.py", "--fail-on", "low"],
    );
    assert_eq!(output.status.code(), Some(0));
}

const TWO_FINDINGS: &str = r#"from django.http import HttpResponse


def view(request):
    r = HttpResponse("x")
    r.set_cookie("a", "1")
    r.set_cookie("b", "1", secure=True)
    return r
"#;

#[test]
fn baseline_keeps_old_findings_out_even_when_code_moves() {
    let dir = project(&[("app/views.py", TWO_FINDINGS)]);
    let baseline = dir.path().join("pathfinder-baseline.json");
    let output = pathfinder(
        dir.path(),
        &[
            "scan",
            "-p",
            "app",
            "--write-baseline",
            baseline.to_str().unwrap(),
            "-o",
            "json",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    assert_eq!(written["version"], 1);
    let entries = written["findings"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    for entry in entries {
        assert_eq!(entry["rule_id"], RULE);
        assert_eq!(entry["path"], "views.py");
        assert!(entry["fingerprint"].as_str().unwrap().contains(':'));
    }

    // Lines above move both old calls down, and re-indenting one changes
    // only its white space; a new insecure call is added.
    let moved = TWO_FINDINGS
        .replace(
            "def view(request):\n",
            "import os\n\n\ndef view(request):\n    # a comment\n",
        )
        .replace(
            "    r.set_cookie(\"b\", \"1\", secure=True)\n",
            "    r.set_cookie(\n        \"b\", \"1\", secure=True\n    )\n    r.set_cookie(\"new\", \"1\")\n",
        );
    std::fs::write(dir.path().join("app/views.py"), &moved).unwrap();
    let output = pathfinder(
        dir.path(),
        &[
            "scan",
            "-p",
            "app",
            "--baseline",
            baseline.to_str().unwrap(),
            "-o",
            "json",
            "--fail-on",
            "low",
        ],
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "the new finding fails the build"
    );
    let report = json(&output);
    assert_eq!(findings(&report), vec![("views.py".to_string(), 14)]);
    assert!(
        report["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("'new'")
    );

    std::fs::write(&baseline, "{\"findings\": []}").unwrap();
    let output = pathfinder(
        dir.path(),
        &[
            "scan",
            "-p",
            "app",
            "--baseline",
            baseline.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no `version`"),
        "{}",
        stderr(&output)
    );
    let output = pathfinder(
        dir.path(),
        &["scan", "-p", "app", "--baseline", "missing.json"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot read baseline `missing.json`"));
}

const PYPROJECT: &str = r#"[project]
name = "shop"

[tool.pathfinder]
ruleset = ["python/django"]
exclude = ["legacy/**"]
fail-on = "medium"
output = "json"
skip-tests = false

[tool.pathfinder.per-path-ignores]
"scripts/*.py" = ["PYTHON-DJANGO-SEC-070"]

[tool.pathfinder.severity-overrides]
"PYTHON-DJANGO-SEC-070" = "high"
"#;

#[test]
fn configuration_in_pyproject_and_flags_that_win() {
    let dir = project(&[
        ("pyproject.toml", PYPROJECT),
        ("app/views.py", TWO_FINDINGS),
        ("legacy/old.py", TWO_FINDINGS),
        ("scripts/seed.py", TWO_FINDINGS),
        ("tests/test_views.py", TWO_FINDINGS),
    ]);
    let output = pathfinder(dir.path(), &["scan"]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "fail-on medium from the file"
    );
    let report = json(&output);
    let paths: Vec<String> = findings(&report)
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    assert_eq!(
        paths,
        vec![
            "app/views.py",
            "app/views.py",
            "tests/test_views.py",
            "tests/test_views.py"
        ],
        "legacy/ excluded, scripts/ ignored, tests scanned"
    );
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|finding| finding["severity"] == "high")
    );

    let output = pathfinder(
        dir.path(),
        &[
            "scan",
            "-o",
            "csv",
            "--fail-on",
            "critical",
            "--skip-tests",
            "--exclude",
            "scripts/**",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "--fail-on critical wins");
    let csv = String::from_utf8_lossy(&output.stdout);
    assert!(csv.starts_with("rule_id,"), "-o csv wins: {csv}");
    assert_eq!(
        csv.lines().count(),
        5,
        "legacy/ is back, tests are skipped: {csv}"
    );

    // A .pathfinder.toml wins over pyproject.toml; --config over both.
    std::fs::write(dir.path().join(".pathfinder.toml"), "output = \"csv\"\n").unwrap();
    let output = pathfinder(dir.path(), &["scan"]);
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("rule_id,"));
    std::fs::write(
        dir.path().join("strict.toml"),
        "fail-on = [\"low\"]\noutput = \"json\"\nexclude = [\"legacy\", \"scripts\"]\n",
    )
    .unwrap();
    let output = pathfinder(dir.path(), &["scan", "--config", "strict.toml"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(findings(&json(&output)).len(), 2);
}

#[test]
fn configuration_errors_name_the_key() {
    let dir = project(&[
        ("pyproject.toml", "[tool.pathfinder]\nfail_on = \"high\"\n"),
        ("app/views.py", TWO_FINDINGS),
    ]);
    let output = pathfinder(dir.path(), &["scan"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("pyproject.toml"), "{message}");
    assert!(
        message.contains("unknown key `fail_on` in [tool.pathfinder]"),
        "{message}"
    );

    for (text, expected) in [
        ("jobs = \"many\"\n", "jobs"),
        ("fail-on = \"severe\"\n", "unknown severity `severe`"),
        (
            "[severity-overrides]\nNOPE-1 = \"high\"\n",
            "unknown rule `NOPE-1`",
        ),
        (
            "[per-path-ignores]\n\"a/**\" = [\"NOPE-2\"]\n",
            "unknown rule `NOPE-2`",
        ),
        ("output = \"xml\"\n", "unknown output `xml`"),
        (
            "ruleset = [\"python/nope\"]\n",
            "unknown ruleset `python/nope`",
        ),
    ] {
        std::fs::write(dir.path().join("bad.toml"), text).unwrap();
        let output = pathfinder(dir.path(), &["scan", "--config", "bad.toml"]);
        assert_eq!(output.status.code(), Some(2), "{text}");
        assert!(
            stderr(&output).contains(expected),
            "{text}: {}",
            stderr(&output)
        );
    }
    let output = pathfinder(dir.path(), &["scan", "--config", "absent.toml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot read config `absent.toml`"));
}

#[test]
fn diff_aware_scan_reports_only_changed_lines() {
    let dir = project(&[("app/views.py", TWO_FINDINGS)]);
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "first"]);
    git(dir.path(), &["checkout", "-q", "-b", "feature"]);
    let changed = TWO_FINDINGS.replace(
        "    return r\n",
        "    r.set_cookie(\"c\", \"1\")\n    return r\n",
    );
    std::fs::write(dir.path().join("app/views.py"), changed).unwrap();
    git(dir.path(), &["commit", "-q", "-am", "second"]);
    // A rename is followed: the file keeps its changed lines under its new name.
    git(dir.path(), &["mv", "app/views.py", "app/pages.py"]);
    git(dir.path(), &["commit", "-q", "-m", "rename"]);

    let output = pathfinder(
        dir.path(),
        &["scan", "-o", "json", "--diff-aware", "--base", "main"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        findings(&json(&output)),
        vec![("app/pages.py".to_string(), 8)]
    );
    let output = pathfinder(
        dir.path(),
        &[
            "scan",
            "-o",
            "json",
            "--diff-aware",
            "--base",
            "main",
            "--head",
            "HEAD~2",
        ],
    );
    assert_eq!(
        findings(&json(&output)).len(),
        0,
        "nothing changed up to main itself"
    );

    let output = pathfinder(
        dir.path(),
        &["scan", "--diff-aware", "--base", "origin/nope"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("git revision `origin/nope` does not exist"));
    let output = pathfinder(dir.path(), &["scan", "--diff-aware"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--diff-aware needs --base"));
    let output = pathfinder(dir.path(), &["scan", "--base", "main"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn diff_aware_counts_a_settings_change_for_the_settings_module() {
    const SETTINGS: &str = "DEBUG = False\nINSTALLED_APPS = ['django.contrib.sessions']\nMIDDLEWARE = ['django.contrib.sessions.middleware.SessionMiddleware']\nSESSION_COOKIE_SECURE = True\n";
    const WSGI: &str = "import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\napplication = get_wsgi_application()\n";
    let dir = project(&[
        ("site/__init__.py", ""),
        ("site/settings.py", SETTINGS),
        ("site/wsgi.py", WSGI),
    ]);
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "first"]);
    git(dir.path(), &["checkout", "-q", "-b", "feature"]);
    // Removing the line makes SESSION_COOKIE_SECURE never set: the finding
    // is reported at the module's first line, which the change did not touch,
    // yet it is this change's doing.
    std::fs::write(
        dir.path().join("site/settings.py"),
        SETTINGS.replace("SESSION_COOKIE_SECURE = True\n", ""),
    )
    .unwrap();
    git(dir.path(), &["commit", "-q", "-am", "drop the secure flag"]);
    let output = pathfinder(
        dir.path(),
        &["scan", "-o", "json", "--diff-aware", "--base", "main"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = json(&output);
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| finding["rule_id"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["PYTHON-DJANGO-SEC-071"], "{report}");
}
