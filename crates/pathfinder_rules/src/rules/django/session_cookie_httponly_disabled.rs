//! PYTHON-DJANGO-SEC-073: the deployed Django settings turn
//! `SESSION_COOKIE_HTTPONLY` off.
//!
//! The documentation is `session_cookie_httponly_disabled.md` beside this file.

use pathfinder_diagnostics::{AttributeFinding, AttributeState, Diagnostic, Severity};

use crate::project::ProjectChecker;
use crate::registry::{Needle, Rule, RuleStatus};
use crate::settings::{self, SettingsModule};
use pathfinder_python::evaluate::Slot;

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-DJANGO-SEC-073",
    name: "django-session-cookie-httponly-disabled",
    title: "Deployed Django settings set SESSION_COOKIE_HTTPONLY to False",
    severity: Severity::Medium,
    status: RuleStatus::Preview,
    since: "0.2.0",
    cwe: &["CWE-1004"],
    owasp: &["A05:2021"],
    tags: &["python", "django", "cookies", "settings", "httponly"],
    bundles: &["python/django", "python/cookies"],
    needles: &[
        Needle::exact("SESSION_COOKIE_HTTPONLY"),
        Needle::exact("DJANGO_SETTINGS_MODULE"),
        Needle::exact("Configuration"),
    ],
    methods: &[],
    docs: include_str!("session_cookie_httponly_disabled.md"),
    framework: None,
    call_hook: None,
    stmt_hook: None,
    expr_hook: None,
    project_hook: Some(check),
};

const SETTING: &str = "SESSION_COOKIE_HTTPONLY";

/// What the message of one finding needs.
struct HttpOnlyDisabled<'a> {
    module: &'a SettingsModule,
    slot: &'a Slot,
}

impl HttpOnlyDisabled<'_> {
    fn message(&self) -> String {
        format!(
            "{SETTING} is {} in the {}, so page scripts can read the session cookie; {}",
            self.slot.value.describe(),
            self.module.title(),
            self.module.provenance(self.slot)
        )
    }
}

/// Checks every deployed settings module of the project.
pub(crate) fn check(checker: &mut ProjectChecker<'_>) {
    let all = checker.django_settings();
    for module in settings::deployed(&all) {
        if !module.uses_sessions() {
            continue;
        }
        let Some(slot) = module.get(SETTING) else {
            continue;
        };
        if slot.value.truthy() != Some(false) {
            continue;
        }
        let violation = HttpOnlyDisabled {
            module,
            slot: &slot,
        };
        checker.report(
            slot.site.path.clone(),
            Diagnostic {
                rule: RULE.id,
                severity: RULE.severity,
                range: slot.site.range,
                message: violation.message(),
                details: vec![AttributeFinding {
                    attribute: "httponly",
                    state: AttributeState::False,
                    reason: format!("false (`{SETTING} = {}`)", slot.value.describe()),
                }],
                fix: checker
                    .project
                    .loader
                    .source(&slot.site.path)
                    .and_then(|source| {
                        crate::fix::settings::replace_value(
                            &source,
                            slot.site.range,
                            SETTING,
                            "True",
                        )
                    }),
                related: Vec::new(),
            },
        );
    }
}
