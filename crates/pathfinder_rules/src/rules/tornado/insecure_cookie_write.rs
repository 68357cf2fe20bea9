//! PYTHON-TORNADO-SEC-001: tornado cookie set without Secure, HttpOnly or SameSite.
//!
//! The check is the shared cookie-write analysis of [`crate::cookies`], driven
//! by the framework table in [`crate::frameworks::tornado`]. The rule's
//! documentation is `insecure_cookie_write.md` beside this file.

use pathfinder_diagnostics::Severity;

use crate::frameworks::tornado;
use crate::registry::{Needle, Rule, RuleStatus};

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-TORNADO-SEC-001",
    name: "tornado-insecure-cookie-write",
    title: "Tornado cookie set without Secure, HttpOnly or SameSite",
    severity: Severity::Medium,
    status: RuleStatus::Preview,
    since: "0.1.0",
    cwe: &["CWE-614", "CWE-1004", "CWE-1275"],
    owasp: &["A05:2021"],
    tags: &["python", "tornado", "cookies", "security-misconfiguration"],
    bundles: &["python/tornado", "python/cookies"],
    needles: &[
        Needle::exact("set_cookie"),
        Needle::exact("set_signed_cookie"),
        Needle::exact("set_secure_cookie"),
    ],
    methods: &["set_cookie", "set_signed_cookie", "set_secure_cookie"],
    docs: include_str!("insecure_cookie_write.md"),
    framework: Some(&tornado::COOKIES),
    call_hook: None,
    stmt_hook: None,
    expr_hook: None,
    project_hook: None,
};
