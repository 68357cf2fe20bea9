//! The single table of rules and bundles.
//!
//! Every rule is declared once, in [`RULES`]. The command line's `--ruleset`,
//! `rules` and `explain`, SARIF's `rules[]` and the generated documentation
//! all read from here.

use pathfinder_diagnostics::Severity;
use pathfinder_python::ast::{Expr, ExprCall, Stmt};

use crate::checker::Checker;
use crate::frameworks::FrameworkCookies;
use crate::project::ProjectChecker;
use crate::rules as rule_modules;

/// How mature a rule is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleStatus {
    Preview,
    Stable,
    Deprecated,
}

impl RuleStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleStatus::Preview => "preview",
            RuleStatus::Stable => "stable",
            RuleStatus::Deprecated => "deprecated",
        }
    }
}

/// A rule's hook for calls of one of its methods, classes or functions.
pub(crate) type CallHook = fn(&mut Checker<'_>, &ExprCall, &str);

/// A rule's hook for every expression of a module.
pub(crate) type ExprHook = fn(&mut Checker<'_>, &Expr);

/// A rule's hook for every statement of a module, class bodies included.
pub(crate) type StmtHook = fn(&mut Checker<'_>, &Stmt);

/// A rule's hook for the whole project, called once per scan after
/// discovery: for properties of a project rather than of one file, such as
/// which Django settings module is deployed.
pub(crate) type ProjectHook = fn(&mut ProjectChecker<'_>);

/// A literal one of which must occur in a file for a rule to find anything
/// in it. The prefilter matches it exactly as the rule compares: an HTTP
/// header name in any ASCII case, a Python name exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Needle {
    pub text: &'static str,
    /// Whether every ASCII case of `text` counts.
    pub ignore_case: bool,
    /// Whether `text` counts only where a string's text, or a line of it,
    /// starts: after a quote, a newline or the escape `\n`. A header name
    /// is written so (`"Set-Cookie"`, `"...\r\nSet-Cookie: ..."`); prose
    /// in docstrings and comments that mentions it is not.
    pub starts_string: bool,
    /// Whether `text` counts only where a name starts: not right after a
    /// letter, a digit or `_`. A rule that looks for calls of a class named
    /// `Application` has nothing to do with `MIMEApplication(`.
    pub starts_name: bool,
}

impl Needle {
    /// A needle matched byte for byte (identifiers, setting names).
    pub const fn exact(text: &'static str) -> Needle {
        Needle {
            text,
            ignore_case: false,
            starts_string: false,
            starts_name: false,
        }
    }

    /// A needle matched byte for byte where a name starts (see
    /// [`Needle::starts_name`]): the name of a call or an attribute the
    /// rule compares whole (`Application(`, `cookies[`).
    pub const fn name(text: &'static str) -> Needle {
        Needle {
            text,
            ignore_case: false,
            starts_string: false,
            starts_name: true,
        }
    }

    /// A needle matched in any ASCII case.
    pub const fn any_case(text: &'static str) -> Needle {
        Needle {
            text,
            ignore_case: true,
            starts_string: false,
            starts_name: false,
        }
    }

    /// A header name: in any ASCII case, where a string or a line of one
    /// starts (see [`Needle::starts_string`]).
    pub const fn header(text: &'static str) -> Needle {
        Needle {
            text,
            ignore_case: true,
            starts_string: true,
            starts_name: false,
        }
    }
}

/// One rule: its metadata, its documentation and its checks.
pub struct Rule {
    /// The rule id, such as `PYTHON-DJANGO-SEC-070`.
    pub id: &'static str,
    /// A name that reads as "allow <pattern>", in kebab case.
    pub name: &'static str,
    /// A one-line title.
    pub title: &'static str,
    pub severity: Severity,
    pub status: RuleStatus,
    /// The version that introduced the rule.
    pub since: &'static str,
    pub cwe: &'static [&'static str],
    pub owasp: &'static [&'static str],
    pub tags: &'static [&'static str],
    /// The bundles the rule belongs to, besides `python/all`.
    pub bundles: &'static [&'static str],
    /// Byte strings one of which must occur in a file for the rule to find
    /// anything in it. A rule with only a project hook finds files on its own
    /// (from `wsgi.py`, `manage.py`, `settings.py` ...); its needles say what
    /// that search looks for, and the per-file prefilter ignores them.
    pub needles: &'static [Needle],
    /// The last names of the callees whose calls the rule examines: methods
    /// (`update` in `app.config.update(...)`), classes and functions
    /// (`SessionMiddleware`, `Middleware`).
    pub methods: &'static [&'static str],
    /// The documentation in Markdown, with the sections of every rule.
    pub docs: &'static str,
    /// For cookie-write rules: the framework whose cookie writes the rule reports.
    pub framework: Option<&'static FrameworkCookies>,
    /// A hook for calls of one of `methods`.
    pub(crate) call_hook: Option<CallHook>,
    /// A hook for every statement, for writes that are not calls.
    pub(crate) stmt_hook: Option<StmtHook>,
    /// A hook for every expression, for writes built as values (header pairs).
    pub(crate) expr_hook: Option<ExprHook>,
    /// A hook for the whole project, called once per scan.
    pub(crate) project_hook: Option<ProjectHook>,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl Rule {
    /// Whether the rule examines files one at a time, so that files holding
    /// its needles must be parsed.
    pub fn checks_files(&self) -> bool {
        self.call_hook.is_some()
            || self.stmt_hook.is_some()
            || self.expr_hook.is_some()
            || self.framework.is_some()
    }

    /// Whether the rule has a project-level pass.
    pub fn checks_project(&self) -> bool {
        self.project_hook.is_some()
    }

    /// The first paragraph of the "What it finds" section.
    pub fn summary(&self) -> &'static str {
        section(self.docs, "What it finds")
            .and_then(|text| text.split("\n\n").next())
            .unwrap_or(self.title)
    }

    /// The text of a `## heading` section of the documentation.
    pub fn section(&self, heading: &str) -> Option<&'static str> {
        section(self.docs, heading)
    }
}

fn section<'d>(docs: &'d str, heading: &str) -> Option<&'d str> {
    let marker = format!("## {heading}\n");
    let start = docs.find(&marker)? + marker.len();
    let rest = &docs[start..];
    let end = rest.find("\n## ").map_or(rest.len(), |end| end + 1);
    Some(rest[..end].trim())
}

/// A named group of rules, selectable with `--ruleset python/<bundle>`.
#[derive(Debug)]
pub struct Bundle {
    pub name: &'static str,
    pub description: &'static str,
}

/// Every bundle; `python/all` holds every rule.
pub static BUNDLES: &[Bundle] = &[
    Bundle {
        name: "python/all",
        description: "every rule",
    },
    Bundle {
        name: "python/django",
        description: "Django cookie writes and settings",
    },
    Bundle {
        name: "python/flask",
        description: "Flask and Werkzeug cookie writes and configuration",
    },
    Bundle {
        name: "python/cookies",
        description: "every cookie rule, in every framework",
    },
    Bundle {
        name: "python/quart",
        description: "Quart cookie writes",
    },
    Bundle {
        name: "python/fastapi",
        description: "FastAPI and Starlette cookie writes and session middleware",
    },
    Bundle {
        name: "python/litestar",
        description: "Litestar cookie writes and session configuration",
    },
    Bundle {
        name: "python/tornado",
        description: "Tornado cookie writes and the XSRF cookie",
    },
    Bundle {
        name: "python/aiohttp",
        description: "aiohttp cookie writes and aiohttp_session storages",
    },
    Bundle {
        name: "python/sanic",
        description: "Sanic cookie writes and sanic_session",
    },
    Bundle {
        name: "python/falcon",
        description: "Falcon cookie writes",
    },
    Bundle {
        name: "python/pyramid",
        description: "Pyramid and WebOb cookie writes, auth tickets and cookie sessions",
    },
    Bundle {
        name: "python/bottle",
        description: "Bottle cookie writes",
    },
    Bundle {
        name: "python/cherrypy",
        description: "CherryPy response cookies and the session tool",
    },
    Bundle {
        name: "python/twisted",
        description: "Twisted Web and Klein cookie writes",
    },
];

static RULES: &[&Rule] = &[
    &rule_modules::django::insecure_cookie_write::RULE,
    &rule_modules::flask::insecure_cookie_write::RULE,
    &rule_modules::quart::insecure_cookie_write::RULE,
    &rule_modules::fastapi::insecure_cookie_write::RULE,
    &rule_modules::litestar::insecure_cookie_write::RULE,
    &rule_modules::tornado::insecure_cookie_write::RULE,
    &rule_modules::aiohttp::insecure_cookie_write::RULE,
    &rule_modules::sanic::insecure_cookie_write::RULE,
    &rule_modules::falcon::insecure_cookie_write::RULE,
    &rule_modules::pyramid::insecure_cookie_write::RULE,
    &rule_modules::bottle::insecure_cookie_write::RULE,
    &rule_modules::twisted::insecure_cookie_write::RULE,
    &rule_modules::cherrypy::insecure_cookie_morsel::RULE,
    &rule_modules::headers::insecure_set_cookie_header::RULE,
    &rule_modules::headers::insecure_simple_cookie::RULE,
    &rule_modules::django::session_cookie_not_secure::RULE,
    &rule_modules::django::csrf_cookie_not_secure::RULE,
    &rule_modules::django::session_cookie_httponly_disabled::RULE,
    &rule_modules::django::cookie_samesite_disabled::RULE,
    &rule_modules::django::language_cookie_insecure::RULE,
    &rule_modules::django::package_cookie_insecure::RULE,
    &rule_modules::flask::insecure_session_config::RULE,
    &rule_modules::flask::remember_cookie_config::RULE,
    &rule_modules::fastapi::insecure_session_middleware::RULE,
    &rule_modules::pyramid::insecure_cookie_config::RULE,
    &rule_modules::aiohttp::insecure_session_storage::RULE,
    &rule_modules::tornado::insecure_xsrf_cookie::RULE,
    &rule_modules::litestar::insecure_session_config::RULE,
    &rule_modules::sanic::insecure_session_interface::RULE,
    &rule_modules::cherrypy::insecure_session_config::RULE,
];

/// Every rule, in id order.
pub fn rules() -> &'static [&'static Rule] {
    RULES
}

/// The rule with this id, in any case, with or without the `python/` prefix.
pub fn find_rule(id: &str) -> Option<&'static Rule> {
    let id = id.strip_prefix("python/").unwrap_or(id);
    RULES
        .iter()
        .copied()
        .find(|rule| rule.id.eq_ignore_ascii_case(id))
}

/// Resolves `--ruleset` values (rule ids and bundles) to the rules they name.
///
/// Returns the unknown value on error. The rules come back in registry order,
/// each once.
pub fn select(selectors: &[String]) -> Result<Vec<&'static Rule>, String> {
    if selectors.is_empty() {
        return Ok(RULES.to_vec());
    }
    let mut selected: Vec<&'static Rule> = Vec::new();
    for selector in selectors {
        for part in selector
            .split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
        {
            let lower = part.to_ascii_lowercase();
            let matched: Vec<&'static Rule> = if lower == "python/all" || lower == "all" {
                RULES.to_vec()
            } else if let Some(bundle) = BUNDLES.iter().find(|bundle| {
                bundle.name == lower || bundle.name.strip_prefix("python/") == Some(&lower)
            }) {
                RULES
                    .iter()
                    .copied()
                    .filter(|rule| rule.bundles.contains(&bundle.name))
                    .collect()
            } else if let Some(rule) = find_rule(part) {
                vec![rule]
            } else {
                return Err(part.to_string());
            };
            for rule in matched {
                if !selected.iter().any(|known| known.id == rule.id) {
                    selected.push(rule);
                }
            }
        }
    }
    selected.sort_by_key(|rule| RULES.iter().position(|known| known.id == rule.id));
    Ok(selected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_complete_and_unique() {
        let required = [
            "What it finds",
            "Why is this bad?",
            "Example",
            "How to fix",
            "Fix safety",
            "References",
        ];
        for (index, rule) in RULES.iter().enumerate() {
            for heading in required {
                assert!(
                    rule.section(heading).is_some(),
                    "{} lacks the section `## {heading}`",
                    rule.id
                );
            }
            assert!(!rule.needles.is_empty(), "{} declares no needle", rule.id);
            assert!(!rule.bundles.is_empty(), "{} is in no bundle", rule.id);
            assert!(
                RULES[index + 1..]
                    .iter()
                    .all(|other| other.id != rule.id && other.name != rule.name),
                "{} is declared twice",
                rule.id
            );
            for bundle in rule.bundles {
                assert!(
                    BUNDLES.iter().any(|known| known.name == *bundle),
                    "{} names unknown bundle {bundle}",
                    rule.id
                );
            }
            let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("resources/test/fixtures")
                .join(rule.id);
            assert!(
                fixtures.is_dir(),
                "{} has no fixtures at {}",
                rule.id,
                fixtures.display()
            );
        }
    }

    #[test]
    fn bundles_are_declared_once() {
        for (index, bundle) in BUNDLES.iter().enumerate() {
            assert!(
                BUNDLES[index + 1..]
                    .iter()
                    .all(|other| other.name != bundle.name),
                "{} is declared twice",
                bundle.name
            );
        }
    }

    #[test]
    fn every_framework_has_its_rule() {
        for framework in crate::frameworks::FRAMEWORKS {
            let rule = find_rule(framework.rule).unwrap_or_else(|| {
                panic!("{} names unknown rule {}", framework.name, framework.rule)
            });
            assert!(
                rule.framework
                    .is_some_and(|own| std::ptr::eq(own, *framework)),
                "{} does not report {}",
                rule.id,
                framework.name
            );
            for method in framework.methods {
                assert!(
                    rule.methods.contains(&method.name),
                    "{} lacks method {}",
                    rule.id,
                    method.name
                );
                assert!(
                    rule.needles
                        .iter()
                        .any(|needle| method.name.contains(needle.text)
                            || needle.text.contains(method.name)),
                    "{} has no needle for {}",
                    rule.id,
                    method.name
                );
            }
        }
    }

    #[test]
    fn selection() {
        let ids = |selectors: &[&str]| {
            let selectors: Vec<String> = selectors.iter().map(ToString::to_string).collect();
            select(&selectors).map(|rules| rules.iter().map(|rule| rule.id).collect::<Vec<_>>())
        };
        assert_eq!(
            ids(&["python/PYTHON-DJANGO-SEC-070"]),
            Ok(vec!["PYTHON-DJANGO-SEC-070"])
        );
        assert_eq!(
            ids(&["python-django-sec-070", "python/PYTHON-DJANGO-SEC-071"]),
            Ok(vec!["PYTHON-DJANGO-SEC-070", "PYTHON-DJANGO-SEC-071"])
        );
        assert!(
            ids(&["python/django"])
                .unwrap()
                .iter()
                .all(|id| id.starts_with("PYTHON-DJANGO-"))
        );
        assert_eq!(ids(&["python/nope"]), Err("python/nope".to_string()));
        assert_eq!(ids(&[]).map(|ids| ids.len()), Ok(RULES.len()));
    }
}
