//! The shared analysis of a cookie write: binds a call's arguments to a
//! framework's signature and computes each attribute's effective state.

use pathfinder_diagnostics::{AttributeFinding, AttributeState, Ranged};
use pathfinder_python::ast::{Expr, ExprCall};
use pathfinder_python::{Ctx, Resolver, Value, lower};

use crate::frameworks::{CookieMethod, Default};

/// The cookie's effective attributes at one call.
#[derive(Debug)]
pub(crate) struct CookieWrite {
    /// The cookie's name when it is a constant.
    pub(crate) name: Option<String>,
    pub(crate) attributes: Vec<AttributeFinding>,
    /// The write expires the cookie: `max_age=0` or an `expires` in the past.
    pub(crate) is_deletion: bool,
}

impl CookieWrite {
    pub(crate) fn is_insecure(&self) -> bool {
        self.attributes
            .iter()
            .any(|attribute| attribute.state.is_insecure())
    }

    fn state(&self, attribute: &str) -> Option<AttributeState> {
        self.attributes
            .iter()
            .find(|finding| finding.attribute == attribute)
            .map(|finding| finding.state)
    }
}

/// An argument as the call passes it.
enum Arg<'a> {
    Expr(&'a Expr),
    /// A value found in a `**mapping`, with the mapping's source text.
    FromMapping(Value, &'a Expr),
}

/// Where a value comes from, for messages.
#[derive(Clone, Copy)]
enum Source<'a> {
    Argument(&'a Expr),
    Mapping(&'a Expr),
}

/// The arguments of a call bound to a signature's parameter names.
struct BoundArgs<'a> {
    named: Vec<(&'a str, Arg<'a>)>,
    /// Positional slots from this index on may be filled by `*args`.
    starred_from: Option<usize>,
    /// `**kwargs` that may hold further keys.
    open_kwargs: bool,
}

impl BoundArgs<'_> {
    fn value(&self, resolver: &Resolver<'_>, ctx: Ctx<'_>, param: &str) -> Option<Value> {
        self.value_and_source(resolver, ctx, param)
            .map(|(value, _)| value)
    }

    /// The value passed for `param` and a description of where it comes from.
    fn value_and_source(
        &self,
        resolver: &Resolver<'_>,
        ctx: Ctx<'_>,
        param: &str,
    ) -> Option<(Value, Source<'_>)> {
        let (_, arg) = self.named.iter().rev().find(|(name, _)| *name == param)?;
        Some(match arg {
            Arg::Expr(expr) => (resolver.eval(ctx, &lower(expr)), Source::Argument(expr)),
            Arg::FromMapping(value, mapping) => (value.clone(), Source::Mapping(mapping)),
        })
    }

    /// Whether an absent parameter could still be passed through `*args` or `**kwargs`.
    fn may_hold(&self, method: &CookieMethod, param: &str) -> bool {
        if self.open_kwargs {
            return true;
        }
        let position = method.positional.iter().position(|name| *name == param);
        matches!((self.starred_from, position), (Some(from), Some(at)) if at >= from)
    }
}

fn bind<'a>(
    resolver: &Resolver<'_>,
    ctx: Ctx<'_>,
    call: &'a ExprCall,
    method: &'a CookieMethod,
) -> BoundArgs<'a> {
    let mut bound = BoundArgs {
        named: Vec::new(),
        starred_from: None,
        open_kwargs: false,
    };
    for (index, arg) in call.arguments.args.iter().enumerate() {
        if arg.is_starred_expr() {
            bound.starred_from = Some(index);
            break;
        }
        if let Some(param) = method.positional.get(index) {
            bound.named.push((param, Arg::Expr(arg)));
        }
    }
    for keyword in &call.arguments.keywords {
        match &keyword.arg {
            Some(arg) => bound
                .named
                .push((arg.id.as_str(), Arg::Expr(&keyword.value))),
            None => match resolver.eval(ctx, &lower(&keyword.value)) {
                Value::Dict(dict) => {
                    bound.open_kwargs |= dict.open;
                    for (key, value) in dict.entries {
                        let known = method
                            .attributes
                            .iter()
                            .map(|attribute| attribute.param)
                            .chain(method.positional.iter().copied())
                            .chain(method.max_age)
                            .chain(method.expires)
                            .find(|param| **param == *key);
                        if let Some(param) = known {
                            bound
                                .named
                                .push((param, Arg::FromMapping(value, &keyword.value)));
                        }
                    }
                }
                _ => bound.open_kwargs = true,
            },
        }
    }
    bound
}

/// Analyses one call of a framework cookie method.
pub(crate) fn analyze(
    resolver: &Resolver<'_>,
    ctx: Ctx<'_>,
    source: &str,
    call: &ExprCall,
    method: &CookieMethod,
) -> CookieWrite {
    let bound = bind(resolver, ctx, call, method);
    let name = match bound.value(resolver, ctx, method.key) {
        Some(Value::Str(name)) => Some(name.to_string()),
        _ => None,
    };
    // `max_age` wins over `expires` when both are given.
    let max_age = method
        .max_age
        .and_then(|param| bound.value(resolver, ctx, param));
    let is_deletion = match max_age {
        Some(Value::Int(age)) => age <= 0,
        Some(Value::None) | None => method
            .expires
            .and_then(|param| bound.value(resolver, ctx, param))
            .is_some_and(|value| is_past_date(&value)),
        Some(_) => false,
    };
    let mut write = CookieWrite {
        name,
        attributes: Vec::with_capacity(method.attributes.len()),
        is_deletion,
    };
    for attribute in method.attributes {
        let finding = match bound.value_and_source(resolver, ctx, attribute.param) {
            Some((value, from)) => judge(
                attribute.attribute,
                &describe(source, attribute.param, from, &value),
                &value,
            ),
            None if bound.may_hold(method, attribute.param) => AttributeFinding {
                attribute: attribute.attribute,
                state: AttributeState::Dynamic,
                reason: "may be passed through *args or **kwargs".to_string(),
            },
            None => match attribute.default {
                Default::Unsafe(why) => AttributeFinding {
                    attribute: attribute.attribute,
                    state: AttributeState::Missing,
                    reason: format!("missing ({why})"),
                },
                Default::Safe(why) => AttributeFinding {
                    attribute: attribute.attribute,
                    state: AttributeState::DefaultOk,
                    reason: format!("absent ({why})"),
                },
            },
        };
        write.attributes.push(finding);
    }
    // `SameSite=None` without `Secure` is not merely weak: browsers refuse it.
    if write.state("samesite") == Some(AttributeState::NoneValue)
        && write.state("secure") != Some(AttributeState::Set)
        && let Some(samesite) = write
            .attributes
            .iter_mut()
            .find(|finding| finding.attribute == "samesite")
    {
        samesite.reason =
            "'None' without Secure: browsers reject such a cookie outright".to_string();
    }
    write
}

/// How a value was passed, for messages: `secure=False`, or
/// `httponly=THEME_IS_SECRET`, which is False.
fn describe(source: &str, param: &str, from: Source<'_>, value: &Value) -> String {
    let shown = |expr: &Expr| {
        let text = source
            .get(std::ops::Range::<usize>::from(expr.range()))
            .unwrap_or("...");
        let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.chars().count() > 40 {
            format!("{}...", text.chars().take(37).collect::<String>())
        } else {
            text
        }
    };
    match from {
        Source::Argument(expr) => {
            let text = shown(expr);
            let literal = python_repr(value);
            if text == literal || text.trim_matches(['"', '\'']) == literal.trim_matches('\'') {
                format!("`{param}={text}`")
            } else {
                format!("`{param}={text}`, which is {literal}")
            }
        }
        Source::Mapping(mapping) => format!(
            "`**{}` sets {param} to {}",
            shown(mapping),
            python_repr(value)
        ),
    }
}

/// The state of one attribute given the value passed for it.
fn judge(attribute: &'static str, shown: &str, value: &Value) -> AttributeFinding {
    let (state, reason) = if attribute == "samesite" {
        match value {
            Value::Str(text)
                if text.eq_ignore_ascii_case("lax") || text.eq_ignore_ascii_case("strict") =>
            {
                (AttributeState::Set, format!("'{text}'"))
            }
            Value::Str(text) if text.eq_ignore_ascii_case("none") => (
                AttributeState::NoneValue,
                format!("'{text}': sent with cross-site requests"),
            ),
            Value::None | Value::Bool(false) => (AttributeState::False, format!("false ({shown})")),
            Value::Str(text) if text.is_empty() => {
                (AttributeState::False, format!("false ({shown})"))
            }
            _ => (
                AttributeState::Dynamic,
                "known only at run time".to_string(),
            ),
        }
    } else {
        match value.truthy() {
            Some(true) => (AttributeState::Set, "set".to_string()),
            Some(false) => (AttributeState::False, format!("false ({shown})")),
            None => (
                AttributeState::Dynamic,
                "known only at run time".to_string(),
            ),
        }
    };
    AttributeFinding {
        attribute,
        state,
        reason,
    }
}

fn python_repr(value: &Value) -> String {
    match value {
        Value::Bool(true) => "True".to_string(),
        Value::Bool(false) => "False".to_string(),
        Value::None => "None".to_string(),
        Value::Int(number) => number.to_string(),
        Value::Str(text) => format!("'{text}'"),
        Value::Dict(_) => "{...}".to_string(),
        Value::Date { year } => format!("datetime({year}, ...)"),
        Value::Dynamic => "...".to_string(),
    }
}

/// Whether an `expires` value is a literal date before 2010, which no live cookie uses.
fn is_past_date(value: &Value) -> bool {
    match value {
        Value::Date { year } => *year < 2010,
        Value::Str(text) => text
            .split(|c: char| !c.is_ascii_digit())
            .filter(|part| part.len() == 4)
            .filter_map(|part| part.parse::<i64>().ok())
            .any(|year| (1900..2010).contains(&year)),
        Value::Int(0) => true,
        _ => false,
    }
}
