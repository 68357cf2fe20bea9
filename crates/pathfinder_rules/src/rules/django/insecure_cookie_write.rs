//! PYTHON-DJANGO-SEC-070: a Django response sets a cookie without `Secure`,
//! `HttpOnly` or `SameSite`.
//!
//! The rule's documentation (what it finds, why it matters, examples, fix
//! safety, references) is `insecure_cookie_write.md` beside this file; it is
//! the single text shown by `explain`, SARIF help and the generated docs.

use pathfinder_diagnostics::{AttributeFinding, Diagnostic, Ranged, Severity};
use pathfinder_python::ast::{Expr, ExprCall};
use pathfinder_python::lower;

use crate::checker::Checker;
use crate::cookies;
use crate::frameworks::{self, Receiver, django};
use crate::registry::{Rule, RuleStatus};

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-DJANGO-SEC-070",
    name: "django-insecure-cookie-write",
    title: "Django cookie set without Secure, HttpOnly or SameSite",
    severity: Severity::Medium,
    status: RuleStatus::Stable,
    since: "0.1.0",
    cwe: &["CWE-614", "CWE-1004", "CWE-1275"],
    owasp: &["A05:2021"],
    tags: &[
        "python",
        "django",
        "cookies",
        "security-misconfiguration",
        "secure",
        "httponly",
        "samesite",
    ],
    bundles: &["python/django", "python/cookies"],
    needles: &["set_cookie", "set_signed_cookie"],
    methods: &["set_cookie", "set_signed_cookie"],
    docs: include_str!("insecure_cookie_write.md"),
    call_hook: Some(check),
    stmt_hook: None,
    project_hook: None,
};

/// What the message of one finding needs.
struct InsecureCookie<'a> {
    name: Option<&'a str>,
    insecure: Vec<&'a AttributeFinding>,
}

impl InsecureCookie<'_> {
    fn message(&self) -> String {
        let cookie = self
            .name
            .map_or_else(|| "Cookie".to_string(), |name| format!("Cookie '{name}'"));
        let reasons: Vec<String> = self
            .insecure
            .iter()
            .map(|finding| format!("{}: {}", finding.attribute, finding.reason))
            .collect();
        format!(
            "{cookie} is set without full protection; {}",
            reasons.join("; ")
        )
    }

    #[allow(dead_code, reason = "shown once fixes are offered")]
    fn fix_title(&self) -> String {
        let parts: Vec<&str> = self
            .insecure
            .iter()
            .map(|finding| match finding.attribute {
                "secure" => "`secure=True`",
                "httponly" => "`httponly=True`",
                _ => "`samesite='Lax'`",
            })
            .collect();
        format!("Pass {}", parts.join(", "))
    }
}

/// Checks one call of `set_cookie` or `set_signed_cookie`.
pub(crate) fn check(checker: &mut Checker<'_>, call: &ExprCall, method: &str) {
    let Expr::Attribute(attribute) = call.func.as_ref() else {
        return;
    };
    let Some(signature) = django::COOKIES.method(method) else {
        return;
    };
    let source = checker.source;
    let diagnostic = checker.with_ctx(|ctx| {
        let resolver = &checker.resolver;
        let receiver_term = lower(&attribute.value);
        let origin = resolver.origin(ctx, &receiver_term);
        match frameworks::classify(resolver, ctx, &origin, method) {
            Receiver::Server(framework) if framework.framework == django::COOKIES.framework => {}
            Receiver::Server(_) | Receiver::NotServer => return None,
            Receiver::Unknown => {
                if !ctx.module.imports_any(django::COOKIES.import_roots)
                    || !looks_like_server_call(call, &receiver_term)
                {
                    return None;
                }
            }
        }
        let write = cookies::analyze(resolver, ctx, source, call, signature);
        if write.is_deletion || !write.is_insecure() {
            return None;
        }
        let violation = InsecureCookie {
            name: write.name.as_deref(),
            insecure: write
                .attributes
                .iter()
                .filter(|finding| finding.state.is_insecure())
                .collect(),
        };
        Some(Diagnostic {
            rule: RULE.id,
            severity: RULE.severity,
            range: call.range(),
            message: violation.message(),
            details: write.attributes.clone(),
            fix: None,
        })
    });
    if let Some(diagnostic) = diagnostic {
        checker.report(diagnostic);
    }
}

/// For a receiver of unknown type: whether the call has the shape of a server
/// cookie write rather than a client jar's `set_cookie(cookie)`.
fn looks_like_server_call(call: &ExprCall, receiver: &pathfinder_python::Term) -> bool {
    if let Some(path) = receiver.dotted()
        && path
            .last()
            .is_some_and(|name| frameworks::is_client_name(name))
    {
        return false;
    }
    call.arguments.args.len() >= 2 || !call.arguments.keywords.is_empty()
}
