//! PYTHON-FLASK-AUDIT-075: Flask configuration that explicitly weakens the
//! session cookie (`SESSION_COOKIE_SECURE = False`,
//! `SESSION_COOKIE_HTTPONLY = False`, `SESSION_COOKIE_SAMESITE = None`).
//!
//! The documentation is `insecure_session_config.md` beside this file.

use pathfinder_diagnostics::{AttributeFinding, AttributeState, Diagnostic, Ranged, Severity};
use pathfinder_python::ast::{Expr, ExprCall, Stmt};
use pathfinder_python::{Value, lower};

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
    needles: &[Needle::exact("SESSION_COOKIE_")],
    methods: &["update", "from_mapping"],
    docs: include_str!("insecure_session_config.md"),
    framework: None,
    call_hook: Some(check_call),
    stmt_hook: Some(check_stmt),
    expr_hook: None,
    project_hook: None,
};

/// The session cookie settings of Flask and the attribute each controls.
const SETTINGS: &[(&str, &str)] = &[
    ("SESSION_COOKIE_SECURE", "secure"),
    ("SESSION_COOKIE_HTTPONLY", "httponly"),
    ("SESSION_COOKIE_SAMESITE", "samesite"),
];

/// Where the configuration is written.
enum Place<'a> {
    /// `app.config[...] = ...`, `app.config.update(...)`.
    AppConfig,
    /// An attribute of a configuration class.
    Class(&'a str),
}

/// What the message of one finding needs.
struct InsecureSessionConfig<'a> {
    place: Place<'a>,
    insecure: Vec<AttributeFinding>,
}

impl InsecureSessionConfig<'_> {
    fn message(&self) -> String {
        let place = match self.place {
            Place::AppConfig => "Flask app config".to_string(),
            Place::Class(name) => format!("Flask config class `{name}`"),
        };
        let reasons: Vec<String> = self
            .insecure
            .iter()
            .map(|finding| format!("{}: {}", finding.attribute, finding.reason))
            .collect();
        format!("{place} weakens the session cookie; {}", reasons.join("; "))
    }
}

/// The finding for one setting's value, when the value weakens the cookie.
fn weakness(setting: &str, value: &Value) -> Option<AttributeFinding> {
    let (_, attribute) = SETTINGS.iter().find(|(name, _)| *name == setting)?;
    let state = match (*attribute, value) {
        ("samesite", Value::Str(text)) if text.eq_ignore_ascii_case("none") => {
            AttributeState::NoneValue
        }
        ("samesite", Value::None | Value::Bool(false)) => AttributeState::False,
        ("samesite", _) => return None,
        (_, value) if value.truthy() == Some(false) => AttributeState::False,
        _ => return None,
    };
    let shown = match value {
        Value::Bool(true) => "True".to_string(),
        Value::Bool(false) => "False".to_string(),
        Value::None => "None".to_string(),
        Value::Str(text) => format!("'{text}'"),
        Value::Int(number) => number.to_string(),
        _ => "a false value".to_string(),
    };
    Some(AttributeFinding {
        attribute,
        state,
        reason: format!("`{setting} = {shown}`"),
    })
}

/// Whether the module uses Flask (or Quart, which shares its config).
fn uses_flask(checker: &Checker<'_>) -> bool {
    checker.module.imports_any(&["flask", "quart"])
}

/// `X.config`: the receiver of a Flask app's configuration.
fn is_app_config(expr: &Expr) -> bool {
    matches!(expr, Expr::Attribute(attribute) if attribute.attr.id.as_str() == "config")
}

fn evaluate(checker: &Checker<'_>, expr: &Expr) -> Value {
    checker.with_ctx(|ctx| checker.resolver.eval(ctx, &lower(expr)))
}

fn report(
    checker: &mut Checker<'_>,
    place: Place<'_>,
    insecure: Vec<AttributeFinding>,
    stmt: &impl Ranged,
) {
    if insecure.is_empty() {
        return;
    }
    let violation = InsecureSessionConfig { place, insecure };
    let diagnostic = Diagnostic {
        rule: RULE.id,
        severity: RULE.severity,
        range: stmt.range(),
        message: violation.message(),
        details: violation.insecure.clone(),
        fix: None,
        related: Vec::new(),
    };
    checker.report(diagnostic);
}

/// Checks `app.config["SESSION_COOKIE_..."] = ...` and class attributes of
/// configuration classes.
pub(crate) fn check_stmt(checker: &mut Checker<'_>, stmt: &Stmt) {
    let (targets, value) = match stmt {
        Stmt::Assign(assign) => (assign.targets.as_slice(), assign.value.as_ref()),
        Stmt::AnnAssign(assign) => match &assign.value {
            Some(value) => (std::slice::from_ref(assign.target.as_ref()), value.as_ref()),
            None => return,
        },
        _ => return,
    };
    if let Some(class) = checker.current_class().cloned() {
        if !is_config_class(checker, &class.name, &class.bases)
            || crate::settings::is_development_name(&class.name)
        {
            return;
        }
        let mut insecure = Vec::new();
        for target in targets {
            if let Expr::Name(name) = target
                && let Some(finding) = weakness(name.id.as_str(), &evaluate(checker, value))
            {
                insecure.push(finding);
            }
        }
        report(checker, Place::Class(&class.name), insecure, stmt);
        return;
    }
    if !uses_flask(checker) {
        return;
    }
    let mut insecure = Vec::new();
    for target in targets {
        if let Expr::Subscript(subscript) = target
            && is_app_config(&subscript.value)
            && let Expr::StringLiteral(key) = subscript.slice.as_ref()
            && let Some(finding) = weakness(key.value.to_str(), &evaluate(checker, value))
        {
            insecure.push(finding);
        }
    }
    report(checker, Place::AppConfig, insecure, stmt);
}

/// Checks `app.config.update(...)` and `app.config.from_mapping(...)`.
pub(crate) fn check_call(checker: &mut Checker<'_>, call: &ExprCall, _method: &str) {
    let Expr::Attribute(attribute) = call.func.as_ref() else {
        return;
    };
    if !is_app_config(&attribute.value) || !uses_flask(checker) {
        return;
    }
    let mut insecure = Vec::new();
    for keyword in &call.arguments.keywords {
        if let Some(name) = &keyword.arg
            && let Some(finding) = weakness(name.id.as_str(), &evaluate(checker, &keyword.value))
        {
            insecure.push(finding);
        }
    }
    for arg in &call.arguments.args {
        if let Value::Dict(dict) = evaluate(checker, arg) {
            for (key, value) in &dict.entries {
                if let Some(finding) = weakness(key, value) {
                    insecure.push(finding);
                }
            }
        }
    }
    report(checker, Place::AppConfig, insecure, call);
}

/// A class that holds Flask configuration: named `...Config` or deriving
/// from one, in a module that is not Django's (django-configurations
/// classes are Django settings, checked by the Django settings rules).
fn is_config_class(checker: &Checker<'_>, name: &str, bases: &[pathfinder_python::Term]) -> bool {
    if checker.module.imports_any(&["django", "configurations"]) {
        return false;
    }
    let config_like = |text: &str| text.ends_with("Config") || text.ends_with("Configuration");
    config_like(name)
        || bases.iter().any(|base| {
            base.dotted()
                .and_then(|path| path.last().map(|last| config_like(last)))
                .unwrap_or(false)
        })
}
