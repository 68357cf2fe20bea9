//! Cookies written as morsels of a server's cookie jar: `jar[name] = value`
//! creates the cookie, and `jar[name]["secure"] = True` on the following
//! lines sets its attributes (CherryPy's `cherrypy.response.cookie`, a
//! `http.cookies.SimpleCookie`; Sanic's older `response.cookies`).
//!
//! A morsel is judged after every statement of the enclosing function (or
//! module) that sets one of its attributes: the last assignment of each
//! attribute wins, as at run time when the function reaches its end. An
//! attribute set on a morsel reached under another name (`morsel =
//! jar[name]; morsel["secure"] = True`) counts too; an attribute set through
//! a name the analysis cannot tie to this morsel makes the attribute unknown
//! rather than missing.

use pathfinder_diagnostics::{AttributeFinding, AttributeState, Ranged};
use pathfinder_python::ast::visitor::{self, Visitor};
use pathfinder_python::ast::{Expr, Stmt, StmtAssign};
use pathfinder_python::{Origin, Value, lower};

use crate::checker::Checker;
use crate::cookies::{insecure_write, judge, secret_kind};
use crate::registry::Rule;
use crate::rules::headers::insecure_simple_cookie::morsel_fix;

/// The morsel attributes that are judged, by their (lower-case) key.
const ATTRIBUTES: &[&str] = &["secure", "httponly", "samesite"];

/// What the library writes when an attribute is never set, for messages.
pub(crate) struct JarDefaults {
    /// "CherryPy's `response.cookie` is a SimpleCookie: a morsel has no
    /// attributes until they are set".
    pub(crate) missing: &'static str,
}

/// The qualified name of an object reached through module attributes
/// (`cherrypy.response.cookie`), if the origin is one.
pub(crate) fn symbol_of(origin: &Origin) -> Option<String> {
    match origin {
        Origin::Symbol(qualified) => Some(qualified.clone()),
        Origin::Attribute(inner, attribute) => Some(format!("{}.{attribute}", symbol_of(inner)?)),
        _ => None,
    }
}

/// The source text of an expression with its whitespace removed, which is
/// how the jar and the key of a morsel are recognised on later lines.
pub(crate) fn text_of(source: &str, expr: &Expr) -> String {
    source
        .get(std::ops::Range::<usize>::from(expr.range()))
        .unwrap_or_default()
        .split_whitespace()
        .collect()
}

/// Judges the morsel created by `assign` (`jar[key] = value`, where the
/// caller has established that `jar` is a server's jar) and reports it
/// through `rule` when an attribute is missing, false or `'None'`.
pub(crate) fn check_morsel(
    checker: &mut Checker<'_>,
    rule: &'static Rule,
    assign: &StmtAssign,
    jar: &Expr,
    key: &Expr,
    defaults: &JarDefaults,
) {
    let source = checker.source;
    let jar_text = text_of(source, jar);
    let key_text = text_of(source, key);
    let mut uses = MorselUses {
        jar: &jar_text,
        key: &key_text,
        source,
        aliases: Vec::new(),
        other_aliases: Vec::new(),
        attributes: Vec::new(),
        opaque: false,
        deleted: None,
        nesting: 0,
        created_at: None,
        conditional: Vec::new(),
    };
    uses.visit_body(checker.current_body());
    let MorselUses {
        attributes,
        opaque,
        deleted,
        conditional,
        ..
    } = uses;
    let diagnostic = checker.with_ctx(|ctx| {
        let resolver = &checker.resolver;
        if let Some(expires) = deleted
            && is_expiry(&resolver.eval(ctx, &lower(&expires)))
        {
            return None;
        }
        let mut findings = Vec::new();
        for attribute in ATTRIBUTES {
            let value = attributes
                .iter()
                .rev()
                .find(|(name, _)| name == attribute)
                .map(|(_, value)| value);
            findings.push(match value {
                None if conditional.iter().any(|name| name == attribute) => AttributeFinding {
                    attribute,
                    state: AttributeState::Dynamic,
                    reason: "set only on some paths".to_string(),
                },
                None if opaque => AttributeFinding {
                    attribute,
                    state: AttributeState::Dynamic,
                    reason: "may be set through another name".to_string(),
                },
                None => AttributeFinding {
                    attribute,
                    state: AttributeState::Missing,
                    reason: format!("missing ({})", defaults.missing),
                },
                Some(expr) => judge(
                    attribute,
                    &format!("`[\"{attribute}\"] = {}`", text_of(source, expr)),
                    &resolver.eval(ctx, &lower(expr)),
                ),
            });
        }
        if !findings.iter().any(|finding| finding.state.is_insecure()) {
            return None;
        }
        let name = match resolver.eval(ctx, &lower(key)) {
            Value::Str(name) => Some(name.to_string()),
            _ => None,
        };
        let secret = name
            .as_deref()
            .and_then(secret_kind)
            .map(|kind| format!("the name says it carries {kind}"))
            .or_else(|| {
                secret_kind(&key_text).map(|kind| format!("its name `{key_text}` is {kind}"))
            });
        let cookie = name
            .as_ref()
            .map_or_else(|| "A cookie".to_string(), |name| format!("Cookie '{name}'"));
        let fix = morsel_fix(source, assign.range(), &jar_text, &key_text, &findings);
        Some(insecure_write(
            rule,
            assign.range(),
            &cookie,
            "is set as a morsel",
            secret.as_deref(),
            findings,
            fix,
        ))
    });
    if let Some(diagnostic) = diagnostic {
        checker.report(diagnostic);
    }
}

/// Whether a `max-age` or `expires` value removes the cookie: zero or less,
/// or a literal date before 2010.
fn is_expiry(value: &Value) -> bool {
    match value {
        Value::Int(age) => *age <= 0,
        Value::Str(text) => {
            text.trim().parse::<i64>().is_ok_and(|age| age <= 0)
                || text
                    .split(|c: char| !c.is_ascii_digit())
                    .filter(|part| part.len() == 4)
                    .filter_map(|part| part.parse::<i64>().ok())
                    .any(|year| (1900..2010).contains(&year))
        }
        Value::Date { year } => *year < 2010,
        _ => false,
    }
}

/// What a function does with one morsel of one jar.
struct MorselUses<'s> {
    jar: &'s str,
    key: &'s str,
    source: &'s str,
    /// Names bound to the morsel (`morsel = jar[key]`).
    aliases: Vec<String>,
    /// Names bound to another morsel (`other = jar[other_key]`, `m = x[k]`).
    other_aliases: Vec<String>,
    /// `[attribute] = value` assignments on the morsel, in order.
    attributes: Vec<(String, Expr)>,
    /// An attribute is set on a morsel the analysis cannot tie to this one,
    /// or the morsel is updated from a mapping it cannot read.
    opaque: bool,
    /// The value of a `max-age` or `expires` assignment, the last one made
    /// wherever the creation runs (not only under a condition of its own).
    deleted: Option<Expr>,
    /// How many compound statements (`if`, `for`, `with`...) enclose the
    /// statement being visited.
    nesting: usize,
    /// The nesting of the morsel's creation, once seen.
    created_at: Option<usize>,
    /// Attributes set only under a condition of their own.
    conditional: Vec<String>,
}

impl MorselUses<'_> {
    fn is_jar(&self, expr: &Expr) -> bool {
        text_of(self.source, expr) == self.jar
    }

    /// `jar[key]`, or a name bound to it.
    fn is_morsel(&self, expr: &Expr) -> bool {
        match expr {
            Expr::Subscript(subscript) => {
                self.is_jar(&subscript.value) && text_of(self.source, &subscript.slice) == self.key
            }
            Expr::Name(name) => self.aliases.iter().any(|alias| alias == name.id.as_str()),
            _ => false,
        }
    }

    fn record(&mut self, attribute: &str, value: &Expr) {
        let attribute = attribute.to_ascii_lowercase();
        // Under a condition the creation does not share: on some paths only.
        let conditional = self.nesting > self.created_at.unwrap_or(0);
        if ATTRIBUTES.contains(&attribute.as_str()) {
            if conditional {
                self.conditional.push(attribute);
            } else {
                self.attributes.push((attribute, value.clone()));
            }
        } else if (attribute == "max-age" || attribute == "expires") && !conditional {
            self.deleted = Some(value.clone());
        }
    }
}

impl<'a> Visitor<'a> for MorselUses<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::Assign(assign) = stmt {
            for target in &assign.targets {
                if self.created_at.is_none() && self.is_morsel(target) {
                    self.created_at = Some(self.nesting);
                }
                match target {
                    Expr::Name(name) if self.is_morsel(&assign.value) => {
                        self.aliases.push(name.id.to_string());
                    }
                    Expr::Name(name) if assign.value.is_subscript_expr() => {
                        self.other_aliases.push(name.id.to_string());
                    }
                    Expr::Subscript(target) => {
                        let attribute = match target.slice.as_ref() {
                            Expr::StringLiteral(literal) => Some(literal.value.to_str()),
                            _ => None,
                        };
                        if self.is_morsel(&target.value) {
                            match attribute {
                                Some(attribute) => self.record(attribute, &assign.value),
                                None => self.opaque = true,
                            }
                        } else if attribute.is_some_and(|attribute| {
                            ATTRIBUTES.contains(&attribute.to_ascii_lowercase().as_str())
                        }) && matches!(target.value.as_ref(), Expr::Name(other) if !self.other_aliases.iter().any(|alias| alias == other.id.as_str()))
                        {
                            // `jar[other_key][...]` is another cookie, and so
                            // is a name bound to one; a morsel reached
                            // through a name bound otherwise may be this one.
                            self.opaque = true;
                        }
                    }
                    _ => {}
                }
            }
        }
        let compound = matches!(
            stmt,
            Stmt::If(_)
                | Stmt::For(_)
                | Stmt::While(_)
                | Stmt::With(_)
                | Stmt::Try(_)
                | Stmt::Match(_)
        );
        self.nesting += usize::from(compound);
        if !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
            visitor::walk_stmt(self, stmt);
        }
        self.nesting -= usize::from(compound);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        // `jar[key].update({...})` and `morsel.update(...)`.
        if let Expr::Call(call) = expr
            && let Expr::Attribute(method) = call.func.as_ref()
            && method.attr.id.as_str() == "update"
            && self.is_morsel(&method.value)
        {
            match (&*call.arguments.args, call.arguments.keywords.is_empty()) {
                ([Expr::Dict(dict)], true) => {
                    for item in &dict.items {
                        match &item.key {
                            Some(Expr::StringLiteral(key)) => {
                                self.record(key.value.to_str(), &item.value);
                            }
                            _ => self.opaque = true,
                        }
                    }
                }
                _ => self.opaque = true,
            }
        }
        visitor::walk_expr(self, expr);
    }
}
