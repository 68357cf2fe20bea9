//! PYTHON-CHERRYPY-SEC-001: a cookie of `cherrypy.response.cookie` left
//! without `Secure`, `HttpOnly` or `SameSite`.
//!
//! At each morsel creation (`cherrypy.response.cookie[name] = value`, also
//! through a local name bound to the jar), the shared morsel analysis of
//! [`crate::morsels`] reads the attribute assignments of the same function
//! and judges the morsel after all of them. The documentation is
//! `insecure_cookie_morsel.md` beside this file.

use pathfinder_diagnostics::Severity;
use pathfinder_python::ast::{Expr, Stmt};
use pathfinder_python::lower;

use crate::checker::Checker;
use crate::frameworks::cherrypy;
use crate::morsels::{self, JarDefaults};
use crate::registry::{Needle, Rule, RuleStatus};

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-CHERRYPY-SEC-001",
    name: "cherrypy-insecure-cookie-morsel",
    title: "CherryPy response cookie without Secure, HttpOnly or SameSite",
    severity: Severity::Medium,
    status: RuleStatus::Preview,
    since: "0.1.0",
    cwe: &["CWE-614", "CWE-1004", "CWE-1275"],
    owasp: &["A05:2021"],
    tags: &["python", "cherrypy", "cookies", "security-misconfiguration"],
    bundles: &["python/cherrypy", "python/cookies"],
    needles: &[Needle::exact("response.cookie")],
    methods: &[],
    docs: include_str!("insecure_cookie_morsel.md"),
    framework: None,
    call_hook: None,
    stmt_hook: Some(check_stmt),
    expr_hook: None,
    project_hook: None,
};

fn check_stmt(checker: &mut Checker<'_>, stmt: &Stmt) {
    let Stmt::Assign(assign) = stmt else { return };
    let [Expr::Subscript(target)] = &*assign.targets else {
        return;
    };
    // `jar[name][attribute] = value` sets an attribute; it creates nothing.
    if matches!(target.value.as_ref(), Expr::Subscript(_)) {
        return;
    }
    let is_jar = checker.with_ctx(|ctx| {
        let origin = checker.resolver.origin(ctx, &lower(&target.value));
        morsels::symbol_of(&origin)
            .is_some_and(|symbol| cherrypy::RESPONSE_JARS.contains(&symbol.as_str()))
    });
    if !is_jar || cherrypy::is_cherrypy_itself(&checker.module.path) {
        return;
    }
    morsels::check_morsel(
        checker,
        &RULE,
        assign,
        &target.value,
        &target.slice,
        &JarDefaults {
            missing: cherrypy::MORSEL_MISSING,
        },
    );
}
