//! Fixes for settings findings: an explicit weak value is replaced (unsafe,
//! it overrides a decision), a setting never set is added at the end of the
//! deployed module (safe: the last assignment wins, as Django reads it).

use pathfinder_diagnostics::{Applicability, Edit, Fix, Ranged, TextRange, TextSize};
use pathfinder_python::ParsedFile;
use pathfinder_python::ast::Stmt;

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
    let source: &str = &file.source;
    let newline = if source.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
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
        (line_end, format!("{separator}{setting} = {good}{newline}"))
    } else {
        let separator = if source.is_empty() || source.ends_with('\n') {
            ""
        } else {
            newline
        };
        (
            source.len(),
            format!("{separator}{setting} = {good}{newline}"),
        )
    };
    Fix {
        edits: vec![Edit::insertion(text, TextSize::new(at as u32))],
        applicability: Applicability::Safe,
        title: format!("Add `{setting} = {good}` to the deployed settings"),
    }
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
}
