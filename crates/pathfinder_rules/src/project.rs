//! The project-level pass: rules whose findings are a property of the whole
//! project rather than of one file.
//!
//! The engine calls [`check_project`] once per scan, after discovery, with the
//! list of Python files it found and its lazy module loader. Each active rule
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
    /// Every Python file discovery found, as absolute paths; test files are
    /// left out when the scan skips them.
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
