//! The project-level pass: rules whose findings are a property of the whole
//! project rather than of one file.
//!
//! The engine calls [`check_project`] once per scan, after discovery, with the
//! Python files the pass starts from ([`starts_from`]) and its lazy module
//! loader. Each active rule
//! with a project hook gets a [`ProjectChecker`]; work that several rules share
//! (finding and evaluating the Django settings modules) is done once, on
//! first use, and kept there.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use pathfinder_diagnostics::Diagnostic;
use pathfinder_python::ModuleLoader;

use crate::registry::Rule;
use crate::settings::{self, SettingsModule};

/// What a project hook can see of the project.
pub struct Project<'a> {
    pub root: &'a Path,
    /// The Python files the pass starts from, as absolute paths: those
    /// [`starts_from`] accepts (test files are left out when the scan skips
    /// them). Modules they import are read through the loader on demand.
    pub files: &'a [PathBuf],
    /// The configuration files that may name the Django settings, as
    /// [`settings::entry::config_files_near`](crate::settings::entry::config_files_near)
    /// finds them: the engine looks for them while it walks the project.
    pub config_files: &'a [PathBuf],
    /// Reads, names and summarises the project's modules.
    pub loader: &'a dyn ModuleLoader,
    /// Files that define cookie helpers (functions whose cookie writes take
    /// their receiver or flags from parameters), as
    /// [`check_module_with_helpers`](crate::check_module_with_helpers) names them.
    pub helpers: &'a [PathBuf],
    /// The project's declared response classes and cookie helpers.
    pub models: &'a crate::models::UserModels,
    /// The files that may call the given helpers, each named by its file
    /// and its name there (`remember`, `AuthMixin.set_auth_cookie`): where
    /// their calls are judged, and where helpers one level up are looked for.
    pub find_callers: &'a FindCallers<'a>,
}

/// See [`Project::find_callers`].
pub type FindCallers<'a> = dyn Fn(&[(PathBuf, String)]) -> Vec<PathBuf> + Sync + 'a;

/// For a project without helpers: no callers.
pub fn no_callers(_: &[(PathBuf, String)]) -> Vec<PathBuf> {
    Vec::new()
}

/// A finding of a project hook, with the file it belongs to.
#[derive(Debug)]
pub struct ProjectDiagnostic {
    /// Absolute path of the file the finding points into.
    pub path: PathBuf,
    pub diagnostic: Diagnostic,
}

/// A cookie write the project pass saw and did not report because the code
/// does not tell whether it is insecure (a helper's call whose flags are
/// known only at run time), with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectSilent {
    /// Absolute path of the file the call is written in.
    pub path: PathBuf,
    /// Where the call starts, 1-based.
    pub line: usize,
    pub column: usize,
    pub reason: String,
}

/// What the project pass finds.
#[derive(Debug, Default)]
pub struct ProjectFindings {
    /// Sorted by path, position and rule; one per place and rule.
    pub diagnostics: Vec<ProjectDiagnostic>,
    /// Sorted by path and position.
    pub silent: Vec<ProjectSilent>,
}

/// Byte strings that make a Python file a starting point of the project
/// pass whatever its name: it names the settings (`DJANGO_SETTINGS_MODULE`,
/// django-configurations' `DJANGO_CONFIGURATION`) or configures Django in
/// code (`settings.configure(...)`).
pub const STARTING_NEEDLES: &[&str] = &[
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_CONFIGURATION",
    ".configure(",
];

/// Whether the project pass of `rules` starts from the Python file at
/// `path` whose bytes are `text`: the engine hands the pass only such files,
/// so that the size of a tree costs it nothing beyond them. By name: settings
/// modules (`settings.py`, `settings_*`, `*_settings`, a `settings/`
/// package, deployment names such as `production.py`) and entry points
/// (`wsgi`, `asgi`, `celery`, `manage`); by content: [`STARTING_NEEDLES`].
/// `matches_needle` says whether `text` holds one of them (the engine
/// searches all files for them at once).
pub fn starts_from(rules: &[&Rule], path: &Path, matches_needle: impl FnOnce() -> bool) -> bool {
    rules.iter().any(|rule| rule.checks_project())
        && (settings::starts_from_name(path) || matches_needle())
}

/// Runs the project hooks of `rules` and returns their findings, sorted by
/// path, position and rule (a finding reached through several deployed
/// settings modules is reported once), with the helper calls left
/// unreported.
pub fn check_project(project: &Project<'_>, rules: &[&'static Rule]) -> ProjectFindings {
    // The helper stage reads other files than the hooks (the settings):
    // the two run side by side, on the thread pool the caller runs in.
    let (mut diagnostics, from_helpers) = rayon::join(
        || {
            let mut checker = ProjectChecker {
                project,
                settings: None,
                diagnostics: Vec::new(),
            };
            for rule in rules {
                if let Some(hook) = rule.project_hook {
                    hook(&mut checker);
                }
            }
            checker.diagnostics
        },
        || crate::helpers::check_calls(project, rules),
    );
    let ProjectFindings {
        diagnostics: from_helpers,
        mut silent,
    } = from_helpers;
    diagnostics.extend(from_helpers);
    diagnostics.sort_by(|a, b| {
        (&a.path, a.diagnostic.range.start(), a.diagnostic.rule).cmp(&(
            &b.path,
            b.diagnostic.range.start(),
            b.diagnostic.rule,
        ))
    });
    diagnostics.dedup_by(|later, earlier| {
        later.path == earlier.path
            && later.diagnostic.range == earlier.diagnostic.range
            && later.diagnostic.rule == earlier.diagnostic.rule
    });
    silent.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    ProjectFindings {
        diagnostics,
        silent,
    }
}

/// What a project hook works with.
pub(crate) struct ProjectChecker<'a> {
    pub(crate) project: &'a Project<'a>,
    settings: Option<Arc<[SettingsModule]>>,
    diagnostics: Vec<ProjectDiagnostic>,
}

impl ProjectChecker<'_> {
    /// The Django settings modules of the project, classified and evaluated;
    /// computed on first use.
    pub(crate) fn django_settings(&mut self) -> Arc<[SettingsModule]> {
        if let Some(known) = &self.settings {
            return known.clone();
        }
        let found: Arc<[SettingsModule]> = settings::discover(self.project).into();
        self.settings = Some(found.clone());
        found
    }

    pub(crate) fn report(&mut self, path: PathBuf, diagnostic: Diagnostic) {
        self.diagnostics
            .push(ProjectDiagnostic { path, diagnostic });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starting_names() {
        for name in [
            "p/settings.py",
            "p/settings/base.py",
            "p/local_settings.py",
            "p/wsgi.py",
            "p/asgi.py",
            "p/wsgi/__init__.py",
            "manage.py",
            "p/celery.py",
            "p/production.py",
            "p/settings_prod.py",
            "p/conf/live.py",
            "p/liveConfig.py",
        ] {
            assert!(settings::starts_from_name(Path::new(name)), "{name}");
        }
        for name in ["p/views.py", "p/models.py", "p/product.py", "p/__init__.py"] {
            assert!(!settings::starts_from_name(Path::new(name)), "{name}");
        }
    }
}
