//! PYTHON-TORNADO-SEC-002: a Tornado application turns on `xsrf_cookies`
//! without giving the XSRF cookie `Secure` and `SameSite` through
//! `xsrf_cookie_kwargs`.
//!
//! The settings are read from the application's construction:
//! `tornado.web.Application(handlers, **settings)`, a project subclass that
//! passes them on with `super().__init__(handlers, **settings)` (or
//! `tornado.web.Application.__init__(self, ...)`), and a subclass without an
//! `__init__` of its own. Keywords and `**settings` dicts are evaluated with
//! the resolver; the defaults are [`tornado::XSRF_COOKIE`]'s. The
//! documentation is `insecure_xsrf_cookie.md` beside this file.

use pathfinder_diagnostics::{
    Applicability, AttributeFinding, AttributeState, Edit, Fix, Ranged, Severity,
};
use pathfinder_python::ast::{Expr, ExprCall};
use pathfinder_python::{ClassRef, Ctx, Origin, Resolver, Value, lower};

use crate::checker::Checker;
use crate::cookies::{absent, insecure_write, judge};
use crate::fix::edits;
use crate::frameworks::tornado::{self, XsrfCookie};
use crate::registry::{Needle, Rule, RuleStatus};

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-TORNADO-SEC-002",
    name: "tornado-insecure-xsrf-cookie",
    title: "Tornado XSRF cookie written without Secure or SameSite",
    severity: Severity::High,
    status: RuleStatus::Preview,
    since: "0.3.0",
    cwe: &["CWE-614", "CWE-1275"],
    owasp: &["A05:2021", "A01:2021"],
    tags: &[
        "python",
        "tornado",
        "cookies",
        "csrf",
        "security-misconfiguration",
    ],
    bundles: &["python/tornado", "python/cookies"],
    needles: &[Needle::exact("xsrf_cookie"), Needle::name("Application(")],
    methods: &["Application", "__init__"],
    docs: include_str!("insecure_xsrf_cookie.md"),
    framework: None,
    call_hook: Some(check_call),
    stmt_hook: None,
    expr_hook: None,
    project_hook: None,
};

/// How deep a chain of project subclasses is followed to the application class.
const MAX_CLASS_DEPTH: usize = 8;

/// One setting as the call passes it.
enum Setting<'a> {
    /// A keyword of the call itself.
    Keyword(&'a Expr),
    /// An entry of a `**settings` mapping.
    FromMapping(Value),
}

/// The settings an application call passes.
struct Settings<'a> {
    entries: Vec<(&'a str, Setting<'a>)>,
    /// Whether some `**mapping` could not be resolved, so any key may be set.
    open: bool,
    /// Whether the call unpacks any `**mapping`.
    has_mapping: bool,
}

impl Settings<'_> {
    fn get(&self, name: &str) -> Option<&Setting<'_>> {
        self.entries
            .iter()
            .rev()
            .find(|(key, _)| *key == name)
            .map(|(_, setting)| setting)
    }
}

fn check_call(checker: &mut Checker<'_>, call: &ExprCall, name: &str) {
    let source = checker.source;
    let cookie = &tornado::XSRF_COOKIE;
    // Only a call that passes the switch, or a mapping that may hold it,
    // can turn the protection on: the others (most `__init__` calls) are
    // not worth resolving their class through the project's modules.
    let may_enable = call.arguments.keywords.iter().any(|keyword| {
        keyword
            .arg
            .as_ref()
            .is_none_or(|arg| arg.id.as_str() == cookie.enable)
    });
    if !may_enable {
        return;
    }
    let diagnostic = checker.with_ctx(|ctx| {
        let resolver = &checker.resolver;
        if !constructs_application(resolver, ctx, call, name, cookie) {
            return None;
        }
        let mut settings = Settings {
            entries: Vec::new(),
            open: false,
            has_mapping: false,
        };
        for keyword in &call.arguments.keywords {
            if let Some(arg) = &keyword.arg {
                settings
                    .entries
                    .push((arg.id.as_str(), Setting::Keyword(&keyword.value)));
                continue;
            }
            settings.has_mapping = true;
            let term = lower(&keyword.value);
            let value = match resolver.eval(ctx, &term) {
                dict @ Value::Dict(_) => dict,
                // Tornado projects keep the application's settings dict in a
                // module named `settings`, whose values the cookie rules
                // otherwise take for deployment configuration. The dict is
                // the application's code: read it as written.
                _ => Resolver::new(checker.loader).eval(ctx, &term),
            };
            let Value::Dict(dict) = value else {
                settings.open = true;
                continue;
            };
            settings.open |= dict.open;
            for (key, value) in dict.entries {
                // Only the settings this rule reads are kept, so that their
                // names can be borrowed from the table.
                if let Some(known) = [cookie.enable, cookie.kwargs, cookie.name_setting]
                    .into_iter()
                    .find(|known| **known == *key)
                {
                    settings.entries.push((known, Setting::FromMapping(value)));
                }
            }
        }
        let value_of = |setting: &Setting<'_>| match setting {
            Setting::Keyword(expr) => resolver.eval(ctx, &lower(expr)),
            Setting::FromMapping(value) => value.clone(),
        };
        // Only an application that certainly turns the protection on is
        // judged; a run-time value is unknown, as everywhere.
        let enabled = settings.get(cookie.enable).map(value_of);
        if enabled.and_then(|value| value.truthy()) != Some(true) {
            return None;
        }
        let name = match settings.get(cookie.name_setting).map(value_of) {
            Some(Value::Str(name)) => name.to_string(),
            _ => cookie.default_name.to_string(),
        };
        let kwargs = settings.get(cookie.kwargs);
        let (attributes, fix) = match kwargs {
            None if settings.open => return None,
            None => {
                let attributes = cookie
                    .attributes
                    .iter()
                    .map(|attribute| absent(attribute, &format!("; no `{}`", cookie.kwargs)))
                    .collect();
                (
                    attributes,
                    add_kwargs_fix(source, call, cookie, settings.has_mapping),
                )
            }
            Some(setting) => {
                let Value::Dict(dict) = value_of(setting) else {
                    return None;
                };
                let literal = match setting {
                    Setting::Keyword(expr) => Some(*expr),
                    Setting::FromMapping(_) => None,
                };
                judge_kwargs(source, call, cookie, &dict, literal)
            }
        };
        if !attributes
            .iter()
            .any(|finding: &AttributeFinding| finding.state.is_insecure())
        {
            return None;
        }
        Some(insecure_write(
            &RULE,
            call.range(),
            &format!("XSRF cookie '{name}'"),
            &format!("is written by Tornado for `{}=True`", cookie.enable),
            None,
            attributes,
            fix,
        ))
    });
    if let Some(diagnostic) = diagnostic {
        checker.report(diagnostic);
    }
}

/// Whether `call` constructs a Tornado application with its settings as
/// keywords: the class itself, a project subclass without its own
/// `__init__`, or a subclass's `__init__` passing them on.
fn constructs_application(
    resolver: &Resolver<'_>,
    ctx: Ctx<'_>,
    call: &ExprCall,
    name: &str,
    cookie: &XsrfCookie,
) -> bool {
    let callee = resolver.qualified_name(ctx, &lower(&call.func));
    if name == "__init__" {
        let Expr::Attribute(attribute) = call.func.as_ref() else {
            return false;
        };
        // `tornado.web.Application.__init__(self, handlers, **settings)`.
        if let Some(class) = callee
            .as_deref()
            .and_then(|callee| callee.strip_suffix(".__init__"))
            && cookie.application_classes.contains(&class)
        {
            return true;
        }
        // `super().__init__(handlers, **settings)` in a subclass.
        return match resolver.origin(ctx, &lower(&attribute.value)) {
            Origin::Super(class) => derives_from_application(resolver, &class, cookie, 0),
            _ => false,
        };
    }
    let Some(callee) = callee else {
        return false;
    };
    if cookie.application_classes.contains(&callee.as_str()) {
        return true;
    }
    resolver
        .class_ref(&callee, ctx.module)
        .is_some_and(|class| {
            !class
                .class
                .methods
                .iter()
                .any(|method| &**method == "__init__")
                && derives_from_application(resolver, &class, cookie, 0)
        })
}

/// Whether a project class derives from the application class, through
/// project classes that do not define their own `__init__` above the first.
fn derives_from_application(
    resolver: &Resolver<'_>,
    class: &ClassRef,
    cookie: &XsrfCookie,
    depth: usize,
) -> bool {
    if depth > MAX_CLASS_DEPTH {
        return false;
    }
    resolver.bases(class).iter().flatten().any(|base| {
        cookie.application_classes.contains(&base.as_str())
            || resolver
                .class_ref(base, &class.module)
                .is_some_and(|parent| {
                    !parent
                        .class
                        .methods
                        .iter()
                        .any(|method| &**method == "__init__")
                        && derives_from_application(resolver, &parent, cookie, depth + 1)
                })
    })
}

/// Judges the attributes an `xsrf_cookie_kwargs` dict sets. `literal` is the
/// dict's expression when the call writes it, for the fix.
fn judge_kwargs(
    source: &str,
    call: &ExprCall,
    cookie: &XsrfCookie,
    dict: &pathfinder_python::DictValue,
    literal: Option<&Expr>,
) -> (Vec<AttributeFinding>, Option<Fix>) {
    let quote = edits::quote_of(source, call);
    let mut attributes = Vec::new();
    let mut missing = Vec::new();
    let mut replacements = Vec::new();
    for attribute in cookie.attributes {
        // Tornado 6 still accepts these keywords in any case.
        let passed = dict
            .entries
            .iter()
            .rev()
            .find(|(key, _)| key.eq_ignore_ascii_case(attribute.param));
        let finding = match passed {
            Some((key, value)) => judge(
                attribute.attribute,
                &format!("`{}[\"{key}\"]` is {}", cookie.kwargs, shown(value)),
                value,
            ),
            None if dict.open => AttributeFinding {
                attribute: attribute.attribute,
                state: AttributeState::Dynamic,
                reason: format!(
                    "may be set by a part of `{}` that is not known",
                    cookie.kwargs
                ),
            },
            None => absent(attribute, &format!("; `{}` does not set it", cookie.kwargs)),
        };
        let good = if attribute.attribute == "samesite" {
            format!("{quote}Lax{quote}")
        } else {
            "True".to_string()
        };
        match finding.state {
            AttributeState::Missing => missing.push((attribute.param, good)),
            AttributeState::False | AttributeState::NoneValue => {
                if let Some(value) =
                    literal.and_then(|literal| entry_value(literal, attribute.param))
                {
                    replacements.push(Edit::replacement(good, value.range()));
                }
            }
            _ => {}
        }
        attributes.push(finding);
    }
    let fix = if missing.is_empty() {
        (!replacements.is_empty()).then(|| Fix {
            edits: replacements,
            applicability: Applicability::Unsafe,
            title: format!("Make the `{}` values safe", cookie.kwargs),
        })
    } else {
        literal.and_then(|literal| add_entries_fix(source, literal, quote, &missing, cookie))
    };
    (attributes, fix)
}

/// Adds the missing keys to an `xsrf_cookie_kwargs` written in the call, as
/// a dict display or a `dict(...)` call.
fn add_entries_fix(
    source: &str,
    literal: &Expr,
    quote: char,
    missing: &[(&str, String)],
    cookie: &XsrfCookie,
) -> Option<Fix> {
    let edit = match literal {
        Expr::Dict(dict) => {
            let entries: Vec<String> = missing
                .iter()
                .map(|(key, value)| format!("{quote}{key}{quote}: {value}"))
                .collect();
            edits::add_dict_entries(source, dict, &entries)?
        }
        Expr::Call(call)
            if matches!(call.func.as_ref(), Expr::Name(name) if name.id.as_str() == "dict")
                && call.arguments.args.is_empty() =>
        {
            let keywords: Vec<String> = missing
                .iter()
                .map(|(key, value)| format!("{key}={value}"))
                .collect();
            edits::add_keywords(source, call, &keywords)?
        }
        _ => return None,
    };
    Some(Fix {
        edits: vec![edit],
        applicability: Applicability::Safe,
        title: format!(
            "Add {} to `{}`",
            missing
                .iter()
                .map(|(key, _)| format!("`{key}`"))
                .collect::<Vec<_>>()
                .join(", "),
            cookie.kwargs
        ),
    })
}

/// Adds `xsrf_cookie_kwargs={"secure": True, "samesite": "Lax"}` to the call.
/// A `**mapping` in the call could hold the key at run time, which would make
/// the call raise: the fix is then unsafe.
fn add_kwargs_fix(
    source: &str,
    call: &ExprCall,
    cookie: &XsrfCookie,
    has_mapping: bool,
) -> Option<Fix> {
    let quote = edits::quote_of(source, call);
    let keyword = format!(
        "{}={{{quote}secure{quote}: True, {quote}samesite{quote}: {quote}Lax{quote}}}",
        cookie.kwargs
    );
    let edit = edits::add_keywords(source, call, std::slice::from_ref(&keyword))?;
    Some(Fix {
        edits: vec![edit],
        applicability: if has_mapping {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        },
        title: format!("Add `{keyword}`"),
    })
}

/// The value written for `key` in a dict display or a `dict(...)` call.
fn entry_value<'e>(literal: &'e Expr, key: &str) -> Option<&'e Expr> {
    match literal {
        Expr::Dict(dict) => dict.items.iter().rev().find_map(|item| match &item.key {
            Some(Expr::StringLiteral(name)) if name.value.to_str().eq_ignore_ascii_case(key) => {
                Some(&item.value)
            }
            _ => None,
        }),
        Expr::Call(call) => call
            .arguments
            .keywords
            .iter()
            .rev()
            .find(|keyword| {
                keyword
                    .arg
                    .as_ref()
                    .is_some_and(|arg| arg.id.as_str().eq_ignore_ascii_case(key))
            })
            .map(|keyword| &keyword.value),
        _ => None,
    }
}

/// A constant as Python writes it, for messages.
fn shown(value: &Value) -> String {
    match value {
        Value::Bool(true) => "True".to_string(),
        Value::Bool(false) => "False".to_string(),
        Value::None => "None".to_string(),
        Value::Int(number) => number.to_string(),
        Value::Str(text) => format!("'{text}'"),
        _ => "a value known only at run time".to_string(),
    }
}
