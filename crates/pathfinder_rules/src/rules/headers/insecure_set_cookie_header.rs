//! PYTHON-COOKIE-SEC-001: a `Set-Cookie` header written by hand without
//! `Secure`, `HttpOnly` or `SameSite`.
//!
//! Finds header writes (`response["Set-Cookie"] = ...`,
//! `response.headers["Set-Cookie"] = ...`, `headers.append("Set-Cookie", ...)`,
//! `add_header(...)`, `("Set-Cookie", ...)` pairs and `{"Set-Cookie": ...}`
//! entries) and reads the attributes from the header's text when it is a
//! string literal, a constant, or an f-string whose attribute part is literal.
//! The documentation is `insecure_set_cookie_header.md` beside this file.

use pathfinder_diagnostics::{
    Applicability, AttributeFinding, AttributeState, Edit, Fix, Ranged, Severity, TextRange,
    TextSize,
};
use pathfinder_python::ast::{Expr, ExprCall, Stmt};
use pathfinder_python::{Ctx, Resolver, Term, Value, lower};

use crate::checker::Checker;
use crate::cookies::{insecure_write, secret_kind};
use crate::fix::edits;
use crate::frameworks;
use crate::registry::{Needle, Rule, RuleStatus};

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-COOKIE-SEC-001",
    name: "insecure-set-cookie-header",
    title: "Set-Cookie header written by hand without Secure, HttpOnly or SameSite",
    severity: Severity::Medium,
    status: RuleStatus::Preview,
    since: "0.1.0",
    cwe: &["CWE-614", "CWE-1004", "CWE-1275"],
    owasp: &["A05:2021"],
    tags: &["python", "cookies", "headers", "security-misconfiguration"],
    bundles: &["python/cookies"],
    needles: &[Needle::header("set-cookie")],
    methods: &[
        "append",
        "add",
        "add_header",
        "append_header",
        "set_header",
        "send_header",
        "setdefault",
        "__setitem__",
    ],
    docs: include_str!("insecure_set_cookie_header.md"),
    framework: None,
    call_hook: Some(check_call),
    stmt_hook: Some(check_stmt),
    expr_hook: Some(check_expr),
    project_hook: None,
};

/// Whether an expression is the literal header name `Set-Cookie`, in any
/// case. The name must be spelled out in the source, as the prefilter's
/// needle looks for it: a name pieced together from parts (`"Set-" "Cookie"`)
/// or escapes is not taken, so whether a file is reported never depends on
/// whether it was parsed.
fn is_set_cookie_name(source: &str, expr: &Expr) -> bool {
    let spelled = source
        .get(std::ops::Range::<usize>::from(expr.range()))
        .is_some_and(|text| {
            text.as_bytes()
                .windows(b"set-cookie".len())
                .any(|window| window.eq_ignore_ascii_case(b"set-cookie"))
        });
    if !spelled {
        return false;
    }
    match expr {
        Expr::StringLiteral(literal) => literal.value.to_str().eq_ignore_ascii_case("set-cookie"),
        Expr::BytesLiteral(literal) => literal
            .value
            .bytes()
            .collect::<Vec<u8>>()
            .eq_ignore_ascii_case(b"set-cookie"),
        _ => false,
    }
}

/// `X["Set-Cookie"] = value`, `{"Set-Cookie": value}` and `("Set-Cookie", value)`.
fn check_stmt(checker: &mut Checker<'_>, stmt: &Stmt) {
    let Stmt::Assign(assign) = stmt else {
        return;
    };
    for target in &assign.targets {
        if let Expr::Subscript(subscript) = target
            && is_set_cookie_name(checker.source, &subscript.slice)
        {
            check_write(
                checker,
                Some(&subscript.value),
                &assign.value,
                assign.range(),
            );
        }
    }
}

/// `headers.append("Set-Cookie", value)` and its kin.
fn check_call(checker: &mut Checker<'_>, call: &ExprCall, _method: &str) {
    let Expr::Attribute(attribute) = call.func.as_ref() else {
        return;
    };
    let [name, value, ..] = &*call.arguments.args else {
        return;
    };
    if is_set_cookie_name(checker.source, name) {
        check_write(checker, Some(&attribute.value), value, call.range());
    }
}

/// Pairs and dict entries are checked where they are built.
fn check_expr(checker: &mut Checker<'_>, expr: &Expr) {
    match expr {
        Expr::Tuple(tuple) => {
            if let [name, value] = &*tuple.elts
                && is_set_cookie_name(checker.source, name)
            {
                check_write(checker, None, value, tuple.range());
            }
        }
        Expr::Dict(dict) => {
            for item in &dict.items {
                if let Some(key) = &item.key
                    && is_set_cookie_name(checker.source, key)
                {
                    check_write(
                        checker,
                        None,
                        &item.value,
                        key.range().cover(item.value.range()),
                    );
                }
            }
        }
        _ => {}
    }
}

fn check_write(checker: &mut Checker<'_>, receiver: Option<&Expr>, value: &Expr, range: TextRange) {
    let serves_http = checker.in_function() && serves_http(checker.source, checker.current_body());
    let diagnostic = checker.with_ctx(|ctx| {
        let resolver = &checker.resolver;
        if let Some(receiver) = receiver {
            let term = lower(receiver);
            if let Some(path) = term.dotted()
                && path.iter().any(|part| frameworks::is_client_name(part))
            {
                return None;
            }
            let origin = resolver.origin(ctx, &term);
            if frameworks::classify(resolver, ctx, &origin, "__setitem__")
                == frameworks::Receiver::NotServer
            {
                return None;
            }
        }
        if !frameworks::imports_a_framework(ctx)
            && !ctx.module.imports_any(SERVER_MODULES)
            && !serves_http
        {
            return None;
        }
        let text = header_text(resolver, ctx, &lower(value))?;
        let header = parse_header(&text)?;
        if header.is_deletion {
            return None;
        }
        if !header
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
        let fix = literal_fix(checker.source, value, &header.attributes);
        Some(insecure_write(
            &RULE,
            range,
            &cookie,
            "is written as a raw Set-Cookie header",
            secret.as_deref(),
            header.attributes,
            fix,
        ))
    });
    if let Some(diagnostic) = diagnostic {
        checker.report(diagnostic);
    }
}

/// Modules whose import marks a module as serving HTTP itself: the
/// standard library's servers and the ASGI/WSGI servers and toolkits.
const SERVER_MODULES: &[&str] = &[
    "wsgiref",
    "http",
    "uvicorn",
    "hypercorn",
    "daphne",
    "granian",
    "gunicorn",
    "waitress",
    "asgiref",
    "werkzeug",
];

/// Whether the enclosing function answers HTTP requests itself: it calls a
/// WSGI `start_response`, or builds or inspects an ASGI
/// `http.response.start` message.
fn serves_http(source: &str, body: &[Stmt]) -> bool {
    let (Some(first), Some(last)) = (body.first(), body.last()) else {
        return false;
    };
    let Some(text) =
        source.get(usize::from(first.range().start())..usize::from(last.range().end()))
    else {
        return false;
    };
    text.contains("start_response(") || text.contains("http.response.start")
}

/// The text of a header value: a literal or a constant, an f-string, a
/// `+` concatenation of known and unknown parts (`"sid=" + token + "; Secure"`),
/// any of them `.encode()`d.
pub(crate) fn header_text(
    resolver: &Resolver<'_>,
    ctx: Ctx<'_>,
    term: &Term,
) -> Option<HeaderText> {
    let mut parts: Vec<Option<Box<str>>> = Vec::new();
    if !collect_parts(resolver, ctx, term, &mut parts, 0) {
        return None;
    }
    Some(HeaderText::from_parts(&parts))
}

/// Appends the literal parts of `term` to `parts` (`None` for an unknown
/// part); false when nothing of the header's text can be read.
fn collect_parts(
    resolver: &Resolver<'_>,
    ctx: Ctx<'_>,
    term: &Term,
    parts: &mut Vec<Option<Box<str>>>,
    depth: usize,
) -> bool {
    if depth > 8 {
        return false;
    }
    match term {
        Term::FString(inner) => {
            parts.extend(inner.iter().cloned());
            true
        }
        Term::Concat(inner) => {
            let mut any = false;
            for part in inner {
                if collect_parts(resolver, ctx, part, parts, depth + 1) {
                    any = true;
                } else {
                    parts.push(None);
                }
            }
            any
        }
        // `"...".encode()` / `.encode("latin-1")`: the same text as bytes.
        Term::Call { func, .. } if matches!(func.as_ref(), Term::Attr(_, method) if method.as_ref() == "encode") =>
        {
            let Term::Attr(inner, _) = func.as_ref() else {
                return false;
            };
            collect_parts(resolver, ctx, inner, parts, depth + 1)
        }
        // A local built by concatenation or an f-string: read how it was built.
        Term::Name(name)
            if !resolver.eval(ctx, term).is_known()
                && let Some((assigned @ (Term::Concat(_) | Term::FString(_)), at)) =
                    resolver.assigned_term(ctx, name) =>
        {
            let outer = Ctx {
                module: ctx.module,
                scopes: &ctx.scopes[..at],
            };
            collect_parts(resolver, outer, assigned, parts, depth + 1)
        }
        term => match resolver.eval(ctx, term) {
            Value::Str(text) => {
                parts.push(Some(text.replace('\0', "").into()));
                true
            }
            _ => false,
        },
    }
}

/// For a header written as one string literal: append the missing attributes
/// before its closing quote.
fn literal_fix(source: &str, value: &Expr, attributes: &[AttributeFinding]) -> Option<Fix> {
    let Expr::StringLiteral(literal) = value else {
        return None;
    };
    let missing: Vec<&str> = attributes
        .iter()
        .filter(|finding| finding.state == AttributeState::Missing)
        .map(|finding| match finding.attribute {
            "secure" => "Secure",
            "httponly" => "HttpOnly",
            _ => "SameSite=Lax",
        })
        .collect();
    if missing.is_empty() {
        return None;
    }
    let part = literal.value.iter().last()?;
    let text = source.get(std::ops::Range::<usize>::from(part.range()))?;
    let quote = if text.ends_with("\"\"\"") || text.ends_with("'''") {
        3
    } else {
        1
    };
    let body = text.get(..text.len().checked_sub(quote)?)?;
    let separator = if body.trim_end().ends_with(';') {
        " "
    } else {
        "; "
    };
    let at = part.range().end() - TextSize::new(quote as u32);
    let edits = vec![Edit::insertion(
        format!("{separator}{}", missing.join("; ")),
        at,
    )];
    // An unterminated literal has no closing quote to insert before.
    if !edits::keeps_expression_valid(source, value.range(), &edits) {
        return None;
    }
    Some(Fix {
        edits,
        applicability: Applicability::Safe,
        title: format!("Append `{}` to the header", missing.join("; ")),
    })
}

/// The text of a header value; `\0` marks where an f-string interpolates.
pub(crate) struct HeaderText(String);

impl HeaderText {
    fn from_parts(parts: &[Option<Box<str>>]) -> HeaderText {
        HeaderText(
            parts
                .iter()
                .map(|part| part.as_deref().unwrap_or("\0"))
                .collect(),
        )
    }
}

/// What a `Set-Cookie` value says about its cookie.
#[derive(Debug)]
pub struct SetCookieHeader {
    /// The cookie's name, unless it is empty or interpolated.
    pub name: Option<String>,
    /// The state of `secure`, `httponly` and `samesite`, in that order.
    pub attributes: Vec<AttributeFinding>,
    /// `Max-Age=0` or an `Expires` in the past: the header deletes the cookie.
    pub is_deletion: bool,
}

/// Reads a raw `Set-Cookie` value the way the rule does; `None` when it does
/// not start with `name=value`. `\0` stands for an interpolated part of an
/// f-string. Public for the fuzzer and for tools built on the rule.
pub fn read_set_cookie_header(text: &str) -> Option<SetCookieHeader> {
    parse_header(&HeaderText(text.to_string()))
}

/// Reads the attributes of a `Set-Cookie` value. An interpolation in the
/// attribute part makes the attributes it could add unknown.
pub(crate) fn parse_header(text: &HeaderText) -> Option<SetCookieHeader> {
    let mut parts = text.0.split(';');
    let first = parts.next()?;
    // A cookie header starts with `name=value` (the name may be interpolated);
    // anything else, like a list of header names, is not a cookie.
    let (name, value) = first.split_once('=')?;
    // An unknown part right after another (`"sid=" + token + suffix`) or
    // glued to literal text (`"sid=abc" + rest`) may end the value and add
    // attributes; one standing for the whole value (`"sid=" + token`) or for
    // a piece of it after a separator (`"session={}:{}".format(user, sig)`)
    // is the value.
    let value = value.trim_start();
    let mut open = value.contains("\0\0")
        || value.char_indices().any(|(at, c)| {
            c == '\0'
                && value[..at]
                    .chars()
                    .next_back()
                    .is_some_and(|before| !":|.-_,=/+~".contains(before))
        });
    let name = Some(name.trim())
        .filter(|name| !name.is_empty() && !name.contains('\0'))
        .map(str::to_string);
    let mut secure = false;
    let mut httponly = false;
    let mut samesite: Option<String> = None;
    let mut is_deletion = false;
    for part in parts {
        if part.contains('\0') {
            open = true;
            continue;
        }
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        let key = key.trim().to_ascii_lowercase();
        let value = value.trim();
        match key.as_str() {
            "secure" => secure = true,
            "httponly" => httponly = true,
            "samesite" => samesite = Some(value.to_string()),
            "max-age" => is_deletion |= value.parse::<i64>().is_ok_and(|age| age <= 0),
            "expires" => {
                is_deletion |= value
                    .split(|c: char| !c.is_ascii_digit())
                    .filter(|part| part.len() == 4)
                    .filter_map(|year| year.parse::<i64>().ok())
                    .any(|year| (1900..2010).contains(&year));
            }
            _ => {}
        }
    }
    let flag = |attribute: &'static str, present: bool, spelled: &str| {
        let (state, reason) = if present {
            (AttributeState::Set, "set".to_string())
        } else if open {
            (
                AttributeState::Dynamic,
                "may be added by the interpolated part".to_string(),
            )
        } else {
            (
                AttributeState::Missing,
                format!("missing (no `{spelled}` in the header)"),
            )
        };
        AttributeFinding {
            attribute,
            state,
            reason,
        }
    };
    let mut attributes = vec![
        flag("secure", secure, "Secure"),
        flag("httponly", httponly, "HttpOnly"),
    ];
    attributes.push(match samesite {
        Some(value)
            if value.eq_ignore_ascii_case("lax") || value.eq_ignore_ascii_case("strict") =>
        {
            AttributeFinding {
                attribute: "samesite",
                state: AttributeState::Set,
                reason: format!("'{value}'"),
            }
        }
        Some(value) if value.eq_ignore_ascii_case("none") => AttributeFinding {
            attribute: "samesite",
            state: AttributeState::NoneValue,
            reason: if secure {
                "'None': sent with cross-site requests".to_string()
            } else {
                "'None' without Secure: browsers reject such a cookie outright".to_string()
            },
        },
        Some(_) => AttributeFinding {
            attribute: "samesite",
            state: AttributeState::Dynamic,
            reason: "an unusual value".to_string(),
        },
        None => flag("samesite", false, "SameSite=Lax"),
    });
    Some(SetCookieHeader {
        name,
        attributes,
        is_deletion,
    })
}
