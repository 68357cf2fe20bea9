//! Edits that add keyword arguments to a call or replace an argument, keeping
//! the call's layout: same line for one-line calls, one argument per line with
//! the existing indentation and trailing-comma style for multi-line calls.

use std::fmt::Write as _;

use pathfinder_diagnostics::{Edit, Ranged, TextRange, TextSize};
use pathfinder_python::ast::{Expr, ExprCall, ExprDict};

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
    let items: Vec<TextRange> = call
        .arguments
        .iter_source_order()
        .map(|argument| argument.range())
        .collect();
    append_items(source, &items, call.arguments.range.end(), b')', keywords)
}

/// An edit that appends `entries` (already rendered, like `"secure": True`)
/// to a dict display, keeping its layout like [`add_keywords`].
pub(crate) fn add_dict_entries(source: &str, dict: &ExprDict, entries: &[String]) -> Option<Edit> {
    let items: Vec<TextRange> = dict
        .items
        .iter()
        .map(|item| {
            if let Some(key) = &item.key {
                return key.range().cover(item.value.range());
            }
            // `**rest`: the value's range leaves out the `**`.
            let value = item.value.range();
            let before = source[..usize::from(value.start())].trim_end();
            let start = before.strip_suffix("**").map_or(value.start(), |rest| {
                TextSize::new(u32::try_from(rest.len()).unwrap_or(0))
            });
            TextRange::new(start, value.end())
        })
        .collect();
    append_items(source, &items, dict.range.end(), b'}', entries)
}

/// Appends `keywords` after the last of `items` (the ranges of a call's
/// arguments or a display's entries), before the `closer` that ends at `end`.
fn append_items(
    source: &str,
    items: &[TextRange],
    end: TextSize,
    closer: u8,
    keywords: &[String],
) -> Option<Edit> {
    if keywords.is_empty() {
        return None;
    }
    let close = usize::from(end).checked_sub(1)?;
    if source.as_bytes().get(close) != Some(&closer) {
        return None;
    }
    if items.is_empty() {
        return Some(Edit::insertion(keywords.join(", "), end - TextSize::new(1)));
    }
    let last = items.iter().map(|item| usize::from(item.end())).max()?;
    let between = source.get(last..close)?;
    let comma = between
        .find(',')
        .filter(|at| between[..*at].trim().is_empty());
    let last_start = items.iter().map(|item| usize::from(item.start())).max()?;
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
        check("Storage()\n", &["secure=True"], "Storage(secure=True)\n");
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

    fn check_dict(source: &str, entries: &[&str], expect: &str) {
        let parsed = pathfinder_python::parse(source);
        let Stmt::Expr(stmt) = &parsed.module().body[0] else {
            panic!("an expression")
        };
        let Expr::Dict(dict) = stmt.value.as_ref() else {
            panic!("a dict")
        };
        let entries: Vec<String> = entries.iter().map(ToString::to_string).collect();
        let edit = add_dict_entries(source, dict, &entries).expect("an edit");
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
    fn dict_entries() {
        check_dict("{}\n", &["'a': 1"], "{'a': 1}\n");
        check_dict(
            "{'a': 1}\n",
            &["'b': 2", "'c': 3"],
            "{'a': 1, 'b': 2, 'c': 3}\n",
        );
        check_dict(
            "{\n    'a': 1,\n    **rest,\n}\n",
            &["'b': 2"],
            "{\n    'a': 1,\n    **rest,\n    'b': 2,\n}\n",
        );
    }
}
