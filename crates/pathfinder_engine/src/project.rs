//! The project pass: rules that judge the project as a whole (which Django
//! settings module is deployed, and what it sets) run once, after the walk,
//! over the files it starts from.
//!
//! Its findings are attached to the files they point into and go through the
//! same [`crate::pipeline`] as the file rules' findings. When a fix changes
//! a file the pass reads, the pass runs again with the fixed text standing in
//! for the file, so the fixed text is judged by every rule. A panic in the
//! pass becomes a notice, as it does for one file.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::GlobSet;
use pathfinder_diagnostics::Diagnostic;
use pathfinder_python::ParsedFile;
use pathfinder_rules::{FindCallers, Project, ProjectFindings, Rule, check_project};

use crate::check::panic_reason;
use crate::loader::ProjectLoader;
use crate::testfiles::is_test_file;
use crate::{Notice, relative};

/// The project pass of one scan.
pub(crate) struct ProjectPass<'a> {
    pub(crate) root: &'a Path,
    /// The files the pass starts from, sorted.
    pub(crate) files: Vec<PathBuf>,
    /// The configuration files that may name the Django settings.
    pub(crate) config_files: Vec<PathBuf>,
    /// Files that define cookie helpers.
    pub(crate) helpers: Vec<PathBuf>,
    pub(crate) models: &'a pathfinder_rules::models::UserModels,
    pub(crate) loader: &'a ProjectLoader,
    pub(crate) rules: &'a [&'static Rule],
    /// Finds the files that may call helpers found by the pass.
    pub(crate) find_callers: &'a FindCallers<'a>,
}

impl ProjectPass<'_> {
    /// Runs the project hooks; with `replaced`, as if the file at its path
    /// held that text. The settings evaluation is dropped when this returns.
    pub(crate) fn run(
        &self,
        replaced: Option<(&Path, &Arc<ParsedFile>)>,
    ) -> Result<ProjectFindings, Notice> {
        let mut view = self.loader.project_view();
        if let Some((path, parsed)) = replaced {
            view = view.replacing(path, parsed.clone());
        }
        let project = Project {
            root: self.root,
            files: &self.files,
            config_files: &self.config_files,
            loader: &view,
            helpers: &self.helpers,
            models: self.models,
            find_callers: self.find_callers,
        };
        std::panic::catch_unwind(AssertUnwindSafe(|| {
            let mut found = check_project(&project, self.rules);
            // Related places are shown relative to the root, like the files.
            for finding in &mut found.diagnostics {
                for related in &mut finding.diagnostic.related {
                    let path = relative(Path::new(&related.path), self.root);
                    related.path = crate::display_path(&path);
                }
            }
            found
        }))
        .map_err(|panic| Notice {
            path: PathBuf::new(),
            message: format!(
                "internal error in the project-level checks ({}); please report it",
                panic_reason(panic.as_ref())
            ),
        })
    }

    /// The findings in the file at `path` when its text is that of `parsed`.
    pub(crate) fn findings_in(
        &self,
        path: &Path,
        parsed: &Arc<ParsedFile>,
    ) -> Result<Vec<Diagnostic>, Notice> {
        Ok(self
            .run(Some((path, parsed)))?
            .diagnostics
            .into_iter()
            .filter(|finding| finding.path == path)
            .map(|finding| finding.diagnostic)
            .collect())
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
    let found = std::sync::Mutex::new(Vec::new());
    let seen = std::sync::atomic::AtomicUsize::new(0);
    let keep = |entry| {
        if let crate::discover::Entry::File(path) = entry
            && !is_test_file(&relative(&path, &root))
        {
            found.lock().expect("no panics while locked").push(path);
        }
        true
    };
    crate::discover::walk(&root, &excludes, 1, &keep, &seen, &crate::NoProgress);
    let mut files = found.into_inner().expect("no panics while locked");
    files.sort();
    let loader = ProjectLoader::new(root.clone(), crate::overlay::Files::default());
    let view = loader.project_view();
    let config_files = pathfinder_rules::settings::entry::config_files_near(&root);
    let project = Project {
        root: &root,
        files: &files,
        config_files: &config_files,
        loader: &view,
        helpers: &[],
        models: &pathfinder_rules::models::NO_MODELS,
        find_callers: &pathfinder_rules::no_callers,
    };
    pathfinder_rules::settings::discover(&project)
}
