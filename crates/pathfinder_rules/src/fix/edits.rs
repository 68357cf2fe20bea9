//! Edits that add keyword arguments to a call or replace an argument, keeping
//! the call's layout: same line for one-line calls, one argument per line with
//! the existing indentation and trailing-comma style for multi-line calls.

use std::fmt::Write as _;

use pathfinder_diagnostics::{Edit, Ranged, TextSize};
use pathfinder_python::ast::{Expr, ExprCall};

/// The line ending used at `offset` in `source`.
fn line_ending(source: &str, offset: usize) -> &'static str {
    match source[offset..].find('\n') {
        Some(at) if at > 0 && source.as_bytes()[offset + at - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The indentation of the line holding `offset`, if only white space
/// precedes `offset` on that line.
fn indentation_at(source: &str, offset: usize) -> Option<&str> {
    let line_start = source[..offset].rfind('\n').map_or(0, |at| at + 1);
    let before = &source[line_start..offset];
    before
        .chars()
        .all(|c| c == ' ' || c == '\t')
        .then_some(before)
}

/// An edit that appends `keywords` (already rendered, like `secure=True`) to
/// the arguments of `call`.
pub(crate) fn add_keywords(source: &str, call: &ExprCall, keywords: &[String]) -> Option<Edit> {
    if keywords.is_empty() {
        return None;
    }
    let arguments = &call.arguments;
    let close = usize::from(arguments.range.end()).checked_sub(1)?;
    if source.as_bytes().get(close) != Some(&b')') {
        return None;
    }
    let last = arguments
        .iter_source_order()
        .map(|argument| usize::from(argument.range().end()))
        .max()?;
    let between = &source[last..close];
    let comma = between
        .find(',')
        .filter(|at| between[..*at].trim().is_empty());
    let last_start = arguments
        .iter_source_order()
        .map(|argument| usize::from(argument.range().start()))
        .max()?;
    // One argument per line: the new ones follow the same layout.
    if between.contains('\n')
        && let Some(indent) = indentation_at(source, last_start)
    {
        let newline = line_ending(source, last);
        let mut text = String::new();
        for keyword in keywords {
            if comma.is_some() {
                let _ = write!(text, "{newline}{indent}{keyword},");
            } else {
                let _ = write!(text, ",{newline}{indent}{keyword}");
            }
        }
        let at = comma.map_or(last, |at| last + at + 1);
        return Some(Edit::insertion(text, TextSize::new(at as u32)));
    }
    match comma {
        Some(at) => Some(Edit::insertion(
            format!(" {},", keywords.join(", ")),
            TextSize::new((last + at + 1) as u32),
        )),
        None => Some(Edit::insertion(
            format!(", {}", keywords.join(", ")),
            TextSize::new(last as u32),
        )),
    }
}

/// The quote the call's own string arguments use, or `"`.
pub(crate) fn quote_of(source: &str, call: &ExprCall) -> char {
    call.arguments
        .iter_source_order()
        .find_map(|argument| {
            let expr: &Expr = argument.value();
            match expr {
                Expr::StringLiteral(literal) => source[usize::from(literal.range.start())..]
                    .chars()
                    .find(|c| *c == '"' || *c == '\''),
                _ => None,
            }
        })
        .unwrap_or('"')
}

#[cfg(test)]
mod tests {
    use super::*;
    use pathfinder_python::ast::Stmt;

    fn check(source: &str, keywords: &[&str], expect: &str) {
        let parsed = pathfinder_python::parse(source);
        let Stmt::Expr(stmt) = &parsed.module().body[0] else {
            panic!("an expression")
        };
        let Expr::Call(call) = stmt.value.as_ref() else {
            panic!("a call")
        };
        let keywords: Vec<String> = keywords.iter().map(ToString::to_string).collect();
        let edit = add_keywords(source, call, &keywords).expect("an edit");
        let at = usize::from(edit.range.start());
        let fixed = format!(
            "{}{}{}",
            &source[..at],
            edit.content.as_deref().unwrap_or(""),
            &source[at..]
        );
        assert_eq!(fixed, expect);
        assert!(pathfinder_python::parse(&fixed).errors.is_empty());
    }

    #[test]
    fn one_line() {
        check(
            "r.set_cookie('a', 'b')\n",
            &["secure=True"],
            "r.set_cookie('a', 'b', secure=True)\n",
        );
        check(
            "r.set_cookie('a', 'b',)\n",
            &["secure=True", "httponly=True"],
            "r.set_cookie('a', 'b', secure=True, httponly=True,)\n",
        );
        check(
            "r.set_cookie('a', **opts)\n",
            &["secure=True"],
            "r.set_cookie('a', **opts, secure=True)\n",
        );
    }

    #[test]
    fn multi_line() {
        check(
            "r.set_cookie(\n    'a',\n    'b',\n)\n",
            &["secure=True", "httponly=True"],
            "r.set_cookie(\n    'a',\n    'b',\n    secure=True,\n    httponly=True,\n)\n",
        );
        check(
            "r.set_cookie(\r\n    'a',\r\n    'b'\r\n)\r\n",
            &["secure=True"],
            "r.set_cookie(\r\n    'a',\r\n    'b',\r\n    secure=True\r\n)\r\n",
        );
        check(
            "r.set_cookie('a', 'b'\n)\n",
            &["secure=True"],
            "r.set_cookie('a', 'b', secure=True\n)\n",
        );
    }
}
