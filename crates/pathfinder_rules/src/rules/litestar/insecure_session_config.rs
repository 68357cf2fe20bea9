//! PYTHON-LITESTAR-SEC-002: Litestar's session middleware configured
//! (`CookieBackendConfig`, `ServerSideSessionConfig`) so that the session
//! cookie lacks `Secure` or `HttpOnly`, or is sent cross-site.
//!
//! Signatures and defaults are data in [`litestar::SESSION_CONFIGS`]; the
//! binding is [`crate::configured`]'s. The documentation is
//! `insecure_session_config.md` beside this file.

use pathfinder_diagnostics::Severity;
use pathfinder_python::ast::ExprCall;

use crate::checker::Checker;
use crate::configured;
use crate::frameworks::litestar;
use crate::registry::{Rule, RuleStatus};

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-LITESTAR-SEC-002",
    name: "litestar-insecure-session-config",
    title: "Litestar session configuration writes its cookie without Secure",
    severity: Severity::High,
    status: RuleStatus::Preview,
    since: "0.3.0",
    cwe: &["CWE-614", "CWE-1004", "CWE-1275"],
    owasp: &["A05:2021", "A07:2021"],
    tags: &[
        "python",
        "litestar",
        "cookies",
        "session",
        "security-misconfiguration",
    ],
    bundles: &["python/litestar", "python/cookies"],
    needles: &["CookieBackendConfig", "ServerSideSessionConfig"],
    methods: &["CookieBackendConfig", "ServerSideSessionConfig"],
    docs: include_str!("insecure_session_config.md"),
    framework: None,
    call_hook: Some(check_call),
    stmt_hook: None,
    expr_hook: None,
    project_hook: None,
};

fn check_call(checker: &mut Checker<'_>, call: &ExprCall, _name: &str) {
    configured::check_call(checker, call, &RULE, litestar::SESSION_CONFIGS);
}
