//! Flask configuration that weakens a cookie Flask or an extension writes
//! from the app's config: shared by PYTHON-FLASK-AUDIT-075 (the session
//! cookie) and PYTHON-FLASK-AUDIT-076 (Flask-Login's remember-me cookie).
//!
//! Configuration is read where Flask reads it: `app.config["X"] = ...`,
//! `app.config.update(...)` / `from_mapping(...)` (keywords and dicts), and
//! the attributes of configuration classes given to `from_object` (classes
//! named `...Config` or deriving from one). Classes named for development or
//! testing (`DevelopmentConfig`, `TestingConfig`) are not deployed and are
//! not reported. Only explicit weak values are reported: Flask has no
//! deployment model that would say which config a server loads.

use pathfinder_diagnostics::{AttributeFinding, Diagnostic, Fix, Ranged};
use pathfinder_python::ast::{Expr, ExprCall, Stmt};
use pathfinder_python::{Value, lower};

use crate::checker::Checker;
use crate::registry::Rule;

/// A cookie configured by Flask config keys.
pub(crate) struct ConfigCookie {
    pub(crate) rule: &'static Rule,
    /// The cookie, for messages: "the session cookie".
    pub(crate) cookie: &'static str,
    /// The config keys and the attribute each controls.
    pub(crate) settings: &'static [(&'static str, &'static str)],
    /// Whether the project writes the cookie at all (an extension in use).
    pub(crate) written: fn(&Checker<'_>) -> bool,
}

/// Where the configuration is written.
pub(crate) enum Place<'a> {
    /// `app.config[...] = ...`, `app.config.update(...)`.
    AppConfig,
    /// An attribute of a configuration class.
    Class(&'a str),
}

/// What the message of one finding needs.
struct InsecureConfig<'a> {
    cookie: &'a str,
    place: Place<'a>,
    insecure: Vec<AttributeFinding>,
}

impl InsecureConfig<'_> {
    fn message(&self) -> String {
        let reasons: Vec<String> = self
            .insecure
            .iter()
            .map(|finding| format!("{}: {}", finding.attribute, finding.reason))
            .collect();
        format!(
            "{} weakens {}; {}",
            place_name(&self.place),
            self.cookie,
            reasons.join("; ")
        )
    }
}

/// "Flask app config" or "Flask config class `ProductionConfig`".
pub(crate) fn place_name(place: &Place<'_>) -> String {
    match place {
        Place::AppConfig => "Flask app config".to_string(),
        Place::Class(name) => format!("Flask config class `{name}`"),
    }
}

/// The finding for one setting's value, when the value weakens the cookie.
fn weakness(
    settings: &[(&'static str, &'static str)],
    setting: &str,
    value: &Value,
) -> Option<AttributeFinding> {
    let (_, attribute) = settings.iter().find(|(name, _)| *name == setting)?;
    let state = crate::cookies::weak_setting(attribute, value)?;
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
pub(crate) fn uses_flask(checker: &Checker<'_>) -> bool {
    checker.module.imports_any(&["flask", "quart"])
}

/// `X.config`: the receiver of a Flask app's configuration.
pub(crate) fn is_app_config(expr: &Expr) -> bool {
    matches!(expr, Expr::Attribute(attribute) if attribute.attr.id.as_str() == "config")
}

pub(crate) fn evaluate(checker: &Checker<'_>, expr: &Expr) -> Value {
    checker.with_ctx(|ctx| checker.resolver.eval(ctx, &lower(expr)))
}

pub(crate) fn report(
    checker: &mut Checker<'_>,
    spec: &ConfigCookie,
    place: Place<'_>,
    insecure: Vec<AttributeFinding>,
    stmt: &impl Ranged,
    fix: Option<Fix>,
) {
    if insecure.is_empty() {
        return;
    }
    let violation = InsecureConfig {
        cookie: spec.cookie,
        place,
        insecure,
    };
    let diagnostic = Diagnostic {
        rule: spec.rule.id,
        severity: spec.rule.severity,
        range: stmt.range(),
        message: violation.message(),
        details: violation.insecure.clone(),
        fix,
        related: Vec::new(),
    };
    checker.report(diagnostic);
}

/// The targets and value of an assignment statement.
pub(crate) fn assignment(stmt: &Stmt) -> Option<(&[Expr], &Expr)> {
    match stmt {
        Stmt::Assign(assign) => Some((assign.targets.as_slice(), assign.value.as_ref())),
        Stmt::AnnAssign(assign) => assign
            .value
            .as_ref()
            .map(|value| (std::slice::from_ref(assign.target.as_ref()), value.as_ref())),
        _ => None,
    }
}

/// The configuration class whose body holds the current statement, when it
/// is one that may be deployed (not named for development or testing).
pub(crate) fn deployed_config_class(checker: &Checker<'_>) -> Option<Result<String, ()>> {
    let class = checker.current_class()?;
    if !is_config_class(checker, &class.name, &class.bases)
        || crate::settings::is_development_name(&class.name)
    {
        return Some(Err(()));
    }
    Some(Ok(class.name.to_string()))
}

/// Checks `app.config["..."] = ...` and class attributes of configuration classes.
pub(crate) fn check_stmt(checker: &mut Checker<'_>, stmt: &Stmt, spec: &ConfigCookie) {
    let Some((targets, value)) = assignment(stmt) else {
        return;
    };
    if let Some(class) = deployed_config_class(checker) {
        let Ok(class) = class else {
            return;
        };
        let mut insecure = Vec::new();
        for target in targets {
            if let Expr::Name(name) = target
                && let Some(finding) =
                    weakness(spec.settings, name.id.as_str(), &evaluate(checker, value))
            {
                insecure.push(finding);
            }
        }
        if !insecure.is_empty() && (spec.written)(checker) {
            let fix = replace_fix(spec, targets, value, &insecure);
            report(checker, spec, Place::Class(&class), insecure, stmt, fix);
        }
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
            && let Some(finding) =
                weakness(spec.settings, key.value.to_str(), &evaluate(checker, value))
        {
            insecure.push(finding);
        }
    }
    if !insecure.is_empty() && (spec.written)(checker) {
        let fix = replace_fix(spec, targets, value, &insecure);
        report(checker, spec, Place::AppConfig, insecure, stmt, fix);
    }
}

/// For a single assignment of one weak literal, replacing it with the safe
/// value: unsafe, since it overrides a decision someone wrote down.
fn replace_fix(
    spec: &ConfigCookie,
    targets: &[Expr],
    value: &Expr,
    insecure: &[AttributeFinding],
) -> Option<Fix> {
    let [_] = targets else {
        return None;
    };
    let [finding] = insecure else {
        return None;
    };
    if !value.is_literal_expr() {
        return None;
    }
    let good = match finding.attribute {
        "samesite" => "'Lax'",
        _ => "True",
    };
    let (setting, _) = spec
        .settings
        .iter()
        .find(|(_, attribute)| *attribute == finding.attribute)?;
    Some(Fix {
        edits: vec![pathfinder_diagnostics::Edit::replacement(
            good,
            value.range(),
        )],
        applicability: pathfinder_diagnostics::Applicability::Unsafe,
        title: format!("Set `{setting}` to `{good}`"),
    })
}

/// Checks `app.config.update(...)` and `app.config.from_mapping(...)`.
pub(crate) fn check_call(checker: &mut Checker<'_>, call: &ExprCall, spec: &ConfigCookie) {
    let Expr::Attribute(attribute) = call.func.as_ref() else {
        return;
    };
    if !is_app_config(&attribute.value) || !uses_flask(checker) {
        return;
    }
    let mut insecure = Vec::new();
    for keyword in &call.arguments.keywords {
        if let Some(name) = &keyword.arg
            && let Some(finding) = weakness(
                spec.settings,
                name.id.as_str(),
                &evaluate(checker, &keyword.value),
            )
        {
            insecure.push(finding);
        }
    }
    for arg in &call.arguments.args {
        if let Value::Dict(dict) = evaluate(checker, arg) {
            for (key, value) in &dict.entries {
                if let Some(finding) = weakness(spec.settings, key, value) {
                    insecure.push(finding);
                }
            }
        }
    }
    if !insecure.is_empty() && (spec.written)(checker) {
        report(checker, spec, Place::AppConfig, insecure, call, None);
    }
}

/// A class that holds Flask configuration: named `...Config` or deriving
/// from one, in a module that is not Django's (django-configurations
/// classes are Django settings, checked by the Django settings rules).
pub(crate) fn is_config_class(
    checker: &Checker<'_>,
    name: &str,
    bases: &[pathfinder_python::Term],
) -> bool {
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
