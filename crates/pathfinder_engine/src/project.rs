//! The project pass: rules that judge the project as a whole (which Django
//! settings module is deployed, and what it sets) run once, after the walk,
//! over the list of files it found.
//!
//! Their findings are merged into the per-file reports, so every output
//! format treats them like any other finding. A panic in the pass becomes a
//! notice, as it does for one file.

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::GlobSet;
use pathfinder_diagnostics::{Applicability, Diagnostic, Edit, LineIndex, TextRange, TextSize};
use pathfinder_python::parse;
use pathfinder_rules::{Project, Rule, check_project};

use crate::apply_fix;
use crate::check::FileChecker;
use crate::fingerprint::fingerprints;
use crate::loader::ProjectLoader;
use crate::testfiles::is_test_file;
use crate::{FileReport, FixMode, Notice, Settings, Stats, display_path, narrow, relative};

/// What the project pass needs from the scan.
pub(crate) struct ProjectPass<'a> {
    pub(crate) root: &'a Path,
    pub(crate) files: &'a [PathBuf],
    pub(crate) loader: &'a ProjectLoader,
    pub(crate) rules: &'a [&'static Rule],
    pub(crate) excludes: &'a GlobSet,
    pub(crate) skip_tests: bool,
    pub(crate) checker: &'a FileChecker<'a>,
    pub(crate) settings: &'a Settings,
    /// When only some files are checked: those files.
    pub(crate) only: Option<&'a [PathBuf]>,
}

impl ProjectPass<'_> {
    /// Runs the project hooks and merges their findings into `files`.
    pub(crate) fn run(
        &self,
        files: &mut Vec<FileReport>,
        notices: &mut Vec<Notice>,
        stats: &mut Stats,
    ) {
        if !self.rules.iter().any(|rule| rule.checks_project()) {
            return;
        }
        let view = self.loader.project_view();
        let project = Project {
            root: self.root,
            files: self.files,
            loader: &view,
        };
        let found =
            std::panic::catch_unwind(AssertUnwindSafe(|| check_project(&project, self.rules)));
        let Ok(found) = found else {
            notices.push(Notice {
                path: PathBuf::new(),
                message: "internal error in the project-level checks; please report it".to_string(),
            });
            return;
        };
        let mut by_file: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
        for finding in found {
            let relative_path = relative(&finding.path, self.root);
            if (self.skip_tests && is_test_file(&relative_path))
                || crate::discover::excluded(self.excludes, self.root, &finding.path)
                || self.only.is_some_and(|only| !only.contains(&finding.path))
            {
                continue;
            }
            by_file
                .entry(relative_path)
                .or_default()
                .push(finding.diagnostic);
        }
        for (relative_path, diagnostics) in by_file {
            let path = display_path(&relative_path);
            let existing = files.iter().position(|report| report.path == path);
            let source = match existing {
                Some(at) => files[at].source.clone(),
                None => match self
                    .loader
                    .files()
                    .text(&self.root.join(&relative_path), u64::MAX)
                {
                    Some(source) => source,
                    None => continue,
                },
            };
            // The project's findings go through the same filters as a file's:
            // suppressions, per-path ignores, severity overrides, then the
            // diff and the baseline.
            let mut extra = FileReport {
                fingerprints: fingerprints(&path, &source, &diagnostics),
                path,
                line_index: LineIndex::new(&source),
                source,
                diagnostics,
                fixes_applied: 0,
                diff: None,
            };
            stats.findings_suppressed += self.checker.filter_project_findings(&mut extra);
            narrow(&mut extra, self.settings, stats);
            if extra.diagnostics.is_empty() {
                continue;
            }
            // Fixes of the project's findings, for files no per-file finding
            // already claimed (their text is then exactly what was analysed).
            if existing.is_none() {
                self.fix(&mut extra, &self.root.join(&relative_path), notices);
            }
            match existing {
                Some(at) => files[at].merge(extra),
                None => files.push(extra),
            }
        }
    }
}

impl ProjectPass<'_> {
    /// Applies (or, with `--diff`, shows) the fixes of a file's project-level
    /// findings, under the same guards as the per-file fixes.
    fn fix(&self, report: &mut FileReport, path: &Path, notices: &mut Vec<Notice>) {
        let threshold = match self.settings.fix {
            FixMode::Off => return,
            FixMode::Apply { unsafe_fixes } | FixMode::Diff { unsafe_fixes } => {
                if unsafe_fixes {
                    Applicability::Unsafe
                } else {
                    Applicability::Safe
                }
            }
        };
        let (fixed, applied) =
            apply_fix::apply_indexed(&report.source, &report.diagnostics, threshold);
        if applied.is_empty() {
            return;
        }
        let notice = |message: String| Notice {
            path: PathBuf::from(&report.path),
            message,
        };
        if parse(&fixed).errors.len() > parse(&report.source).errors.len() {
            notices.push(notice(
                "a fix would have made the file fail to parse; it was not applied, please report it".to_string(),
            ));
            return;
        }
        match self.settings.fix {
            FixMode::Diff { .. } => {
                report.diff = Some(apply_fix::unified_diff(
                    &report.path,
                    &report.source,
                    &fixed,
                ));
                report.fixes_applied = applied.len();
            }
            FixMode::Apply { .. } => {
                let written = if self.loader.files().in_memory(path).is_some() {
                    Err(apply_fix::IN_MEMORY.to_string())
                } else {
                    apply_fix::write_atomically(path, report.source.as_bytes(), &fixed)
                };
                if let Err(message) = written {
                    notices.push(notice(message));
                    return;
                }
                // The fixed findings are gone; the others move with the edits.
                let edits: Vec<Edit> = applied
                    .iter()
                    .filter_map(|index| report.diagnostics[*index].fix.as_ref())
                    .flat_map(|fix| fix.edits.iter().cloned())
                    .collect();
                let mut index = 0;
                report.retain(|_, _, _| {
                    let keep = !applied.contains(&index);
                    index += 1;
                    keep
                });
                for diagnostic in &mut report.diagnostics {
                    diagnostic.range = shifted(diagnostic.range, &edits);
                    diagnostic.fix = None;
                }
                report.line_index = LineIndex::new(&fixed);
                report.source = Arc::from(fixed);
                report.fixes_applied = applied.len();
            }
            FixMode::Off => {}
        }
    }
}

/// `range` after `edits` (none of which overlaps it) are applied.
fn shifted(range: TextRange, edits: &[Edit]) -> TextRange {
    let mut start = range.start();
    for edit in edits
        .iter()
        .filter(|edit| edit.range.end() <= range.start())
    {
        let inserted = edit
            .content
            .as_deref()
            .map_or(TextSize::new(0), TextSize::of);
        start = start + inserted - edit.range.len();
    }
    TextRange::at(start, range.len())
}

/// The Django settings modules of the project at `root`, classified and
/// evaluated as the settings rules see them: for reports and for checking
/// the analysis against real projects.
pub fn django_settings(root: &Path) -> Vec<pathfinder_rules::settings::SettingsModule> {
    let Ok(root) = root.canonicalize() else {
        return Vec::new();
    };
    let excludes = GlobSet::empty();
    let (sender, receiver) = std::sync::mpsc::channel();
    let seen = std::sync::atomic::AtomicUsize::new(0);
    crate::discover::walk(&root, &excludes, 1, &sender, &seen, &crate::NoProgress);
    drop(sender);
    let mut files: Vec<PathBuf> = receiver
        .into_iter()
        .filter_map(|entry| match entry {
            crate::discover::Entry::File(path) => {
                (!is_test_file(&relative(&path, &root))).then_some(path)
            }
            crate::discover::Entry::Notice(_) => None,
        })
        .collect();
    files.sort();
    let loader = ProjectLoader::new(root.clone(), crate::overlay::Files::default());
    let view = loader.project_view();
    let project = Project {
        root: &root,
        files: &files,
        loader: &view,
    };
    pathfinder_rules::settings::discover(&project)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_move_with_earlier_edits_only() {
        let range = TextRange::new(TextSize::new(10), TextSize::new(15));
        let edits = vec![
            Edit::replacement("True", TextRange::new(TextSize::new(2), TextSize::new(7))),
            Edit::insertion("X = True\n", TextSize::new(20)),
        ];
        assert_eq!(
            shifted(range, &edits),
            TextRange::new(TextSize::new(9), TextSize::new(14))
        );
    }
}
