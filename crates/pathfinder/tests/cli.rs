//! The command line, driven as a user drives it: the built binary on the demo
//! project in `examples/`. Rendering is pinned by snapshots; exit codes and
//! flags by assertions.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn demo_project() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/demo-project")
        .canonicalize()
        .expect("the demo project exists")
}

fn pathfinder(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pathfinder"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run pathfinder")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn scan_demo(format: &str) -> String {
    let project = demo_project();
    let output = pathfinder(&[
        "scan",
        "--ruleset",
        "python/PYTHON-DJANGO-SEC-070",
        "--project",
        project.to_str().unwrap(),
        "--output",
        format,
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout(&output).replace(project.to_str().unwrap(), "[PROJECT]")
}

#[test]
fn text_output() {
    insta::assert_snapshot!("demo_text", scan_demo("text"));
}

#[test]
fn json_output() {
    insta::assert_snapshot!("demo_json", scan_demo("json"));
}

#[test]
fn sarif_output() {
    let sarif = scan_demo("sarif");
    let document: serde_json::Value = serde_json::from_str(&sarif).expect("SARIF is JSON");
    assert_eq!(document["version"], "2.1.0");
    let run = &document["runs"][0];
    for result in run["results"].as_array().unwrap() {
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(
            !location["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .starts_with('/')
        );
        assert!(
            result["partialFingerprints"]
                .as_object()
                .is_some_and(|prints| !prints.is_empty())
        );
        assert!(
            result["properties"]["insecure"]
                .as_array()
                .is_some_and(|list| !list.is_empty())
        );
    }
    // A finding's level follows its own severity, as in text and GitHub
    // output: the demo's secret session cookie is high, hence an error.
    let levels: Vec<(&str, &str)> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|result| {
            (
                result["properties"]["severity"].as_str().unwrap(),
                result["level"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(levels.contains(&("high", "error")), "{levels:?}");
    for (severity, level) in &levels {
        let expected = match *severity {
            "critical" | "high" => "error",
            "medium" => "warning",
            _ => "note",
        };
        assert_eq!(level, &expected, "{levels:?}");
    }
    for rule in run["tool"]["driver"]["rules"].as_array().unwrap() {
        assert!(
            rule["help"]["text"]
                .as_str()
                .is_some_and(|help| help.contains("## Why is this bad?"))
        );
        assert!(rule["properties"]["security-severity"].as_str().is_some());
    }
    insta::assert_snapshot!("demo_sarif", sarif);
}

#[test]
fn csv_output() {
    insta::assert_snapshot!("demo_csv", scan_demo("csv"));
}

#[test]
fn the_rule_page_command_line_works_verbatim() {
    let output = Command::new(env!("CARGO_BIN_EXE_pathfinder"))
        .args([
            "scan",
            "--ruleset",
            "python/PYTHON-DJANGO-SEC-070",
            "--project",
            ".",
        ])
        .current_dir(demo_project())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.contains("Found 5 findings"), "{text}");
    assert!(
        !text.contains("\u{1b}["),
        "no colour when not on a terminal"
    );
}

#[test]
fn output_file_and_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("report.json");
    let project = demo_project();
    let output = pathfinder(&[
        "scan",
        "-p",
        project.to_str().unwrap(),
        "-o",
        "json",
        "-f",
        target.to_str().unwrap(),
        "--fail-on",
        "high,medium",
    ]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "medium findings meet --fail-on medium"
    );
    assert!(output.stdout.is_empty(), "the report goes to the file only");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    // Five cookie writes, and the demo settings never set SESSION_COOKIE_SECURE.
    assert_eq!(report["findings"].as_array().unwrap().len(), 6);

    let output = pathfinder(&["scan", "-p", project.to_str().unwrap(), "--fail-on", "high"]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "the remember-me and API-token cookies are high"
    );
    let output = pathfinder(&[
        "scan",
        "-p",
        project.to_str().unwrap(),
        "--fail-on",
        "critical",
    ]);
    assert_eq!(output.status.code(), Some(0), "no finding is critical");
    let output = pathfinder(&[
        "scan",
        "-p",
        project.to_str().unwrap(),
        "--fail-on",
        "severe",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown severity"));
}

#[test]
fn skip_tests_can_be_turned_off() {
    let project = demo_project();
    let count = |extra: &[&str]| {
        let mut args = vec!["scan", "-p", project.to_str().unwrap(), "-o", "json"];
        args.extend_from_slice(extra);
        let output = pathfinder(&args);
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        report["findings"].as_array().unwrap().len()
    };
    // Five cookie writes and one settings finding (demo/settings.py).
    assert_eq!(count(&[]), 6);
    assert_eq!(count(&["--skip-tests=false"]), 7);
    assert_eq!(count(&["--exclude", "shop/views.py"]), 3);
    assert_eq!(count(&["--exclude", "demo/settings.py"]), 5);
}

#[test]
fn rulesets_bundles_and_unknown_ids() {
    let project = demo_project();
    // The settings rules add one row: demo/settings.py never sets
    // SESSION_COOKIE_SECURE.
    for (ruleset, rows) in [
        ("python/django", 6),
        ("python/cookies", 6),
        ("python/all", 6),
        ("PYTHON-DJANGO-SEC-070", 5),
        ("PYTHON-DJANGO-SEC-071", 1),
    ] {
        let output = pathfinder(&[
            "scan",
            "--ruleset",
            ruleset,
            "-p",
            project.to_str().unwrap(),
            "-o",
            "csv",
        ]);
        assert_eq!(output.status.code(), Some(0), "{ruleset}");
        assert_eq!(
            stdout(&output).lines().count(),
            rows + 1,
            "{ruleset}: header and {rows} rows"
        );
    }
    let output = pathfinder(&[
        "scan",
        "--ruleset",
        "python/NOPE-001",
        "-p",
        project.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unknown ruleset `python/NOPE-001`"),
        "{stderr}"
    );
    assert!(stderr.contains("python/PYTHON-DJANGO-SEC-070"), "{stderr}");
}

#[test]
fn missing_project_is_a_usage_error() {
    let output = pathfinder(&["scan", "-p", "/definitely/not/here"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("/definitely/not/here"));
    let output = pathfinder(&["scan", "--no-such-flag"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn verbose_prints_counts_and_time() {
    let project = demo_project();
    let output = pathfinder(&[
        "scan",
        "-p",
        project.to_str().unwrap(),
        "--verbose",
        "-o",
        "json",
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Python files seen"), "{stderr}");
    assert!(stderr.contains(" parsed"), "{stderr}");
    // The line ends with the elapsed time, `in 0.012s`.
    let seconds = stderr
        .trim_end()
        .rsplit_once(" in ")
        .and_then(|(_, time)| time.strip_suffix('s'))
        .and_then(|time| time.parse::<f64>().ok());
    assert!(
        seconds.is_some_and(|seconds| seconds > 0.0),
        "a time in seconds at the end: {stderr}"
    );
}

#[test]
fn rules_and_explain() {
    let output = pathfinder(&["rules"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("PYTHON-DJANGO-SEC-070"));

    let output = pathfinder(&["explain", "python/PYTHON-DJANGO-SEC-070"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    for needle in [
        "## Why is this bad?",
        "## How to fix",
        "## FAQ",
        "A05:2021",
        "CWE-614",
        "CWE-1004",
        "6.4.1",
        "SC-8",
        "SC-23",
        "Article 32",
    ] {
        assert!(text.contains(needle), "explain lacks {needle}");
    }
    let output = pathfinder(&["explain", "NOPE"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_project_without_cookie_code_parses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("pkg")).unwrap();
    std::fs::write(dir.path().join("pkg/__init__.py"), "").unwrap();
    std::fs::write(
        dir.path().join("pkg/models.py"),
        "from django.db import models\n\n\nclass Shop(models.Model):\n    name = models.CharField(max_length=10)\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("pkg/util.py"),
        "def add(a, b):\n    return a + b\n",
    )
    .unwrap();
    // Prose that names the header is not a header.
    std::fs::write(
        dir.path().join("pkg/proxy.py"),
        "\"\"\"Copies headers such as Set-Cookie from the upstream answer.\"\"\"\n\n\n\
         def copy(upstream, headers):\n    # keeps set-cookie headers as they are\n    return dict(upstream, **headers)\n",
    )
    .unwrap();
    let output = pathfinder(&["scan", "-p", dir.path().to_str().unwrap(), "-o", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["files_seen"], 4);
    assert_eq!(report["summary"]["files_parsed"], 0, "{report}");
    // A header name written as one is read.
    std::fs::write(
        dir.path().join("pkg/proxy.py"),
        "def copy(response, sid):\n    response.headers.append(\"Set-Cookie\", \"sid=\" + sid)\n",
    )
    .unwrap();
    let output = pathfinder(&["scan", "-p", dir.path().to_str().unwrap(), "-o", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["files_parsed"], 1, "{report}");
}

#[test]
fn verbose_says_why_a_cookie_write_was_not_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("views.py"),
        r#"import requests
from django.conf import settings
from django.http import HttpResponse


def view(request):
    response = HttpResponse()
    response.set_cookie("a", "1", secure=settings.COOKIE_SECURE, httponly=True, samesite="Lax")
    session = requests.Session()
    session.cookies.set_cookie("b")
    response.set_cookie("c", "1", secure=True, httponly=True, samesite="Lax")
    return response


def remember(resp, value, secure):
    resp.set_cookie("d", value, secure=secure, httponly=True, samesite="Lax")


def remember_both(resp, secure=False):
    resp.set_cookie("e", "1", secure=secure, httponly=True, samesite="Lax")
    resp.set_cookie("f", "1", secure=secure, httponly=True, samesite="Lax")


def remember_configured(resp):
    resp.set_cookie("g", "1", secure=settings.COOKIE_SECURE, httponly=True, samesite="Lax")
"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("login.py"),
        r#"from django.http import HttpResponse

from views import remember, remember_both, remember_configured


def login(request):
    response = HttpResponse()
    remember(response, "x", request.POST.get("secure"))
    remember(response, "y", True)
    remember_both(response, request.GET.get("s"))
    remember_configured(response)
    return response
"#,
    )
    .unwrap();
    let project = dir.path().to_str().unwrap();
    let output = pathfinder(&["scan", "-p", project, "--verbose"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    let silent: Vec<&str> = stderr
        .lines()
        .filter(|line| line.contains("cookie write not reported"))
        .collect();
    // The dynamic flag, with the code it comes from.
    assert!(
        silent
            .iter()
            .any(|line| line.starts_with("note: views.py:8:5: ")
                && line.contains("secure from `settings.COOKIE_SECURE`, known only at run time")),
        "{stderr}"
    );
    // A client-side jar.
    assert!(
        silent
            .iter()
            .any(|line| line.starts_with("note: views.py:10:5: ")),
        "{stderr}"
    );
    // A helper: its calls decide.
    assert!(
        silent
            .iter()
            .any(|line| line.starts_with("note: views.py:16:5: ")
                && line.contains("judged at the calls of `remember()`")),
        "{stderr}"
    );
    // A call of the helper that passes a flag known only at run time, with
    // what it passes; its call with a safe flag is no silence.
    assert!(
        silent
            .iter()
            .any(|line| line.starts_with("note: login.py:8:5: ")
                && line.contains("judged as a call of `remember()` (views.py:16)")
                && line.contains(
                    "secure from `secure`, passed as `request.POST.get(\"secure\")` by the call, \
                 known only at run time"
                )),
        "{stderr}"
    );
    // One note for the call however many of the helper's writes it leaves
    // undecided alike.
    assert!(
        silent
            .iter()
            .any(|line| line.starts_with("note: login.py:10:5: ")
                && line.contains("judged as a call of `remember_both()` (views.py:20, 21)")),
        "{stderr}"
    );
    // What the helper's own code leaves unknown is said at its write, not
    // at every call.
    assert!(
        silent
            .iter()
            .any(|line| line.starts_with("note: views.py:25:5: ")
                && line.contains("secure from `settings.COOKIE_SECURE`")),
        "{stderr}"
    );
    assert!(
        !silent
            .iter()
            .any(|line| line.starts_with("note: login.py:11:")),
        "{stderr}"
    );
    // The safe writes are no silence.
    assert_eq!(silent.len(), 8, "{stderr}");
    // Without --verbose, nothing of it.
    let quiet = pathfinder(&["scan", "-p", project]);
    assert!(quiet.stderr.is_empty(), "{quiet:?}");
}

fn settings_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../pathfinder_rules/resources/test/fixtures/PYTHON-DJANGO-SEC-071")
        .join(name)
        .canonicalize()
        .expect("the settings fixture exists")
}

#[test]
fn settings_prints_roles_evidence_and_values() {
    let project = settings_fixture("startup_function");
    let output = pathfinder(&["settings", "--project", project.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = stdout(&output);
    // The deployed module is named by a function wsgi.py runs.
    assert!(
        text.contains("bootsite/conf/live.py  bootsite.conf.live\n  role: deployed (named by DJANGO_SETTINGS_MODULE in bootsite/__init__.py:6, run by bootsite/wsgi.py"),
        "{text}"
    );
    // Its session flag comes from the defaults, with the line it is set on.
    assert!(
        text.contains("SESSION_COOKIE_SECURE    True  (bootsite/conf/defaults.py:6)"),
        "{text}"
    );
    assert!(
        text.contains("CSRF_COOKIE_SECURE       unset  (Django's default)"),
        "{text}"
    );

    let project = settings_fixture("reusable_app");
    let output = pathfinder(&["settings", "--json", "--project", project.to_str().unwrap()]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let modules = json["settings_modules"].as_array().expect("a list");
    assert_eq!(modules.len(), 2, "{json}");
    for module in modules {
        assert_eq!(module["role"], "test", "{module}");
        assert_eq!(module["reported"], false, "{module}");
    }
}

/// `(path, line, insecure attributes)` of every finding of a JSON report.
fn finding_lines(output: &Output) -> Vec<(String, u64, Vec<String>)> {
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|finding| {
            (
                finding["path"].as_str().unwrap().to_string(),
                finding["line"].as_u64().unwrap(),
                finding["insecure"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|attribute| attribute.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn declared_response_classes_and_cookie_helpers() {
    // Issue 11: a house convention taught through [tool.pathfinder], with
    // no code: a response class from a package the scan cannot read, and a
    // cookie helper whose flags are its own keywords.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pyproject.toml"),
        r#"
[tool.pathfinder]
[[tool.pathfinder.response-classes]]
class = "vendor_http.ApiResponse"
framework = "django"

[[tool.pathfinder.cookie-helpers]]
function = "vendor_http.cookies.store"
framework = "django"
params = ["response", "name", "value"]
name = "name"
value = "value"
secure = { param = "tls_only", default = false }
httponly = { param = "script_safe", default = true }
samesite = { param = "site_policy", default = "Lax" }
"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("views.py"),
        r#"from vendor_http import ApiResponse
from vendor_http.cookies import store


def view(request):
    response = ApiResponse()
    response.set_cookie("a", "1")
    response.set_cookie("b", "2", secure=True, httponly=True, samesite="Lax")
    store(response, "c", "3")
    store(response, "d", "4", tls_only=True)
    store(response, "e", "5", tls_only=True, site_policy="None")
    store(response, "f", "6", tls_only=True, script_safe=False)
    return response
"#,
    )
    .unwrap();
    let project = dir.path().to_str().unwrap();
    let output = pathfinder(&["scan", "-p", project, "-o", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let found = finding_lines(&output);
    let expect = |line: u64, attributes: &[&str]| {
        (
            "views.py".to_string(),
            line,
            attributes
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        found,
        [
            expect(7, &["secure", "httponly", "samesite"]),
            expect(9, &["secure"]),
            expect(11, &["samesite"]),
            expect(12, &["httponly"]),
        ]
    );

    // Without the declarations the module's receivers and calls are unknown.
    std::fs::remove_file(dir.path().join("pyproject.toml")).unwrap();
    let output = pathfinder(&["scan", "-p", project, "-o", "json"]);
    assert!(finding_lines(&output).is_empty());

    // A declaration naming an unknown framework is a usage error that says so.
    std::fs::write(
        dir.path().join(".pathfinder.toml"),
        "[[cookie-helpers]]\nfunction = \"a.b\"\nframework = \"rails\"\n",
    )
    .unwrap();
    let output = pathfinder(&["scan", "-p", project]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown framework 'rails'"), "{stderr}");
}
