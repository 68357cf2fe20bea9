//! Cookies that a library writes from its configuration: a session
//! middleware, an authentication policy, a session storage. The project never
//! calls `set_cookie` for them; it calls a constructor whose arguments decide
//! the cookie's attributes.
//!
//! The constructor's call is bound to the library's signature by the same
//! analysis as a cookie write ([`crate::cookies::analyze_with`]): keywords,
//! positional arguments, `**{...}` and dicts built in the function, project
//! constants, and the library's own defaults from the tables of
//! [`crate::frameworks`].

use pathfinder_diagnostics::{Diagnostic, Ranged, TextRange};
use pathfinder_python::ast::{Expr, ExprCall};
use pathfinder_python::{Ctx, Resolver, lower};

use crate::checker::Checker;
use crate::cookies::{self, insecure_write};
use crate::frameworks::ConfiguredCookie;
use crate::registry::Rule;

/// Checks a call that may construct one of `table`'s objects, directly or
/// through one of its wrappers, and reports through `rule` when the cookie
/// it configures is weak.
pub(crate) fn check_call(
    checker: &mut Checker<'_>,
    call: &ExprCall,
    rule: &'static Rule,
    table: &'static [ConfiguredCookie],
) {
    let source = checker.source;
    let diagnostic = checker.with_ctx(|ctx| {
        let resolver = &checker.resolver;
        let config = configured_by(resolver, ctx, call, table)?;
        let write = cookies::analyze_with(
            resolver,
            ctx,
            source,
            call,
            &config.signature,
            config.samesite_fix,
        );
        if !write.is_insecure() {
            return None;
        }
        // A name passed but known only at run time is not the default one.
        let cookie = match (&write.name, write.key_range) {
            (Some(name), _) => format!("{} '{name}'", config.cookie),
            (None, Some(_)) => config.cookie.to_string(),
            (None, None) => format!("{} '{}'", config.cookie, config.default_name),
        };
        Some(insecure_write(
            rule,
            call.range(),
            &cookie,
            &format!("is written by {}", config.writer),
            None,
            write.attributes,
            write.fix,
        ))
    });
    if let Some(diagnostic) = diagnostic {
        checker.report(diagnostic);
    }
}

/// The entry of `table` that `call` configures: its constructor called
/// directly, or handed with its arguments to one of its wrappers
/// (`Middleware(SessionMiddleware, ...)`, `app.add_middleware(SessionMiddleware, ...)`).
fn configured_by(
    resolver: &Resolver<'_>,
    ctx: Ctx<'_>,
    call: &ExprCall,
    table: &'static [ConfiguredCookie],
) -> Option<&'static ConfiguredCookie> {
    let callee = resolver.qualified_name(ctx, &lower(&call.func));
    if let Some(callee) = &callee
        && let Some(config) = ConfiguredCookie::find(table, callee)
    {
        return Some(config);
    }
    let method = match call.func.as_ref() {
        Expr::Attribute(attribute) => Some(attribute.attr.id.as_str()),
        _ => None,
    };
    let wraps = |config: &ConfiguredCookie| {
        callee
            .as_deref()
            .is_some_and(|callee| config.wrappers.contains(&callee))
            || method.is_some_and(|method| config.wrapper_methods.contains(&method))
    };
    if !table.iter().any(wraps) {
        return None;
    }
    let first = call.arguments.args.first()?;
    if first.is_starred_expr() {
        return None;
    }
    let wrapped = resolver.qualified_name(ctx, &lower(first))?;
    ConfiguredCookie::find(table, &wrapped).filter(|config| wraps(config))
}

/// The finding for a configuration object built without arguments that
/// reach the cookie (sanic_session's `Session(app)`, which builds its default
/// interface itself): every attribute takes the library's default. `how`
/// says how the object comes to be; no fix is offered, since the call takes
/// no cookie options.
pub(crate) fn defaults_finding(
    rule: &'static Rule,
    range: TextRange,
    config: &ConfiguredCookie,
    how: &str,
) -> Option<Diagnostic> {
    let attributes: Vec<_> = config
        .signature
        .attributes
        .iter()
        .map(|attribute| cookies::absent(attribute, ""))
        .collect();
    if !attributes.iter().any(|finding| finding.state.is_insecure()) {
        return None;
    }
    Some(insecure_write(
        rule,
        range,
        &format!("{} '{}'", config.cookie, config.default_name),
        how,
        None,
        attributes,
        None,
    ))
}
