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
use pathfinder_diagnostics::{Diagnostic, LineIndex};
use pathfinder_rules::{Project, Rule, check_project};

use crate::loader::ProjectLoader;
use crate::testfiles::is_test_file;
use crate::{FileReport, Notice, display_path, relative};

/// What the project pass needs from the scan.
pub(crate) struct ProjectPass<'a> {
    pub(crate) root: &'a Path,
    pub(crate) files: &'a [PathBuf],
    pub(crate) loader: &'a ProjectLoader,
    pub(crate) rules: &'a [&'static Rule],
    pub(crate) excludes: &'a GlobSet,
    pub(crate) skip_tests: bool,
}

impl ProjectPass<'_> {
    /// Runs the project hooks and merges their findings into `files`.
    pub(crate) fn run(&self, files: &mut Vec<FileReport>, notices: &mut Vec<Notice>) {
        if !self.rules.iter().any(|rule| rule.checks_project()) {
            return;
        }
        let project = Project {
            root: self.root,
            files: self.files,
            loader: self.loader,
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
            if let Some(report) = files.iter_mut().find(|report| report.path == path) {
                report.diagnostics.extend(diagnostics);
                report
                    .diagnostics
                    .sort_by_key(|diagnostic| (diagnostic.range.start(), diagnostic.rule));
                continue;
            }
            let Ok(source) = std::fs::read_to_string(self.root.join(&relative_path)) else {
                continue;
            };
            files.push(FileReport {
                path,
                line_index: LineIndex::new(&source),
                source: Arc::from(source),
                diagnostics,
            });
        }
    }
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
    let loader = ProjectLoader::new(root.clone());
    let project = Project {
        root: &root,
        files: &files,
        loader: &loader,
    };
    pathfinder_rules::settings::discover(&project)
}
