//! PYTHON-SANIC-SEC-002: the sanic_session extension writes its session
//! cookie without `Secure` or `SameSite` (or without `HttpOnly`, when told
//! to).
//!
//! The cookie options are the arguments of the session interface
//! (`InMemorySessionInterface(...)`, `RedisSessionInterface(...)`...); a
//! `Session(app)` given no interface builds `InMemorySessionInterface()` and
//! so takes every default. Signatures and defaults are data in
//! [`sanic::SESSION_INTERFACES`]; the binding is [`crate::configured`]'s. The
//! documentation is `insecure_session_interface.md` beside this file.

use pathfinder_diagnostics::{Ranged, Severity};
use pathfinder_python::ast::{Expr, ExprCall};
use pathfinder_python::{Origin, Value, lower};

use crate::checker::Checker;
use crate::configured;
use crate::frameworks::sanic;
use crate::registry::{Rule, RuleStatus};

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-SANIC-SEC-002",
    name: "sanic-session-insecure-cookie",
    title: "sanic_session writes its session cookie without Secure or SameSite",
    severity: Severity::High,
    status: RuleStatus::Preview,
    since: "0.3.0",
    cwe: &["CWE-614", "CWE-1004", "CWE-1275"],
    owasp: &["A05:2021", "A07:2021"],
    tags: &[
        "python",
        "sanic",
        "sanic-session",
        "cookies",
        "session",
        "security-misconfiguration",
    ],
    bundles: &["python/sanic", "python/cookies"],
    // Flask names its own `SessionInterface`; the package name is narrower.
    needles: &["sanic_session"],
    methods: &[
        "InMemorySessionInterface",
        "RedisSessionInterface",
        "AIORedisSessionInterface",
        "MemcacheSessionInterface",
        "MongoDBSessionInterface",
        "Session",
        "init_app",
    ],
    docs: include_str!("insecure_session_interface.md"),
    framework: None,
    call_hook: Some(check_call),
    stmt_hook: None,
    expr_hook: None,
    project_hook: None,
};

fn check_call(checker: &mut Checker<'_>, call: &ExprCall, name: &str) {
    match name {
        "Session" | "init_app" => check_default_interface(checker, call, name),
        _ => configured::check_call(checker, call, &RULE, sanic::SESSION_INTERFACES),
    }
}

/// `Session(app)` and `session.init_app(app, None)`: no interface, so the
/// extension builds `InMemorySessionInterface()` with every default.
fn check_default_interface(checker: &mut Checker<'_>, call: &ExprCall, name: &str) {
    let diagnostic = checker.with_ctx(|ctx| {
        let resolver = &checker.resolver;
        let is_extension = match (name, call.func.as_ref()) {
            ("init_app", Expr::Attribute(attribute)) => matches!(
                resolver.origin(ctx, &lower(&attribute.value)),
                Origin::Call(callee) if callee == sanic::SESSION_EXTENSION
            ),
            ("Session", _) => {
                resolver.qualified_name(ctx, &lower(&call.func)).as_deref()
                    == Some(sanic::SESSION_EXTENSION)
            }
            _ => false,
        };
        if !is_extension
            || call.arguments.args.iter().any(Expr::is_starred_expr)
            || call
                .arguments
                .keywords
                .iter()
                .any(|keyword| keyword.arg.is_none())
        {
            return None;
        }
        // Without an application, `Session()` waits for `init_app`.
        call.arguments.find_argument_value("app", 0)?;
        let interface = call.arguments.find_argument_value("interface", 1);
        let defaulted = match interface {
            None => true,
            Some(expr) => resolver.eval(ctx, &lower(expr)) == Value::None,
        };
        if !defaulted {
            return None;
        }
        configured::defaults_finding(
            &RULE,
            call.range(),
            sanic::DEFAULT_INTERFACE,
            "is written by sanic_session's default `InMemorySessionInterface()`",
        )
    });
    if let Some(diagnostic) = diagnostic {
        checker.report(diagnostic);
    }
}
