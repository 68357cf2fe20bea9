//! PYTHON-COOKIE-SEC-002: a `http.cookies.SimpleCookie` morsel is written out
//! without `Secure`, `HttpOnly` or `SameSite`.
//!
//! At each morsel creation (`c["k"] = value` on a `SimpleCookie`), the rule
//! reads the attribute assignments `c["k"]["secure"] = ...` of the same
//! function, and reports only when the function also renders the cookie
//! (`c.output()`, `c["k"].OutputString()`, `c.js_output()`), which is how a
//! morsel reaches a `Set-Cookie` header. The documentation is
//! `insecure_simple_cookie.md` beside this file.

use pathfinder_diagnostics::{
    Applicability, AttributeFinding, AttributeState, Edit, Fix, Ranged, Severity, TextRange,
    TextSize,
};
use pathfinder_python::ast::visitor::{self, Visitor};
use pathfinder_python::ast::{Expr, Stmt};
use pathfinder_python::{Origin, Value, lower};

use crate::checker::Checker;
use crate::cookies::{insecure_write, judge, secret_kind};
use crate::registry::{Needle, Rule, RuleStatus};

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-COOKIE-SEC-002",
    name: "insecure-simple-cookie-morsel",
    title: "SimpleCookie morsel written without Secure, HttpOnly or SameSite",
    severity: Severity::Medium,
    status: RuleStatus::Preview,
    since: "0.1.0",
    cwe: &["CWE-614", "CWE-1004", "CWE-1275"],
    owasp: &["A05:2021"],
    tags: &[
        "python",
        "cookies",
        "http.cookies",
        "security-misconfiguration",
    ],
    bundles: &["python/cookies"],
    // `set_cookie`: calls of a project's own response class whose
    // `set_cookie` renders a morsel.
    needles: &[
        Needle::exact("SimpleCookie"),
        Needle::exact("BaseCookie"),
        Needle::exact("set_cookie"),
    ],
    methods: &[],
    docs: include_str!("insecure_simple_cookie.md"),
    framework: None,
    call_hook: None,
    stmt_hook: Some(check_stmt),
    expr_hook: None,
    project_hook: None,
};

/// The classes whose items are morsels.
const COOKIE_CLASSES: &[&str] = &[
    "http.cookies.SimpleCookie",
    "http.cookies.BaseCookie",
    "Cookie.SimpleCookie",
    "Cookie.BaseCookie",
];

/// The morsel attributes the rule reads, with their canonical names.
const ATTRIBUTES: &[(&str, &str)] = &[
    ("secure", "secure"),
    ("httponly", "httponly"),
    ("samesite", "samesite"),
];

fn check_stmt(checker: &mut Checker<'_>, stmt: &Stmt) {
    let Stmt::Assign(assign) = stmt else { return };
    let [Expr::Subscript(target)] = &*assign.targets else {
        return;
    };
    let Expr::Name(jar) = target.value.as_ref() else {
        return;
    };
    let is_cookie = checker.with_ctx(|ctx| {
        matches!(checker.resolver.origin(ctx, &lower(&target.value)),
            Origin::Call(class) if COOKIE_CLASSES.contains(&class.as_str()))
    });
    if !is_cookie {
        return;
    }
    let key_text = text_of(checker.source, &target.slice);
    let mut uses = MorselUses {
        jar: jar.id.as_str(),
        key: &key_text,
        source: checker.source,
        attributes: Vec::new(),
        rendered: false,
        aliased: false,
        set_cookie: false,
    };
    uses.visit_body(checker.current_body());
    // A jar rendered into a request's `Cookie` header is a client's.
    if !uses.rendered || !uses.set_cookie {
        return;
    }
    let attributes = uses.attributes;
    let aliased = uses.aliased;
    let diagnostic = checker.with_ctx(|ctx| {
        let mut findings = Vec::new();
        for (name, attribute) in ATTRIBUTES {
            let value = attributes
                .iter()
                .rev()
                .find(|(set, _)| set == name)
                .map(|(_, value)| value);
            let finding = match value {
                None if aliased => AttributeFinding {
                    attribute,
                    state: AttributeState::Dynamic,
                    reason: "may be set through another name".to_string(),
                },
                None => AttributeFinding {
                    attribute,
                    state: AttributeState::Missing,
                    reason: "missing (a morsel has no attributes until they are set)".to_string(),
                },
                Some(expr) => judge(
                    attribute,
                    &format!("`[\"{attribute}\"] = {}`", text_of(checker.source, expr)),
                    &checker.resolver.eval(ctx, &lower(expr)),
                ),
            };
            findings.push(finding);
        }
        if !findings.iter().any(|finding| finding.state.is_insecure()) {
            return None;
        }
        let name = match checker.resolver.eval(ctx, &lower(&target.slice)) {
            Value::Str(name) => Some(name.to_string()),
            _ => None,
        };
        let secret = name
            .as_deref()
            .and_then(secret_kind)
            .map(|kind| format!("the name says it carries {kind}"));
        let cookie = name.as_ref().map_or_else(
            || "A SimpleCookie morsel".to_string(),
            |name| format!("Cookie '{name}'"),
        );
        let fix = morsel_fix(
            checker.source,
            assign.range(),
            jar.id.as_str(),
            &key_text,
            &findings,
        );
        Some(insecure_write(
            &RULE,
            assign.range(),
            &cookie,
            "is rendered into a Set-Cookie header",
            secret.as_deref(),
            findings,
            fix,
        ))
    });
    if let Some(diagnostic) = diagnostic {
        checker.report(diagnostic);
    }
}

/// Sets the missing attributes right after the morsel is created, at the
/// creation's indentation.
pub(crate) fn morsel_fix(
    source: &str,
    statement: TextRange,
    jar: &str,
    key: &str,
    findings: &[AttributeFinding],
) -> Option<Fix> {
    let start = usize::from(statement.start());
    let line_start = source[..start].rfind('\n').map_or(0, |at| at + 1);
    let indent = &source[line_start..start];
    if !indent.chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    let end = usize::from(statement.end());
    let rest = &source[end..];
    let line_end = end + rest.find('\n').unwrap_or(rest.len());
    if !source[end..line_end].trim().is_empty()
        && !source[end..line_end].trim_start().starts_with('#')
    {
        return None;
    }
    let newline = if source[..line_end].ends_with('\r') {
        "\r\n"
    } else {
        "\n"
    };
    let at = if newline == "\r\n" {
        line_end - 1
    } else {
        line_end
    };
    let lines: Vec<String> = findings
        .iter()
        .filter(|finding| finding.state == AttributeState::Missing)
        .map(|finding| {
            let value = if finding.attribute == "samesite" {
                "\"Lax\""
            } else {
                "True"
            };
            format!(
                "{newline}{indent}{jar}[{key}][\"{}\"] = {value}",
                finding.attribute
            )
        })
        .collect();
    if lines.is_empty() {
        return None;
    }
    Some(Fix {
        edits: vec![Edit::insertion(lines.concat(), TextSize::new(at as u32))],
        applicability: Applicability::Safe,
        title: "Set the missing morsel attributes".to_string(),
    })
}

fn text_of(source: &str, expr: &Expr) -> String {
    source
        .get(std::ops::Range::<usize>::from(expr.range()))
        .unwrap_or_default()
        .split_whitespace()
        .collect()
}

/// What a function does with one morsel of one cookie jar.
struct MorselUses<'s> {
    jar: &'s str,
    key: &'s str,
    source: &'s str,
    /// `jar[key][attribute] = value` assignments, in order.
    attributes: Vec<(String, Expr)>,
    /// Whether the jar or the morsel is rendered as header text.
    rendered: bool,
    /// Whether some attribute is set on a morsel reached another way.
    aliased: bool,
    /// Whether the rendering names `Set-Cookie`: `output()` with its default
    /// header, or a `Set-Cookie` literal or `SET_COOKIE` name in the function.
    set_cookie: bool,
}

impl MorselUses<'_> {
    fn is_jar(&self, expr: &Expr) -> bool {
        matches!(expr, Expr::Name(name) if name.id.as_str() == self.jar)
    }

    fn is_morsel(&self, expr: &Expr) -> bool {
        matches!(expr, Expr::Subscript(subscript) if self.is_jar(&subscript.value) && text_of(self.source, &subscript.slice) == self.key)
    }
}

impl<'a> Visitor<'a> for MorselUses<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::Assign(assign) = stmt {
            for target in &assign.targets {
                if let Expr::Subscript(target) = target
                    && let Expr::StringLiteral(attribute) = target.slice.as_ref()
                {
                    let attribute = attribute.value.to_str().to_ascii_lowercase();
                    if ATTRIBUTES.iter().any(|(name, _)| *name == attribute) {
                        if self.is_morsel(&target.value) {
                            self.attributes.push((attribute, (*assign.value).clone()));
                        } else if !matches!(target.value.as_ref(), Expr::Subscript(other) if self.is_jar(&other.value))
                        {
                            // Another morsel of this jar is fine; a morsel
                            // reached through another name may be this one.
                            self.aliased = true;
                        }
                    }
                }
            }
        }
        if !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
            visitor::walk_stmt(self, stmt);
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::StringLiteral(literal) => {
                let text = literal.value.to_str().to_ascii_lowercase();
                self.set_cookie |= text.starts_with("set-cookie");
            }
            Expr::Name(name) => {
                self.set_cookie |= name.id.as_str().eq_ignore_ascii_case("set_cookie");
            }
            Expr::Attribute(attribute) => {
                self.set_cookie |= attribute
                    .attr
                    .id
                    .as_str()
                    .eq_ignore_ascii_case("set_cookie");
            }
            Expr::Call(call)
                if matches!(call.func.as_ref(), Expr::Attribute(method) if method.attr.id.as_str() == "output")
                    && call.arguments.find_argument("header", 0).is_none() =>
            {
                // `output()` writes `Set-Cookie:` before each morsel.
                self.set_cookie = true;
            }
            _ => {}
        }
        if let Expr::Call(call) = expr
            && let Expr::Attribute(method) = call.func.as_ref()
            && matches!(
                method.attr.id.as_str(),
                "output" | "OutputString" | "js_output"
            )
            && (self.is_jar(&method.value)
                || self.is_morsel(&method.value)
                || matches!(method.value.as_ref(), Expr::Subscript(s) if self.is_jar(&s.value)))
        {
            self.rendered = true;
        }
        visitor::walk_expr(self, expr);
    }
}
