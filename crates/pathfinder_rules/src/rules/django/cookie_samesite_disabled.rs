//! PYTHON-DJANGO-SEC-074: the deployed Django settings turn `SameSite` off
//! for the session or CSRF cookie (`None`, `False` or `'None'`).
//!
//! The documentation is `cookie_samesite_disabled.md` beside this file.

use pathfinder_diagnostics::{AttributeFinding, AttributeState, Diagnostic, Severity};

use crate::project::ProjectChecker;
use crate::registry::{Needle, Rule, RuleStatus};
use crate::settings::{self, SettingsModule};
use pathfinder_python::Value as Val;
use pathfinder_python::evaluate::Slot;

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-DJANGO-SEC-074",
    name: "django-cookie-samesite-disabled",
    title: "Deployed Django settings disable SameSite on the session or CSRF cookie",
    severity: Severity::Medium,
    status: RuleStatus::Preview,
    since: "0.2.0",
    cwe: &["CWE-1275"],
    owasp: &["A05:2021"],
    tags: &[
        "python", "django", "cookies", "settings", "samesite", "csrf",
    ],
    bundles: &["python/django", "python/cookies"],
    needles: &[
        Needle::exact("COOKIE_SAMESITE"),
        Needle::exact("DJANGO_SETTINGS_MODULE"),
        Needle::exact("Configuration"),
    ],
    methods: &[],
    docs: include_str!("cookie_samesite_disabled.md"),
    framework: None,
    call_hook: None,
    stmt_hook: None,
    expr_hook: None,
    project_hook: Some(check),
};

/// What the message of one finding needs.
struct SameSiteDisabled<'a> {
    setting: &'a str,
    cookie: &'a str,
    module: &'a SettingsModule,
    slot: &'a Slot,
}

impl SameSiteDisabled<'_> {
    fn message(&self) -> String {
        let effect = if matches!(self.slot.value, Val::Str(_)) {
            "sends it with requests started by any other site"
        } else {
            "leaves out the SameSite attribute, so browsers differ on when it goes cross-site"
        };
        format!(
            "{} is {} in the {}, which {effect} for {}; {}",
            self.setting,
            self.slot.value.describe(),
            self.module.title(),
            self.cookie,
            self.module.provenance(self.slot)
        )
    }
}

/// The state of a `SameSite` setting that weakens the cookie.
fn weakness(value: &Val) -> Option<AttributeState> {
    match value {
        Val::Str(text) if text.eq_ignore_ascii_case("none") => Some(AttributeState::NoneValue),
        Val::None | Val::Bool(false) => Some(AttributeState::False),
        _ => None,
    }
}

/// Checks every deployed settings module of the project.
pub(crate) fn check(checker: &mut ProjectChecker<'_>) {
    let all = checker.django_settings();
    for module in settings::deployed(&all) {
        let cookies = [
            (
                "SESSION_COOKIE_SAMESITE",
                "the session cookie",
                module.uses_sessions(),
            ),
            (
                "CSRF_COOKIE_SAMESITE",
                "the CSRF cookie",
                module.uses_csrf_cookie(),
            ),
        ];
        for (setting, cookie, used) in cookies {
            if !used {
                continue;
            }
            let Some(slot) = module.get(setting) else {
                continue;
            };
            let Some(state) = weakness(&slot.value) else {
                continue;
            };
            let violation = SameSiteDisabled {
                setting,
                cookie,
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
                        attribute: "samesite",
                        state,
                        reason: format!("`{setting} = {}`", slot.value.describe()),
                    }],
                    fix: checker
                        .project
                        .loader
                        .source(&slot.site.path)
                        .and_then(|source| {
                            crate::fix::settings::replace_value(
                                &source,
                                slot.site.range,
                                setting,
                                "'Lax'",
                            )
                        }),
                    related: Vec::new(),
                },
            );
        }
    }
}
