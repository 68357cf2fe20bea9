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
    /// Reads, names and summarises the project's modules.
    pub loader: &'a dyn ModuleLoader,
}

/// A finding of a project hook, with the file it belongs to.
#[derive(Debug)]
pub struct ProjectDiagnostic {
    /// Absolute path of the file the finding points into.
    pub path: PathBuf,
    pub diagnostic: Diagnostic,
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

/// Words of a module name that mark it as a deployment's settings
/// (`mysite/production.py`), as the settings model reads names.
const DEPLOYMENT_WORDS: &[&str] = &[
    "prod",
    "production",
    "prd",
    "live",
    "deploy",
    "deployment",
    "deployed",
    "staging",
    "stage",
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
    rules.iter().any(|rule| rule.checks_project()) && (starting_name(path) || matches_needle())
}

/// The name part of [`starts_from`].
fn starting_name(path: &Path) -> bool {
    let Some(name) = path.file_stem().and_then(|stem| stem.to_str()) else {
        return false;
    };
    // Words of the name, camel case split too: `liveConfig` is `live config`.
    let mut spaced = String::with_capacity(name.len() + 4);
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            spaced.push(' ');
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        spaced.push(c.to_ascii_lowercase());
    }
    let stem = name.to_ascii_lowercase();
    let folder = path
        .parent()
        .and_then(Path::file_name)
        .and_then(|name| name.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let serves = |name: &str| name.contains("wsgi") || name.contains("asgi");
    stem.contains("settings")
        || folder.contains("settings")
        || serves(&stem)
        || (stem == "__init__" && serves(&folder))
        || stem == "celery"
        || stem == "manage"
        || spaced
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|word| DEPLOYMENT_WORDS.contains(&word))
}

/// Runs the project hooks of `rules` and returns their findings, sorted by
/// path, position and rule; a finding reached through several deployed
/// settings modules is reported once.
pub fn check_project(project: &Project<'_>, rules: &[&'static Rule]) -> Vec<ProjectDiagnostic> {
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
    let mut diagnostics = checker.diagnostics;
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
    diagnostics
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
            assert!(starting_name(Path::new(name)), "{name}");
        }
        for name in ["p/views.py", "p/models.py", "p/product.py", "p/__init__.py"] {
            assert!(!starting_name(Path::new(name)), "{name}");
        }
    }
}
