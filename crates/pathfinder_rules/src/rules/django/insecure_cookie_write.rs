//! PYTHON-DJANGO-SEC-070: a Django response sets a cookie without `Secure`,
//! `HttpOnly` or `SameSite`.
//!
//! The check is the shared cookie-write analysis of [`crate::cookies`], driven
//! by the framework table in [`crate::frameworks::django`]. The rule's
//! documentation (what it finds, why it matters, examples, fix safety,
//! references) is `insecure_cookie_write.md` beside this file; it is the single
//! text shown by `explain`, SARIF help and the generated docs.

use pathfinder_diagnostics::Severity;

use crate::frameworks::django;
use crate::registry::{Needle, Rule, RuleStatus};

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-DJANGO-SEC-070",
    name: "django-insecure-cookie-write",
    title: "Django cookie set without Secure, HttpOnly or SameSite",
    severity: Severity::Medium,
    status: RuleStatus::Stable,
    since: "0.1.0",
    cwe: &["CWE-614", "CWE-1004", "CWE-1275"],
    owasp: &["A05:2021"],
    tags: &[
        "python",
        "django",
        "cookies",
        "security-misconfiguration",
        "secure",
        "httponly",
        "samesite",
    ],
    bundles: &["python/django", "python/cookies"],
    needles: &[
        Needle::exact("set_cookie"),
        Needle::exact("set_signed_cookie"),
    ],
    methods: &["set_cookie", "set_signed_cookie"],
    docs: include_str!("insecure_cookie_write.md"),
    framework: Some(&django::COOKIES),
    call_hook: None,
    stmt_hook: None,
    expr_hook: None,
    project_hook: None,
};
