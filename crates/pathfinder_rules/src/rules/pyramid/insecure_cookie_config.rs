//! PYTHON-PYRAMID-SEC-002: Pyramid's auth ticket cookie
//! (`AuthTktAuthenticationPolicy`, `AuthTktCookieHelper`) or cookie session
//! (`SignedCookieSessionFactory`, `BaseCookieSessionFactory`) configured
//! without `Secure` or `HttpOnly`, or with `SameSite` off or `None`.
//!
//! The constructors are recognised wherever they are called, whatever the
//! result is handed to (`config.set_authentication_policy(...)`,
//! `config.set_session_factory(...)`, `Configurator(session_factory=...)`, a
//! 2.0 security policy). Signatures and defaults are data in
//! [`pyramid::CONFIGURED_COOKIES`]; the binding is [`crate::configured`]'s.
//! The documentation is `insecure_cookie_config.md` beside this file.

use pathfinder_diagnostics::Severity;
use pathfinder_python::ast::ExprCall;

use crate::checker::Checker;
use crate::configured;
use crate::frameworks::pyramid;
use crate::registry::{Rule, RuleStatus};

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-PYRAMID-SEC-002",
    name: "pyramid-insecure-auth-or-session-cookie-config",
    title: "Pyramid auth ticket or cookie session configured without Secure or HttpOnly",
    severity: Severity::High,
    status: RuleStatus::Preview,
    since: "0.3.0",
    cwe: &["CWE-614", "CWE-1004", "CWE-1275"],
    owasp: &["A05:2021", "A07:2021"],
    tags: &[
        "python",
        "pyramid",
        "cookies",
        "session",
        "authentication",
        "security-misconfiguration",
    ],
    bundles: &["python/pyramid", "python/cookies"],
    needles: &["AuthTkt", "CookieSessionFactory"],
    methods: &[
        "AuthTktAuthenticationPolicy",
        "AuthTktCookieHelper",
        "SignedCookieSessionFactory",
        "BaseCookieSessionFactory",
    ],
    docs: include_str!("insecure_cookie_config.md"),
    framework: None,
    call_hook: Some(check_call),
    stmt_hook: None,
    expr_hook: None,
    project_hook: None,
};

fn check_call(checker: &mut Checker<'_>, call: &ExprCall, _name: &str) {
    configured::check_call(checker, call, &RULE, pyramid::CONFIGURED_COOKIES);
}
