//! PYTHON-FASTAPI-SEC-002: Starlette's `SessionMiddleware` (which FastAPI
//! applications use) configured so that its session cookie lacks `Secure` or
//! is sent cross-site.
//!
//! The middleware is recognised where it is configured: constructed directly,
//! wrapped in `Middleware(SessionMiddleware, ...)` (in a middleware list or
//! `Starlette(middleware=[...])`), or given to `app.add_middleware(...)`. The
//! signature and defaults are data in [`starlette::SESSION_COOKIES`]; the
//! binding is [`crate::configured`]'s. The documentation is
//! `insecure_session_middleware.md` beside this file.

use pathfinder_diagnostics::Severity;
use pathfinder_python::ast::ExprCall;

use crate::checker::Checker;
use crate::configured;
use crate::frameworks::starlette;
use crate::registry::{Rule, RuleStatus};

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-FASTAPI-SEC-002",
    name: "starlette-insecure-session-middleware",
    title: "Starlette SessionMiddleware writes its session cookie without Secure or with SameSite=None",
    severity: Severity::High,
    status: RuleStatus::Preview,
    since: "0.3.0",
    cwe: &["CWE-614", "CWE-1275"],
    owasp: &["A05:2021", "A07:2021"],
    tags: &[
        "python",
        "fastapi",
        "starlette",
        "cookies",
        "session",
        "security-misconfiguration",
    ],
    bundles: &["python/fastapi", "python/cookies"],
    // The import path, not the class name: Django settings name
    // `django.contrib.sessions.middleware.SessionMiddleware`.
    needles: &["middleware.sessions"],
    methods: &["SessionMiddleware", "Middleware", "add_middleware"],
    docs: include_str!("insecure_session_middleware.md"),
    framework: None,
    call_hook: Some(check_call),
    stmt_hook: None,
    expr_hook: None,
    project_hook: None,
};

fn check_call(checker: &mut Checker<'_>, call: &ExprCall, _name: &str) {
    configured::check_call(checker, call, &RULE, starlette::SESSION_COOKIES);
}
