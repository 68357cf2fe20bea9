//! PYTHON-DJANGO-SEC-072: the deployed Django settings leave
//! `CSRF_COOKIE_SECURE` false, or never set it.
//!
//! The documentation is `csrf_cookie_not_secure.md` beside this file.

use pathfinder_diagnostics::{Diagnostic, Severity};

use super::session_cookie_not_secure::secure_fix;
use crate::project::ProjectChecker;
use crate::registry::{Needle, Rule, RuleStatus};
use crate::rules::django::session_cookie_not_secure::{insecure_flag_message, secure_detail};
use crate::settings::{self, Evidence, SettingsModule};

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-DJANGO-SEC-072",
    name: "django-csrf-cookie-not-secure",
    title: "Deployed Django settings do not set CSRF_COOKIE_SECURE to True",
    severity: Severity::Medium,
    status: RuleStatus::Preview,
    since: "0.2.0",
    cwe: &["CWE-614"],
    owasp: &["A05:2021"],
    tags: &["python", "django", "cookies", "settings", "secure", "csrf"],
    bundles: &["python/django", "python/cookies"],
    needles: &[
        Needle::exact("CSRF_COOKIE_"),
        Needle::exact("DJANGO_SETTINGS_MODULE"),
        Needle::exact("Configuration"),
    ],
    methods: &[],
    docs: include_str!("csrf_cookie_not_secure.md"),
    framework: None,
    call_hook: None,
    stmt_hook: None,
    expr_hook: None,
    project_hook: Some(check),
};

const SETTING: &str = "CSRF_COOKIE_SECURE";

/// What the message of one finding needs.
struct CsrfCookieNotSecure<'a> {
    module: &'a SettingsModule,
    evidence: &'a Evidence,
}

impl CsrfCookieNotSecure<'_> {
    fn message(&self) -> String {
        insecure_flag_message(SETTING, "the CSRF cookie", self.module, self.evidence)
    }
}

/// Checks every deployed settings module of the project.
pub(crate) fn check(checker: &mut ProjectChecker<'_>) {
    let all = checker.django_settings();
    for module in settings::deployed(&all) {
        if !module.uses_csrf_cookie() {
            continue;
        }
        let Some(evidence) = module.not_true(SETTING) else {
            continue;
        };
        let violation = CsrfCookieNotSecure {
            module,
            evidence: &evidence,
        };
        let (path, range) = module.location(&evidence);
        let fix = secure_fix(checker, module, &evidence, SETTING, &path, range);
        checker.report(
            path,
            Diagnostic {
                rule: RULE.id,
                severity: RULE.severity,
                range,
                message: violation.message(),
                details: vec![secure_detail(SETTING, &evidence)],
                fix,
                related: Vec::new(),
            },
        );
    }
}
