//! The settings rules against Django itself: for a project made with
//! `django-admin startproject` plus a production settings module, the static
//! findings must agree with the cookie warnings of
//! `python manage.py check --deploy --settings mysite.production`.
//!
//! Django's cookie checks and our rules correspond as follows:
//! `security.W010`/`W011`/`W012` (`SESSION_COOKIE_SECURE`) ↔ PYTHON-DJANGO-SEC-071,
//! `security.W016` (`CSRF_COOKIE_SECURE`) ↔ PYTHON-DJANGO-SEC-072,
//! `security.W013`/`W014`/`W015` (`SESSION_COOKIE_HTTPONLY`) ↔ PYTHON-DJANGO-SEC-073.
//! Django has no check for `SameSite` (PYTHON-DJANGO-SEC-074).
//!
//! The test needs Python with Django (`python3`, or the interpreter named
//! by `PATHFINDER_PYTHON`; `.ci/run` installs it). Without it, the test fails
//! when `CI=true`, since CI must run the comparison; elsewhere it prints why
//! and passes.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

fn python() -> String {
    std::env::var("PATHFINDER_PYTHON").unwrap_or_else(|_| "python3".to_string())
}

fn django_available() -> Result<(), String> {
    let output = Command::new(python())
        .args(["-c", "import django; print(django.get_version())"])
        .output()
        .map_err(|error| format!("cannot run `{}`: {error}", python()))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "`{} -c 'import django'` failed: {}",
            python(),
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// The rule each of Django's cookie warnings corresponds to.
fn rule_of_warning(id: &str) -> Option<&'static str> {
    match id {
        "security.W010" | "security.W011" | "security.W012" => Some("PYTHON-DJANGO-SEC-071"),
        "security.W016" => Some("PYTHON-DJANGO-SEC-072"),
        "security.W013" | "security.W014" | "security.W015" => Some("PYTHON-DJANGO-SEC-073"),
        _ => None,
    }
}

/// Django's verdict: the rules its cookie warnings correspond to.
fn django_verdict(project: &Path) -> BTreeSet<String> {
    let output = Command::new(python())
        .args([
            "manage.py",
            "check",
            "--deploy",
            "--settings",
            "mysite.production",
        ])
        .current_dir(project)
        .output()
        .expect("run manage.py check --deploy");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "check --deploy failed (a broken scenario, not a finding):\n{text}"
    );
    text.split(|c: char| c.is_whitespace() || c == ':' || c == '(' || c == ')')
        .filter_map(rule_of_warning)
        .map(ToString::to_string)
        .collect()
}

/// Our verdict: the settings rules reported anywhere in the project.
fn pathfinder_verdict(project: &Path) -> (BTreeSet<String>, BTreeSet<String>) {
    let output = Command::new(env!("CARGO_BIN_EXE_pathfinder"))
        .args(["scan", "--ruleset", "python/django", "-o", "json", "-p"])
        .arg(project)
        .output()
        .expect("run pathfinder");
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("scan output is JSON");
    let mut checked = BTreeSet::new();
    let mut samesite = BTreeSet::new();
    for finding in report["findings"].as_array().expect("findings") {
        let rule = finding["rule_id"].as_str().unwrap().to_string();
        let path = finding["path"].as_str().unwrap().to_string();
        match rule.as_str() {
            "PYTHON-DJANGO-SEC-074" => {
                samesite.insert(path);
            }
            "PYTHON-DJANGO-SEC-070" => {}
            _ => {
                checked.insert(rule);
            }
        }
    }
    (checked, samesite)
}

const SCENARIOS: &[(&str, &str)] = &[
    (
        "nothing set: Django's defaults",
        "from .settings import *\n\nDEBUG = False\n",
    ),
    (
        "explicitly insecure",
        "from .settings import *\n\nDEBUG = False\nSESSION_COOKIE_SECURE = False\nCSRF_COOKIE_SECURE = False\nSESSION_COOKIE_HTTPONLY = False\n",
    ),
    (
        "secure flags set, HttpOnly turned off",
        "from .settings import *\n\nDEBUG = False\nSESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\nSESSION_COOKIE_HTTPONLY = False\n",
    ),
    (
        "all cookie settings secure",
        "from .settings import *\n\nDEBUG = False\nSESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\n",
    ),
    (
        "CSRF token in the session",
        "from .settings import *\n\nDEBUG = False\nSESSION_COOKIE_SECURE = True\nCSRF_USE_SESSIONS = True\n",
    ),
    (
        "no sessions and no CSRF middleware",
        "from .settings import *\n\nDEBUG = False\nINSTALLED_APPS = [\"django.contrib.contenttypes\", \"django.contrib.auth\"]\nMIDDLEWARE = [\"django.middleware.common.CommonMiddleware\"]\nROOT_URLCONF = \"mysite.api_urls\"\n",
    ),
    (
        "SameSite disabled (no Django check)",
        "from .settings import *\n\nDEBUG = False\nSESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\nSESSION_COOKIE_SAMESITE = None\n",
    ),
];

#[test]
#[allow(
    clippy::print_stderr,
    reason = "the reason for skipping goes to the test log"
)]
fn settings_rules_agree_with_check_deploy() {
    if let Err(reason) = django_available() {
        assert!(
            std::env::var("CI").map_or(true, |value| value != "true"),
            "CI=true but Django is missing, so the comparison with `manage.py check --deploy` cannot run: {reason}"
        );
        eprintln!("skipping the comparison with `manage.py check --deploy`: {reason}");
        return;
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let project = dir.path().join("site");
    std::fs::create_dir(&project).unwrap();
    let status = Command::new(python())
        .args(["-m", "django", "startproject", "mysite"])
        .arg(&project)
        .status()
        .expect("run django-admin startproject");
    assert!(status.success(), "startproject failed");
    std::fs::write(project.join("mysite/api_urls.py"), "urlpatterns = []\n").unwrap();

    let mut mismatches = Vec::new();
    for (name, production) in SCENARIOS {
        std::fs::write(project.join("mysite/production.py"), production).unwrap();
        let django = django_verdict(&project);
        let (ours, samesite) = pathfinder_verdict(&project);
        if django != ours {
            mismatches.push(format!(
                "{name}: check --deploy says {django:?}, pathfinder says {ours:?}"
            ));
        }
        let expect_samesite = production.contains("SAMESITE = None");
        if expect_samesite != samesite.contains("mysite/production.py") {
            mismatches.push(format!(
                "{name}: SameSite finding expected {expect_samesite}, got {samesite:?}"
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
