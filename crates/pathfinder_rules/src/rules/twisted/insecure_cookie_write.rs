//! PYTHON-TWISTED-SEC-001: Twisted or Klein cookie added without Secure,
//! HttpOnly or SameSite.
//!
//! The check is the shared cookie-write analysis of [`crate::cookies`], driven
//! by the framework table in [`crate::frameworks::twisted`]. The rule's
//! documentation is `insecure_cookie_write.md` beside this file.

use pathfinder_diagnostics::{Ranged, Severity};
use pathfinder_python::ast::{Expr, ExprCall};
use pathfinder_python::{Origin, lower};

use crate::checker::Checker;
use crate::cookies::{insecure_write, secret_kind};
use crate::frameworks::{self, Receiver, twisted};
use crate::registry::{Needle, Rule, RuleStatus};
use crate::rules::headers::insecure_set_cookie_header::{header_text, parse_header};

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-TWISTED-SEC-001",
    name: "twisted-insecure-cookie-write",
    title: "Twisted or Klein cookie added without Secure, HttpOnly or SameSite",
    severity: Severity::Medium,
    status: RuleStatus::Preview,
    since: "0.1.0",
    cwe: &["CWE-614", "CWE-1004", "CWE-1275"],
    owasp: &["A05:2021"],
    tags: &[
        "python",
        "twisted",
        "klein",
        "cookies",
        "security-misconfiguration",
    ],
    bundles: &["python/twisted", "python/cookies"],
    needles: &[Needle::exact("addCookie"), Needle::exact("cookies.append")],
    methods: &["addCookie", "append"],
    docs: include_str!("insecure_cookie_write.md"),
    framework: Some(&twisted::COOKIES),
    call_hook: Some(check_call),
    stmt_hook: None,
    expr_hook: None,
    project_hook: None,
};

/// `request.cookies.append(b"name=value; ...")`: Twisted's request keeps the
/// `Set-Cookie` values it will send in `request.cookies`, and code that needs
/// an attribute `addCookie` lacks writes the header text there itself.
fn check_call(checker: &mut Checker<'_>, call: &ExprCall, method: &str) {
    if method != "append" {
        return;
    }
    let Expr::Attribute(attribute) = call.func.as_ref() else {
        return;
    };
    let Expr::Attribute(jar) = attribute.value.as_ref() else {
        return;
    };
    if jar.attr.id.as_str() != "cookies" {
        return;
    }
    let [value] = &*call.arguments.args else {
        return;
    };
    let diagnostic = checker.with_ctx(|ctx| {
        let resolver = &checker.resolver;
        let origin = resolver.origin(ctx, &lower(&jar.value));
        let is_request = match frameworks::classify(resolver, ctx, &origin, "addCookie") {
            Receiver::Server(framework) => std::ptr::eq(framework, &raw const twisted::COOKIES),
            Receiver::NotServer => false,
            Receiver::Unknown => {
                twisted::COOKIES.imported_by(ctx)
                    && matches!(&origin, Origin::Param { name, .. } if name.contains("request"))
            }
        };
        if !is_request {
            return None;
        }
        let header = parse_header(&header_text(resolver, ctx, &lower(value))?)?;
        if header.is_deletion
            || !header
                .attributes
                .iter()
                .any(|finding| finding.state.is_insecure())
        {
            return None;
        }
        let secret = header
            .name
            .as_deref()
            .and_then(secret_kind)
            .map(|kind| format!("the name says it carries {kind}"));
        let cookie = header
            .name
            .as_ref()
            .map_or_else(|| "A cookie".to_string(), |name| format!("Cookie '{name}'"));
        Some(insecure_write(
            &RULE,
            call.range(),
            &cookie,
            "is appended to `request.cookies` as a raw Set-Cookie value",
            secret.as_deref(),
            header.attributes,
            None,
        ))
    });
    if let Some(diagnostic) = diagnostic {
        checker.report(diagnostic);
    }
}
