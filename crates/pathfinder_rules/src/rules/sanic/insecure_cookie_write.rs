//! PYTHON-SANIC-SEC-001: sanic cookie added without HttpOnly, Secure or SameSite.
//!
//! The check is the shared cookie-write analysis of [`crate::cookies`], driven
//! by the framework table in [`crate::frameworks::sanic`]. The rule's
//! documentation is `insecure_cookie_write.md` beside this file.

use pathfinder_diagnostics::Severity;
use pathfinder_python::ast::{Expr, Stmt};
use pathfinder_python::{Origin, lower};

use crate::checker::Checker;
use crate::frameworks::{self, Receiver, sanic};
use crate::morsels::{self, JarDefaults};
use crate::registry::{Needle, Rule, RuleStatus};

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-SANIC-SEC-001",
    name: "sanic-insecure-cookie-write",
    title: "Sanic cookie added without HttpOnly, Secure or SameSite",
    severity: Severity::Medium,
    status: RuleStatus::Preview,
    since: "0.1.0",
    cwe: &["CWE-614", "CWE-1004", "CWE-1275"],
    owasp: &["A05:2021"],
    tags: &["python", "sanic", "cookies", "security-misconfiguration"],
    bundles: &["python/sanic", "python/cookies"],
    needles: &[Needle::exact("add_cookie"), Needle::name("cookies[")],
    methods: &["add_cookie"],
    docs: include_str!("insecure_cookie_write.md"),
    framework: Some(&sanic::COOKIES),
    call_hook: None,
    stmt_hook: Some(check_stmt),
    expr_hook: None,
    project_hook: None,
};

/// Sanic's older cookie API: `response.cookies[name] = value` creates the
/// cookie (a bare one, in every Sanic version that accepts it), and
/// `response.cookies[name]["secure"] = True` on the following lines sets its
/// attributes.
fn check_stmt(checker: &mut Checker<'_>, stmt: &Stmt) {
    let Stmt::Assign(assign) = stmt else { return };
    let [Expr::Subscript(target)] = &*assign.targets else {
        return;
    };
    if matches!(target.value.as_ref(), Expr::Subscript(_)) {
        return;
    }
    let is_jar = checker.with_ctx(|ctx| {
        let resolver = &checker.resolver;
        let Origin::Attribute(receiver, attribute) = resolver.origin(ctx, &lower(&target.value))
        else {
            return false;
        };
        if attribute.as_ref() != "cookies" {
            return false;
        }
        match frameworks::classify(resolver, ctx, &receiver, "add_cookie") {
            Receiver::Server(framework) => std::ptr::eq(framework, &raw const sanic::COOKIES),
            Receiver::NotServer => false,
            // A response of unknown type in a Sanic module: the `response`
            // of a middleware or a helper. The request's own cookies are
            // what the browser sent, and writing them sends nothing.
            Receiver::Unknown => {
                sanic::COOKIES.imported_by(ctx)
                    && !matches!(receiver.as_ref(), Origin::Param { name, .. }
                        if name.contains("req") || frameworks::is_client_name(name))
                    && !matches!(receiver.as_ref(), Origin::Attribute(_, name)
                        if name.contains("req") || frameworks::is_client_name(name))
            }
        }
    });
    if !is_jar {
        return;
    }
    morsels::check_morsel(
        checker,
        &RULE,
        assign,
        &target.value,
        &target.slice,
        &JarDefaults {
            missing: sanic::MORSEL_MISSING,
        },
    );
}
