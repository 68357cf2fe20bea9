//! Django settings: which settings modules a project deploys, and what their
//! cookie settings evaluate to.
//!
//! [`discover`] starts from the files that name the settings
//! (`DJANGO_SETTINGS_MODULE` set in `wsgi.py`, `asgi.py` or `manage.py`) and
//! from files laid out as settings (`settings.py`, anything in a `settings/`
//! package, `config/settings/` included, and modules named for deployment,
//! such as `mysite/production.py`); only those that define Django-only
//! settings (`INSTALLED_APPS`, `ROOT_URLCONF`, `MIDDLEWARE`), directly or
//! through their imports, or are named by an entry point, count. Each one is evaluated as Django
//! would import it ([`evaluate`]) and given a [`Role`]:
//!
//! - development: named dev/local/test/ci..., or `DEBUG = True`;
//! - deployment: named by `wsgi.py`/`asgi.py`, named
//!   production/prod/live/deploy/staging, or the only settings module of its
//!   source root;
//! - base: star-imported by another settings module (its values are checked
//!   through that module);
//! - unknown: none of these, never reported.
//!
//! django-configurations projects keep settings as attributes of
//! `Configuration` subclasses; each such class is classified the same way,
//! by its name or by `DJANGO_CONFIGURATION`.

pub mod evaluate;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use pathfinder_diagnostics::TextRange;
use pathfinder_python::ast::visitor::{self, Visitor};
use pathfinder_python::ast::{Expr, Stmt};
use pathfinder_python::{ModuleSummary, lower, parse};

use crate::project::Project;
use evaluate::{Base, ClassEval, Evaluator, ModuleEval, Slot, Val};

/// The five settings that govern Django's own cookies.
pub const COOKIE_SETTINGS: [&str; 5] = [
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SAMESITE",
];

/// Settings that only a Django settings module defines.
const DJANGO_MARKERS: &[&str] = &[
    "INSTALLED_APPS",
    "ROOT_URLCONF",
    "MIDDLEWARE",
    "MIDDLEWARE_CLASSES",
];

const DEVELOPMENT_WORDS: &[&str] = &[
    "dev",
    "devel",
    "develop",
    "development",
    "local",
    "locals",
    "test",
    "tests",
    "testing",
    "ci",
    "debug",
    "unittest",
    "unittests",
];

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

/// What a settings module is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Deployment,
    Development,
    /// Star-imported by another settings module.
    Base,
    Unknown,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Deployment => "deployment",
            Role::Development => "development",
            Role::Base => "base",
            Role::Unknown => "unknown",
        }
    }
}

/// One settings module (or django-configurations class), classified and evaluated.
#[derive(Debug)]
pub struct SettingsModule {
    /// `proj.settings.production`, or `proj.settings.Prod` for a class.
    pub name: Arc<str>,
    pub role: Role,
    /// Why it has its role, such as "named by `DJANGO_SETTINGS_MODULE` in proj/wsgi.py".
    pub reason: String,
    pub path: PathBuf,
    /// Where a finding about a setting it never sets goes: its first line,
    /// or the name of its class.
    pub anchor: TextRange,
    /// Set when names may be bound in ways the evaluation cannot see.
    pub opaque: Option<String>,
    /// Named by `DJANGO_SETTINGS_MODULE` in a `wsgi.py`/`asgi.py`.
    pub served: bool,
    source: Source,
}

#[derive(Debug)]
enum Source {
    Module(Arc<ModuleEval>),
    Class(Arc<ClassEval>),
}

impl SettingsModule {
    /// The effective value of a setting and where it was assigned.
    pub fn get(&self, name: &str) -> Option<Slot> {
        match &self.source {
            Source::Module(module) => module.namespace.get(name).cloned(),
            Source::Class(class) => class.lookup(name),
        }
    }

    /// The modules (or classes) evaluated to build this one's settings, itself first.
    pub fn evaluated(&self) -> Vec<Arc<str>> {
        match &self.source {
            Source::Module(module) => std::iter::once(module.name.clone())
                .chain(module.star_imported.iter().cloned())
                .collect(),
            Source::Class(class) => class.lineage(),
        }
    }

    /// The effective value of a setting, as the table of a report shows it.
    pub fn describe(&self, name: &str) -> String {
        match self.get(name) {
            None => "unset".to_string(),
            Some(slot) => slot.value.describe(),
        }
    }

    /// Whether a list setting such as `INSTALLED_APPS` is known and holds
    /// none of `entries`. An unknown or dynamic list may hold anything.
    pub(crate) fn lacks_all(&self, setting: &str, entries: &[&str]) -> bool {
        let Some(Slot {
            value: Val::Seq(items),
            ..
        }) = self.get(setting)
        else {
            return false;
        };
        items.iter().all(|item| match item {
            Val::Str(text) => !entries.contains(&text.as_ref()),
            _ => false,
        })
    }

    /// Whether Django sets a session cookie under these settings: unless
    /// neither the sessions app nor its middleware is installed.
    pub(crate) fn uses_sessions(&self) -> bool {
        !(self.lacks_all("INSTALLED_APPS", &["django.contrib.sessions"])
            && self.lacks_all(
                "MIDDLEWARE",
                &["django.contrib.sessions.middleware.SessionMiddleware"],
            ))
    }

    /// Whether Django sets a CSRF cookie under these settings: unless the
    /// CSRF middleware is known to be absent or the token lives in the
    /// session (`CSRF_USE_SESSIONS = True`).
    pub(crate) fn uses_csrf_cookie(&self) -> bool {
        let in_session = self
            .get("CSRF_USE_SESSIONS")
            .is_some_and(|slot| slot.value.truthy() == Some(true));
        !in_session && !self.lacks_all("MIDDLEWARE", &["django.middleware.csrf.CsrfViewMiddleware"])
    }

    /// The evidence that `setting` is not true: an assignment of a false
    /// value, or no assignment at all (Django's default for the secure
    /// settings is False). Dynamic values are not evidence.
    pub(crate) fn not_true(&self, setting: &str) -> Option<Evidence> {
        match self.get(setting) {
            None if self.opaque.is_none() => Some(Evidence::NeverSet),
            None => None,
            Some(slot) => (slot.value.truthy() == Some(false)).then_some(Evidence::Assigned(slot)),
        }
    }

    /// Where the finding for `evidence` goes: the assignment, or the module's anchor.
    pub(crate) fn location(&self, evidence: &Evidence) -> (PathBuf, TextRange) {
        match evidence {
            Evidence::Assigned(slot) => (slot.site.path.clone(), slot.site.range),
            Evidence::NeverSet => (self.path.clone(), self.anchor),
        }
    }

    /// "`proj.settings.production` (named by ...)", for messages.
    pub(crate) fn title(&self) -> String {
        format!("deployed settings `{}` ({})", self.name, self.reason)
    }

    /// How a value reached this module, for messages: "assigned in
    /// `proj.settings.base`, reached through `from ... import *` in
    /// proj.settings.production → proj.settings.base".
    pub(crate) fn provenance(&self, slot: &Slot) -> String {
        let chain: Vec<&str> = slot.site.chain.iter().map(AsRef::as_ref).collect();
        match chain.as_slice() {
            [] | [_] => format!("assigned in `{}`", self.name),
            [.., last] => format!("assigned in `{last}`, through {}", chain.join(" → ")),
        }
    }

    /// For a setting the module never sets: the modules it looked in.
    pub(crate) fn looked_in(&self) -> String {
        let evaluated: Vec<String> = self.evaluated().iter().map(ToString::to_string).collect();
        if evaluated.len() == 1 {
            format!("`{}`", evaluated[0])
        } else {
            evaluated.join(" → ")
        }
    }
}

/// Why a setting of a deployed module is reported.
#[derive(Debug)]
pub(crate) enum Evidence {
    /// Assigned a weak value.
    Assigned(Slot),
    /// Never assigned: Django's default applies.
    NeverSet,
}

/// The deployed settings modules of a project.
pub(crate) fn deployed(all: &[SettingsModule]) -> impl Iterator<Item = &SettingsModule> {
    all.iter().filter(|module| module.role == Role::Deployment)
}

/// An entry point that names the settings: `DJANGO_SETTINGS_MODULE` (and
/// django-configurations' `DJANGO_CONFIGURATION`) set in `wsgi.py`,
/// `asgi.py` or `manage.py`.
#[derive(Debug)]
struct Entry {
    relative: String,
    /// Whether the server loads it (`wsgi`/`asgi`), rather than `manage.py`.
    serves: bool,
    settings: Option<PathBuf>,
    configuration: Option<String>,
}

/// Finds, evaluates and classifies the Django settings modules of a project.
pub fn discover(project: &Project<'_>) -> Vec<SettingsModule> {
    let mut evaluator = Evaluator::new(project.loader);
    let entries = entry_points(project);
    let mut paths: BTreeSet<PathBuf> = entries
        .iter()
        .filter_map(|entry| entry.settings.clone())
        .collect();
    paths.extend(
        project
            .files
            .iter()
            .filter(|path| looks_like_settings(path))
            .cloned(),
    );

    let mut found: Vec<SettingsModule> = Vec::new();
    for path in &paths {
        let Some(module) = evaluator.module_at(path) else {
            continue;
        };
        let named_by: Vec<&Entry> = entries
            .iter()
            .filter(|entry| entry.settings.as_deref() == Some(path.as_path()))
            .collect();
        let classes: Vec<Arc<ClassEval>> = configuration_classes(&module);
        if !classes.is_empty() {
            for class in classes {
                found.push(classify_class(&module, class, &named_by));
            }
            continue;
        }
        // Importing Django is not enough (every app module does); a settings
        // module defines settings only Django reads, or is named as one.
        let is_django = !named_by.is_empty()
            || DJANGO_MARKERS
                .iter()
                .any(|marker| module.namespace.contains_key(*marker));
        if is_django {
            found.push(classify_module(&module, &named_by));
        }
    }
    mark_bases(&mut found);
    promote_only_ones(&mut found);
    found
}

fn configuration_classes(module: &ModuleEval) -> Vec<Arc<ClassEval>> {
    let mut classes: Vec<Arc<ClassEval>> = module
        .namespace
        .values()
        .filter_map(|slot| match &slot.value {
            Val::Class(class) if class.path == module.path && class.is_configuration() => {
                Some(class.clone())
            }
            _ => None,
        })
        .collect();
    classes.sort_by_key(|class| class.name_range.start());
    classes
}

/// Whether the file's path is a conventional place for Django settings.
fn looks_like_settings(path: &Path) -> bool {
    let Some(stem) = path.file_stem().and_then(|stem| stem.to_str()) else {
        return false;
    };
    if path.iter().any(|part| part == "migrations") {
        return false;
    }
    let in_settings_package = path
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|dir| dir == "settings");
    // `mysite/production.py` beside `mysite/settings.py`, passed with
    // `--settings` or `DJANGO_SETTINGS_MODULE` at deploy time.
    let deployment_name = matches!(role_by_name(stem), Some((Role::Deployment, _)));
    stem == "settings"
        || stem.starts_with("settings_")
        || stem.ends_with("_settings")
        || in_settings_package
        || deployment_name
}

fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// The role a name alone gives, with the word that gave it.
fn role_by_name(name: &str) -> Option<(Role, String)> {
    let words = words(name);
    if let Some(word) = words
        .iter()
        .find(|word| DEVELOPMENT_WORDS.contains(&word.as_str()))
    {
        return Some((Role::Development, format!("named `{word}`")));
    }
    words
        .iter()
        .find(|word| DEPLOYMENT_WORDS.contains(&word.as_str()))
        .map(|word| (Role::Deployment, format!("named `{word}`")))
}

fn relative_display(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn debug_is_true(slot: Option<&Slot>) -> bool {
    matches!(
        slot,
        Some(Slot {
            value: Val::Bool(true),
            ..
        })
    )
}

fn classify_module(module: &Arc<ModuleEval>, named_by: &[&Entry]) -> SettingsModule {
    let last = module.name.rsplit('.').next().unwrap_or_default();
    let in_tests = module
        .name
        .split('.')
        .any(|part| part == "tests" || part == "test");
    let server = named_by.iter().find(|entry| entry.serves);
    let (role, reason) = if debug_is_true(module.namespace.get("DEBUG")) {
        (Role::Development, "DEBUG = True".to_string())
    } else if in_tests {
        (Role::Development, "in a test package".to_string())
    } else if let Some((Role::Development, why)) = role_by_name(last) {
        (Role::Development, why)
    } else if let Some(entry) = server {
        (
            Role::Deployment,
            format!("named by DJANGO_SETTINGS_MODULE in {}", entry.relative),
        )
    } else if let Some((role, why)) = role_by_name(last) {
        (role, why)
    } else {
        (Role::Unknown, String::new())
    };
    SettingsModule {
        name: module.name.clone(),
        role,
        reason,
        path: module.path.clone(),
        anchor: module.first_line,
        opaque: module.opaque.clone(),
        served: server.is_some(),
        source: Source::Module(module.clone()),
    }
}

fn classify_class(
    module: &Arc<ModuleEval>,
    class: Arc<ClassEval>,
    named_by: &[&Entry],
) -> SettingsModule {
    let chosen = named_by
        .iter()
        .find(|entry| entry.serves && entry.configuration.as_deref() == Some(&*class.name));
    let (role, reason) = if debug_is_true(class.lookup("DEBUG").as_ref()) {
        (Role::Development, "DEBUG = True".to_string())
    } else if let Some((Role::Development, why)) = role_by_name(&class.name) {
        (Role::Development, why)
    } else if let Some(entry) = chosen {
        (
            Role::Deployment,
            format!("named by DJANGO_CONFIGURATION in {}", entry.relative),
        )
    } else if let Some((role, why)) = role_by_name(&class.name) {
        (role, why)
    } else {
        (Role::Unknown, String::new())
    };
    let opaque = module.opaque.clone().or_else(|| {
        class
            .has_opaque_base()
            .then(|| format!("`{}` has a base class outside the project", class.name))
    });
    SettingsModule {
        name: class.qualified.clone(),
        role,
        reason,
        path: class.path.clone(),
        anchor: class.name_range,
        opaque,
        served: chosen.is_some(),
        source: Source::Class(class),
    }
}

/// Modules star-imported by another settings module, and classes another
/// configuration derives from, are bases when nothing else gave them a role.
fn mark_bases(found: &mut [SettingsModule]) {
    let mut imported: BTreeSet<Arc<str>> = BTreeSet::new();
    for module in found.iter() {
        match &module.source {
            Source::Module(evaluated) => imported.extend(evaluated.star_imported.iter().cloned()),
            Source::Class(class) => {
                for base in &class.bases {
                    if let Base::Class(base) = base {
                        imported.extend(base.lineage());
                    }
                }
            }
        }
    }
    for module in found.iter_mut() {
        if module.role == Role::Unknown && imported.contains(&module.name) {
            module.role = Role::Base;
            module.reason = "imported by another settings module".to_string();
        }
    }
}

/// The source root a settings module is imported from: its path without
/// the folders its dotted name stands for.
fn source_root(module: &SettingsModule) -> PathBuf {
    // A stem with dots (`settings.dist.py`) adds parts without folders.
    let stem_dots = module
        .path
        .file_stem()
        .map_or(0, |stem| stem.to_string_lossy().matches('.').count());
    let parts = module.name.split('.').count() - stem_dots;
    let is_package = module
        .path
        .file_stem()
        .is_some_and(|stem| stem == "__init__");
    let is_class = matches!(module.source, Source::Class(_));
    let skip = parts + usize::from(is_package) - usize::from(is_class);
    module
        .path
        .ancestors()
        .nth(skip)
        .unwrap_or(&module.path)
        .to_path_buf()
}

/// Where a source root has no deployment settings and exactly one settings
/// module of unknown role, that one is what gets deployed. A server entry
/// point that names its settings says which module is deployed for its
/// source root and every folder below it, so nothing there is promoted.
fn promote_only_ones(found: &mut [SettingsModule]) {
    let roots: Vec<PathBuf> = found.iter().map(source_root).collect();
    let served: Vec<&PathBuf> = (0..found.len())
        .filter(|index| found[*index].served)
        .map(|index| &roots[index])
        .collect();
    let unique: BTreeSet<&PathBuf> = roots.iter().collect();
    for root in unique {
        if served.iter().any(|served| root.starts_with(served)) {
            continue;
        }
        let members: Vec<usize> = (0..found.len())
            .filter(|index| &roots[*index] == root)
            .collect();
        if members
            .iter()
            .any(|index| found[*index].role == Role::Deployment)
        {
            continue;
        }
        let unknown: Vec<usize> = members
            .iter()
            .copied()
            .filter(|index| found[*index].role == Role::Unknown)
            .collect();
        // Settings that only build documentation or run an example are not
        // what a deployment uses.
        let in_docs_or_examples = |index: usize| {
            let path = &found[index].path;
            let below_root = path
                .strip_prefix(root.parent().unwrap_or(root))
                .unwrap_or(path);
            below_root.iter().any(|part| {
                matches!(
                    part.to_str(),
                    Some("docs" | "doc" | "example" | "examples" | "sample" | "samples")
                )
            })
        };
        if let [only] = unknown.as_slice()
            && !in_docs_or_examples(*only)
        {
            found[*only].role = Role::Deployment;
            found[*only].reason = "the only settings module".to_string();
        }
    }
}

/// Finds `DJANGO_SETTINGS_MODULE` (and `DJANGO_CONFIGURATION`) in the
/// project's `wsgi.py`, `asgi.py` and `manage.py` files.
fn entry_points(project: &Project<'_>) -> Vec<Entry> {
    let mut entries = Vec::new();
    for path in project.files {
        let Some(stem) = path.file_stem().and_then(|stem| stem.to_str()) else {
            continue;
        };
        let package = path
            .parent()
            .and_then(Path::file_name)
            .and_then(|name| name.to_str())
            .filter(|_| stem == "__init__")
            .unwrap_or_default();
        let serves = [stem, package]
            .iter()
            .any(|name| name.contains("wsgi") || name.contains("asgi"));
        if !serves && stem != "manage" {
            continue;
        }
        let Some(source) = project.loader.source(path) else {
            continue;
        };
        if !source.contains("DJANGO_SETTINGS_MODULE") && !source.contains("DJANGO_CONFIGURATION") {
            continue;
        }
        let parsed = parse(&source);
        let mut finder = EnvironmentWrites::default();
        finder.visit_body(&parsed.module().body);
        let name = project.loader.module_name(path).unwrap_or_default();
        let summary = ModuleSummary::build(parsed.module(), &name, path.clone());
        let settings = finder
            .settings
            .and_then(|module| project.loader.load(&module, &summary))
            .map(|summary| summary.path.clone());
        entries.push(Entry {
            relative: relative_display(path, project.root),
            serves,
            settings,
            configuration: finder.configuration,
        });
    }
    entries
}

/// Collects `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "x")` and
/// `os.environ["DJANGO_SETTINGS_MODULE"] = "x"` anywhere in a file.
#[derive(Default)]
struct EnvironmentWrites {
    settings: Option<String>,
    configuration: Option<String>,
}

impl EnvironmentWrites {
    fn record(&mut self, key: &str, value: &Expr) {
        let Expr::StringLiteral(value) = value else {
            return;
        };
        let value = value.value.to_str().to_string();
        match key {
            "DJANGO_SETTINGS_MODULE" => {
                self.settings.get_or_insert(value);
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
                    self.record(key.value.to_str(), &assign.value);
                }
            }
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr
            && let Expr::Attribute(attribute) = call.func.as_ref()
            && attribute.attr.id.as_str() == "setdefault"
            && is_environ(&attribute.value)
            && let [Expr::StringLiteral(key), value, ..] = call.arguments.args.as_ref()
        {
            self.record(key.value.to_str(), value);
        }
        visitor::walk_expr(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_words() {
        assert_eq!(words("settings_prod"), vec!["settings", "prod"]);
        assert_eq!(words("ProductionConfig"), vec!["production", "config"]);
        assert_eq!(
            role_by_name("local").map(|(role, _)| role),
            Some(Role::Development)
        );
        assert_eq!(
            role_by_name("Staging").map(|(role, _)| role),
            Some(Role::Deployment)
        );
        assert_eq!(role_by_name("base"), None);
        assert_eq!(role_by_name("product"), None);
    }
}
