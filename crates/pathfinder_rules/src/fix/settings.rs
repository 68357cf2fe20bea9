//! Fixes for settings findings: an explicit weak value is replaced (unsafe,
//! it overrides a decision), a setting never set is added at the end of the
//! deployed module (safe: the last assignment wins, as Django reads it).

use pathfinder_diagnostics::{Applicability, Edit, Fix, Ranged, TextRange, TextSize};
use pathfinder_python::ParsedFile;
use pathfinder_python::ast::{DictItem, Expr, ExprDict, Stmt};

/// Replaces the value of `setting = value` in the statement at `statement`,
/// when the statement assigns only that setting.
pub(crate) fn replace_value(
    source: &str,
    statement: TextRange,
    setting: &str,
    good: &str,
) -> Option<Fix> {
    let start = usize::from(statement.start());
    let text = source.get(start..usize::from(statement.end()))?;
    let rest = text.strip_prefix(setting)?;
    let after_spaces = rest.trim_start_matches([' ', '\t']);
    let value = after_spaces.strip_prefix('=')?;
    // `A = B = False`, a multi-line value, a comparison: not a plain assignment.
    if value.contains('=') || value.contains('\n') {
        return None;
    }
    let leading = value.len() - value.trim_start_matches([' ', '\t']).len();
    let from = start + (text.len() - value.len()) + leading;
    let to = usize::from(statement.end());
    if from >= to {
        return None;
    }
    Some(Fix {
        edits: vec![Edit::replacement(
            good,
            TextRange::new(TextSize::new(from as u32), TextSize::new(to as u32)),
        )],
        applicability: Applicability::Unsafe,
        title: format!("Set `{setting} = {good}`"),
    })
}

/// The last top-level assignment of a module: where a setting it never sets
/// is added, and where the finding about it points.
pub(crate) fn last_assignment(body: &[Stmt]) -> Option<&Stmt> {
    body.iter()
        .rev()
        .find(|stmt| matches!(stmt, Stmt::Assign(_) | Stmt::AnnAssign(_)))
}

/// Adds `setting = good` to a settings module, after its last top-level
/// assignment: before any trailing `from .local_settings import *` block, so
/// that local overrides keep working; at the end when there is none.
pub(crate) fn append_setting(file: &ParsedFile, setting: &str, good: &str) -> Fix {
    append_settings(file, &[(setting, good)])
}

/// Adds several `setting = good` lines at once, where [`append_setting`]
/// adds one, in the order given.
pub(crate) fn append_settings(file: &ParsedFile, settings: &[(&str, &str)]) -> Fix {
    let source: &str = &file.source;
    let newline = if source.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let lines: Vec<String> = settings
        .iter()
        .map(|(setting, good)| format!("{setting} = {good}{newline}"))
        .collect();
    let lines = lines.concat();
    let last_assignment =
        last_assignment(&file.module().body).map(|stmt| usize::from(stmt.range().end()));
    let (at, text) = if let Some(end) = last_assignment {
        // After the end of the assignment's line (a trailing comment stays).
        let line_end = source[end..]
            .find('\n')
            .map_or(source.len(), |offset| end + offset + 1);
        let separator = if source[..line_end].ends_with('\n') {
            ""
        } else {
            newline
        };
        (line_end, format!("{separator}{lines}"))
    } else {
        let separator = if source.is_empty() || source.ends_with('\n') {
            ""
        } else {
            newline
        };
        (source.len(), format!("{separator}{lines}"))
    };
    let shown: Vec<String> = settings
        .iter()
        .map(|(setting, good)| format!("`{setting} = {good}`"))
        .collect();
    Fix {
        edits: vec![Edit::insertion(text, TextSize::new(at as u32))],
        applicability: Applicability::Safe,
        title: format!("Add {} to the deployed settings", shown.join(", ")),
    }
}

/// The dict literal assigned by the top-level statement at `statement`
/// (`REST_AUTH = {...}`).
pub(crate) fn assigned_dict(file: &ParsedFile, statement: TextRange) -> Option<&ExprDict> {
    let stmt = file
        .module()
        .body
        .iter()
        .find(|stmt| stmt.range() == statement)?;
    let value = match stmt {
        Stmt::Assign(assign) => assign.value.as_ref(),
        Stmt::AnnAssign(assign) => assign.value.as_deref()?,
        _ => return None,
    };
    match value {
        Expr::Dict(dict) => Some(dict),
        _ => None,
    }
}

/// The last entry of `dict` under the string key `key`: the one Python keeps.
pub(crate) fn dict_entry<'d>(dict: &'d ExprDict, key: &str) -> Option<&'d DictItem> {
    dict.items.iter().rev().find(|item| {
        matches!(&item.key, Some(Expr::StringLiteral(literal)) if literal.value.to_str() == key)
    })
}

/// Adds `"key": good` to the dict literal assigned at `statement`, after
/// its last entry, on a line of its own when the dict spans lines. `None`
/// when the statement assigns no dict literal or the dict spreads `**other`
/// (which may hold the key and would win or lose by order).
pub(crate) fn add_dict_entry(
    file: &ParsedFile,
    statement: TextRange,
    key: &str,
    good: &str,
) -> Option<Fix> {
    let source: &str = &file.source;
    let dict = assigned_dict(file, statement)?;
    if dict.items.iter().any(|item| item.key.is_none()) {
        return None;
    }
    let quote = dict
        .items
        .iter()
        .find_map(|item| match &item.key {
            Some(key @ Expr::StringLiteral(_)) => source.get(usize::from(key.range().start())..),
            _ => None,
        })
        .and_then(|text| text.chars().next())
        .filter(|c| *c == '\'' || *c == '"')
        .unwrap_or('"');
    let entry = format!("{quote}{key}{quote}: {good}");
    let (at, text) = if let Some(last) = dict.items.last() {
        let end = usize::from(last.value.range().end());
        let close = usize::from(dict.range().end()).checked_sub(1)?;
        let between = source.get(end..close)?;
        let comma = between
            .find(',')
            .filter(|at| between[..*at].trim().is_empty());
        let multiline = source
            .get(usize::from(dict.range().start())..close)?
            .contains('\n');
        let at = comma.map_or(end, |comma| end + comma + 1);
        let separator = if comma.is_some() { "" } else { "," };
        if multiline {
            let key_start = usize::from(last.key.as_ref()?.range().start());
            let line_start = source[..key_start].rfind('\n').map_or(0, |at| at + 1);
            let indent = &source[line_start..key_start];
            if !indent.chars().all(|c| c == ' ' || c == '\t') {
                return None;
            }
            let trailing = if comma.is_some() { "," } else { "" };
            (at, format!("{separator}\n{indent}{entry}{trailing}"))
        } else {
            (at, format!("{separator} {entry}"))
        }
    } else {
        (usize::from(dict.range().start()) + 1, entry)
    };
    Some(Fix {
        edits: vec![Edit::insertion(
            text,
            TextSize::new(u32::try_from(at).ok()?),
        )],
        applicability: Applicability::Safe,
        title: format!("Add `{quote}{key}{quote}: {good}` to the dict"),
    })
}

/// Replaces the value of the entry `key` in the dict literal assigned at
/// `statement` (unsafe: it overrides a decision).
pub(crate) fn replace_dict_value(
    file: &ParsedFile,
    statement: TextRange,
    key: &str,
    good: &str,
) -> Option<Fix> {
    let dict = assigned_dict(file, statement)?;
    let item = dict_entry(dict, key)?;
    Some(Fix {
        edits: vec![Edit::replacement(good, item.value.range())],
        applicability: Applicability::Unsafe,
        title: format!("Set `{key}` to `{good}`"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn append(source: &str, setting: &str, good: &str) -> Fix {
        append_setting(&ParsedFile::new(source.into()), setting, good)
    }

    fn apply(source: &str, fix: &Fix) -> String {
        let edit = &fix.edits[0];
        let (from, to) = (
            usize::from(edit.range.start()),
            usize::from(edit.range.end()),
        );
        format!(
            "{}{}{}",
            &source[..from],
            edit.content.as_deref().unwrap_or(""),
            &source[to..]
        )
    }

    #[test]
    fn replaces_only_a_plain_assignment() {
        let source = "DEBUG = False\nSESSION_COOKIE_SECURE  =  False  # no https yet\n";
        let start = source.find("SESSION").unwrap();
        let end = start + "SESSION_COOKIE_SECURE  =  False".len();
        let range = TextRange::new(TextSize::new(start as u32), TextSize::new(end as u32));
        let fix = replace_value(source, range, "SESSION_COOKIE_SECURE", "True").unwrap();
        assert_eq!(
            apply(source, &fix),
            "DEBUG = False\nSESSION_COOKIE_SECURE  =  True  # no https yet\n"
        );
        let chained = "SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False\n";
        let range = TextRange::new(TextSize::new(0), TextSize::new((chained.len() - 1) as u32));
        assert!(replace_value(chained, range, "SESSION_COOKIE_SECURE", "True").is_none());
    }

    #[test]
    fn adds_before_a_trailing_local_settings_import() {
        let source = "A = 1\nB = 2  # note\nif exists:\n    from .local_settings import *\n";
        assert_eq!(
            apply(source, &append(source, "X", "True")),
            "A = 1\nB = 2  # note\nX = True\nif exists:\n    from .local_settings import *\n"
        );
    }

    #[test]
    fn appends_with_the_file_line_endings() {
        assert_eq!(
            apply("A = 1", &append("A = 1", "X", "True")),
            "A = 1\nX = True\n"
        );
        assert_eq!(
            apply("A = 1\r\n", &append("A = 1\r\n", "X", "True")),
            "A = 1\r\nX = True\r\n"
        );
    }

    #[test]
    fn adds_dict_entries_in_the_dict_layout() {
        let add = |source: &str| {
            let file = ParsedFile::new(source.into());
            let range = file.module().body[0].range();
            add_dict_entry(&file, range, "JWT_AUTH_SECURE", "True").map(|fix| apply(source, &fix))
        };
        assert_eq!(
            add("REST_AUTH = {'USE_JWT': True}\n").as_deref(),
            Some("REST_AUTH = {'USE_JWT': True, 'JWT_AUTH_SECURE': True}\n")
        );
        assert_eq!(
            add("REST_AUTH = {\n    \"USE_JWT\": True,\n}\n").as_deref(),
            Some("REST_AUTH = {\n    \"USE_JWT\": True,\n    \"JWT_AUTH_SECURE\": True,\n}\n")
        );
        assert_eq!(
            add("REST_AUTH = {\n    \"USE_JWT\": True\n}\n").as_deref(),
            Some("REST_AUTH = {\n    \"USE_JWT\": True,\n    \"JWT_AUTH_SECURE\": True\n}\n")
        );
        assert_eq!(
            add("REST_AUTH = {}\n").as_deref(),
            Some("REST_AUTH = {\"JWT_AUTH_SECURE\": True}\n")
        );
        assert_eq!(add("REST_AUTH = {**BASE, 'USE_JWT': True}\n"), None);
        assert_eq!(add("REST_AUTH = dict(USE_JWT=True)\n"), None);
    }
}
