//! PYTHON-SANIC-SEC-001: sanic cookie added without HttpOnly, Secure or SameSite.
//!
//! The check is the shared cookie-write analysis of [`crate::cookies`], driven
//! by the framework table in [`crate::frameworks::sanic`]. The rule's
//! documentation is `insecure_cookie_write.md` beside this file.

use pathfinder_diagnostics::Severity;

use crate::frameworks::sanic;
use crate::registry::{Needle, Rule, RuleStatus};

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-SANIC-SEC-001",
    name: "sanic-insecure-cookie-write",
    title: "Sanic cookie added without HttpOnly, Secure or SameSite",
    severity: Severity::Medium,
    status: RuleStatus::Preview,
    since: "0.1.0",
    cwe: &["CWE-614", "CWE-1004", "CWE-1275"],
    owasp: &["A05:2021"],
    tags: &["python", "sanic", "cookies", "security-misconfiguration"],
    bundles: &["python/sanic", "python/cookies"],
    needles: &[Needle::exact("add_cookie")],
    methods: &["add_cookie"],
    docs: include_str!("insecure_cookie_write.md"),
    framework: Some(&sanic::COOKIES),
    call_hook: None,
    stmt_hook: None,
    expr_hook: None,
    project_hook: None,
};
