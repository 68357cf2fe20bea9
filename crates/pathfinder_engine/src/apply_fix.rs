//! Applying fixes: non-overlapping edits, repeated until nothing changes,
//! never producing a file that parses worse than before, written atomically.

use std::io::Write;
use std::path::Path;

use pathfinder_diagnostics::{Applicability, Diagnostic, Edit};

/// Fix passes per file; a fix that keeps producing new fixes stops here.
const MAX_PASSES: usize = 4;

/// Why a file whose text the caller holds in memory is not written.
pub(crate) const IN_MEMORY: &str =
    "not fixed: the file's text is held in memory, not read from disk";

/// What fixing one file produced.
pub(crate) struct Fixed {
    pub(crate) source: String,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// How many findings were fixed.
    pub(crate) applied: usize,
    /// Why fixing stopped early, if it did.
    pub(crate) notice: Option<String>,
}

/// Applies every fix at or above `threshold`, re-analysing after each pass,
/// until no applicable fix is left. `analyse` returns the findings of a text
/// and its number of syntax errors; `baseline_errors` is that of the text as read.
pub(crate) fn fix_until_stable(
    mut source: String,
    mut diagnostics: Vec<Diagnostic>,
    baseline_errors: usize,
    threshold: Applicability,
    analyse: impl Fn(&str) -> (Vec<Diagnostic>, usize),
) -> Fixed {
    let mut applied = 0;
    let mut notice = None;
    for _ in 0..MAX_PASSES {
        let (next, count) = apply(&source, &diagnostics, threshold);
        if count == 0 {
            break;
        }
        let (next_diagnostics, errors) = analyse(&next);
        if errors > baseline_errors {
            notice = Some("a fix would have made the file fail to parse; it was not applied, please report it".to_string());
            break;
        }
        source = next;
        diagnostics = next_diagnostics;
        applied += count;
    }
    Fixed {
        source,
        diagnostics,
        applied,
        notice,
    }
}

/// Applies the applicable fixes of `diagnostics` whose edits do not overlap an
/// earlier fix's; returns the new text and the number of fixes applied.
pub(crate) fn apply(
    source: &str,
    diagnostics: &[Diagnostic],
    threshold: Applicability,
) -> (String, usize) {
    let (text, applied) = apply_indexed(source, diagnostics, threshold);
    (text, applied.len())
}

/// Like [`apply`], returning which diagnostics' fixes were applied. Insertions
/// at the same offset are kept in the diagnostics' order.
pub(crate) fn apply_indexed(
    source: &str,
    diagnostics: &[Diagnostic],
    threshold: Applicability,
) -> (String, Vec<usize>) {
    let mut fixes: Vec<(usize, &[Edit])> = diagnostics
        .iter()
        .enumerate()
        .filter_map(|(index, diagnostic)| diagnostic.fix.as_ref().map(|fix| (index, fix)))
        .filter(|(_, fix)| fix.applicability >= threshold && !fix.edits.is_empty())
        .map(|(index, fix)| (index, fix.edits.as_slice()))
        .collect();
    fixes.sort_by_key(|(_, edits)| edits[0].range.start());
    let mut accepted: Vec<&Edit> = Vec::new();
    let mut applied = Vec::new();
    for (index, edits) in fixes {
        let clashes = edits.iter().any(|edit| {
            accepted.iter().any(|other| {
                edit.range.start() < other.range.end() && other.range.start() < edit.range.end()
            })
        });
        if clashes {
            continue;
        }
        accepted.extend(edits);
        applied.push(index);
    }
    accepted.sort_by_key(|edit| (edit.range.start(), edit.range.end()));
    let mut out = String::with_capacity(source.len() + 64);
    let mut at = 0;
    for edit in accepted {
        let start = usize::from(edit.range.start());
        let end = usize::from(edit.range.end());
        out.push_str(&source[at..start]);
        if let Some(content) = &edit.content {
            out.push_str(content);
        }
        at = end;
    }
    out.push_str(&source[at..]);
    (out, applied)
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
        assert_eq!(
            apply(source, &diagnostics, Applicability::Safe),
            ("aXYbcdef".to_string(), 2),
            "insertions at one offset keep the findings' order"
        );
        assert_eq!(
            apply(source, &diagnostics, Applicability::Unsafe),
            ("aXYbcZef".to_string(), 3)
        );
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
        assert_eq!(
            apply(source, &overlapping, Applicability::Safe),
            ("a1def".to_string(), 1)
        );
    }
}
