//! PYTHON-DJANGO-SEC-071: the deployed Django settings leave
//! `SESSION_COOKIE_SECURE` false, or never set it.
//!
//! The documentation is `session_cookie_not_secure.md` beside this file.

use pathfinder_diagnostics::{AttributeFinding, AttributeState, Diagnostic, Severity};

use crate::project::ProjectChecker;
use crate::registry::{Needle, Rule, RuleStatus};
use crate::settings::{self, Evidence, SettingsModule};

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-DJANGO-SEC-071",
    name: "django-session-cookie-not-secure",
    title: "Deployed Django settings do not set SESSION_COOKIE_SECURE to True",
    severity: Severity::Medium,
    status: RuleStatus::Preview,
    since: "0.2.0",
    cwe: &["CWE-614"],
    owasp: &["A05:2021"],
    tags: &["python", "django", "cookies", "settings", "secure"],
    bundles: &["python/django", "python/cookies"],
    needles: &[
        Needle::exact("SESSION_COOKIE_"),
        Needle::exact("DJANGO_SETTINGS_MODULE"),
        Needle::exact("Configuration"),
    ],
    methods: &[],
    docs: include_str!("session_cookie_not_secure.md"),
    framework: None,
    call_hook: None,
    stmt_hook: None,
    expr_hook: None,
    project_hook: Some(check),
};

const SETTING: &str = "SESSION_COOKIE_SECURE";

/// What the message of one finding needs.
struct SessionCookieNotSecure<'a> {
    module: &'a SettingsModule,
    evidence: &'a Evidence,
}

impl SessionCookieNotSecure<'_> {
    fn message(&self) -> String {
        insecure_flag_message(SETTING, "the session cookie", self.module, self.evidence)
    }
}

/// The message shared by the two `*_COOKIE_SECURE` rules.
pub(crate) fn insecure_flag_message(
    setting: &str,
    cookie: &str,
    module: &SettingsModule,
    evidence: &Evidence,
) -> String {
    match evidence {
        Evidence::Assigned(slot) => format!(
            "{setting} is {} in the {}, so {cookie} is also sent over plain HTTP; {}",
            slot.value.describe(),
            module.title(),
            module.provenance(slot)
        ),
        Evidence::NeverSet => format!(
            "{setting} is never set in the {}, so Django's default False applies and {cookie} is also sent over plain HTTP; evaluated {}",
            module.title(),
            module.looked_in()
        ),
    }
}

/// The attribute detail shared by the two `*_COOKIE_SECURE` rules.
pub(crate) fn secure_detail(setting: &str, evidence: &Evidence) -> AttributeFinding {
    match evidence {
        Evidence::Assigned(slot) => AttributeFinding {
            attribute: "secure",
            state: AttributeState::False,
            reason: format!("false (`{setting} = {}`)", slot.value.describe()),
        },
        Evidence::NeverSet => AttributeFinding {
            attribute: "secure",
            state: AttributeState::Missing,
            reason: format!("missing ({setting} unset, Django default False)"),
        },
    }
}

/// The fix shared by the two `*_COOKIE_SECURE` rules: `False` becomes `True`
/// (unsafe); a setting never set is added to the deployed module (safe), but
/// not to a settings class.
pub(crate) fn secure_fix(
    checker: &ProjectChecker<'_>,
    module: &SettingsModule,
    evidence: &Evidence,
    setting: &str,
    path: &std::path::Path,
    range: pathfinder_diagnostics::TextRange,
) -> Option<pathfinder_diagnostics::Fix> {
    let file = checker.project.loader.parsed(path)?;
    match evidence {
        Evidence::Assigned(_) => {
            crate::fix::settings::replace_value(&file.source, range, setting, "True")
        }
        Evidence::NeverSet if !module.is_class() => {
            Some(crate::fix::settings::append_setting(&file, setting, "True"))
        }
        Evidence::NeverSet => None,
    }
}

/// Checks every deployed settings module of the project.
pub(crate) fn check(checker: &mut ProjectChecker<'_>) {
    let all = checker.django_settings();
    for module in settings::deployed(&all) {
        if !module.uses_sessions() {
            continue;
        }
        let Some(evidence) = module.not_true(SETTING) else {
            continue;
        };
        let violation = SessionCookieNotSecure {
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
