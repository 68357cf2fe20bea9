//! Who names a settings module, and for what: the evidence behind a role.
//!
//! Django loads the module named by `DJANGO_SETTINGS_MODULE`. A repository
//! names it in many places, and each place says what the module is for:
//!
//! - a server entry point (`wsgi.py`, `asgi.py`, a Celery app), directly or
//!   through a function of the project it calls, or its package's
//!   `__init__.py` (which Python runs first): the settings a deployment loads;
//! - `manage.py`: the settings commands run with, often development ones;
//! - a test runner: `pytest.ini`, `setup.cfg`, `tox.ini` and `pyproject.toml`
//!   (`DJANGO_SETTINGS_MODULE = x`, `--ds=x`), a `runtests.py`;
//! - deployment files: a `Dockerfile`, a `Procfile`, a compose file, an
//!   `.env` file, a uWSGI or platform configuration; those whose name says
//!   local or development are development evidence instead.
//!
//! `settings.configure(...)` in a script is also noted: a project that
//! configures Django in code to run its tests is a reusable app.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use pathfinder_python::ast::visitor::{self, Visitor};
use pathfinder_python::ast::{Expr, Stmt};
use pathfinder_python::{Binding, ModuleSummary, ParsedFile, lower, parse};
use rayon::prelude::*;

use crate::project::Project;

/// What a place that names a settings module is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntryKind {
    /// A server or worker entry point: what a deployment runs.
    Server,
    /// A deployment file (Dockerfile, Procfile, compose, .env, uWSGI).
    DeployFile,
    /// `manage.py`.
    Manage,
    /// A deployment file whose name says local or development.
    LocalFile,
    /// A test runner's configuration or script.
    TestRunner,
    /// Any other script.
    Script,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Server => "server entry point",
            EntryKind::DeployFile => "deployment file",
            EntryKind::Manage => "manage.py",
            EntryKind::LocalFile => "local development file",
            EntryKind::TestRunner => "test runner",
            EntryKind::Script => "script",
        }
    }
}

/// One place that names a settings module.
#[derive(Clone, Debug)]
pub struct Entry {
    pub kind: EntryKind,
    /// The file that names it, relative to the project, with its line.
    pub at: String,
    /// The dotted module name, as written.
    pub module: String,
    /// The file it resolves to, when the project has it.
    pub path: Option<PathBuf>,
    /// django-configurations' `DJANGO_CONFIGURATION`, when set beside it.
    pub configuration: Option<String>,
}

/// What the project's entry points and configuration files say.
#[derive(Debug, Default)]
pub struct Entries {
    pub entries: Vec<Entry>,
    /// Files that call `settings.configure(...)`: Django configured in code.
    pub configured_in_code: Vec<String>,
}

/// Whether a file (relative path with `/`) is in the part of the
/// repository that `relative` belongs to: files at the root count for every
/// module; otherwise both must share their top folder. A repository that
/// holds several projects side by side keeps their evidence apart.
pub(crate) fn same_part(file: &str, relative: &Path) -> bool {
    let Some((top, _)) = file.split_once('/') else {
        return true;
    };
    let mut parts = relative.iter();
    match (parts.next(), parts.next()) {
        (Some(first), Some(_)) => first.to_str() == Some(top),
        _ => true,
    }
}

impl Entries {
    /// Whether a server entry point or deployment file serves the part of
    /// the repository `relative` is in.
    pub fn has_server(&self, relative: &Path) -> bool {
        self.entries.iter().any(|entry| {
            matches!(entry.kind, EntryKind::Server | EntryKind::DeployFile)
                && same_part(&entry.at, relative)
        })
    }

    /// Whether that part of the repository has any entry point of an application.
    pub fn has_application(&self, relative: &Path) -> bool {
        self.entries.iter().any(|entry| {
            matches!(
                entry.kind,
                EntryKind::Server | EntryKind::DeployFile | EntryKind::Manage
            ) && same_part(&entry.at, relative)
        })
    }

    /// A file of that part of the repository that configures Django in code.
    pub fn configured_in_code(&self, relative: &Path) -> Option<&str> {
        self.configured_in_code
            .iter()
            .find(|file| same_part(file, relative))
            .map(String::as_str)
    }

    /// The entries that name the file at `path`.
    pub fn naming<'a>(&'a self, path: &'a Path) -> impl Iterator<Item = &'a Entry> + 'a {
        self.entries
            .iter()
            .filter(move |entry| entry.path.as_deref() == Some(path))
    }
}

/// Configuration files that may name the settings, searched this many
/// folders below the project root.
const CONFIG_DEPTH: usize = 3;

/// Files larger than this are not read for a settings name.
const MAX_CONFIG_BYTES: u64 = 512 * 1024;

/// The environment variable that names the settings module.
const SETTINGS_VARIABLE: &str = "DJANGO_SETTINGS_MODULE";

/// Finds every place of the project that names a settings module.
/// The Python files are read side by side.
pub fn find(project: &Project<'_>) -> Entries {
    let from_python: Vec<Entries> = project
        .files
        .par_iter()
        .map(|path| {
            let mut entries = Entries::default();
            python_entry(project, path, &mut entries);
            entries
        })
        .collect();
    let mut entries = Entries::default();
    for found in from_python {
        entries.entries.extend(found.entries);
        entries.configured_in_code.extend(found.configured_in_code);
    }
    for path in project.config_files {
        config_entry(project, path, &mut entries);
    }
    entries
}

/// The configuration files near `root` that may name the settings
/// (`pytest.ini`, a `Dockerfile`, an `.env` file...), sorted: what
/// [`Project::config_files`] holds. Unlike the walk over the Python files,
/// this one reads hidden files and ignored ones (an `.env` file is rarely
/// committed but says what the checkout runs with) and the `.envs/`
/// folder.
pub fn config_files_near(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    config_files(root, 0, &mut found);
    found.sort();
    found
}

/// The kind of a Python file that sets `DJANGO_SETTINGS_MODULE`, by its name.
pub(crate) fn python_kind(path: &Path) -> EntryKind {
    let stem = path
        .file_stem()
        .and_then(|stem| stem.to_str())
        .unwrap_or_default();
    let package = path
        .parent()
        .and_then(Path::file_name)
        .and_then(|name| name.to_str())
        .filter(|_| stem == "__init__")
        .unwrap_or_default();
    let in_tests = path
        .iter()
        .any(|part| matches!(part.to_str(), Some("tests" | "test" | "testing")));
    if [stem, package]
        .iter()
        .any(|name| name.contains("wsgi") || name.contains("asgi") || *name == "celery")
    {
        EntryKind::Server
    } else if stem == "manage" {
        EntryKind::Manage
    } else if in_tests || stem.contains("test") || stem == "conftest" || stem.contains("migrations")
    {
        EntryKind::TestRunner
    } else {
        EntryKind::Script
    }
}

fn python_entry(project: &Project<'_>, path: &Path, entries: &mut Entries) {
    let kind = python_kind(path);
    // Other scripts may name settings too, but say nothing about what they
    // are for; they are not read.
    if kind == EntryKind::Script {
        return;
    }
    // The web frameworks' own modules (`django/core/handlers/wsgi.py`)
    // serve whatever settings the deployment names; they name none.
    let name = project.loader.module_name(path).unwrap_or_default();
    if crate::frameworks::is_framework_module(&name) {
        return;
    }
    // Only entry points are parsed for the functions they call; a test
    // runner or script matters only when its text names or configures the
    // settings, which a substring search tells without a parse.
    let Some(source) = project.loader.source(path) else {
        return;
    };
    let names_settings = source.contains(SETTINGS_VARIABLE) || source.contains(".configure(");
    if !names_settings && kind != EntryKind::Server && kind != EntryKind::Manage {
        return;
    }
    let Some(file) = project.loader.parsed(path) else {
        return;
    };
    let relative = relative_display(path, project.root);
    if file.source.contains(".configure(") && file.source.contains("settings") {
        let mut finder = EnvironmentWrites::default();
        finder.visit_body(&file.module().body);
        if finder.configures {
            entries.configured_in_code.push(relative.clone());
        }
    }
    let summary = ModuleSummary::build(file.module(), &name, path.to_path_buf());
    // A server entry point may name its settings through a function of the
    // project it calls, or through its package's `__init__.py`.
    let mut files = vec![(path.to_path_buf(), file.clone())];
    if kind == EntryKind::Server || kind == EntryKind::Manage {
        files.extend(helpers_of(project, path, &summary));
    }
    for (at_path, file) in files {
        if !file.source.contains(SETTINGS_VARIABLE) {
            continue;
        }
        let mut finder = EnvironmentWrites::default();
        finder.visit_body(&file.module().body);
        let Some((module, offset)) = finder.settings else {
            continue;
        };
        let text = &file.source;
        let line = text[..offset.min(text.len())].matches('\n').count() + 1;
        let target = project
            .loader
            .load(&module, &summary)
            .map(|summary| summary.path.clone());
        let at = if at_path == path {
            format!("{relative}:{line}")
        } else {
            format!(
                "{}:{line}, run by {relative}",
                relative_display(&at_path, project.root)
            )
        };
        entries.entries.push(Entry {
            kind,
            at,
            module,
            path: target,
            configuration: finder.configuration,
        });
        return;
    }
}

/// The project modules an entry point runs before Django starts and that
/// name the settings: its package's `__init__.py` and the modules it
/// imports names from. Only those whose text names the settings are parsed.
fn helpers_of(
    project: &Project<'_>,
    path: &Path,
    summary: &ModuleSummary,
) -> Vec<(PathBuf, Arc<ParsedFile>)> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(dir) = path.parent() {
        let init = dir.join("__init__.py");
        if init != path {
            candidates.push(init);
        }
    }
    for binding in summary.scope.bindings.values() {
        let Binding::Import(qualified) = binding else {
            continue;
        };
        // `from proj.env import prepare` binds `proj.env.prepare`: the
        // module is the qualified name without its last part, or all of it.
        let modules = [
            qualified.rsplit_once('.').map(|(module, _)| module),
            Some(qualified.as_ref()),
        ];
        if let Some(found) = modules
            .into_iter()
            .flatten()
            .filter_map(|module| project.loader.locate(module, summary))
            .find(|found| found != path && !candidates.contains(found))
        {
            candidates.push(found);
        }
    }
    candidates
        .into_iter()
        .filter(|candidate| {
            project
                .loader
                .source(candidate)
                .is_some_and(|source| source.contains(SETTINGS_VARIABLE))
        })
        .filter_map(|candidate| {
            let file = project.loader.parsed(&candidate)?;
            Some((candidate, file))
        })
        .collect()
}

/// Collects configuration files near the root that may name the settings.
fn config_files(dir: &Path, depth: usize, found: &mut Vec<PathBuf>) {
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in read.filter_map(Result::ok) {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        if kind.is_dir() {
            let in_envs = dir.file_name().is_some_and(|dir| dir == ".envs");
            let skip = (name.starts_with('.') && name != ".envs" && !in_envs)
                || matches!(
                    name,
                    "node_modules" | "venv" | "env" | "site-packages" | "__pycache__" | "static"
                );
            if depth < CONFIG_DEPTH && !skip {
                config_files(&entry.path(), depth + 1, found);
            }
        } else if kind.is_file() && config_kind(name, &entry.path()).is_some() {
            found.push(entry.path());
        }
    }
}

/// What a configuration file is, by its name and its path relative to the
/// project; `None` when it is not one.
#[allow(
    clippy::case_sensitive_file_extension_comparisons,
    reason = "the name is lower-cased first"
)]
fn config_kind(name: &str, path: &Path) -> Option<EntryKind> {
    let lower = name.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "pytest.ini" | "setup.cfg" | "tox.ini" | "pyproject.toml" | ".pytest.ini"
    ) {
        return Some(EntryKind::TestRunner);
    }
    let deploy = lower.starts_with("dockerfile")
        || lower.ends_with(".dockerfile")
        || lower.starts_with("procfile")
        || ((lower.ends_with(".yml") || lower.ends_with(".yaml"))
            && (lower.contains("compose")
                || path.iter().any(|part| part == "compose")
                || matches!(
                    lower.split('.').next(),
                    Some("production" | "local" | "staging" | "docker")
                )))
        || lower.starts_with(".env")
        || lower.ends_with(".env")
        || (lower.contains("uwsgi") && lower.ends_with(".ini"))
        || matches!(
            lower.as_str(),
            "fly.toml" | "app.yaml" | "app.yml" | "render.yaml" | "app.json" | "heroku.yml"
        )
        || path.iter().any(|part| part == ".envs");
    if !deploy {
        return None;
    }
    let local = path.iter().any(|part| {
        part.to_str().is_some_and(|part| {
            let part = part.to_ascii_lowercase();
            ["local", "dev", "develop", "development", "test", "ci"]
                .iter()
                .any(|word| {
                    part.split(|c: char| !c.is_ascii_alphanumeric())
                        .any(|piece| piece == *word)
                })
        })
    });
    Some(if local {
        EntryKind::LocalFile
    } else {
        EntryKind::DeployFile
    })
}

fn config_entry(project: &Project<'_>, path: &Path, entries: &mut Entries) {
    let Some(name) = path.file_name().and_then(|name| name.to_str()) else {
        return;
    };
    let Some(kind) = config_kind(name, path.strip_prefix(project.root).unwrap_or(path)) else {
        return;
    };
    if std::fs::metadata(path).map_or(true, |meta| meta.len() > MAX_CONFIG_BYTES) {
        return;
    }
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    let relative = relative_display(path, project.root);
    // Names are resolved from the file's folder up, as from a module
    // there, then from its `src/` folder.
    let dir = path.parent().unwrap_or(project.root);
    let importers: Vec<ModuleSummary> = [dir.to_path_buf(), dir.join("src")]
        .into_iter()
        .map(|base| {
            ModuleSummary::build(
                parse("").module(),
                "",
                base.join("__pathfinder_config__.py"),
            )
        })
        .collect();
    let mut seen: Vec<String> = Vec::new();
    // Some files end their lines with a lone carriage return.
    let lines: Vec<&str> = if text.contains('\n') {
        text.lines().collect()
    } else {
        text.split('\r').collect()
    };
    for (index, line) in lines.into_iter().enumerate() {
        let Some(module) = settings_name_in(line) else {
            continue;
        };
        if seen.contains(&module) {
            continue;
        }
        seen.push(module.clone());
        let target = importers.iter().find_map(|importer| {
            project
                .loader
                .load(&module, importer)
                .map(|summary| summary.path.clone())
        });
        entries.entries.push(Entry {
            kind,
            at: format!("{relative}:{}", index + 1),
            module,
            path: target,
            configuration: None,
        });
    }
}

/// The module a configuration line names: `DJANGO_SETTINGS_MODULE = x`,
/// `DJANGO_SETTINGS_MODULE: "x"`, `ENV DJANGO_SETTINGS_MODULE x`, `--ds=x`.
fn settings_name_in(line: &str) -> Option<String> {
    let line = line.trim();
    if line.starts_with('#') || line.starts_with(';') {
        return None;
    }
    let rest = if let Some(at) = line.find(SETTINGS_VARIABLE) {
        &line[at + SETTINGS_VARIABLE.len()..]
    } else if let Some(at) = line.find("--ds") {
        &line[at + "--ds".len()..]
    } else {
        return None;
    };
    let rest = rest.trim_start_matches(['"', '\'']);
    let rest = rest.trim_start();
    let rest = rest
        .strip_prefix('=')
        .or_else(|| rest.strip_prefix(':'))
        .unwrap_or(rest);
    let rest = rest.trim_start().trim_start_matches(['"', '\'']);
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
        .collect();
    let valid = !name.is_empty()
        && !name.starts_with('.')
        && !name.ends_with('.')
        && name.split('.').all(|part| {
            part.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        });
    valid.then_some(name)
}

fn relative_display(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Collects `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "x")`,
/// `os.environ["DJANGO_SETTINGS_MODULE"] = "x"` and `settings.configure(...)`
/// anywhere in a file, functions included.
#[derive(Default)]
struct EnvironmentWrites {
    /// The module and the offset of the write.
    settings: Option<(String, usize)>,
    configuration: Option<String>,
    configures: bool,
}

impl EnvironmentWrites {
    fn record(&mut self, key: &str, value: &Expr, offset: usize) {
        let Expr::StringLiteral(value) = value else {
            return;
        };
        let value = value.value.to_str().to_string();
        match key {
            "DJANGO_SETTINGS_MODULE" => {
                self.settings.get_or_insert((value, offset));
            }
            "DJANGO_CONFIGURATION" => {
                self.configuration.get_or_insert(value);
            }
            _ => {}
        }
    }
}

fn is_environ(expr: &Expr) -> bool {
    matches!(lower(expr).dotted().as_deref(), Some([.., "environ"]))
}

impl<'a> Visitor<'a> for EnvironmentWrites {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::Assign(assign) = stmt {
            for target in &assign.targets {
                if let Expr::Subscript(subscript) = target
                    && is_environ(&subscript.value)
                    && let Expr::StringLiteral(key) = subscript.slice.as_ref()
                {
                    let offset = usize::from(pathfinder_diagnostics::Ranged::range(stmt).start());
                    self.record(key.value.to_str(), &assign.value, offset);
                }
            }
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr
            && let Expr::Attribute(attribute) = call.func.as_ref()
        {
            let method = attribute.attr.id.as_str();
            if method == "setdefault"
                && is_environ(&attribute.value)
                && let [Expr::StringLiteral(key), value, ..] = call.arguments.args.as_ref()
            {
                let offset = usize::from(pathfinder_diagnostics::Ranged::range(expr).start());
                self.record(key.value.to_str(), value, offset);
            }
            if method == "configure"
                && matches!(
                    lower(&attribute.value).dotted().as_deref(),
                    Some([.., "settings"])
                )
            {
                self.configures = true;
            }
        }
        visitor::walk_expr(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_names_in_configuration_lines() {
        let cases = [
            (
                "DJANGO_SETTINGS_MODULE = proj.settings.test",
                Some("proj.settings.test"),
            ),
            (
                "DJANGO_SETTINGS_MODULE: \"config.settings.production\"",
                Some("config.settings.production"),
            ),
            (
                "ENV DJANGO_SETTINGS_MODULE=app.settings",
                Some("app.settings"),
            ),
            (
                "ENV DJANGO_SETTINGS_MODULE app.settings",
                Some("app.settings"),
            ),
            (
                "addopts = --ds=tests.settings --reuse-db",
                Some("tests.settings"),
            ),
            (
                "  - DJANGO_SETTINGS_MODULE=config.settings.local",
                Some("config.settings.local"),
            ),
            ("# DJANGO_SETTINGS_MODULE = old.settings", None),
            ("DJANGO_SETTINGS_MODULE=${SETTINGS}", None),
        ];
        for (line, expect) in cases {
            assert_eq!(settings_name_in(line).as_deref(), expect, "{line}");
        }
    }

    #[test]
    fn configuration_file_kinds() {
        let kind = |path: &str| {
            let path = Path::new(path);
            config_kind(path.file_name().unwrap().to_str().unwrap(), path)
        };
        assert_eq!(kind("p/pytest.ini"), Some(EntryKind::TestRunner));
        assert_eq!(kind("p/Dockerfile"), Some(EntryKind::DeployFile));
        assert_eq!(
            kind("p/docker-compose.local.yml"),
            Some(EntryKind::LocalFile)
        );
        assert_eq!(
            kind("p/compose/production.yml"),
            Some(EntryKind::DeployFile)
        );
        assert_eq!(kind("p/.envs/.local/.django"), Some(EntryKind::LocalFile));
        assert_eq!(kind("p/README.md"), None);
    }
}
