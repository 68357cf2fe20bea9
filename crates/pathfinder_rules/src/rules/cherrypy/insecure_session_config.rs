//! PYTHON-CHERRYPY-SEC-002: CherryPy's session tool switched on without
//! `tools.sessions.secure` or `tools.sessions.httponly`.
//!
//! Checks every dict display that turns the tool on (`"tools.sessions.on":
//! True`): in `cherrypy.config.update({...})`, an application config, a
//! `_cp_config` or `@cherrypy.config(**{...})`. The documentation is
//! `insecure_session_config.md` beside this file.

use pathfinder_diagnostics::{
    Applicability, AttributeFinding, AttributeState, Fix, Ranged, Severity,
};
use pathfinder_python::ast::visitor::{self, Visitor};
use pathfinder_python::ast::{Expr, ExprDict, Stmt};
use pathfinder_python::lower;

use crate::checker::Checker;
use crate::cookies::{absent, insecure_write, judge};
use crate::fix::edits;
use crate::frameworks::cherrypy;
use crate::registry::{Needle, Rule, RuleStatus};

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-CHERRYPY-SEC-002",
    name: "cherrypy-insecure-session-config",
    title: "CherryPy session tool on without Secure or HttpOnly session cookie",
    severity: Severity::High,
    status: RuleStatus::Preview,
    since: "0.1.0",
    cwe: &["CWE-614", "CWE-1004"],
    owasp: &["A05:2021", "A07:2021"],
    tags: &["python", "cherrypy", "cookies", "sessions"],
    bundles: &["python/cherrypy", "python/cookies"],
    needles: &[Needle::exact("tools.sessions.on")],
    methods: &[],
    docs: include_str!("insecure_session_config.md"),
    framework: None,
    call_hook: None,
    stmt_hook: None,
    expr_hook: Some(check_expr),
    project_hook: None,
};

/// The string key of a dict entry, if it is a literal.
fn key_of(key: Option<&Expr>) -> Option<String> {
    match key? {
        Expr::StringLiteral(literal) => Some(literal.value.to_str().to_string()),
        _ => None,
    }
}

fn check_expr(checker: &mut Checker<'_>, expr: &Expr) {
    let Expr::Dict(dict) = expr else { return };
    let Some(on) = dict
        .items
        .iter()
        .find(|item| key_of(item.key.as_ref()).as_deref() == Some(cherrypy::SESSIONS_ON))
    else {
        return;
    };
    if earlier_section_reports(checker.module_body(), dict) {
        return;
    }
    let source = checker.source;
    // A key spelled in another dict of the module, or in a configuration
    // file the module loads, may set what this dict leaves out.
    let loads_file = [".conf'", ".conf\"", ".ini'", ".ini\"", ".cfg'", ".cfg\""]
        .iter()
        .any(|suffix| source.contains(suffix));
    let diagnostic = checker.with_ctx(|ctx| {
        let resolver = &checker.resolver;
        if resolver.eval(ctx, &lower(&on.value)).truthy() != Some(true) {
            return None;
        }
        let mut findings: Vec<AttributeFinding> = Vec::new();
        let mut missing: Vec<&str> = Vec::new();
        for (key, attribute) in cherrypy::SESSION_ATTRIBUTES {
            let given = dict
                .items
                .iter()
                .rev()
                .find(|item| key_of(item.key.as_ref()).as_deref() == Some(*key));
            let finding = match given {
                Some(item) => judge(
                    attribute.attribute,
                    &format!("`\"{key}\": {}`", text(source, &item.value)),
                    &resolver.eval(ctx, &lower(&item.value)),
                ),
                None if dict.items.iter().any(|item| item.key.is_none()) => AttributeFinding {
                    attribute: attribute.attribute,
                    state: AttributeState::Dynamic,
                    reason: "may come from the `**mapping` unpacked here".to_string(),
                },
                None if set_elsewhere(checker.module_body(), key) => AttributeFinding {
                    attribute: attribute.attribute,
                    state: AttributeState::Dynamic,
                    reason: "set by a global configuration dict of this module".to_string(),
                },
                None if loads_file => AttributeFinding {
                    attribute: attribute.attribute,
                    state: AttributeState::Dynamic,
                    reason: "may be set in a configuration file the module names".to_string(),
                },
                None => absent(attribute, ""),
            };
            if finding.state == AttributeState::Missing {
                missing.push(key);
            }
            findings.push(finding);
        }
        if !findings.iter().any(|finding| finding.state.is_insecure()) {
            return None;
        }
        let fix = session_fix(source, dict, &missing);
        Some(insecure_write(
            &RULE,
            on.key
                .as_ref()
                .map_or(on.value.range(), |key| key.range().cover(on.value.range())),
            "Session cookie 'session_id'",
            "is written by CherryPy's session tool",
            Some("the session tool's cookie carries a session identifier"),
            findings,
            fix,
        ))
    });
    if let Some(diagnostic) = diagnostic {
        checker.report(diagnostic);
    }
}

/// Whether `dict` is a section of an application config (`{"/": {...},
/// "/api": {...}}`) after another section that turns the tool on and sets
/// neither key: that one is reported, and the cause is the same.
fn earlier_section_reports(body: &[Stmt], dict: &ExprDict) -> bool {
    struct Finder<'d> {
        dict: &'d ExprDict,
        found: bool,
    }
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Dict(parent) = expr
                && let Some(at) = parent
                    .items
                    .iter()
                    .position(|item| item.value.range() == self.dict.range())
            {
                self.found |= parent.items[..at].iter().any(|item| {
                    let Expr::Dict(section) = &item.value else {
                        return false;
                    };
                    let keys: Vec<Option<String>> = section
                        .items
                        .iter()
                        .map(|entry| key_of(entry.key.as_ref()))
                        .collect();
                    section.items.iter().any(|entry| {
                        key_of(entry.key.as_ref()).as_deref() == Some(cherrypy::SESSIONS_ON)
                            && !matches!(&entry.value, Expr::BooleanLiteral(off) if !off.value)
                    }) && !keys.iter().any(|key| {
                        cherrypy::SESSION_ATTRIBUTES
                            .iter()
                            .any(|(name, _)| key.as_deref() == Some(*name))
                    })
                });
            }
            if !self.found {
                visitor::walk_expr(self, expr);
            }
        }
    }
    let mut finder = Finder { dict, found: false };
    finder.visit_body(body);
    finder.found
}

/// Whether a dict display of the module that does not itself turn the tool
/// on (a global configuration) sets `key`.
fn set_elsewhere(body: &[Stmt], key: &str) -> bool {
    struct Finder<'k> {
        key: &'k str,
        found: bool,
    }
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Dict(dict) = expr {
                let keys: Vec<Option<String>> = dict
                    .items
                    .iter()
                    .map(|item| key_of(item.key.as_ref()))
                    .collect();
                self.found |= keys.iter().any(|known| known.as_deref() == Some(self.key))
                    && !keys
                        .iter()
                        .any(|known| known.as_deref() == Some(cherrypy::SESSIONS_ON));
            }
            if !self.found {
                visitor::walk_expr(self, expr);
            }
        }
    }
    let mut finder = Finder { key, found: false };
    finder.visit_body(body);
    finder.found
}

fn text(source: &str, expr: &Expr) -> String {
    source
        .get(std::ops::Range::<usize>::from(expr.range()))
        .unwrap_or_default()
        .to_string()
}

/// Adds the missing keys to the dict display, set to `True`.
fn session_fix(source: &str, dict: &ExprDict, missing: &[&str]) -> Option<Fix> {
    if missing.is_empty() {
        return None;
    }
    let quote = source
        .get(std::ops::Range::<usize>::from(dict.range()))
        .and_then(|text| text.chars().find(|c| *c == '"' || *c == '\''))
        .unwrap_or('"');
    let entries: Vec<String> = missing
        .iter()
        .map(|key| format!("{quote}{key}{quote}: True"))
        .collect();
    let edit = edits::add_dict_entries(source, dict, &entries)?;
    let edits = vec![edit];
    if !edits::keeps_expression_valid(source, dict.range(), &edits) {
        return None;
    }
    Some(Fix {
        edits,
        applicability: Applicability::Safe,
        title: format!(
            "Add {}",
            entries
                .iter()
                .map(|entry| format!("`{entry}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })
}
