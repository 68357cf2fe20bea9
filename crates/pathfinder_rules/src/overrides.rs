//! Cookie writes on the project's own response classes: a subclass of a
//! framework response that overrides the cookie method with its own
//! signature (`def set_cookie(self, key, value="", secure=False, **kw):
//! super().set_cookie(key, value, secure=secure, **kw)`).
//!
//! The override's parameters and defaults decide each call: a flag the call
//! leaves out takes the override's default, judged like a value passed
//! explicitly. A flag the override does not take reaches the framework
//! through its `**kwargs` (the call's value, or the framework's default); an
//! override without `**kwargs` decides it inside, where its own call to the
//! framework is judged, so the calls on the class do not report it a second
//! time. An override that sets a flag to a value of its
//! own (a flag it mentions but does not take) is left to that inner call.

use std::sync::Arc;

use pathfinder_diagnostics::{
    Applicability, AttributeFinding, AttributeState, Diagnostic, Fix, Ranged,
};
use pathfinder_python::ast::{Expr, ExprCall, Stmt, StmtFunctionDef};
use pathfinder_python::{ClassRef, Ctx, Origin, ParsedFile, Resolver, Value, lower};

use crate::checker::Checker;
use crate::cookies::{absent, insecure_write, judge, secret_kind};
use crate::fix::edits;
use crate::frameworks::{
    self, AttributeParam, COOKIE_ATTRIBUTE_WORDS, CookieMethod, Default, Receiver,
};

/// How deep the search for the overriding class goes through project bases.
const MAX_BASES: usize = 8;

/// The rule that reports the writes of a project's own class built on
/// `http.cookies`.
const SIMPLE_COOKIE_RULE: &str = "PYTHON-COOKIE-SEC-002";

/// The attributes a morsel has when nothing sets them: none.
const MORSEL_ATTRIBUTES: &[AttributeParam] = &[
    AttributeParam {
        attribute: "secure",
        param: "secure",
        default: Default::Unsafe("a morsel has no Secure unless set"),
        none_is_default: false,
    },
    AttributeParam {
        attribute: "httponly",
        param: "httponly",
        default: Default::Unsafe("a morsel has no HttpOnly unless set"),
        none_is_default: false,
    },
    AttributeParam {
        attribute: "samesite",
        param: "samesite",
        default: Default::Unsafe("a morsel has no SameSite unless set"),
        none_is_default: false,
    },
];

/// The cookie method of a project class built on `http.cookies`, by the
/// conventional names; the class's own parameters and defaults decide.
static OWN_SET_COOKIE: CookieMethod = CookieMethod {
    name: "set_cookie",
    positional: &[],
    key: "key",
    value: "value",
    max_age: Some("max_age"),
    expires: Some("expires"),
    attributes: MORSEL_ATTRIBUTES,
    none_value_deletes: false,
};

/// Whether the project's `class.method` renders a `http.cookies` morsel.
fn builds_a_morsel(class: &ClassRef, method: &str) -> bool {
    class
        .class
        .method_mentions(method)
        .flatten()
        .is_some_and(|words| {
            words
                .iter()
                .any(|word| matches!(word.as_ref(), "simplecookie" | "basecookie" | "morsel"))
        })
}

/// The project class that defines `method` for an object of this origin,
/// if the object is an instance of a project class.
fn overriding_class(
    resolver: &Resolver<'_>,
    ctx: Ctx<'_>,
    origin: &Origin,
    method: &str,
) -> Option<ClassRef> {
    let class = match origin {
        Origin::Instance(class) => class.clone(),
        Origin::Call(qualified)
        | Origin::Param {
            annotation: Some(qualified),
            ..
        } => resolver.class_ref(qualified, ctx.module)?,
        _ => return None,
    };
    let mut current = class;
    for _ in 0..MAX_BASES {
        if current
            .class
            .methods
            .iter()
            .any(|own| own.as_ref() == method)
        {
            return Some(current);
        }
        let next = resolver
            .bases(&current)
            .into_iter()
            .flatten()
            .find_map(|base| resolver.class_ref(&base, &current.module))?;
        current = next;
    }
    None
}

/// The syntax of `class.method`, read from the class's module.
fn method_def<'b>(body: &'b [Stmt], class: &str, method: &str) -> Option<&'b StmtFunctionDef> {
    body.iter().find_map(|stmt| match stmt {
        Stmt::ClassDef(def) if def.name.id.as_str() == class => {
            def.body.iter().rev().find_map(|stmt| match stmt {
                Stmt::FunctionDef(function) if function.name.id.as_str() == method => {
                    Some(function)
                }
                _ => None,
            })
        }
        _ => None,
    })
}

/// Checks `receiver.method(...)` when the receiver is an instance of a
/// project class whose own `method` overrides a framework's cookie method
/// with flags of its own. Returns whether the call was handled (reported or
/// found safe); `false` leaves it to the framework's analysis.
pub(crate) fn check_override_call(
    checker: &mut Checker<'_>,
    call: &ExprCall,
    method: &str,
) -> bool {
    let Expr::Attribute(attribute) = call.func.as_ref() else {
        return false;
    };
    let found = checker.with_ctx(|ctx| {
        let resolver = &checker.resolver;
        let origin = resolver.origin(ctx, &lower(&attribute.value));
        let class = overriding_class(resolver, ctx, &origin, method)?;
        match frameworks::classify(resolver, ctx, &Origin::Super(class.clone()), method) {
            Receiver::Server(framework) => Some((class, Some(framework))),
            _ if builds_a_morsel(&class, method) => Some((class, None)),
            _ => None,
        }
    });
    let Some((class, framework)) = found else {
        return false;
    };
    // Without a framework base, a class of the project's own built on
    // `http.cookies` (a framework of its own, like Datasette's `Response`):
    // its method renders a morsel, whose rule reports the calls.
    let target = match framework {
        Some(framework) => checker.rule_for(framework).zip(framework.method(method)),
        None => checker
            .active_rule(SIMPLE_COOKIE_RULE)
            .map(|rule| (rule, &OWN_SET_COOKIE)),
    };
    let Some((rule, signature)) = target else {
        return false;
    };
    // The override's syntax: from this module, or read from its own.
    let parsed: Option<Arc<ParsedFile>>;
    let (body, def_source): (&[Stmt], &str) = if class.module.path == checker.module.path {
        (checker.module_body(), checker.source)
    } else {
        parsed = checker.loader.parsed(&class.module.path);
        match &parsed {
            Some(parsed) => (&parsed.module().body, &parsed.source),
            None => return false,
        }
    };
    let Some(def) = method_def(body, &class.class.name, method) else {
        return false;
    };
    let parameters = &def.parameters;
    let positional: Vec<&str> = parameters
        .posonlyargs
        .iter()
        .chain(&parameters.args)
        .skip(1)
        .map(|parameter| parameter.parameter.name.id.as_str())
        .collect();
    let defaults: Vec<(&str, Option<&Expr>)> = parameters
        .posonlyargs
        .iter()
        .chain(&parameters.args)
        .skip(1)
        .chain(&parameters.kwonlyargs)
        .map(|parameter| {
            (
                parameter.parameter.name.id.as_str(),
                parameter.default.as_deref(),
            )
        })
        .collect();
    // A flag the override mentions without taking it is set inside it.
    let takes = |name: &str| defaults.iter().any(|(param, _)| *param == name);
    let sets_own_flag = class
        .class
        .method_mentions(method)
        .flatten()
        .is_none_or(|words| {
            words.iter().any(|word| {
                COOKIE_ATTRIBUTE_WORDS.contains(&word.as_ref()) && !takes(word.as_ref())
            })
        });
    if sets_own_flag {
        return false;
    }
    if !signature
        .attributes
        .iter()
        .any(|attribute| takes(attribute.param))
    {
        // It takes no flag: it only forwards, and the framework decides.
        return false;
    }
    let forwards_kwargs = parameters.kwarg.is_some();
    let source = checker.source;
    let class_name = class.class.name.to_string();
    let diagnostic = checker.with_ctx(|ctx| {
        let resolver = &checker.resolver;
        let class_ctx = Ctx::module_level(&class.module);
        // The call's arguments, by the override's parameter names.
        let mut arguments: Vec<(String, Value, String)> = Vec::new();
        let mut open = false;
        for (index, arg) in call.arguments.args.iter().enumerate() {
            if arg.is_starred_expr() {
                open = true;
                break;
            }
            if let Some(param) = positional.get(index) {
                arguments.push((
                    (*param).to_string(),
                    resolver.eval(ctx, &lower(arg)),
                    text(source, arg),
                ));
            }
        }
        for keyword in &call.arguments.keywords {
            match &keyword.arg {
                Some(name) => arguments.push((
                    name.id.to_string(),
                    resolver.eval(ctx, &lower(&keyword.value)),
                    text(source, &keyword.value),
                )),
                None => match resolver.eval(ctx, &lower(&keyword.value)) {
                    Value::Dict(dict) => {
                        open |= dict.open;
                        for (key, value) in dict.entries {
                            let shown = format!("**{}", text(source, &keyword.value));
                            arguments.push((key.to_string(), value, shown));
                        }
                    }
                    _ => open = true,
                },
            }
        }
        let get = |param: &str| arguments.iter().rev().find(|(name, ..)| name == param);
        if let Some(max_age) = signature.max_age
            && let Some((_, Value::Int(age), _)) = get(max_age)
            && *age <= 0
        {
            return None;
        }
        let mut findings = Vec::new();
        let mut missing: Vec<String> = Vec::new();
        for attribute in signature.attributes {
            let param = attribute.param;
            let finding = if let Some((_, value, shown)) = get(param) {
                judge(attribute.attribute, &format!("`{param}={shown}`"), value)
            } else if open {
                AttributeFinding {
                    attribute: attribute.attribute,
                    state: AttributeState::Dynamic,
                    reason: "may be passed through *args or **kwargs".to_string(),
                }
            } else if let Some((_, default)) = defaults.iter().find(|(name, _)| *name == param) {
                match default {
                    // `None` usually means "work it out" inside the
                    // override (`if secure is None: secure = ...`).
                    Some(default)
                        if resolver.eval(class_ctx, &lower(default)) == Value::None =>
                    {
                        AttributeFinding {
                            attribute: attribute.attribute,
                            state: AttributeState::Dynamic,
                            reason: format!(
                                "`{class_name}.{method}` decides what its default `{param}=None` means"
                            ),
                        }
                    }
                    Some(default) => {
                        let value = resolver.eval(class_ctx, &lower(default));
                        let mut finding = judge(
                            attribute.attribute,
                            &format!(
                                "`{class_name}.{method}` default `{param}={}`",
                                text(def_source, default)
                            ),
                            &value,
                        );
                        if finding.state.is_insecure() {
                            missing.push(format!(
                                "{param}={}",
                                if attribute.attribute == "samesite" {
                                    "\"Lax\""
                                } else {
                                    "True"
                                }
                            ));
                        }
                        if finding.state == AttributeState::Set {
                            finding.state = AttributeState::DefaultOk;
                            finding.reason =
                                format!("absent (`{class_name}.{method}` defaults to it)");
                        }
                        finding
                    }
                    None => AttributeFinding {
                        attribute: attribute.attribute,
                        state: AttributeState::Dynamic,
                        reason: "a required parameter the call leaves out".to_string(),
                    },
                }
            } else if forwards_kwargs {
                // Not taken, so passed on through `**kwargs` when the call
                // gives it, and left to the framework's default otherwise.
                let finding = absent(attribute, "");
                if finding.state.is_insecure() {
                    missing.push(format!(
                        "{param}={}",
                        if attribute.attribute == "samesite" {
                            "\"Lax\""
                        } else {
                            "True"
                        }
                    ));
                }
                finding
            } else {
                AttributeFinding {
                    attribute: attribute.attribute,
                    state: AttributeState::Dynamic,
                    reason: format!("decided inside `{class_name}.{method}`"),
                }
            };
            findings.push(finding);
        }
        if !findings.iter().any(|finding| finding.state.is_insecure()) {
            return None;
        }
        let name = match get(signature.key).or_else(|| positional.first().and_then(|key| get(key)))
        {
            Some((_, Value::Str(name), _)) => Some(name.to_string()),
            _ => None,
        };
        let secret = name.as_deref().and_then(secret_kind).map(|kind| {
            format!(
                "the name '{}' says it carries {kind}",
                name.as_deref().unwrap_or_default()
            )
        });
        let cookie = name
            .as_ref()
            .map_or_else(|| "Cookie".to_string(), |name| format!("Cookie '{name}'"));
        let fix = (!missing.is_empty())
            .then(|| edits::add_keywords(source, call, &missing))
            .flatten()
            .map(|edit| Fix {
                edits: vec![edit],
                applicability: Applicability::Safe,
                title: format!(
                    "Add {}",
                    missing
                        .iter()
                        .map(|keyword| format!("`{keyword}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })
            .filter(|fix| edits::keeps_expression_valid(source, call.range(), &fix.edits));
        let how = format!("is set through `{class_name}.{method}`");
        let diagnostic: Diagnostic = insecure_write(
            rule,
            call.range(),
            &cookie,
            &how,
            secret.as_deref(),
            findings,
            fix,
        );
        Some(diagnostic)
    });
    if let Some(diagnostic) = diagnostic {
        checker.report(diagnostic);
    }
    true
}

fn text(source: &str, expr: &Expr) -> String {
    source
        .get(std::ops::Range::<usize>::from(expr.range()))
        .unwrap_or("...")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
