//! PYTHON-FALCON-SEC-001: falcon cookie set without SameSite, Secure or HttpOnly.
//!
//! The check is the shared cookie-write analysis of [`crate::cookies`], driven
//! by the framework table in [`crate::frameworks::falcon`]. The rule's
//! documentation is `insecure_cookie_write.md` beside this file.

use pathfinder_diagnostics::{
    Applicability, AttributeFinding, AttributeState, Edit, Fix, Ranged, Severity, TextRange,
};
use pathfinder_python::ast::visitor::{self, Visitor};
use pathfinder_python::ast::{Expr, Stmt};
use std::sync::Arc;

use pathfinder_python::{Ctx, ModuleLoader, ModuleSummary, Resolver, lower};

use crate::checker::Checker;
use crate::cookies::insecure_write;
use crate::frameworks::falcon;
use crate::registry::{Needle, Rule, RuleStatus};

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-FALCON-SEC-001",
    name: "falcon-insecure-cookie-write",
    title: "Falcon cookie set without SameSite, Secure or HttpOnly",
    severity: Severity::Medium,
    status: RuleStatus::Preview,
    since: "0.1.0",
    cwe: &["CWE-614", "CWE-1004", "CWE-1275"],
    owasp: &["A05:2021"],
    tags: &["python", "falcon", "cookies", "security-misconfiguration"],
    bundles: &["python/falcon", "python/cookies"],
    needles: &[
        Needle::exact("set_cookie"),
        Needle::exact("secure_cookies_by_default"),
    ],
    methods: &["set_cookie"],
    docs: include_str!("insecure_cookie_write.md"),
    framework: Some(&falcon::COOKIES),
    call_hook: None,
    stmt_hook: Some(check_stmt),
    expr_hook: None,
    project_hook: None,
};

/// The option that `secure=None` (and an absent `secure`) follows.
const OPTION: &str = "secure_cookies_by_default";

/// `app.resp_options.secure_cookies_by_default = False`: every `set_cookie`
/// of the application that leaves `secure` out then writes no `Secure`. The
/// option is reported where it is set, once, whichever module writes the
/// cookies.
fn check_stmt(checker: &mut Checker<'_>, stmt: &Stmt) {
    let Stmt::Assign(assign) = stmt else { return };
    let [Expr::Attribute(target)] = &*assign.targets else {
        return;
    };
    if target.attr.id.as_str() != OPTION {
        return;
    }
    let source = checker.source;
    let diagnostic = checker.with_ctx(|ctx| {
        if !falcon::COOKIES.imported_by(ctx) {
            return None;
        }
        let value = checker.resolver.eval(ctx, &lower(&assign.value));
        if value.truthy() != Some(false) {
            return None;
        }
        // Set to True elsewhere in the module (`if debug: ... else: ...`):
        // which one holds is known only at run time.
        module_option(&checker.resolver, ctx, checker.module_body())?;
        let shown = source
            .get(std::ops::Range::<usize>::from(assign.value.range()))
            .unwrap_or("False");
        let finding = AttributeFinding {
            attribute: "secure",
            state: AttributeState::False,
            reason: format!(
                "false (`{OPTION} = {shown}`): every set_cookie that leaves `secure` out sends the cookie over plain HTTP too"
            ),
        };
        Some(insecure_write(
            &RULE,
            assign.range(),
            "Every Falcon cookie",
            "is set",
            None,
            vec![finding],
            Some(Fix {
                edits: vec![Edit::replacement("True".to_string(), assign.value.range())],
                applicability: Applicability::Unsafe,
                title: format!("Replace `{shown}` with `True` for {OPTION}"),
            }),
        ))
    });
    if let Some(diagnostic) = diagnostic {
        checker.report(diagnostic);
    }
}

/// The value the module gives `secure_cookies_by_default`, with where, when
/// every assignment of it gives the same known value (`app.resp_options.
/// secure_cookies_by_default = False`).
pub(crate) fn module_option(
    resolver: &Resolver<'_>,
    ctx: Ctx<'_>,
    body: &[Stmt],
) -> Option<(bool, TextRange)> {
    struct Finder<'b> {
        found: Vec<(&'b Expr, TextRange)>,
    }
    impl<'b> Visitor<'b> for Finder<'b> {
        fn visit_stmt(&mut self, stmt: &'b Stmt) {
            if let Stmt::Assign(assign) = stmt
                && let [Expr::Attribute(target)] = &*assign.targets
                && target.attr.id.as_str() == OPTION
            {
                self.found.push((&assign.value, assign.range()));
            }
            visitor::walk_stmt(self, stmt);
        }
    }
    let mut finder = Finder { found: Vec::new() };
    finder.visit_body(body);
    let mut values = finder
        .found
        .iter()
        .map(|(value, range)| (resolver.eval(ctx, &lower(value)).truthy(), *range));
    let (first, range) = values.next()?;
    let first = first?;
    // Set differently in different places: known only at run time.
    values
        .all(|(value, _)| value == Some(first))
        .then_some((first, range))
}

/// Where an application is usually set up, next to its resources or one
/// folder up: the modules whose `secure_cookies_by_default` is looked at
/// when the write's own module does not set it.
const APP_MODULES: &[&str] = &[
    "app.py",
    "application.py",
    "main.py",
    "__main__.py",
    "server.py",
    "wsgi.py",
    "asgi.py",
    "api.py",
    "__init__.py",
];

/// The value the application gives `secure_cookies_by_default`: set in the
/// write's own module, or else in the module that sets the application up
/// (`app.py`, `main.py`, `wsgi.py`... beside it or one folder up). `None`
/// when nobody sets it, or when the modules disagree.
pub(crate) fn application_option(
    resolver: &Resolver<'_>,
    ctx: Ctx<'_>,
    body: &[Stmt],
    loader: &dyn ModuleLoader,
) -> Option<bool> {
    if let Some((value, _)) = module_option(resolver, ctx, body) {
        return Some(value);
    }
    let own = &ctx.module.path;
    let mut found: Option<bool> = None;
    for dir in own.ancestors().skip(1).take(2) {
        for name in APP_MODULES {
            let path = dir.join(name);
            if &path == own
                || !loader
                    .source(&path)
                    .is_some_and(|text| text.contains(OPTION))
            {
                continue;
            }
            let Some(parsed) = loader.parsed(&path) else {
                continue;
            };
            let module_name = loader.module_name(&path).unwrap_or_default();
            let summary = Arc::new(ModuleSummary::build(parsed.module(), &module_name, path));
            let Some((value, _)) =
                module_option(resolver, Ctx::module_level(&summary), &parsed.module().body)
            else {
                continue;
            };
            if found.is_some_and(|known| known != value) {
                return None;
            }
            found = Some(value);
        }
    }
    found
}
