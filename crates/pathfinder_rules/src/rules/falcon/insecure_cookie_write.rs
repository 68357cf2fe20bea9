//! PYTHON-FALCON-SEC-001: falcon cookie set without SameSite, Secure or HttpOnly.
//!
//! The check is the shared cookie-write analysis of [`crate::cookies`], driven
//! by the framework table in [`crate::frameworks::falcon`]. The rule's
//! documentation is `insecure_cookie_write.md` beside this file.

use pathfinder_diagnostics::Severity;

use crate::frameworks::falcon;
use crate::registry::{Needle, Rule, RuleStatus};

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-FALCON-SEC-001",
    name: "falcon-insecure-cookie-write",
    title: "Falcon cookie set without SameSite, Secure or HttpOnly",
    severity: Severity::Medium,
    status: RuleStatus::Preview,
    since: "0.1.0",
    cwe: &["CWE-614", "CWE-1004", "CWE-1275"],
    owasp: &["A05:2021"],
    tags: &["python", "falcon", "cookies", "security-misconfiguration"],
    bundles: &["python/falcon", "python/cookies"],
    needles: &[Needle::exact("set_cookie")],
    methods: &["set_cookie"],
    docs: include_str!("insecure_cookie_write.md"),
    framework: Some(&falcon::COOKIES),
    call_hook: None,
    stmt_hook: None,
    expr_hook: None,
    project_hook: None,
};
