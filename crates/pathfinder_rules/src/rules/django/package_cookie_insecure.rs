//! PYTHON-DJANGO-SEC-076: the deployed Django settings weaken a cookie that
//! an installed authentication package writes from them: dj-rest-auth's JWT
//! cookies and django-allauth's MFA "trust this browser" cookie.
//!
//! The packages, the settings they read and their defaults are data in
//! [`PACKAGES`], read from the packages' own source:
//!
//! - dj-rest-auth 7.0.1 (`dj_rest_auth/app_settings.py`, `jwt_auth.py`):
//!   settings in the `REST_AUTH` dict; the cookies are written when
//!   `USE_JWT` is true and `JWT_AUTH_COOKIE` or `JWT_AUTH_REFRESH_COOKIE`
//!   names one; `JWT_AUTH_SECURE` defaults to False, `JWT_AUTH_HTTPONLY` to
//!   True, `JWT_AUTH_SAMESITE` to 'Lax'.
//! - dj-rest-auth 2.2.8 (`dj_rest_auth/jwt_auth.py`): the same names as
//!   top-level settings, enabled by `REST_USE_JWT`.
//! - django-allauth 65.13.1 (`allauth/mfa/app_settings.py`,
//!   `allauth/mfa/internal/flows/trust.py`): `MFA_TRUST_COOKIE_SECURE`,
//!   `_HTTPONLY` and `_SAMESITE` default to the session cookie's settings
//!   (judged by PYTHON-DJANGO-SEC-071 to 074), so only an explicit weak value
//!   is reported; the cookie is written when `MFA_TRUST_ENABLED` or
//!   `ACCOUNT_LOGIN_BY_CODE_TRUST_ENABLED` is true.
//!
//! djangorestframework-simplejwt 5.5.1 writes no cookie (its views return
//! tokens in the body), so it has no entry. The documentation is
//! `package_cookie_insecure.md` beside this file.

use pathfinder_diagnostics::{
    AttributeFinding, AttributeState, Diagnostic, Fix, Severity, TextRange,
};
use pathfinder_python::Value;
use pathfinder_python::evaluate::Slot;

use crate::project::ProjectChecker;
use crate::registry::{Needle, Rule, RuleStatus};
use crate::settings::{self, SettingsModule};

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-DJANGO-SEC-076",
    name: "django-package-auth-cookie-insecure",
    title: "Deployed Django settings weaken the authentication cookies of dj-rest-auth or django-allauth",
    severity: Severity::High,
    status: RuleStatus::Preview,
    since: "0.3.0",
    cwe: &["CWE-614", "CWE-1004", "CWE-1275"],
    owasp: &["A05:2021", "A07:2021"],
    tags: &[
        "python",
        "django",
        "dj-rest-auth",
        "django-allauth",
        "jwt",
        "cookies",
        "settings",
    ],
    bundles: &["python/django", "python/cookies"],
    needles: &[
        Needle::exact("JWT_AUTH_"),
        Needle::exact("MFA_TRUST_"),
        Needle::exact("DJANGO_SETTINGS_MODULE"),
    ],
    methods: &[],
    docs: include_str!("package_cookie_insecure.md"),
    framework: None,
    call_hook: None,
    stmt_hook: None,
    expr_hook: None,
    project_hook: Some(check),
};

/// One cookie setting of a package.
struct CookieSetting {
    name: &'static str,
    attribute: &'static str,
    /// The package's default when it is weak, as a message shows it; `None`
    /// when the default is safe (or follows a setting judged elsewhere),
    /// so only an explicit weak value is reported.
    weak_default: Option<&'static str>,
    /// The value a fix writes.
    good: &'static str,
}

/// A package that writes cookies configured by settings.
struct PackageCookies {
    /// The package and the cookies, for messages: "dj-rest-auth's JWT cookies".
    writer: &'static str,
    /// The `INSTALLED_APPS` entry that shows the package is used.
    app: &'static str,
    /// The dict setting that holds the package's settings, or `None` for
    /// top-level settings.
    container: Option<&'static str>,
    /// Settings of which every one must be true (or unknown) for the cookies to be written.
    all_of: &'static [&'static str],
    /// Settings of which one must be true (or unknown) for the cookies to be written.
    any_of: &'static [&'static str],
    settings: &'static [CookieSetting],
}

const JWT_SETTINGS: &[CookieSetting] = &[
    CookieSetting {
        name: "JWT_AUTH_SECURE",
        attribute: "secure",
        weak_default: Some("dj-rest-auth default False"),
        good: "True",
    },
    CookieSetting {
        name: "JWT_AUTH_HTTPONLY",
        attribute: "httponly",
        weak_default: None,
        good: "True",
    },
    CookieSetting {
        name: "JWT_AUTH_SAMESITE",
        attribute: "samesite",
        weak_default: None,
        good: "'Lax'",
    },
];

const JWT_COOKIES: &[&str] = &["JWT_AUTH_COOKIE", "JWT_AUTH_REFRESH_COOKIE"];

static PACKAGES: &[PackageCookies] = &[
    PackageCookies {
        writer: "dj-rest-auth's JWT cookies",
        app: "dj_rest_auth",
        container: Some("REST_AUTH"),
        all_of: &["USE_JWT"],
        any_of: JWT_COOKIES,
        settings: JWT_SETTINGS,
    },
    PackageCookies {
        writer: "dj-rest-auth's JWT cookies (settings of dj-rest-auth before 3.0)",
        app: "dj_rest_auth",
        container: None,
        all_of: &["REST_USE_JWT"],
        any_of: JWT_COOKIES,
        settings: JWT_SETTINGS,
    },
    PackageCookies {
        writer: "django-allauth's MFA trust cookie",
        app: "allauth.mfa",
        container: None,
        all_of: &[],
        any_of: &["MFA_TRUST_ENABLED", "ACCOUNT_LOGIN_BY_CODE_TRUST_ENABLED"],
        settings: &[
            CookieSetting {
                name: "MFA_TRUST_COOKIE_SECURE",
                attribute: "secure",
                weak_default: None,
                good: "True",
            },
            CookieSetting {
                name: "MFA_TRUST_COOKIE_HTTPONLY",
                attribute: "httponly",
                weak_default: None,
                good: "True",
            },
            CookieSetting {
                name: "MFA_TRUST_COOKIE_SAMESITE",
                attribute: "samesite",
                weak_default: None,
                good: "'Lax'",
            },
        ],
    },
];

/// What the message of one finding needs.
struct PackageCookieInsecure<'a> {
    package: &'a PackageCookies,
    module: &'a SettingsModule,
    finding: &'a AttributeFinding,
    slot: Option<&'a Slot>,
}

impl PackageCookieInsecure<'_> {
    fn message(&self) -> String {
        let place = match self.slot {
            Some(slot) => self.module.provenance(slot),
            None => format!("evaluated {}", self.module.looked_in()),
        };
        let effect = match (self.finding.state, self.finding.attribute) {
            (AttributeState::NoneValue, _) => "`SameSite=None`: sent on requests from any site",
            (_, "secure") => "no `Secure` attribute: also sent over plain HTTP",
            (_, "httponly") => "no `HttpOnly` attribute: readable by page scripts",
            _ => "no `SameSite` attribute",
        };
        format!(
            "{} under the {}: {} ({effect}); {place}",
            self.package.writer,
            self.module.title(),
            self.finding.reason,
        )
    }
}

/// A setting's value in the package's namespace: top-level, or an entry of
/// its dict.
struct Lookup {
    value: Option<Value>,
    /// Whether the dict (or module) may hold the setting unseen.
    open: bool,
}

fn lookup(module: &SettingsModule, package: &PackageCookies, name: &str) -> Lookup {
    match package.container {
        None => Lookup {
            value: module.get(name).map(|slot| slot.value),
            open: module.opaque.is_some(),
        },
        Some(container) => match module.get(container).map(|slot| slot.value) {
            Some(Value::Dict(dict)) => Lookup {
                value: dict.get(name).cloned(),
                open: dict.open,
            },
            Some(_) => Lookup {
                value: Some(Value::dynamic()),
                open: true,
            },
            None => Lookup {
                value: None,
                open: module.opaque.is_some(),
            },
        },
    }
}

/// Whether a setting may be true: true, or unknown.
fn may_be_true(lookup: &Lookup) -> bool {
    match &lookup.value {
        Some(value) => value.truthy() != Some(false),
        None => lookup.open,
    }
}

/// Whether `INSTALLED_APPS` holds `app`, or may hold it.
fn installs(module: &SettingsModule, app: &str) -> bool {
    let Some(slot) = module.get("INSTALLED_APPS") else {
        return false;
    };
    let Some(values) = slot.value.possible_values() else {
        return true;
    };
    values.iter().any(|value| match value {
        Value::Seq(items) => items.iter().any(|item| match item {
            Value::Str(text) => text.as_ref() == app || text.starts_with(&format!("{app}.apps.")),
            _ => true,
        }),
        _ => true,
    })
}

/// Checks every deployed settings module of the project.
pub(crate) fn check(checker: &mut ProjectChecker<'_>) {
    let all = checker.django_settings();
    for module in settings::deployed(&all) {
        for package in PACKAGES {
            check_package(checker, module, package);
        }
    }
}

fn check_package(
    checker: &mut ProjectChecker<'_>,
    module: &SettingsModule,
    package: &PackageCookies,
) {
    if !installs(module, package.app) {
        return;
    }
    let enabled = package
        .all_of
        .iter()
        .all(|name| may_be_true(&lookup(module, package, name)))
        && package
            .any_of
            .iter()
            .any(|name| may_be_true(&lookup(module, package, name)));
    // A flag that is only unknown everywhere is no evidence of the cookies.
    let evidence = package
        .all_of
        .iter()
        .chain(package.any_of)
        .any(|name| lookup(module, package, name).value.is_some());
    if !enabled || !evidence {
        return;
    }
    for setting in package.settings {
        let found = lookup(module, package, setting.name);
        let (finding, explicit) = match (&found.value, setting.weak_default) {
            (None, Some(default)) if !found.open => (
                AttributeFinding {
                    attribute: setting.attribute,
                    state: AttributeState::Missing,
                    reason: format!("`{}` unset, {default}", setting.name),
                },
                false,
            ),
            (Some(value), _) => match crate::cookies::weak_setting(setting.attribute, value) {
                Some(state) => (
                    AttributeFinding {
                        attribute: setting.attribute,
                        state,
                        reason: format!("`{}` is {}", setting.name, value.describe()),
                    },
                    true,
                ),
                None => continue,
            },
            _ => continue,
        };
        report(checker, module, package, setting, &finding, explicit);
    }
}

/// Reports one weak setting: at its assignment (or its dict's) when it is
/// written, at the module's anchor when it is not.
fn report(
    checker: &mut ProjectChecker<'_>,
    module: &SettingsModule,
    package: &PackageCookies,
    setting: &CookieSetting,
    finding: &AttributeFinding,
    explicit: bool,
) {
    let slot = match package.container {
        Some(container) => module.get(container),
        None if explicit => module.get(setting.name),
        None => None,
    };
    let (path, range, fix) = if let Some(slot) = &slot {
        let file = checker.project.loader.parsed(&slot.site.path);
        let range = first_line(checker, slot);
        let fix = file.and_then(|file| match (package.container, explicit) {
            (Some(_), true) => crate::fix::settings::replace_dict_value(
                &file,
                slot.site.range,
                setting.name,
                setting.good,
            ),
            (Some(_), false) => crate::fix::settings::add_dict_entry(
                &file,
                slot.site.range,
                setting.name,
                setting.good,
            ),
            (None, _) => crate::fix::settings::replace_value(
                &file.source,
                slot.site.range,
                setting.name,
                setting.good,
            ),
        });
        let range = match package.container {
            Some(_) if explicit => entry_line(checker, slot, setting.name).unwrap_or(range),
            _ => range,
        };
        (slot.site.path.clone(), range, fix)
    } else {
        let fix: Option<Fix> = (!module.is_class())
            .then(|| checker.project.loader.parsed(&module.path))
            .flatten()
            .map(|file| crate::fix::settings::append_setting(&file, setting.name, setting.good));
        (module.path.clone(), module.anchor, fix)
    };
    let violation = PackageCookieInsecure {
        package,
        module,
        finding,
        slot: slot.as_ref(),
    };
    checker.report(
        path,
        Diagnostic {
            rule: RULE.id,
            severity: RULE.severity,
            range,
            message: violation.message(),
            details: vec![finding.clone()],
            fix,
            related: Vec::new(),
        },
    );
}

/// The first line of the statement that assigned `slot`: a finding spans one line.
fn first_line(checker: &ProjectChecker<'_>, slot: &Slot) -> TextRange {
    let Some(source) = checker.project.loader.source(&slot.site.path) else {
        return slot.site.range;
    };
    let start = usize::from(slot.site.range.start());
    let end = usize::from(slot.site.range.end()).min(source.len());
    let line_end = source[start..end].find('\n').map_or(end, |at| start + at);
    TextRange::new(slot.site.range.start(), (line_end as u32).into())
}

/// The line of the dict entry `key` in the dict assigned at `slot`.
fn entry_line(checker: &ProjectChecker<'_>, slot: &Slot, key: &str) -> Option<TextRange> {
    use pathfinder_diagnostics::Ranged;
    let file = checker.project.loader.parsed(&slot.site.path)?;
    let dict = crate::fix::settings::assigned_dict(&file, slot.site.range)?;
    let item = crate::fix::settings::dict_entry(dict, key)?;
    let start = item.key.as_ref()?.range().start();
    Some(TextRange::new(start, item.value.range().end()))
}
