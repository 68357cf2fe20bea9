//! The shared analysis of a cookie write: binds a call's arguments to a
//! framework's signature and computes each attribute's effective state.

use pathfinder_diagnostics::{
    Applicability, AttributeFinding, AttributeState, Diagnostic, Edit, Fix, Ranged, Severity,
    TextRange,
};
use pathfinder_python::ast::{Expr, ExprCall};
use pathfinder_python::{Ctx, Origin, Resolver, Term, Value, lower};

use crate::checker::Checker;
use crate::fix::edits;
use crate::frameworks::{self, AttributeParam, CookieMethod, Default, FrameworkCookies, Receiver};
use crate::models::UserModels;
use crate::registry::Rule;
use crate::rules::falcon::insecure_cookie_write as falcon_rule;

/// The cookie's effective attributes at one call.
#[derive(Debug)]
pub(crate) struct CookieWrite {
    /// The cookie's name when it is a constant.
    pub(crate) name: Option<String>,
    pub(crate) attributes: Vec<AttributeFinding>,
    /// The write expires the cookie: `max_age=0` or an `expires` in the past.
    pub(crate) is_deletion: bool,
    /// Where the cookie's name and value are written in the call, if they are.
    pub(crate) key_range: Option<TextRange>,
    pub(crate) value_range: Option<TextRange>,
    /// The repair, when one can be computed safely enough to offer.
    pub(crate) fix: Option<Fix>,
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
    /// A value a call of the enclosing helper passes through its `*args`,
    /// with what the call did.
    FromCaller(Value, String),
}

/// Where a value comes from, for messages.
#[derive(Clone)]
enum Source<'a> {
    Argument(&'a Expr),
    Mapping(&'a Expr),
    /// A parameter of the enclosing helper, as one call of it binds it.
    Caller(String),
}

/// The values a helper function's parameters take at one call of it: the
/// helper's cookie write is judged with them (see [`crate::helpers`]).
pub(crate) trait ParamValues {
    /// The value of `expr`, an argument written in the helper, when it is one
    /// of the helper's parameters as the call binds them (its `**kwargs` as a
    /// mapping), with what the call did, for messages ("passed as `False`").
    fn value(&self, expr: &Expr) -> Option<(Value, String)>;

    /// The values in `starred`, the `*args` parameter of the helper when
    /// the write unpacks it, as the call fills it: every positional argument
    /// past the helper's own, in order. `None` when the call's count of
    /// them is unknown (it unpacks a sequence itself).
    fn starred(&self, _starred: &Expr) -> Option<Vec<(Value, String)>> {
        None
    }
}

/// The arguments of a call bound to a signature's parameter names.
struct BoundArgs<'a> {
    named: Vec<(&'a str, Arg<'a>)>,
    /// Positional slots from this index on may be filled by `*args`.
    starred_from: Option<usize>,
    /// `**kwargs` that may hold further keys.
    open_kwargs: bool,
    /// Whether the call unpacks any `**mapping`.
    has_mapping: bool,
    /// The parameters' values at a call of the enclosing helper.
    env: Option<&'a dyn ParamValues>,
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
            Arg::Expr(expr) => match self.env.and_then(|env| env.value(expr)) {
                Some((value, how)) => (value, Source::Caller(how)),
                None => (resolver.eval(ctx, &lower(expr)), Source::Argument(expr)),
            },
            Arg::FromMapping(value, mapping) => (value.clone(), Source::Mapping(mapping)),
            Arg::FromCaller(value, how) => (value.clone(), Source::Caller(how.clone())),
        })
    }

    /// Where the argument for `param` is written, when it is passed directly.
    fn range(&self, param: &str) -> Option<TextRange> {
        match self.named.iter().rev().find(|(name, _)| *name == param)? {
            (_, Arg::Expr(expr)) => Some(expr.range()),
            (_, Arg::FromMapping(..) | Arg::FromCaller(..)) => None,
        }
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
    env: Option<&'a dyn ParamValues>,
) -> BoundArgs<'a> {
    let mut bound = BoundArgs {
        named: Vec::new(),
        starred_from: None,
        open_kwargs: false,
        has_mapping: false,
        env,
    };
    // The parameter slot the next positional argument fills.
    let mut slot = 0;
    for arg in &call.arguments.args {
        if let Expr::Starred(starred) = arg {
            // A helper's `*args`, filled by a call of the helper.
            let Some(passed) = env.and_then(|env| env.starred(&starred.value)) else {
                bound.starred_from = Some(slot);
                break;
            };
            for (value, how) in passed {
                if let Some(param) = method.positional.get(slot) {
                    bound.named.push((param, Arg::FromCaller(value, how)));
                }
                slot += 1;
            }
            continue;
        }
        if let Some(param) = method.positional.get(slot) {
            bound.named.push((param, Arg::Expr(arg)));
        }
        slot += 1;
    }
    for keyword in &call.arguments.keywords {
        bound.has_mapping |= keyword.arg.is_none();
        match &keyword.arg {
            Some(arg) => bound
                .named
                .push((arg.id.as_str(), Arg::Expr(&keyword.value))),
            None => match env.and_then(|env| env.value(&keyword.value)).map_or_else(
                || resolver.eval(ctx, &lower(&keyword.value)),
                |(value, _)| value,
            ) {
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
    analyze_with(resolver, ctx, source, call, method, "Lax")
}

/// [`analyze`], with the `SameSite` value a fix writes spelled `lax` (`Lax`,
/// or `lax` for a library whose type annotation only admits lower case).
pub(crate) fn analyze_with(
    resolver: &Resolver<'_>,
    ctx: Ctx<'_>,
    source: &str,
    call: &ExprCall,
    method: &CookieMethod,
    lax: &str,
) -> CookieWrite {
    analyze_in(resolver, ctx, source, call, method, lax, None)
}

/// [`analyze_with`] for a write inside a helper function, with its
/// parameters' values at one call of it (`env`).
pub(crate) fn analyze_in<'a>(
    resolver: &Resolver<'_>,
    ctx: Ctx<'_>,
    source: &str,
    call: &'a ExprCall,
    method: &'a CookieMethod,
    lax: &str,
    env: Option<&'a dyn ParamValues>,
) -> CookieWrite {
    let bound = bind(resolver, ctx, call, method, env);
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
    } || (method.none_value_deletes
        && bound.value(resolver, ctx, method.value) == Some(Value::None));
    let mut write = CookieWrite {
        name,
        attributes: Vec::with_capacity(method.attributes.len()),
        is_deletion,
        key_range: bound.range(method.key),
        value_range: bound.range(method.value),
        fix: None,
    };
    let quote = edits::quote_of(source, call);
    let mut missing: Vec<String> = Vec::new();
    let mut replacements: Vec<(Edit, String)> = Vec::new();
    let csrf = carries_csrf_token(&write, source);
    for attribute in method.attributes {
        let passed = bound
            .value_and_source(resolver, ctx, attribute.param)
            .filter(|(value, _)| !(attribute.none_is_default && *value == Value::None));
        let finding = match passed {
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
            None => absent(attribute, ""),
        };
        let finding = if csrf && attribute.attribute == "httponly" && finding.state.is_insecure() {
            AttributeFinding {
                attribute: attribute.attribute,
                state: AttributeState::DefaultOk,
                reason: "not needed on a CSRF token cookie, which scripts read by design"
                    .to_string(),
            }
        } else {
            finding
        };
        if finding.state.is_insecure() {
            let good = if attribute.attribute == "samesite" {
                format!("{quote}{lax}{quote}")
            } else {
                "True".to_string()
            };
            match (
                finding.state,
                bound.value_and_source(resolver, ctx, attribute.param),
            ) {
                (AttributeState::Missing, None) => {
                    missing.push(format!("{}={good}", attribute.param));
                }
                // Passed, as a value that stands for the default (Falcon's
                // `secure=None`): a second keyword would not compile, so
                // the value is replaced below. A mapping's key cannot be
                // (the catch-all arm).
                (_, Some((_, Source::Argument(expr)))) => {
                    let shown = source
                        .get(std::ops::Range::<usize>::from(expr.range()))
                        .unwrap_or("...");
                    replacements.push((
                        Edit::replacement(good.clone(), expr.range()),
                        format!("`{shown}` with `{good}` for {}", attribute.param),
                    ));
                }
                _ => {}
            }
        }
        write.attributes.push(finding);
    }
    write.fix = if missing.is_empty() {
        // Replacing an explicit value overrides someone's decision.
        (!replacements.is_empty()).then(|| {
            let title = replacements
                .iter()
                .map(|(_, what)| what.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let mut edits: Vec<Edit> = replacements.into_iter().map(|(edit, _)| edit).collect();
            edits.sort_by_key(|edit| edit.range.start());
            Fix {
                edits,
                applicability: Applicability::Unsafe,
                title: format!("Replace {title}"),
            }
        })
    } else {
        edits::add_keywords(source, call, &missing).map(|edit| Fix {
            edits: vec![edit],
            // A mapping unpacked into the call could gain the same key at run
            // time, which would make the call raise.
            applicability: if bound.has_mapping {
                Applicability::Unsafe
            } else {
                Applicability::Safe
            },
            title: format!(
                "Add {}",
                missing
                    .iter()
                    .map(|keyword| format!("`{keyword}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
    };
    // An edit that would not leave a valid call is never offered.
    write.fix = write
        .fix
        .take()
        .filter(|fix| edits::keeps_expression_valid(source, call.range(), &fix.edits));
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

/// The finding for an attribute the write does not pass: the framework's
/// default decides. `note` is added to the reason of an unsafe default.
pub(crate) fn absent(attribute: &AttributeParam, note: &str) -> AttributeFinding {
    match attribute.default {
        Default::Unsafe(why) => AttributeFinding {
            attribute: attribute.attribute,
            state: AttributeState::Missing,
            reason: format!("missing ({why}{note})"),
        },
        Default::Safe(why) => AttributeFinding {
            attribute: attribute.attribute,
            state: AttributeState::DefaultOk,
            reason: format!("absent ({why})"),
        },
    }
}

/// The source text at `range` on one line, cut to 40 characters, for messages.
pub(crate) fn shown_text(source: &str, range: TextRange) -> String {
    let text = source
        .get(std::ops::Range::<usize>::from(range))
        .unwrap_or("...");
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() > 40 {
        format!("{}...", text.chars().take(37).collect::<String>())
    } else {
        text
    }
}

/// The state of a configured attribute (a setting, a config key) whose
/// value weakens the cookie: `None` when the value does not, or is unknown.
pub(crate) fn weak_setting(attribute: &str, value: &Value) -> Option<AttributeState> {
    match (attribute, value) {
        ("samesite", Value::Str(text)) if text.eq_ignore_ascii_case("none") => {
            Some(AttributeState::NoneValue)
        }
        ("samesite", Value::None | Value::Bool(false)) => Some(AttributeState::False),
        ("samesite", _) => None,
        (_, value) if value.truthy() == Some(false) => Some(AttributeState::False),
        _ => None,
    }
}

/// How a value was passed, for messages: `secure=False`, or
/// `httponly=THEME_IS_SECRET`, which is False.
fn describe(source: &str, param: &str, from: Source<'_>, value: &Value) -> String {
    let shown = |expr: &Expr| shown_text(source, expr.range());
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
        Source::Caller(how) => format!("`{param}` {how}"),
    }
}

/// The state of one attribute given the value passed for it.
pub(crate) fn judge(attribute: &'static str, shown: &str, value: &Value) -> AttributeFinding {
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
        Value::Seq(items) => format!("[{} items]", items.len()),
        Value::Class(class) => class.0.name.to_string(),
        Value::Date { year } => format!("datetime({year}, ...)"),
        Value::Dynamic { .. } => "...".to_string(),
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

/// Checks one call of a framework cookie method (`X.set_cookie(...)`): decides
/// the receiver's framework, then reports through that framework's rule when
/// it is active. `deciding` names the parameters whose value decides
/// whether the write runs (`if secure:`): an insecure write there is left to
/// the helper stage, which judges it at the calls that take the branch.
pub(crate) fn check_method_call(
    checker: &mut Checker<'_>,
    call: &ExprCall,
    method: &str,
    deciding: Option<&str>,
) -> Option<String> {
    if crate::overrides::check_override_call(checker, call, method) {
        return None;
    }
    let source = checker.source;
    let judged: Result<Diagnostic, Option<String>> = checker.with_ctx(|ctx| {
        let resolver = &checker.resolver;
        let framework =
            framework_of_write(resolver, ctx, call, method, checker.models).map_err(Some)?;
        // A framework whose rule does not run is not this scan's to judge.
        let (Some(rule), Some(mut signature)) =
            (checker.rule_for(framework), framework.method(method))
        else {
            return Err(None);
        };
        if std::ptr::eq(framework, &raw const frameworks::falcon::COOKIES)
            && falcon_rule::application_option(resolver, ctx, checker.module_body(), checker.loader)
                == Some(false)
        {
            signature = &frameworks::falcon::SET_COOKIE_NOT_SECURE_BY_DEFAULT;
        }
        let write = analyze(resolver, ctx, source, call, signature);
        report(rule, &write, source, call).ok_or_else(|| undecided(&write, call, signature, source))
    });
    match judged {
        Ok(_) if let Some(deciding) = deciding => Some(format!(
            "insecure as written, in a branch that `{deciding}` decides"
        )),
        Ok(diagnostic) => {
            checker.report(diagnostic);
            None
        }
        Err(reason) => reason,
    }
}

/// Why a write that is not reported could not be judged: the attributes
/// known only at run time, when no other is insecure, with the code they
/// come from. `None` when the write is safe as written, or a deletion.
fn undecided(
    write: &CookieWrite,
    call: &ExprCall,
    signature: &CookieMethod,
    source: &str,
) -> Option<String> {
    if write.is_deletion {
        return None;
    }
    let dynamic: Vec<String> = dynamic_arguments(write, call, signature)
        .map(|(finding, argument)| match argument {
            Some(argument) => format!(
                "{} from `{}`, {}",
                finding.attribute,
                shown_text(source, argument.range()),
                finding.reason
            ),
            None => format!("{}: {}", finding.attribute, finding.reason),
        })
        .collect();
    (!dynamic.is_empty()).then(|| format!("not decided: {}", dynamic.join("; ")))
}

/// The attributes of `write` known only at run time, each with the
/// argument of `call` that passes it, when one does by name or position.
pub(crate) fn dynamic_arguments<'w, 'c>(
    write: &'w CookieWrite,
    call: &'c ExprCall,
    signature: &'c CookieMethod,
) -> impl Iterator<Item = (&'w AttributeFinding, Option<&'c Expr>)> {
    write
        .attributes
        .iter()
        .filter(|finding| finding.state == AttributeState::Dynamic)
        .map(move |finding| {
            let argument = signature
                .attributes
                .iter()
                .find(|attribute| attribute.attribute == finding.attribute)
                .and_then(|attribute| argument_of(call, signature, attribute.param));
            (finding, argument)
        })
}

/// The framework whose response a cookie-method call writes to, as the
/// module where the call is written can tell: the receiver's type, else the
/// framework the module imports, else (in a module that imports none) the
/// one the project declares. Else why not: a client-side receiver, a call
/// that passes a cookie object (checked where it is built), or nothing tells.
pub(crate) fn framework_of_write(
    resolver: &Resolver<'_>,
    ctx: Ctx<'_>,
    call: &ExprCall,
    method: &str,
    models: &UserModels,
) -> Result<&'static FrameworkCookies, String> {
    let Expr::Attribute(attribute) = call.func.as_ref() else {
        return Err("not a method call".to_string());
    };
    let receiver_term = lower(&attribute.value);
    let origin = resolver.origin(ctx, &receiver_term);
    if let Some(framework) = declared_response(&origin, models) {
        return framework
            .method(method)
            .map(|_| framework)
            .ok_or_else(|| format!("the declared response class has no `{method}()`"));
    }
    let framework = match frameworks::classify(resolver, ctx, &origin, method) {
        Receiver::Server(framework) => framework,
        Receiver::NotServer => {
            return Err(
                "the receiver sends no Set-Cookie (a client, a test client, a cookie jar or a class with its own method)"
                    .to_string(),
            );
        }
        Receiver::Unknown => {
            if !looks_like_server_call(call, &receiver_term) {
                return Err(
                    "the receiver's type is unknown and the call has the shape of a client jar's"
                        .to_string(),
                );
            }
            if key_is_an_object(resolver, ctx, call) {
                return Err(
                    "the receiver's type is unknown and the first argument is an object, not a cookie name"
                        .to_string(),
                );
            }
            match frameworks::framework_of_module(ctx, method) {
                Some(framework) => framework,
                // A helper module that imports no framework: the project's
                // declared dependencies decide, when the call fits the
                // framework's signature.
                None if !frameworks::imports_a_framework(ctx) => {
                    let declared = resolver.loader().declared_dependencies(&ctx.module.path);
                    frameworks::framework_of_project(&declared, method, |signature| {
                        fits_signature(call, signature)
                    })
                    .ok_or_else(|| {
                        "the receiver's type is unknown, the module imports no web framework, and the project declares none (or several) whose signature fits"
                            .to_string()
                    })?
                }
                None => {
                    return Err(
                        "the receiver's type is unknown and the frameworks the module imports do not say which it is"
                            .to_string(),
                    );
                }
            }
        }
    };
    framework
        .method(method)
        .ok_or_else(|| format!("{} responses have no `{method}()`", framework.name))?;
    // `set_cookie(Cookie(...))`: the cookie object is checked where it is built.
    if passes_cookie_object(resolver, ctx, call, framework) {
        return Err("a cookie object is passed: it is judged where it is built".to_string());
    }
    Ok(framework)
}

/// The framework of a receiver whose class the project declares a response
/// class (see [`crate::models`]).
fn declared_response(origin: &Origin, models: &UserModels) -> Option<&'static FrameworkCookies> {
    if models.responses.is_empty() {
        return None;
    }
    match origin {
        Origin::Call(callee) => models.response_class(callee),
        Origin::Instance(class) => models.response_class(&class.module.qualify(&class.class.name)),
        Origin::Param {
            annotation: Some(annotation),
            ..
        } => models.response_class(annotation),
        _ => None,
    }
}

/// Checks a call of a cookie helper the project declares in its
/// configuration: a cookie write whose flags are the declared parameters.
pub(crate) fn check_declared_helper(checker: &mut Checker<'_>, call: &ExprCall) {
    let source = checker.source;
    let diagnostic = checker.with_ctx(|ctx| {
        let resolver = &checker.resolver;
        let qualified = match call.func.as_ref() {
            Expr::Attribute(attribute) => match resolver.origin(ctx, &lower(&attribute.value)) {
                Origin::Instance(class) => Some(format!(
                    "{}.{}",
                    class.module.qualify(&class.class.name),
                    attribute.attr.id
                )),
                _ => resolver.qualified_name(ctx, &lower(&call.func)),
            },
            _ => resolver.qualified_name(ctx, &lower(&call.func)),
        }?;
        let helper = checker.models.helper(&qualified)?;
        let rule = checker.rule_for(helper.framework)?;
        let write = analyze(resolver, ctx, source, call, helper.signature);
        report(rule, &write, source, call)
    });
    if let Some(diagnostic) = diagnostic {
        checker.report(diagnostic);
    }
}

/// Whether the call's first argument builds one of the framework's cookie objects.
fn passes_cookie_object(
    resolver: &Resolver<'_>,
    ctx: Ctx<'_>,
    call: &ExprCall,
    framework: &FrameworkCookies,
) -> bool {
    let Some(Expr::Call(first)) = call.arguments.args.first() else {
        return false;
    };
    resolver
        .qualified_name(ctx, &lower(&first.func))
        .is_some_and(|callee| {
            framework
                .cookie_classes
                .iter()
                .any(|(class, _)| *class == callee)
        })
}

/// Checks a call that may construct a framework cookie object, such as
/// Litestar's `Cookie(...)`.
pub(crate) fn check_constructor_call(checker: &mut Checker<'_>, call: &ExprCall) {
    let source = checker.source;
    let diagnostic = checker.with_ctx(|ctx| {
        let resolver = &checker.resolver;
        let callee = resolver.qualified_name(ctx, &lower(&call.func))?;
        let (framework, signature) = frameworks::FRAMEWORKS.iter().find_map(|framework| {
            framework
                .cookie_classes
                .iter()
                .find(|(class, _)| *class == callee)
                .map(|(_, signature)| (*framework, signature))
        })?;
        let rule = checker.rule_for(framework)?;
        let write = analyze(resolver, ctx, source, call, signature);
        report(rule, &write, source, call)
    });
    if let Some(diagnostic) = diagnostic {
        checker.report(diagnostic);
    }
}

/// Checks `Response(..., cookies={"name": value})` for frameworks that build
/// cookies with their default attributes from such a mapping.
pub(crate) fn check_cookie_mapping(checker: &mut Checker<'_>, call: &ExprCall) {
    let diagnostic = checker.with_ctx(|ctx| {
        let resolver = &checker.resolver;
        let callee = resolver.qualified_name(ctx, &lower(&call.func))?;
        let framework = frameworks::FRAMEWORKS.iter().copied().find(|framework| {
            framework.mapping_cookies.is_some()
                && framework.response_classes.contains(&callee.as_str())
        })?;
        let signature = framework.mapping_cookies?;
        let rule = checker.rule_for(framework)?;
        let keyword = call.arguments.find_keyword("cookies")?;
        let Expr::Dict(mapping) = &keyword.value else {
            return None;
        };
        let names: Vec<String> = mapping
            .items
            .iter()
            .filter_map(|item| match &item.key {
                Some(Expr::StringLiteral(name)) => Some(format!("'{}'", name.value.to_str())),
                _ => None,
            })
            .collect();
        let attributes: Vec<AttributeFinding> = signature
            .attributes
            .iter()
            .map(|attribute| absent(attribute, "; a `cookies` mapping cannot set it"))
            .collect();
        let secret = names.iter().find_map(|name| {
            secret_kind(name).map(|kind| format!("the name {name} says it carries {kind}"))
        });
        if !attributes.iter().any(|finding| finding.state.is_insecure()) {
            return None;
        }
        let cookies = if names.is_empty() {
            "Cookies".to_string()
        } else {
            format!("Cookie {}", names.join(", "))
        };
        Some(insecure_write(
            rule,
            call.range(),
            &cookies,
            "set through a `cookies` mapping",
            secret.as_deref(),
            attributes,
            None,
        ))
    });
    if let Some(diagnostic) = diagnostic {
        checker.report(diagnostic);
    }
}

/// The diagnostic for an analysed write, if it is insecure.
fn report(
    rule: &'static Rule,
    write: &CookieWrite,
    source: &str,
    call: &ExprCall,
) -> Option<Diagnostic> {
    if write.is_deletion || !write.is_insecure() {
        return None;
    }
    let secret = secret_evidence(write, source);
    let cookie = write
        .name
        .as_ref()
        .map_or_else(|| "Cookie".to_string(), |name| format!("Cookie '{name}'"));
    Some(insecure_write(
        rule,
        call.range(),
        &cookie,
        "is set",
        secret.as_deref(),
        write.attributes.clone(),
        write.fix.clone(),
    ))
}

/// The finding for an insecure cookie write, in every rule's words: `cookie`
/// names it ("Cookie 'sid'"), `how` says how it is written ("is set"),
/// `secret` why it looks like a credential (which makes it high).
pub(crate) fn insecure_write(
    rule: &Rule,
    range: TextRange,
    cookie: &str,
    how: &str,
    secret: Option<&str>,
    attributes: Vec<AttributeFinding>,
    fix: Option<Fix>,
) -> Diagnostic {
    let reasons: Vec<String> = attributes
        .iter()
        .filter(|finding| finding.state.is_insecure())
        .map(|finding| format!("{}: {}", finding.attribute, finding.reason))
        .collect();
    let note = secret.map_or_else(String::new, |secret| format!(" ({secret})"));
    Diagnostic {
        rule: rule.id,
        severity: if secret.is_some() {
            Severity::High.max(rule.severity)
        } else {
            rule.severity
        },
        range,
        message: format!(
            "{cookie} {how} without full protection{note}; {}",
            reasons.join("; ")
        ),
        details: attributes,
        fix,
        related: Vec::new(),
    }
}

/// For a receiver of unknown type: whether the call has the shape of a server
/// cookie write rather than a client jar's `set_cookie(cookie)`.
fn looks_like_server_call(call: &ExprCall, receiver: &Term) -> bool {
    if let Some(path) = receiver.dotted()
        && path
            .last()
            .is_some_and(|name| frameworks::is_client_name(name))
    {
        return false;
    }
    call.arguments.args.len() >= 2 || !call.arguments.keywords.is_empty()
}

/// Keywords a cookie method takes that its table does not name (its tables
/// list only what the analysis reads).
const OTHER_COOKIE_KEYWORDS: &[&str] = &["path", "domain", "version", "comment", "partitioned"];

/// Whether a call could be a call of the cookie method `signature`: no more
/// positional arguments than it has positional parameters, and only
/// keywords it takes.
fn fits_signature(call: &ExprCall, signature: &CookieMethod) -> bool {
    let positional = call.arguments.args.len();
    let starred = call.arguments.args.iter().any(Expr::is_starred_expr);
    if !starred && positional > signature.positional.len() {
        return false;
    }
    call.arguments.keywords.iter().all(|keyword| {
        let Some(name) = keyword.arg.as_ref().map(|arg| arg.id.as_str()) else {
            return true;
        };
        signature.positional.contains(&name)
            || signature
                .attributes
                .iter()
                .any(|attribute| attribute.param == name)
            || signature.max_age == Some(name)
            || signature.expires == Some(name)
            || OTHER_COOKIE_KEYWORDS.contains(&name)
    })
}

/// For a receiver of unknown type: whether the first argument is an object
/// (`self`, an instance) rather than a cookie name, as in a project helper
/// `auth.set_cookie(handler, token)`.
fn key_is_an_object(resolver: &Resolver<'_>, ctx: Ctx<'_>, call: &ExprCall) -> bool {
    let Some(first) = call.arguments.args.first() else {
        return false;
    };
    matches!(
        resolver.origin(ctx, &lower(first)),
        pathfinder_python::Origin::Instance(_) | pathfinder_python::Origin::Super(_)
    )
}

/// What names a cookie's secret (see [`secret_of`]).
enum Evidence<'s> {
    Name,
    /// The code of the call's argument: its role (`name`, `value`) and text.
    Code(&'static str, &'s str),
}

/// The kind of authentication secret the cookie carries, and what says so:
/// its name, else the code naming it or giving its value (a string literal
/// there says nothing). A yes-or-no value written in the call (`"true"`,
/// `"0"`, `True`) is a flag for scripts, whatever the name says
/// (`userLoggedIn`).
fn secret_of<'s>(write: &CookieWrite, source: &'s str) -> Option<(&'static str, Evidence<'s>)> {
    let text_of = |range: Option<TextRange>| {
        range.and_then(|range| source.get(std::ops::Range::<usize>::from(range)))
    };
    if text_of(write.value_range).is_some_and(is_flag_literal) {
        return None;
    }
    if let Some(kind) = write.name.as_deref().and_then(secret_kind) {
        return Some((kind, Evidence::Name));
    }
    code_texts(write, source)
        .find_map(|(role, text)| Some((secret_kind(text)?, Evidence::Code(role, text))))
}

/// The code of the call's name and value arguments, with their role, where
/// it is no string literal.
fn code_texts<'s>(
    write: &CookieWrite,
    source: &'s str,
) -> impl Iterator<Item = (&'static str, &'s str)> {
    [("name", write.key_range), ("value", write.value_range)]
        .into_iter()
        .filter_map(|(role, range)| {
            Some((role, source.get(std::ops::Range::<usize>::from(range?))?))
        })
        .filter(|(_, text)| !text.starts_with(['"', '\'']))
}

/// Evidence that the cookie carries an authentication secret, for messages.
pub(crate) fn secret_evidence(write: &CookieWrite, source: &str) -> Option<String> {
    Some(match secret_of(write, source)? {
        (kind, Evidence::Name) => format!(
            "the name '{}' says it carries {kind}",
            write.name.as_deref().unwrap_or_default()
        ),
        (kind, Evidence::Code(role, text)) => {
            let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let shown = if text.chars().count() > 40 {
                format!("{}...", text.chars().take(37).collect::<String>())
            } else {
                text
            };
            format!("its {role} `{shown}` is {kind}")
        }
    })
}

/// Whether `text`, a value as written, is a literal yes or no: `"true"`,
/// `'0'`, `True`, `1`, `"yes"`, `"off"`...
fn is_flag_literal(text: &str) -> bool {
    let bare = text
        .strip_prefix(['"', '\''])
        .and_then(|inner| inner.strip_suffix(['"', '\'']))
        .unwrap_or(text);
    ["true", "false", "1", "0", "yes", "no", "on", "off"]
        .iter()
        .any(|flag| bare.eq_ignore_ascii_case(flag))
}

/// Whether the cookie carries a CSRF token, as its name or the code of its
/// name or value says (`"XSRF-TOKEN"`, `generate_csrf()`). Scripts read such a cookie by
/// design, to send the token back in a header or a form, and HttpOnly on it
/// protects nothing: a script able to read it runs on the page whose
/// requests carry it anyway. Django leaves its own CSRF cookie without
/// HttpOnly for that reason, so `httponly` is not demanded of one; `secure`
/// and `samesite` are.
pub(crate) fn carries_csrf_token(write: &CookieWrite, source: &str) -> bool {
    const CSRF: Option<&str> = Some("a CSRF token");
    // A name that says what it carries decides; else any of the code does.
    if let Some(kind) = write.name.as_deref().and_then(secret_kind) {
        return Some(kind) == CSRF;
    }
    code_texts(write, source).any(|(_, text)| secret_kind(text) == CSRF)
}

/// What kind of secret an identifier or cookie name suggests, if any. A
/// name that asks a yes-or-no question (`is_access_token_expired`,
/// `isLoggedIn`, `has_session`) is a flag about the secret, which scripts
/// read, not the secret.
pub(crate) fn secret_kind(text: &str) -> Option<&'static str> {
    // Words split at punctuation and where a lowercase letter or digit
    // meets an uppercase one (`refreshToken`).
    let mut lower = String::with_capacity(text.len() + 4);
    let mut previous: Option<char> = None;
    for c in text.chars() {
        if c.is_ascii_uppercase()
            && previous.is_some_and(|before| before.is_ascii_lowercase() || before.is_ascii_digit())
        {
            lower.push(' ');
        }
        lower.push(c.to_ascii_lowercase());
        previous = Some(c);
    }
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    if words
        .first()
        .is_some_and(|first| matches!(*first, "is" | "has" | "was" | "had" | "did"))
    {
        return None;
    }
    let joined = words.concat();
    let any = |test: &dyn Fn(&str) -> bool| words.iter().any(|word| test(word));
    if any(&|word| word.contains("csrf") || word.contains("xsrf")) {
        return Some("a CSRF token");
    }
    if any(&|word| {
        word.contains("session") || matches!(word, "sid" | "sessid" | "phpsessid" | "jsessionid")
    }) {
        return Some("a session identifier");
    }
    if any(&|word| word.contains("jwt") || word.contains("token") || word == "bearer") {
        return Some("a token");
    }
    if any(&|word| word.starts_with("remember")) || joined.contains("rememberme") {
        return Some("a remember-me credential");
    }
    if joined.contains("apikey") || joined.contains("apisecret") {
        return Some("an API key");
    }
    if any(&|word| {
        word.starts_with("auth") || word == "login" || word == "logged" || word == "credentials"
    }) {
        return Some("authentication state");
    }
    None
}

/// The argument a write passes for `param`, by keyword or by position.
pub(crate) fn argument_of<'a>(
    write: &'a ExprCall,
    signature: &CookieMethod,
    param: &str,
) -> Option<&'a Expr> {
    if let Some(keyword) = write.arguments.find_keyword(param) {
        return Some(&keyword.value);
    }
    let index = signature
        .positional
        .iter()
        .position(|name| *name == param)?;
    write
        .arguments
        .args
        .get(index)
        .filter(|arg| !arg.is_starred_expr())
}

#[cfg(test)]
mod tests {
    use super::secret_kind;

    #[test]
    fn a_name_says_what_secret_it_carries_unless_it_asks_a_question() {
        assert_eq!(secret_kind("access_token"), Some("a token"));
        assert_eq!(secret_kind("refreshToken"), Some("a token"));
        assert_eq!(secret_kind("XSRF-TOKEN"), Some("a CSRF token"));
        assert_eq!(secret_kind("PHPSESSID"), Some("a session identifier"));
        assert_eq!(secret_kind("authUser"), Some("authentication state"));
        assert_eq!(secret_kind("theme"), None);
        // Flags about a secret, read by scripts.
        assert_eq!(secret_kind("is_access_token_expired"), None);
        assert_eq!(secret_kind("isLoggedIn"), None);
        assert_eq!(secret_kind("has_session"), None);
        // A first word that only starts like one.
        assert_eq!(secret_kind("issued_token"), Some("a token"));
    }

    #[test]
    fn a_yes_or_no_value_is_a_flag_whatever_the_name() {
        for flag in [
            "'true'",
            "\"False\"",
            "True",
            "1",
            "'0'",
            "\"yes\"",
            "'off'",
        ] {
            assert!(super::is_flag_literal(flag), "{flag}");
        }
        for value in [
            "token",
            "'t'",
            "\"10\"",
            "''",
            "request.user.is_authenticated",
        ] {
            assert!(!super::is_flag_literal(value), "{value}");
        }
    }
}
