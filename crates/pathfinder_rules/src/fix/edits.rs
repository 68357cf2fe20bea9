//! Edits that add keyword arguments to a call or replace an argument, keeping
//! the call's layout: same line for one-line calls, one argument per line with
//! the existing indentation and trailing-comma style for multi-line calls.

use std::fmt::Write as _;

use pathfinder_diagnostics::{Edit, Ranged, TextRange, TextSize};
use pathfinder_python::ast::{Expr, ExprCall, ExprDict};

/// Calls longer than this get no fix: checking a fix re-parses the call, and
/// calls nested in each other would make that quadratic.
const MAX_CHECKED_CALL: usize = 64 * 1024;

/// The line ending used at `offset` in `source`.
fn line_ending(source: &str, offset: usize) -> &'static str {
    let rest = source.as_bytes().get(offset..).unwrap_or_default();
    match rest.iter().position(|byte| *byte == b'\n') {
        Some(at) if at > 0 && rest[at - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The indentation of the line holding `offset`, if only white space
/// precedes `offset` on that line.
fn indentation_at(source: &str, offset: usize) -> Option<&str> {
    let before_offset = source.get(..offset)?;
    let line_start = before_offset.rfind('\n').map_or(0, |at| at + 1);
    let before = &before_offset[line_start..];
    before
        .chars()
        .all(|c| c == ' ' || c == '\t')
        .then_some(before)
}

/// What separates two arguments of a call, or an argument from the call's
/// parentheses, once white space, comments and line continuations are left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Gap {
    Open(usize),
    Close(usize),
    Comma(usize),
    /// The end of a comment that closes its line, where a new line may start.
    CommentEnd(usize),
}

/// The tokens of `source[start..end]`, which must hold only parentheses,
/// commas and trivia; `None` for anything else.
fn gap_tokens(source: &str, start: usize, end: usize) -> Option<Vec<Gap>> {
    let bytes = source.as_bytes().get(start..end)?;
    let mut tokens = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\\' => at += 1,
            b'#' => {
                at += bytes[at..]
                    .iter()
                    .position(|byte| *byte == b'\n' || *byte == b'\r')
                    .unwrap_or(bytes.len() - at);
                tokens.push(Gap::CommentEnd(start + at));
            }
            b'(' => {
                tokens.push(Gap::Open(start + at));
                at += 1;
            }
            b')' => {
                tokens.push(Gap::Close(start + at));
                at += 1;
            }
            b',' => {
                tokens.push(Gap::Comma(start + at));
                at += 1;
            }
            _ => return None,
        }
    }
    Some(tokens)
}

/// An edit that appends `keywords` (already rendered, like `secure=True`) to
/// the arguments of `call`.
pub(crate) fn add_keywords(source: &str, call: &ExprCall, keywords: &[String]) -> Option<Edit> {
    let items: Vec<TextRange> = call
        .arguments
        .iter_source_order()
        .map(|argument| argument.range())
        .collect();
    append_items(source, &items, call.arguments.range, (b'(', b')'), keywords)
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
    append_items(source, &items, dict.range, (b'{', b'}'), entries)
}

/// Appends `keywords` after the last of `items` (the ranges of a call's
/// arguments or a display's entries), inside the `brackets` that open and
/// close `range`. Driven by the tokens between the items and the closing
/// bracket, so a parenthesised last item (`("v")`, `(x := v)`, a string
/// split over lines) is kept whole. `None` when no edit can be built.
fn append_items(
    source: &str,
    items: &[TextRange],
    range: TextRange,
    (opener, closer): (u8, u8),
    keywords: &[String],
) -> Option<Edit> {
    if keywords.is_empty() {
        return None;
    }
    let open = usize::from(range.start());
    let close = usize::from(range.end()).checked_sub(1)?;
    if source.as_bytes().get(close) != Some(&closer) {
        return None;
    }
    if items.is_empty() {
        return Some(Edit::insertion(
            keywords.join(", "),
            TextSize::new(u32::try_from(close).ok()?),
        ));
    }
    // A call's range starts at its callee; its arguments open at the first
    // `(` of the arguments' own range, which is what `range` is for calls.
    if source.as_bytes().get(open) != Some(&opener) {
        return None;
    }
    let mut items: Vec<TextRange> = items.to_vec();
    items.sort_by_key(pathfinder_diagnostics::Ranged::start);
    let last_range = *items.last()?;
    let previous_end = items
        .len()
        .checked_sub(2)
        .map_or(open + 1, |index| usize::from(items[index].end()));
    // The last item with its own parentheses: `(` tokens after the comma
    // that follows the previous item open it, `)` tokens before the closing
    // bracket close it.
    let before = gap_tokens(source, previous_end, usize::from(last_range.start()))?;
    let last_start = before
        .iter()
        .find_map(|token| match token {
            Gap::Open(at) => Some(*at),
            _ => None,
        })
        .unwrap_or(usize::from(last_range.start()));
    let mut last = usize::from(last_range.end());
    let mut comma = None;
    let mut comment_end = None;
    for token in gap_tokens(source, last, close)? {
        match (token, comma) {
            (Gap::Close(at), None) => last = at + 1,
            (Gap::Comma(at), None) => comma = Some(at),
            (Gap::CommentEnd(at), Some(_)) if comment_end.is_none() => comment_end = Some(at),
            (Gap::CommentEnd(_), _) => {}
            _ => return None,
        }
    }
    let between = source.get(last..close)?;
    // One item per line: the new ones follow the same layout.
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
        // After a trailing comma, the new lines go after a comment that ends
        // the comma's line, so the comment stays with its item.
        let at = match (comma, comment_end) {
            (Some(comma), Some(end)) if !source.get(comma..end)?.contains('\n') => end,
            (Some(comma), _) => comma + 1,
            (None, _) => last,
        };
        return Some(Edit::insertion(
            text,
            TextSize::new(u32::try_from(at).ok()?),
        ));
    }
    match comma {
        Some(at) => Some(Edit::insertion(
            format!(" {},", keywords.join(", ")),
            TextSize::new(u32::try_from(at + 1).ok()?),
        )),
        None => Some(Edit::insertion(
            format!(", {}", keywords.join(", ")),
            TextSize::new(u32::try_from(last).ok()?),
        )),
    }
}

/// Whether `edits`, applied to the expression at `range`, leave a valid
/// expression, and the expression was valid to begin with. A fix is offered
/// only when this holds: an edit must never turn code that parses into code
/// that does not, and code that does not parse gets no edit at all.
pub(crate) fn keeps_expression_valid(source: &str, range: TextRange, edits: &[Edit]) -> bool {
    let start = usize::from(range.start());
    let end = usize::from(range.end());
    let Some(original) = source.get(start..end) else {
        return false;
    };
    if original.len() > MAX_CHECKED_CALL || !pathfinder_python::is_clean_expression(original) {
        return false;
    }
    let mut edited = String::with_capacity(original.len() + 64);
    let mut at = start;
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|edit| (edit.range.start(), edit.range.end()));
    for edit in sorted {
        let edit_start = usize::from(edit.range.start());
        let edit_end = usize::from(edit.range.end());
        if edit_start < at || edit_end > end {
            return false;
        }
        let Some(kept) = source.get(at..edit_start) else {
            return false;
        };
        edited.push_str(kept);
        edited.push_str(edit.content.as_deref().unwrap_or_default());
        at = edit_end;
    }
    let Some(rest) = source.get(at..end) else {
        return false;
    };
    edited.push_str(rest);
    pathfinder_python::is_clean_expression(&edited)
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
        assert!(keeps_expression_valid(
            source,
            call.range(),
            std::slice::from_ref(&edit)
        ));
        assert_inserted(source, &edit, expect);
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
        assert_inserted(source, &edit, expect);
    }

    /// `source` with the insertion `edit` applied is `expect`, and parses.
    fn assert_inserted(source: &str, edit: &pathfinder_diagnostics::Edit, expect: &str) {
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

    #[test]
    fn parenthesised_last_argument() {
        check(
            "r.set_cookie('a', ('v'))\n",
            &["secure=True"],
            "r.set_cookie('a', ('v'), secure=True)\n",
        );
        check(
            "r.set_cookie('a', (x := 'v'))\n",
            &["secure=True"],
            "r.set_cookie('a', (x := 'v'), secure=True)\n",
        );
        check(
            "r.set_cookie('a', ('a' 'b'))\n",
            &["secure=True"],
            "r.set_cookie('a', ('a' 'b'), secure=True)\n",
        );
        check(
            "r.set_cookie('a', 'v', ((60)) ,)\n",
            &["secure=True"],
            "r.set_cookie('a', 'v', ((60)) , secure=True,)\n",
        );
        check(
            "r.set_cookie('a', ('long'\n'value'))\n",
            &["secure=True"],
            "r.set_cookie('a', ('long'\n'value'), secure=True)\n",
        );
        check(
            "r.set_cookie(\n    'a',\n    (\n        'long'\n        'value'\n    ),\n)\n",
            &["secure=True"],
            "r.set_cookie(\n    'a',\n    (\n        'long'\n        'value'\n    ),\n    secure=True,\n)\n",
        );
        check(
            "r.set_cookie('a', secure=(False))\n",
            &["httponly=True"],
            "r.set_cookie('a', secure=(False), httponly=True)\n",
        );
    }

    #[test]
    fn comments_stay_with_their_argument() {
        check(
            "r.set_cookie(\n    'a',\n    'b',  # why (not)\n)\n",
            &["secure=True"],
            "r.set_cookie(\n    'a',\n    'b',  # why (not)\n    secure=True,\n)\n",
        );
        check(
            "r.set_cookie('a', 'b'  # why\n)\n",
            &["secure=True"],
            "r.set_cookie('a', 'b', secure=True  # why\n)\n",
        );
    }

    #[test]
    fn no_edit_for_a_call_that_does_not_parse() {
        let source = "r.set_cookie('a', ')\ndef f():\n    pass\n";
        let parsed = pathfinder_python::parse(source);
        let Stmt::Expr(stmt) = &parsed.module().body[0] else {
            panic!("an expression")
        };
        let Expr::Call(call) = stmt.value.as_ref() else {
            panic!("a call")
        };
        let edit = add_keywords(source, call, &["secure=True".to_string()]);
        assert!(edit.is_none_or(|edit| !keeps_expression_valid(source, call.range(), &[edit])));
    }
}
