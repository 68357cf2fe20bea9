//! PYTHON-FASTAPI-SEC-001: fastAPI or Starlette cookie set without Secure or HttpOnly.
//!
//! The check is the shared cookie-write analysis of [`crate::cookies`], driven
//! by the framework table in [`crate::frameworks::starlette`]. The rule's
//! documentation is `insecure_cookie_write.md` beside this file.

use pathfinder_diagnostics::Severity;

use crate::frameworks::starlette;
use crate::registry::{Needle, Rule, RuleStatus};

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-FASTAPI-SEC-001",
    name: "fastapi-insecure-cookie-write",
    title: "FastAPI or Starlette cookie set without Secure or HttpOnly",
    severity: Severity::Medium,
    status: RuleStatus::Preview,
    since: "0.1.0",
    cwe: &["CWE-614", "CWE-1004", "CWE-1275"],
    owasp: &["A05:2021"],
    tags: &["python", "fastapi", "cookies", "security-misconfiguration"],
    bundles: &["python/fastapi", "python/cookies"],
    needles: &[Needle::exact("set_cookie")],
    methods: &["set_cookie"],
    docs: include_str!("insecure_cookie_write.md"),
    framework: Some(&starlette::COOKIES),
    call_hook: None,
    stmt_hook: None,
    expr_hook: None,
    project_hook: None,
};
