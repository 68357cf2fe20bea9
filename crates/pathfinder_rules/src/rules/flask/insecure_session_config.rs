//! PYTHON-FLASK-AUDIT-075: Flask configuration that explicitly weakens the
//! session cookie (`SESSION_COOKIE_SECURE = False`,
//! `SESSION_COOKIE_HTTPONLY = False`, `SESSION_COOKIE_SAMESITE = None`).
//!
//! The documentation is `insecure_session_config.md` beside this file.

use pathfinder_diagnostics::Severity;
use pathfinder_python::ast::{ExprCall, Stmt};

use super::config_cookie::{self, ConfigCookie};
use crate::checker::Checker;
use crate::registry::{Needle, Rule, RuleStatus};

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-FLASK-AUDIT-075",
    name: "flask-insecure-session-cookie-config",
    title: "Flask configuration weakens the session cookie",
    severity: Severity::Medium,
    status: RuleStatus::Preview,
    since: "0.2.0",
    cwe: &["CWE-614", "CWE-1004", "CWE-1275"],
    owasp: &["A05:2021"],
    tags: &[
        "python", "flask", "cookies", "settings", "secure", "httponly", "samesite",
    ],
    bundles: &["python/flask", "python/cookies"],
    // The settings it reads, whole: `SESSION_COOKIE_AGE` alone is no reason
    // to parse a file.
    needles: &[
        Needle::exact("SESSION_COOKIE_SECURE"),
        Needle::exact("SESSION_COOKIE_HTTPONLY"),
        Needle::exact("SESSION_COOKIE_SAMESITE"),
    ],
    methods: &["update", "from_mapping"],
    docs: include_str!("insecure_session_config.md"),
    framework: None,
    call_hook: Some(check_call),
    stmt_hook: Some(check_stmt),
    expr_hook: None,
    project_hook: None,
};

/// The session cookie settings of Flask and the attribute each controls.
static SESSION_COOKIE: ConfigCookie = ConfigCookie {
    rule: &RULE,
    cookie: "the session cookie",
    settings: &[
        ("SESSION_COOKIE_SECURE", "secure"),
        ("SESSION_COOKIE_HTTPONLY", "httponly"),
        ("SESSION_COOKIE_SAMESITE", "samesite"),
    ],
    written: |_| true,
};

/// Checks `app.config["SESSION_COOKIE_..."] = ...` and class attributes of
/// configuration classes.
pub(crate) fn check_stmt(checker: &mut Checker<'_>, stmt: &Stmt) {
    config_cookie::check_stmt(checker, stmt, &SESSION_COOKIE);
}

/// Checks `app.config.update(...)` and `app.config.from_mapping(...)`.
pub(crate) fn check_call(checker: &mut Checker<'_>, call: &ExprCall, _method: &str) {
    config_cookie::check_call(checker, call, &SESSION_COOKIE);
}
