//! Owned, simplified expressions.
//!
//! Rules only ever need the shape of a few expressions: literals, names,
//! attribute chains, `not`, dictionaries and calls. [`lower`] turns a syntax
//! tree expression into a [`Term`] that owns its data, so that the bindings of
//! a module can outlive its syntax tree and be shared between threads.

use ruff_python_ast::{self as ast, Expr, Number, UnaryOp};

/// Lowering stops below this depth; deeper parts become [`Term::Other`].
const MAX_LOWER_DEPTH: usize = 24;

/// Dictionaries with more entries than this are not tracked key by key.
const MAX_DICT_ENTRIES: usize = 256;

/// A simplified expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Term {
    Bool(bool),
    Int(i64),
    Str(Box<str>),
    None,
    /// An f-string: its literal parts, with `None` where a value is interpolated.
    FString(Vec<Option<Box<str>>>),
    Name(Box<str>),
    Attr(Box<Term>, Box<str>),
    Not(Box<Term>),
    Dict(Vec<(DictKey, Term)>),
    Call {
        func: Box<Term>,
        args: Vec<Term>,
        keywords: Vec<(Option<Box<str>>, Term)>,
        /// Whether the call unpacks `*args` somewhere among its positional arguments.
        starred: bool,
    },
    /// A list, tuple or set display.
    Seq(Vec<Term>),
    /// `a + b + ...`, flattened left to right.
    Concat(Vec<Term>),
    /// `{key: value for targets in iter}` (or `dict((key, value) for ...)`),
    /// with one generator; `filtered` when it has an `if` clause.
    DictComp {
        key: Box<Term>,
        value: Box<Term>,
        /// The names the generator binds, in order (`k, v` in `for k, v in ...`).
        targets: Vec<Box<str>>,
        iter: Box<Term>,
        filtered: bool,
    },
    /// Anything else: a value that is known to exist but not understood.
    Other,
}

/// The key of a dictionary entry.
#[derive(Clone, Debug, PartialEq)]
pub enum DictKey {
    Str(Box<str>),
    /// `**other` inside a dictionary display.
    Spread,
    /// A key that is not a string literal.
    Unknown,
}

impl Term {
    /// The dotted path of a name or attribute chain, such as `["os", "environ"]`.
    pub fn dotted(&self) -> Option<Vec<&str>> {
        match self {
            Term::Name(name) => Some(vec![name]),
            Term::Attr(base, attr) => {
                let mut path = base.dotted()?;
                path.push(attr);
                Some(path)
            }
            _ => None,
        }
    }
}

/// Lowers a syntax tree expression into a [`Term`].
pub fn lower(expr: &Expr) -> Term {
    lower_at(expr, 0)
}

fn lower_at(expr: &Expr, depth: usize) -> Term {
    if depth > MAX_LOWER_DEPTH {
        return Term::Other;
    }
    let next = depth + 1;
    match expr {
        Expr::BooleanLiteral(literal) => Term::Bool(literal.value),
        Expr::NoneLiteral(_) => Term::None,
        Expr::NumberLiteral(literal) => match &literal.value {
            Number::Int(int) => int.as_i64().map_or(Term::Other, Term::Int),
            Number::Float(value) if *value == 0.0 => Term::Int(0),
            _ => Term::Other,
        },
        Expr::StringLiteral(literal) => Term::Str(literal.value.to_str().into()),
        // Header names and values are often bytes (ASGI); rules read them as text.
        Expr::BytesLiteral(literal) => {
            let bytes: Vec<u8> = literal.value.bytes().collect();
            Term::Str(String::from_utf8_lossy(&bytes).into())
        }
        Expr::FString(fstring) => lower_fstring(fstring),
        Expr::Name(name) => Term::Name(name.id.as_str().into()),
        Expr::Attribute(attribute) => Term::Attr(
            Box::new(lower_at(&attribute.value, next)),
            attribute.attr.id.as_str().into(),
        ),
        Expr::UnaryOp(unary) => match unary.op {
            UnaryOp::Not => Term::Not(Box::new(lower_at(&unary.operand, next))),
            UnaryOp::USub => match lower_at(&unary.operand, next) {
                Term::Int(value) => Term::Int(-value),
                _ => Term::Other,
            },
            _ => Term::Other,
        },
        Expr::Dict(dict) if dict.items.len() <= MAX_DICT_ENTRIES => Term::Dict(
            dict.items
                .iter()
                .map(|item| {
                    let key = match &item.key {
                        None => DictKey::Spread,
                        Some(Expr::StringLiteral(key)) => DictKey::Str(key.value.to_str().into()),
                        Some(_) => DictKey::Unknown,
                    };
                    (key, lower_at(&item.value, next))
                })
                .collect(),
        ),
        // `"name={}; Path=/".format(...)`: the template's literal parts, with
        // a hole for each replacement field, read like an f-string.
        Expr::Call(call)
            if matches!(call.func.as_ref(), Expr::Attribute(method)
                if method.attr.id.as_str() == "format" && method.value.is_string_literal_expr()) =>
        {
            let Expr::Attribute(method) = call.func.as_ref() else {
                return Term::Other;
            };
            let Expr::StringLiteral(template) = method.value.as_ref() else {
                return Term::Other;
            };
            brace_format(template.value.to_str())
        }
        Expr::Call(call) => Term::Call {
            func: Box::new(lower_at(&call.func, next)),
            args: call
                .arguments
                .args
                .iter()
                .filter(|arg| !arg.is_starred_expr())
                .map(|arg| lower_at(arg, next))
                .collect(),
            keywords: call
                .arguments
                .keywords
                .iter()
                .map(|keyword| {
                    (
                        keyword.arg.as_ref().map(|arg| arg.id.as_str().into()),
                        lower_at(&keyword.value, next),
                    )
                })
                .collect(),
            starred: call.arguments.args.iter().any(Expr::is_starred_expr),
        },
        Expr::List(list) if list.elts.len() <= MAX_DICT_ENTRIES => lower_seq(&list.elts, next),
        Expr::Tuple(tuple) if tuple.elts.len() <= MAX_DICT_ENTRIES => lower_seq(&tuple.elts, next),
        Expr::Set(set) if set.elts.len() <= MAX_DICT_ENTRIES => lower_seq(&set.elts, next),
        // `"name=%s; Path=/" % (...)`: the format's literal parts, with a
        // hole for each conversion, read like an f-string.
        Expr::BinOp(binary) if binary.op == ast::Operator::Mod => {
            let format = match binary.left.as_ref() {
                Expr::StringLiteral(literal) => Some(literal.value.to_str().to_string()),
                Expr::BytesLiteral(literal) => {
                    let bytes: Vec<u8> = literal.value.bytes().collect();
                    Some(String::from_utf8_lossy(&bytes).into_owned())
                }
                _ => None,
            };
            format.map_or(Term::Other, |format| percent_format(&format))
        }
        Expr::BinOp(binary) if binary.op == ast::Operator::Add => {
            let mut parts = Vec::new();
            for side in [&binary.left, &binary.right] {
                match lower_at(side, next) {
                    Term::Concat(inner) => parts.extend(inner),
                    term => parts.push(term),
                }
            }
            Term::Concat(parts)
        }
        Expr::DictComp(comp) => match comp.key.as_deref() {
            Some(key) => lower_comprehension(key, &comp.value, &comp.generators, next),
            None => Term::Other,
        },
        Expr::Named(named) => lower_at(&named.value, next),
        // For the questions rules ask (where does this object come from, what
        // constant is it), `await f()` is `f()`.
        Expr::Await(awaited) => lower_at(&awaited.value, next),
        _ => Term::Other,
    }
}

/// The parts of a `str.format` template: literal text, and `None` for each
/// replacement field; `{{` and `}}` are literal braces.
fn brace_format(template: &str) -> Term {
    let mut parts: Vec<Option<Box<str>>> = Vec::new();
    let mut literal = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let mut depth = 1;
                for inner in chars.by_ref() {
                    match inner {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                parts.push(Some(std::mem::take(&mut literal).into()));
                parts.push(None);
            }
            c => literal.push(c),
        }
    }
    parts.push(Some(literal.into()));
    Term::FString(parts)
}

/// The parts of a `%`-format string: literal text, and `None` for each
/// conversion (`%s`, `%(name)s`, `%-5d`...); `%%` is a literal `%`.
fn percent_format(format: &str) -> Term {
    let mut parts: Vec<Option<Box<str>>> = Vec::new();
    let mut literal = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            literal.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            literal.push('%');
            continue;
        }
        if chars.peek() == Some(&'(') {
            for inner in chars.by_ref() {
                if inner == ')' {
                    break;
                }
            }
        }
        // Flags, width, precision and length, then the conversion.
        for spec in chars.by_ref() {
            if spec.is_ascii_alphabetic() && !matches!(spec, 'h' | 'l' | 'L') {
                break;
            }
        }
        parts.push(Some(std::mem::take(&mut literal).into()));
        parts.push(None);
    }
    parts.push(Some(literal.into()));
    Term::FString(parts)
}

fn lower_seq(elts: &[Expr], depth: usize) -> Term {
    if elts.iter().any(Expr::is_starred_expr) {
        return Term::Other;
    }
    Term::Seq(elts.iter().map(|elt| lower_at(elt, depth)).collect())
}

/// A dict comprehension with one generator whose targets are plain names.
fn lower_comprehension(
    key: &Expr,
    value: &Expr,
    generators: &[ast::Comprehension],
    depth: usize,
) -> Term {
    let [generator] = generators else {
        return Term::Other;
    };
    if generator.is_async {
        return Term::Other;
    }
    let targets: Option<Vec<Box<str>>> = match &generator.target {
        Expr::Name(name) => Some(vec![name.id.as_str().into()]),
        Expr::Tuple(tuple) => tuple
            .elts
            .iter()
            .map(|elt| match elt {
                Expr::Name(name) => Some(name.id.as_str().into()),
                _ => None,
            })
            .collect(),
        _ => None,
    };
    let Some(targets) = targets else {
        return Term::Other;
    };
    Term::DictComp {
        key: Box::new(lower_at(key, depth)),
        value: Box::new(lower_at(value, depth)),
        targets,
        iter: Box::new(lower_at(&generator.iter, depth)),
        filtered: !generator.ifs.is_empty(),
    }
}

fn lower_fstring(fstring: &ast::ExprFString) -> Term {
    let mut parts: Vec<Option<Box<str>>> = Vec::new();
    for part in &fstring.value {
        match part {
            ast::FStringPart::Literal(literal) => parts.push(Some(literal.value.clone())),
            ast::FStringPart::FString(inner) => {
                for element in &inner.elements {
                    match element {
                        ast::InterpolatedStringElement::Literal(literal) => {
                            parts.push(Some(literal.value.clone()));
                        }
                        ast::InterpolatedStringElement::Interpolation(_) => parts.push(None),
                    }
                }
            }
        }
    }
    Term::FString(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_parser::parse_expression;

    fn check(source: &str, expect: &Term) {
        let parsed = parse_expression(source).expect("valid expression");
        assert_eq!(&lower(&parsed.syntax().body), expect, "{source}");
    }

    #[test]
    fn literals() {
        check("True", &Term::Bool(true));
        check("None", &Term::None);
        check("-3", &Term::Int(-3));
        check("'a' 'b'", &Term::Str("ab".into()));
        check("1.5", &Term::Other);
    }

    #[test]
    fn names_and_calls() {
        check(
            "not settings.DEBUG",
            &Term::Not(Box::new(Term::Attr(
                Box::new(Term::Name("settings".into())),
                "DEBUG".into(),
            ))),
        );
        check(
            "dict(secure=True, **rest)",
            &Term::Call {
                func: Box::new(Term::Name("dict".into())),
                args: vec![],
                keywords: vec![
                    (Some("secure".into()), Term::Bool(true)),
                    (None, Term::Name("rest".into())),
                ],
                starred: false,
            },
        );
        check(
            "f'a={x}; Secure'",
            &Term::FString(vec![Some("a=".into()), None, Some("; Secure".into())]),
        );
    }
}
