//! PYTHON-FLASK-AUDIT-009: flask cookie set without Secure, HttpOnly or SameSite.
//!
//! The check is the shared cookie-write analysis of [`crate::cookies`], driven
//! by the framework table in [`crate::frameworks::flask`]. The rule's
//! documentation is `insecure_cookie_write.md` beside this file.

use pathfinder_diagnostics::Severity;

use crate::frameworks::flask;
use crate::registry::{Needle, Rule, RuleStatus};

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-FLASK-AUDIT-009",
    name: "flask-insecure-cookie-write",
    title: "Flask cookie set without Secure, HttpOnly or SameSite",
    severity: Severity::Medium,
    status: RuleStatus::Preview,
    since: "0.1.0",
    cwe: &["CWE-614", "CWE-1004", "CWE-1275"],
    owasp: &["A05:2021"],
    tags: &["python", "flask", "cookies", "security-misconfiguration"],
    bundles: &["python/flask", "python/cookies"],
    needles: &[Needle::exact("set_cookie")],
    methods: &["set_cookie"],
    docs: include_str!("insecure_cookie_write.md"),
    framework: Some(&flask::COOKIES),
    call_hook: None,
    stmt_hook: None,
    expr_hook: None,
    project_hook: None,
};
