//! Applying fixes: non-overlapping edits, written atomically. The loop that
//! repeats them until nothing changes, re-analysing the text after each
//! pass, is the [`crate::pipeline`]'s.

use std::io::Write;
use std::path::Path;

use pathfinder_diagnostics::{Applicability, Diagnostic, Edit};

/// Why a file whose text the caller holds in memory is not written.
pub(crate) const IN_MEMORY: &str =
    "not fixed: the file's text is held in memory, not read from disk";

/// The fixes of one pass, applied to a text.
pub(crate) struct Applied {
    pub(crate) text: String,
    /// How many findings' fixes were applied.
    pub(crate) fixes: usize,
    /// Their edits, sorted and not overlapping.
    pub(crate) edits: Vec<Edit>,
}

/// Applies the fixes at or above `threshold` of `diagnostics` whose edits do
/// not overlap an earlier fix's. Insertions at the same offset are kept in
/// the diagnostics' order.
pub(crate) fn apply<'d>(
    source: &str,
    diagnostics: impl IntoIterator<Item = &'d Diagnostic>,
    threshold: Applicability,
) -> Applied {
    let mut fixes: Vec<&[Edit]> = diagnostics
        .into_iter()
        .filter_map(|diagnostic| diagnostic.fix.as_ref())
        .filter(|fix| fix.applicability >= threshold && !fix.edits.is_empty())
        .map(|fix| fix.edits.as_slice())
        .collect();
    fixes.sort_by_key(|edits| edits[0].range.start());
    let mut accepted: Vec<&Edit> = Vec::new();
    let mut count = 0;
    for edits in fixes {
        let clashes = edits.iter().any(|edit| {
            accepted.iter().any(|other| {
                edit.range.start() < other.range.end() && other.range.start() < edit.range.end()
            })
        });
        if clashes {
            continue;
        }
        accepted.extend(edits);
        count += 1;
    }
    accepted.sort_by_key(|edit| (edit.range.start(), edit.range.end()));
    let mut out = String::with_capacity(source.len() + 64);
    let mut at = 0;
    for edit in &accepted {
        let start = usize::from(edit.range.start());
        let end = usize::from(edit.range.end());
        out.push_str(&source[at..start]);
        if let Some(content) = &edit.content {
            out.push_str(content);
        }
        at = end;
    }
    out.push_str(&source[at..]);
    Applied {
        text: out,
        fixes: count,
        edits: accepted.into_iter().cloned().collect(),
    }
}

/// Replaces `path` with `text`, through a temporary file in the same folder
/// and a rename, keeping its permissions; refuses when the file changed on
/// disk since it was read as `original`.
pub(crate) fn write_atomically(path: &Path, original: &[u8], text: &str) -> Result<(), String> {
    let metadata = std::fs::metadata(path).map_err(|error| format!("not fixed: {error}"))?;
    if metadata.permissions().readonly() {
        return Err("not fixed: the file is read-only".to_string());
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut temporary =
        tempfile::NamedTempFile::new_in(dir).map_err(|error| format!("not fixed: {error}"))?;
    temporary
        .write_all(text.as_bytes())
        .and_then(|()| temporary.as_file().sync_all())
        .map_err(|error| format!("not fixed: {error}"))?;
    std::fs::set_permissions(temporary.path(), metadata.permissions())
        .map_err(|error| format!("not fixed: {error}"))?;
    let current = std::fs::read(path).map_err(|error| format!("not fixed: {error}"))?;
    if current != original {
        return Err("not fixed: the file changed on disk during the scan".to_string());
    }
    temporary
        .persist(path)
        .map_err(|error| format!("not fixed: {}", error.error))?;
    Ok(())
}

/// A unified diff of one file, with `a/` and `b/` paths.
pub(crate) fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pathfinder_diagnostics::{Fix, Severity, TextRange, TextSize};

    fn diagnostic(edits: Vec<Edit>, applicability: Applicability) -> Diagnostic {
        Diagnostic {
            rule: "TEST",
            severity: Severity::Medium,
            range: TextRange::empty(TextSize::new(0)),
            message: String::new(),
            details: Vec::new(),
            fix: Some(Fix {
                edits,
                applicability,
                title: String::new(),
            }),
            related: Vec::new(),
        }
    }

    #[test]
    fn writes_atomically_and_refuses_changed_or_read_only_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("views.py");
        std::fs::write(&path, "old\n").unwrap();
        write_atomically(&path, b"old\n", "new\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");

        // Changed on disk since it was read: left alone.
        let error = write_atomically(&path, b"old\n", "newer\n").unwrap_err();
        assert!(error.contains("changed on disk"), "{error}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");

        // Read-only: reported and left alone, even for root.
        let mut permissions = std::fs::metadata(&path).unwrap().permissions();
        permissions.set_readonly(true);
        std::fs::set_permissions(&path, permissions).unwrap();
        let error = write_atomically(&path, b"new\n", "newer\n").unwrap_err();
        assert!(error.contains("read-only"), "{error}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file is left"
        );
    }

    #[test]
    fn applies_non_overlapping_and_respects_applicability() {
        let source = "abcdef";
        let diagnostics = vec![
            diagnostic(
                vec![Edit::insertion("X", TextSize::new(1))],
                Applicability::Safe,
            ),
            diagnostic(
                vec![Edit::insertion("Y", TextSize::new(1))],
                Applicability::Safe,
            ),
            diagnostic(
                vec![Edit::replacement(
                    "Z",
                    TextRange::new(TextSize::new(3), TextSize::new(4)),
                )],
                Applicability::Unsafe,
            ),
        ];
        let safe = apply(source, &diagnostics, Applicability::Safe);
        assert_eq!(
            (safe.text.as_str(), safe.fixes),
            ("aXYbcdef", 2),
            "insertions at one offset keep the findings' order"
        );
        assert_eq!(safe.edits.len(), 2);
        let all = apply(source, &diagnostics, Applicability::Unsafe);
        assert_eq!((all.text.as_str(), all.fixes), ("aXYbcZef", 3));
        let overlapping = vec![
            diagnostic(
                vec![Edit::replacement(
                    "1",
                    TextRange::new(TextSize::new(1), TextSize::new(3)),
                )],
                Applicability::Safe,
            ),
            diagnostic(
                vec![Edit::replacement(
                    "2",
                    TextRange::new(TextSize::new(2), TextSize::new(4)),
                )],
                Applicability::Safe,
            ),
        ];
        let first = apply(source, &overlapping, Applicability::Safe);
        assert_eq!((first.text.as_str(), first.fixes), ("a1def", 1));
    }
}
