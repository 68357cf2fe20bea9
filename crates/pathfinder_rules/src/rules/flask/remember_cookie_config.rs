//! PYTHON-FLASK-AUDIT-076: Flask configuration that weakens Flask-Login's
//! remember-me cookie (`REMEMBER_COOKIE_SECURE = False`,
//! `REMEMBER_COOKIE_HTTPONLY = False`, `REMEMBER_COOKIE_SAMESITE = 'None'`),
//! or hardens the session cookie for deployment and forgets it.
//!
//! Defaults read from Flask-Login 0.6.3 (`flask_login/config.py`,
//! `LoginManager._set_cookie` in `flask_login/login_manager.py`):
//! `REMEMBER_COOKIE_SECURE` False, `REMEMBER_COOKIE_HTTPONLY` True,
//! `REMEMBER_COOKIE_SAMESITE` None, `REMEMBER_COOKIE_DURATION` 365 days. The
//! cookie is written only by Flask-Login, so nothing is reported in a project
//! that does not use it. The documentation is `remember_cookie_config.md`
//! beside this file.

use pathfinder_diagnostics::{
    Applicability, AttributeFinding, AttributeState, Edit, Fix, Ranged, Severity, TextSize,
};
use pathfinder_python::Value;
use pathfinder_python::ast::{Expr, ExprCall, Stmt};

use super::config_cookie::{self, ConfigCookie, Place};
use crate::checker::Checker;
use crate::registry::{Needle, Rule, RuleStatus};

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-FLASK-AUDIT-076",
    name: "flask-login-insecure-remember-cookie-config",
    title: "Flask configuration weakens Flask-Login's remember-me cookie",
    severity: Severity::High,
    status: RuleStatus::Preview,
    since: "0.3.0",
    cwe: &["CWE-614", "CWE-1004", "CWE-1275"],
    owasp: &["A05:2021", "A07:2021"],
    tags: &[
        "python",
        "flask",
        "flask-login",
        "cookies",
        "settings",
        "secure",
        "httponly",
        "samesite",
    ],
    bundles: &["python/flask", "python/cookies"],
    needles: &[
        Needle::exact("REMEMBER_COOKIE_"),
        Needle::exact("SESSION_COOKIE_SECURE"),
    ],
    methods: &["update", "from_mapping"],
    docs: include_str!("remember_cookie_config.md"),
    framework: None,
    call_hook: Some(check_call),
    stmt_hook: Some(check_stmt),
    expr_hook: None,
    project_hook: None,
};

static REMEMBER_COOKIE: ConfigCookie = ConfigCookie {
    rule: &RULE,
    cookie: "Flask-Login's remember-me cookie",
    settings: &[
        ("REMEMBER_COOKIE_SECURE", "secure"),
        ("REMEMBER_COOKIE_HTTPONLY", "httponly"),
        ("REMEMBER_COOKIE_SAMESITE", "samesite"),
    ],
    written: uses_flask_login,
};

/// Files that declare a project's dependencies, looked for in the folders
/// above a configuration module.
const DECLARATIONS: &[&str] = &[
    "requirements.txt",
    "requirements.in",
    "requirements-prod.txt",
    "requirements/base.txt",
    "requirements/common.txt",
    "requirements/prod.txt",
    "requirements/production.txt",
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "Pipfile",
    "environment.yml",
];

/// Modules that usually set up a Flask app's extensions, looked for in the
/// same folders.
const EXTENSION_MODULES: &[&str] = &["__init__.py", "app.py", "extensions.py"];

/// Whether the project uses Flask-Login (directly or through
/// Flask-Security, which builds on it): the module imports it, or a
/// dependency declaration names it, or an extension module imports it, in
/// a folder above the module.
fn uses_flask_login(checker: &Checker<'_>) -> bool {
    if checker
        .module
        .imports_any(&["flask_login", "flask_security"])
    {
        return true;
    }
    let declares = |text: &str| {
        let lower = text.to_ascii_lowercase().replace('_', "-");
        lower.contains("flask-login") || lower.contains("flask-security")
    };
    let imports = |text: &str| {
        ["flask_login", "flask_security"].iter().any(|name| {
            text.contains(&format!("from {name}")) || text.contains(&format!("import {name}"))
        })
    };
    let read = |path: std::path::PathBuf| checker.loader.source(&path);
    checker.module.path.ancestors().skip(1).any(|folder| {
        DECLARATIONS
            .iter()
            .any(|file| read(folder.join(file)).is_some_and(|text| declares(&text)))
            || EXTENSION_MODULES
                .iter()
                .any(|file| read(folder.join(file)).is_some_and(|text| imports(&text)))
    })
}

/// Checks `app.config["REMEMBER_COOKIE_..."] = ...`, class attributes of
/// configuration classes, and a `SESSION_COOKIE_SECURE = True` whose module
/// never sets `REMEMBER_COOKIE_SECURE`.
pub(crate) fn check_stmt(checker: &mut Checker<'_>, stmt: &Stmt) {
    config_cookie::check_stmt(checker, stmt, &REMEMBER_COOKIE);
    check_forgotten(checker, stmt);
}

/// Checks `app.config.update(...)` and `app.config.from_mapping(...)`.
pub(crate) fn check_call(checker: &mut Checker<'_>, call: &ExprCall, _method: &str) {
    config_cookie::check_call(checker, call, &REMEMBER_COOKIE);
    let Expr::Attribute(attribute) = call.func.as_ref() else {
        return;
    };
    if !config_cookie::is_app_config(&attribute.value) || !config_cookie::uses_flask(checker) {
        return;
    }
    let hardens = call.arguments.keywords.iter().any(|keyword| {
        keyword
            .arg
            .as_ref()
            .is_some_and(|arg| arg.id.as_str() == "SESSION_COOKIE_SECURE")
            && config_cookie::evaluate(checker, &keyword.value) == Value::Bool(true)
    }) || call.arguments.args.iter().any(|arg| {
        matches!(config_cookie::evaluate(checker, arg), Value::Dict(dict)
            if dict.get("SESSION_COOKIE_SECURE") == Some(&Value::Bool(true)))
    });
    if hardens && !checker.source.contains("REMEMBER_COOKIE_SECURE") && uses_flask_login(checker) {
        config_cookie::report(
            checker,
            &REMEMBER_COOKIE,
            Place::AppConfig,
            vec![forgotten_secure()],
            call,
            None,
        );
    }
}

fn forgotten_secure() -> AttributeFinding {
    AttributeFinding {
        attribute: "secure",
        state: AttributeState::Missing,
        reason: "missing (`SESSION_COOKIE_SECURE = True` is set beside it, but `REMEMBER_COOKIE_SECURE` is unset: Flask-Login default False)".to_string(),
    }
}

/// A deployed configuration that makes the session cookie Secure and never
/// mentions `REMEMBER_COOKIE_SECURE`: the remember-me cookie, which logs the
/// user in for a year, still goes over plain HTTP.
fn check_forgotten(checker: &mut Checker<'_>, stmt: &Stmt) {
    let Some((targets, value)) = config_cookie::assignment(stmt) else {
        return;
    };
    let [target] = targets else {
        return;
    };
    // Cheap tests first: this runs for every assignment of the module.
    let names_setting = match target {
        Expr::Name(name) => name.id.as_str() == "SESSION_COOKIE_SECURE",
        Expr::Subscript(subscript) => matches!(subscript.slice.as_ref(),
            Expr::StringLiteral(key) if key.value.to_str() == "SESSION_COOKIE_SECURE"),
        _ => false,
    };
    if !names_setting || checker.source.contains("REMEMBER_COOKIE_SECURE") {
        return;
    }
    let (class, line) = match (config_cookie::deployed_config_class(checker), target) {
        (Some(Ok(class)), Expr::Name(name)) if name.id.as_str() == "SESSION_COOKIE_SECURE" => {
            (Some(class), "REMEMBER_COOKIE_SECURE = True".to_string())
        }
        (None, Expr::Subscript(subscript))
            if config_cookie::is_app_config(&subscript.value)
                && matches!(subscript.slice.as_ref(), Expr::StringLiteral(key)
                    if key.value.to_str() == "SESSION_COOKIE_SECURE")
                && config_cookie::uses_flask(checker) =>
        {
            let receiver = &checker.source[subscript.value.range()];
            let quote = checker.source[subscript.slice.range()]
                .chars()
                .next()
                .unwrap_or('"');
            (
                None,
                format!("{receiver}[{quote}REMEMBER_COOKIE_SECURE{quote}] = True"),
            )
        }
        _ => return,
    };
    if config_cookie::evaluate(checker, value) != Value::Bool(true) || !uses_flask_login(checker) {
        return;
    }
    let fix = insert_after(checker.source, stmt, &line);
    let range = stmt.range();
    let place = match &class {
        Some(name) => Place::Class(name.as_str()),
        None => Place::AppConfig,
    };
    config_cookie::report(
        checker,
        &REMEMBER_COOKIE,
        place,
        vec![forgotten_secure()],
        &range,
        fix,
    );
}

/// Inserts `line` on a line of its own after `stmt`, with its indentation:
/// safe, it adds the attribute the deployment already wants for the session.
fn insert_after(source: &str, stmt: &Stmt, line: &str) -> Option<Fix> {
    let start = usize::from(stmt.range().start());
    let end = usize::from(stmt.range().end());
    let line_start = source[..start].rfind('\n').map_or(0, |at| at + 1);
    let indent = &source[line_start..start];
    if !indent.chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    let rest = &source[end..];
    let line_end = rest.find('\n')?;
    // Only a statement alone on its line (a trailing comment may follow).
    if !rest[..line_end].trim_start().is_empty() && !rest[..line_end].trim_start().starts_with('#')
    {
        return None;
    }
    let newline = if rest[..=line_end].ends_with("\r\n") || rest[..line_end].ends_with('\r') {
        "\r\n"
    } else {
        "\n"
    };
    let at = end + line_end + 1;
    Some(Fix {
        edits: vec![Edit::insertion(
            format!("{indent}{line}{newline}"),
            TextSize::new(u32::try_from(at).ok()?),
        )],
        applicability: Applicability::Safe,
        title: format!("Add `{line}`"),
    })
}
