//! PYTHON-TWISTED-SEC-001: Twisted or Klein cookie added without Secure,
//! HttpOnly or SameSite.
//!
//! The check is the shared cookie-write analysis of [`crate::cookies`], driven
//! by the framework table in [`crate::frameworks::twisted`]. The rule's
//! documentation is `insecure_cookie_write.md` beside this file.

use pathfinder_diagnostics::Severity;

use crate::frameworks::twisted;
use crate::registry::{Needle, Rule, RuleStatus};

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-TWISTED-SEC-001",
    name: "twisted-insecure-cookie-write",
    title: "Twisted or Klein cookie added without Secure, HttpOnly or SameSite",
    severity: Severity::Medium,
    status: RuleStatus::Preview,
    since: "0.1.0",
    cwe: &["CWE-614", "CWE-1004", "CWE-1275"],
    owasp: &["A05:2021"],
    tags: &[
        "python",
        "twisted",
        "klein",
        "cookies",
        "security-misconfiguration",
    ],
    bundles: &["python/twisted", "python/cookies"],
    needles: &[Needle::exact("addCookie")],
    methods: &["addCookie"],
    docs: include_str!("insecure_cookie_write.md"),
    framework: Some(&twisted::COOKIES),
    call_hook: None,
    stmt_hook: None,
    expr_hook: None,
    project_hook: None,
};
