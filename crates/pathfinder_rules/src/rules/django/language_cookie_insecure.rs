//! PYTHON-DJANGO-SEC-075: the deployed Django settings leave the language
//! cookie without `Secure`, `HttpOnly` or `SameSite`, in a project whose
//! URLconf routes to Django's `set_language` view (the only writer of that
//! cookie).
//!
//! Defaults read from Django 5.2.8 (`django/conf/global_settings.py`):
//! `LANGUAGE_COOKIE_SECURE = False`, `LANGUAGE_COOKIE_HTTPONLY = False`,
//! `LANGUAGE_COOKIE_SAMESITE = None`. The writer is
//! `django/views/i18n.py::set_language`, which passes the three settings to
//! `set_cookie`; `LocaleMiddleware` only reads the cookie. The documentation
//! is `language_cookie_insecure.md` beside this file.

use pathfinder_diagnostics::{AttributeFinding, AttributeState, Diagnostic, Severity};
use pathfinder_python::evaluate::Slot;

use crate::project::ProjectChecker;
use crate::registry::{Needle, Rule, RuleStatus};
use crate::settings::{self, SettingsModule, urls};

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-DJANGO-SEC-075",
    name: "django-language-cookie-insecure",
    title: "Deployed Django settings leave the language cookie without Secure, HttpOnly or SameSite",
    severity: Severity::Low,
    status: RuleStatus::Preview,
    since: "0.3.0",
    cwe: &["CWE-614", "CWE-1004", "CWE-1275"],
    owasp: &["A05:2021"],
    tags: &[
        "python", "django", "cookies", "settings", "i18n", "secure", "httponly", "samesite",
    ],
    bundles: &["python/django", "python/cookies"],
    needles: &[
        Needle::exact("LANGUAGE_COOKIE_"),
        Needle::exact("set_language"),
        Needle::exact("DJANGO_SETTINGS_MODULE"),
    ],
    methods: &[],
    docs: include_str!("language_cookie_insecure.md"),
    framework: None,
    call_hook: None,
    stmt_hook: None,
    expr_hook: None,
    project_hook: Some(check),
};

/// The language cookie's settings: the attribute each controls, Django's
/// default as a message shows it, and the value the fix writes.
const SETTINGS: [(&str, &str, &str, &str); 3] = [
    (
        "LANGUAGE_COOKIE_SECURE",
        "secure",
        "Django default False",
        "True",
    ),
    (
        "LANGUAGE_COOKIE_HTTPONLY",
        "httponly",
        "Django default False",
        "True",
    ),
    (
        "LANGUAGE_COOKIE_SAMESITE",
        "samesite",
        "Django default None: no SameSite attribute",
        "'Lax'",
    ),
];

/// Where `set_language` is routed: Django's URLconf `django.conf.urls.i18n`
/// included by name, or the view imported from `django.views.i18n` into a
/// URLconf of the project. (`from django.conf.urls.i18n import
/// i18n_patterns` alone routes nothing.)
static SET_LANGUAGE: urls::Wanted = urls::Wanted {
    included: "django.conf.urls.i18n",
    text: |text| {
        text.contains("set_language")
            && (text.contains("django.views.i18n") || text.contains("django.views import i18n"))
    },
};

/// What the message of one finding needs.
struct LanguageCookieInsecure<'a> {
    module: &'a SettingsModule,
    /// The settings left at Django's weak default, or the one assigned a weak value.
    insecure: &'a [AttributeFinding],
    slot: Option<&'a Slot>,
}

impl LanguageCookieInsecure<'_> {
    fn message(&self) -> String {
        let reasons: Vec<String> = self
            .insecure
            .iter()
            .map(|finding| format!("{}: {}", finding.attribute, finding.reason))
            .collect();
        let place = match self.slot {
            Some(slot) => self.module.provenance(slot),
            None => format!("evaluated {}", self.module.looked_in()),
        };
        format!(
            "the language cookie that `set_language` writes is weak under the {}: {}; {place}",
            self.module.title(),
            reasons.join("; ")
        )
    }
}

/// Checks every deployed settings module of a project that routes to `set_language`.
pub(crate) fn check(checker: &mut ProjectChecker<'_>) {
    let all = checker.django_settings();
    for module in settings::deployed(&all) {
        if !urls::urlconf_reaches(checker.project, module, &SET_LANGUAGE) {
            continue;
        }
        let mut never_set: Vec<AttributeFinding> = Vec::new();
        let mut additions: Vec<(&str, &str)> = Vec::new();
        for (setting, attribute, default, good) in SETTINGS {
            match module.get(setting) {
                None if module.opaque.is_none() => {
                    never_set.push(AttributeFinding {
                        attribute,
                        state: AttributeState::Missing,
                        reason: format!("missing ({setting} unset, {default})"),
                    });
                    additions.push((setting, good));
                }
                None => {}
                Some(slot) => {
                    if let Some(state) = crate::cookies::weak_setting(attribute, &slot.value) {
                        report_assigned(checker, module, &slot, setting, attribute, state, good);
                    }
                }
            }
        }
        if never_set.is_empty() {
            continue;
        }
        let violation = LanguageCookieInsecure {
            module,
            insecure: &never_set,
            slot: None,
        };
        // A settings class takes no appended module-level line.
        let fix = (!module.is_class())
            .then(|| checker.project.loader.parsed(&module.path))
            .flatten()
            .map(|file| crate::fix::settings::append_settings(&file, &additions));
        checker.report(
            module.path.clone(),
            Diagnostic {
                rule: RULE.id,
                severity: RULE.severity,
                range: module.anchor,
                message: violation.message(),
                details: never_set.clone(),
                fix,
                related: Vec::new(),
            },
        );
    }
}

/// Reports one setting assigned a weak value, at its assignment.
fn report_assigned(
    checker: &mut ProjectChecker<'_>,
    module: &SettingsModule,
    slot: &Slot,
    setting: &str,
    attribute: &'static str,
    state: AttributeState,
    good: &str,
) {
    let insecure = [AttributeFinding {
        attribute,
        state,
        reason: format!("`{setting} = {}`", slot.value.describe()),
    }];
    let violation = LanguageCookieInsecure {
        module,
        insecure: &insecure,
        slot: Some(slot),
    };
    let fix = checker
        .project
        .loader
        .source(&slot.site.path)
        .and_then(|source| {
            crate::fix::settings::replace_value(&source, slot.site.range, setting, good)
        });
    checker.report(
        slot.site.path.clone(),
        Diagnostic {
            rule: RULE.id,
            severity: RULE.severity,
            range: slot.site.range,
            message: violation.message(),
            details: insecure.to_vec(),
            fix,
            related: Vec::new(),
        },
    );
}
