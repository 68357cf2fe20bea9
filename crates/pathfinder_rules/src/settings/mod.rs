//! Django settings: which settings modules a project deploys, and what their
//! cookie settings evaluate to.
//!
//! [`discover`] builds the model a reviewer would: every settings module of
//! the project, the [`Role`] it plays, and the evidence for that role.
//! Evidence comes from the places that name a module ([`entry`]): server
//! entry points and deployment files make it deployed, test runners make it
//! a test module, `manage.py` alone makes it deployed only when nothing
//! serves the project and its name says nothing else. A module's own content
//! and place count too: a final hard-coded `DEBUG = True` is development, a
//! module under `docs/`, `example/` or a test package is not deployed, a
//! module under a cookiecutter or `startproject` template folder is a
//! template that new projects copy. A module that a deployed one imports is
//! a base, judged only through it. Without evidence of a deployment there is
//! no deployed module, so no finding.
//!
//! Each module is evaluated as Django would import it, with the evaluator of
//! `pathfinder_python` ([`Evaluator`]): star imports, named imports of
//! settings and django-split-settings' `include()` are followed.
//! django-configurations projects keep settings as attributes of
//! `Configuration` subclasses; each such class is classified the same way,
//! by its name or by `DJANGO_CONFIGURATION`.

pub mod entry;
pub(crate) mod hooks;
pub(crate) mod urls;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use pathfinder_diagnostics::{Ranged, TextRange, TextSize};
use pathfinder_python::ast::Stmt;
use pathfinder_python::evaluate::{Base, ClassEval, ModuleEval, Slot};
use pathfinder_python::{Evaluator, ParsedFile, Value};
use rayon::prelude::*;

use crate::project::Project;
use entry::{Entries, Entry, EntryKind};
use hooks::{HOOKS, is_configuration_root};

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
    "localdev",
];

/// Words in a folder name that mark code that is not the deployed
/// application. `demo` is not one: it is a common name for a real project.
const EXAMPLE_WORDS: &[&str] = &["example", "examples", "sample", "samples", "sandbox"];

const DEPLOYMENT_WORDS: &[&str] = &[
    "pro",
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
    /// Loaded by a deployment: reported.
    Deployment,
    /// Deployed by the projects a template generates: reported.
    Template,
    /// Imported by a deployed module: judged through it.
    Base,
    Development,
    Test,
    Docs,
    /// An example or demo project shipped beside the real one.
    Example,
    /// No evidence either way: never reported.
    Unknown,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Deployment => "deployed",
            Role::Template => "template",
            Role::Base => "base",
            Role::Development => "development",
            Role::Test => "test",
            Role::Docs => "docs",
            Role::Example => "example",
            Role::Unknown => "unknown",
        }
    }

    /// Whether findings are reported for modules of this role.
    pub fn is_reported(self) -> bool {
        matches!(self, Role::Deployment | Role::Template)
    }
}

/// One settings module (or django-configurations class), classified and evaluated.
#[derive(Debug)]
pub struct SettingsModule {
    /// `proj.settings.production`, or `proj.settings.Prod` for a class.
    pub name: Arc<str>,
    pub role: Role,
    /// Why it has its role, such as "named by `DJANGO_SETTINGS_MODULE` in proj/wsgi.py:9".
    pub reason: String,
    pub path: PathBuf,
    /// Where a finding about a setting it never sets goes: the statement
    /// after which the fix adds it, or the name of its class.
    pub anchor: TextRange,
    /// Set when names may be bound in ways the evaluation cannot see.
    pub opaque: Option<String>,
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

    /// Whether this is a django-configurations class rather than a module.
    pub fn is_class(&self) -> bool {
        matches!(self.source, Source::Class(_))
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

    /// The files an include helper ran in this module's namespace.
    pub fn included(&self) -> &[PathBuf] {
        match &self.source {
            Source::Module(module) => &module.included,
            Source::Class(_) => &[],
        }
    }

    /// The effective value of a setting, as a report shows it.
    pub fn describe(&self, name: &str) -> String {
        match self.get(name) {
            None => "unset".to_string(),
            Some(slot) => slot.value.describe(),
        }
    }

    /// Whether a list setting such as `MIDDLEWARE` is known and holds none
    /// of `entries`, whichever value it takes at run time. A list that may
    /// hold anything may hold them.
    pub(crate) fn lacks_all(&self, setting: &str, entries: &[&str]) -> bool {
        let Some(slot) = self.get(setting) else {
            return false;
        };
        let Some(values) = slot.value.possible_values() else {
            return false;
        };
        values.iter().all(|value| match value {
            Value::Seq(items) => items.iter().all(|item| match item {
                Value::Str(text) => !entries.contains(&text.as_ref()),
                _ => false,
            }),
            _ => false,
        })
    }

    /// The middleware list Django reads: `MIDDLEWARE`, or the old
    /// `MIDDLEWARE_CLASSES` of a project that sets only that.
    fn middleware(&self) -> &'static str {
        if self.get("MIDDLEWARE").is_none() && self.get("MIDDLEWARE_CLASSES").is_some() {
            "MIDDLEWARE_CLASSES"
        } else {
            "MIDDLEWARE"
        }
    }

    /// Whether Django sets a session cookie under these settings: the
    /// session middleware writes it, so unless the middleware list is known
    /// to lack it.
    pub(crate) fn uses_sessions(&self) -> bool {
        !self.lacks_all(
            self.middleware(),
            &["django.contrib.sessions.middleware.SessionMiddleware"],
        )
    }

    /// Whether Django sets a CSRF cookie under these settings: unless the
    /// CSRF middleware is known to be absent or the token lives in the
    /// session (`CSRF_USE_SESSIONS` true, or true when the environment
    /// leaves it unset).
    pub(crate) fn uses_csrf_cookie(&self) -> bool {
        let in_session = self.get("CSRF_USE_SESSIONS").is_some_and(|slot| {
            slot.value.truthy() == Some(true)
                || slot
                    .value
                    .default_value()
                    .is_some_and(|value| value.truthy() == Some(true))
        });
        !in_session
            && !self.lacks_all(
                self.middleware(),
                &["django.middleware.csrf.CsrfViewMiddleware"],
            )
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

    /// "deployed settings `proj.settings.production` (named by ...)", for messages.
    pub(crate) fn title(&self) -> String {
        let kind = match self.role {
            Role::Template => "template settings",
            _ => "deployed settings",
        };
        format!("{kind} `{}` ({})", self.name, self.reason)
    }

    /// How a value reached this module, for messages: "assigned in
    /// `proj.settings.base`, through proj.settings.production → proj.settings.base".
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

/// The settings modules whose findings are reported: deployed ones and templates.
pub(crate) fn deployed(all: &[SettingsModule]) -> impl Iterator<Item = &SettingsModule> {
    all.iter().filter(|module| module.role.is_reported())
}

/// Finds, evaluates and classifies the Django settings modules of a project.
///
/// The candidates are evaluated side by side, each from scratch by its own
/// evaluator: what a module evaluates to then never depends on which
/// candidate was evaluated before it (in an import cycle, the module met
/// again is unknown whichever end the evaluation starts from).
pub fn discover(project: &Project<'_>) -> Vec<SettingsModule> {
    let entries = entry::find(project);
    let mut paths: BTreeSet<PathBuf> = entries
        .entries
        .iter()
        .filter_map(|entry| entry.path.clone())
        .collect();
    paths.extend(
        project
            .files
            .iter()
            .filter(|path| looks_like_settings(path))
            .cloned(),
    );
    // A module found by its name alone is one only if it defines what
    // Django reads; its text tells when it cannot (most `*_settings.py` of
    // an application are forms or views), which spares following its
    // imports.
    let paths: Vec<PathBuf> = paths
        .into_iter()
        .filter(|path| {
            entries.naming(path).next().is_some()
                || project
                    .loader
                    .source(path)
                    .is_some_and(|source| may_define_settings(&source))
        })
        .collect();
    let modules: Vec<Option<Arc<ModuleEval>>> = paths
        .par_iter()
        .map(|path| Evaluator::new(project.loader, &HOOKS).module_at(path))
        .collect();

    let mut found: Vec<SettingsModule> = Vec::new();
    for (path, module) in paths.iter().zip(modules) {
        let Some(module) = module else {
            continue;
        };
        let named_by: Vec<&Entry> = entries.naming(path).collect();
        let classes: Vec<Arc<ClassEval>> = configuration_classes(&module);
        if !classes.is_empty() {
            for class in classes {
                found.push(classify_class(project, &entries, &module, class, &named_by));
            }
            continue;
        }
        // Importing Django is not enough (every app module does); a settings
        // module defines settings only Django reads, or is named as one. An
        // empty package `__init__.py` is never one.
        let defines_settings = DJANGO_MARKERS
            .iter()
            .any(|marker| module.namespace.contains_key(*marker));
        let empty = module.namespace.keys().all(|name| name.starts_with("__"));
        if empty || (!defines_settings && named_by.is_empty()) {
            continue;
        }
        found.push(classify_module(project, &entries, &module, &named_by));
    }
    mark_bases(&mut found);
    found
}

/// Whether a module with this text can define a Django setting the way
/// [`discover`] asks: by binding one of [`DJANGO_MARKERS`] (which then
/// appears in its text), or through what the evaluation follows to other
/// files: a `*` import, django-split-settings' `include()`, or a
/// django-configurations class (whose module imports `configurations`).
fn may_define_settings(source: &str) -> bool {
    DJANGO_MARKERS.iter().any(|marker| source.contains(marker))
        || source.contains("include(")
        || source.contains("configurations")
        || source.contains("Configuration")
        || source.match_indices("import").any(|(at, _)| {
            source[at + "import".len()..]
                .trim_start_matches([' ', '\t', '\\', '\r', '\n'])
                .starts_with('*')
        })
}

fn configuration_classes(module: &ModuleEval) -> Vec<Arc<ClassEval>> {
    let mut classes: Vec<Arc<ClassEval>> = module
        .namespace
        .values()
        .filter_map(|slot| match &slot.value {
            Value::Class(class)
                if class.0.path == module.path && class.0.derives_from(&is_configuration_root) =>
            {
                Some(class.0.clone())
            }
            _ => None,
        })
        .collect();
    classes.sort_by_key(|class| class.name_range.start());
    classes
}

/// Whether the settings model reads the file at `path` by its name alone: a
/// conventional place for settings, or an entry point or test runner that
/// may name them. The engine hands the project pass only such files (and
/// those whose text names the settings), and [`discover`] reads no others.
pub(crate) fn starts_from_name(path: &Path) -> bool {
    looks_like_settings(path) || entry::python_kind(path) != EntryKind::Script
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
    stem == "settings"
        || stem.starts_with("settings_")
        || stem.ends_with("_settings")
        || in_settings_package
        || matches!(role_by_name(stem), Some((Role::Deployment, _)))
}

/// Whether a path's folders mark it as something other than the deployed
/// application; the role and the folder that says so.
fn role_by_place(relative: &Path) -> Option<(Role, String)> {
    let folders: Vec<&str> = relative
        .parent()
        .map(|parent| parent.iter().filter_map(|part| part.to_str()).collect())
        .unwrap_or_default();
    for folder in &folders {
        let lower = folder.to_ascii_lowercase();
        if matches!(lower.as_str(), "docs" | "doc" | "documentation") {
            return Some((Role::Docs, format!("in the `{folder}/` folder")));
        }
        if matches!(
            lower.as_str(),
            "tests" | "test" | "testing" | "testproject" | "test_project"
        ) || lower.starts_with("test_")
            || lower.ends_with("_tests")
        {
            return Some((Role::Test, format!("in the test folder `{folder}/`")));
        }
        // `examples/`, `sandbox/`, `example_project/`; not a longer name
        // that only mentions an example (`Django_By_Example_Code/`).
        let folder_words = words(folder);
        if folder_words.len() <= 2
            && folder_words
                .iter()
                .any(|word| EXAMPLE_WORDS.contains(&word.as_str()))
        {
            return Some((Role::Example, format!("in the `{folder}/` folder")));
        }
    }
    None
}

/// Whether a path is inside a project template (cookiecutter's
/// `{{cookiecutter.project_slug}}`, Django's `project_template`).
fn in_template(relative: &Path) -> bool {
    relative.iter().any(|part| {
        part.to_str().is_some_and(|part| {
            part.contains("{{") || part.contains("{%") || part == "project_template"
        })
    })
}

fn words(name: &str) -> Vec<String> {
    word_slices(name).map(str::to_lowercase).collect()
}

/// The words of `name` as written, without copying them: split where a
/// character is neither a letter nor a digit, and where a capital follows
/// a lower-case letter or a digit. The walk asks this of every file's name.
fn word_slices(name: &str) -> impl Iterator<Item = &str> {
    let mut chars = name.char_indices().peekable();
    std::iter::from_fn(move || {
        while chars.next_if(|(_, c)| !c.is_alphanumeric()).is_some() {}
        let (start, first) = chars.next()?;
        let mut end = start + first.len_utf8();
        let mut previous_lower = first.is_lowercase() || first.is_ascii_digit();
        while let Some((at, c)) =
            chars.next_if(|(_, c)| c.is_alphanumeric() && !(c.is_uppercase() && previous_lower))
        {
            previous_lower = c.is_lowercase() || c.is_ascii_digit();
            end = at + c.len_utf8();
        }
        Some(&name[start..end])
    })
}

/// Whether a name says development or testing (`DevelopmentConfig`,
/// `TestingConfig`, `settings_local`): configuration no deployment loads.
pub(crate) fn is_development_name(name: &str) -> bool {
    matches!(
        role_by_name(name),
        Some((Role::Development | Role::Test, _))
    )
}

/// The role a name alone gives, with the word that gave it.
fn role_by_name(name: &str) -> Option<(Role, String)> {
    // The first word of the list that a word of the name is, in any case.
    let listed = |list: &[&'static str]| {
        word_slices(name).find_map(|word| {
            list.iter()
                .find(|listed| listed.eq_ignore_ascii_case(word))
                .copied()
        })
    };
    if let Some(word) = listed(DEVELOPMENT_WORDS) {
        let role = if matches!(
            word,
            "test" | "tests" | "testing" | "ci" | "unittest" | "unittests"
        ) {
            Role::Test
        } else {
            Role::Development
        };
        return Some((role, format!("named `{word}`")));
    }
    listed(DEPLOYMENT_WORDS).map(|word| (Role::Deployment, format!("named `{word}`")))
}

fn relative_display(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Where a hard-coded `DEBUG = True` is the final value, the place it is set.
fn debug_is_true(project: &Project<'_>, slot: Option<&Slot>) -> Option<String> {
    match slot {
        Some(Slot {
            value: Value::Bool(true),
            site,
        }) => {
            let line = project
                .loader
                .source(&site.path)
                .map_or(0, |source| line_of(&source, site.range.start()));
            Some(format!(
                "a hard-coded `DEBUG = True` ({}:{line})",
                relative_display(&site.path, project.root)
            ))
        }
        _ => None,
    }
}

/// Phrases in a settings module's docstring (or the docstring of a class it
/// defines) that say it is for development.
const DEVELOPMENT_PHRASES: &[&str] = &[
    "local development",
    "development only",
    "for development",
    "development environment",
    "local dev ",
];

/// Where a module (or a settings class in it) says in its docstring that it
/// is for development, the evidence.
fn development_docstring(project: &Project<'_>, path: &Path) -> Option<String> {
    let file = project.loader.parsed(path)?;
    let docstring = |body: &[Stmt]| match body.first() {
        Some(Stmt::Expr(expr)) => match expr.value.as_ref() {
            pathfinder_python::ast::Expr::StringLiteral(literal) => {
                Some(literal.value.to_str().to_lowercase())
            }
            _ => None,
        },
        _ => None,
    };
    let body = &file.module().body;
    let mut texts: Vec<String> = docstring(body).into_iter().collect();
    texts.extend(body.iter().filter_map(|stmt| match stmt {
        Stmt::ClassDef(class) => docstring(&class.body),
        _ => None,
    }));
    let phrase = DEVELOPMENT_PHRASES
        .iter()
        .find(|phrase| texts.iter().any(|text| text.contains(**phrase)))?;
    Some(format!(
        "its docstring says it is for development (\"{}\")",
        phrase.trim()
    ))
}

fn line_of(source: &str, offset: TextSize) -> usize {
    let end = usize::from(offset).min(source.len());
    source[..end].matches('\n').count() + 1
}

/// The evidence of the entries that name a module, strongest first.
fn describe_entries(named_by: &[&Entry], kind: EntryKind) -> Option<String> {
    let matching: Vec<&&Entry> = named_by.iter().filter(|entry| entry.kind == kind).collect();
    let first = matching.first()?;
    let more = matching.len() - 1;
    Some(format!(
        "named by DJANGO_SETTINGS_MODULE in {} ({}){}",
        first.at,
        kind.as_str(),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    ))
}

/// The role of one module (or class) from its name, place, content and the
/// entries naming it. `debug` is its final `DEBUG` if hard-coded True.
fn classify(
    entries: &Entries,
    relative: &Path,
    last_name: &str,
    named_by: &[&Entry],
    debug: Option<String>,
) -> (Role, String) {
    let template = in_template(relative);
    let (role, reason) = classify_plain(entries, relative, last_name, named_by, debug, template);
    if template && role == Role::Deployment {
        return (Role::Template, format!("in a project template, {reason}"));
    }
    (role, reason)
}

/// The role by the evidence, strongest first, before a template makes a
/// deployment a template.
fn classify_plain(
    entries: &Entries,
    relative: &Path,
    last_name: &str,
    named_by: &[&Entry],
    debug: Option<String>,
    template: bool,
) -> (Role, String) {
    let served = describe_entries(named_by, EntryKind::Server)
        .or_else(|| describe_entries(named_by, EntryKind::DeployFile));
    if let Some(debug) = debug {
        return (Role::Development, debug);
    }
    if let Some((role, why)) = role_by_place(relative) {
        return (role, why);
    }
    if let Some(why) = describe_entries(named_by, EntryKind::TestRunner)
        && served.is_none()
    {
        return (Role::Test, why);
    }
    if let Some((role @ (Role::Development | Role::Test), why)) = role_by_name(last_name) {
        return (role, why);
    }
    if let Some(why) = served {
        return (Role::Deployment, why);
    }
    if let Some(why) = describe_entries(named_by, EntryKind::LocalFile) {
        return (Role::Development, why);
    }
    // A reusable app configures Django in code to run its tests: what
    // settings modules it has serve its tests and tools, not a deployment.
    if let Some(file) = entries.configured_in_code(relative)
        && !entries.has_server(relative)
    {
        return (
            Role::Test,
            format!("the project configures Django in code to run its tests ({file})"),
        );
    }
    // Named for deployment, in a project that is an application.
    if let Some((Role::Deployment, why)) = role_by_name(last_name)
        && (entries.has_application(relative) || template)
    {
        return (Role::Deployment, why);
    }
    // `manage.py` alone: the settings commands run with. They are what gets
    // deployed only when nothing else serves the project.
    if let Some(why) = describe_entries(named_by, EntryKind::Manage)
        && !entries.has_server(relative)
    {
        return (
            Role::Deployment,
            format!("{why}; nothing else serves the project"),
        );
    }
    if let Some(why) = describe_entries(named_by, EntryKind::Manage) {
        return (
            Role::Development,
            format!("{why}, while a server entry point names other settings"),
        );
    }
    (Role::Unknown, String::new())
}

fn classify_module(
    project: &Project<'_>,
    entries: &Entries,
    module: &Arc<ModuleEval>,
    named_by: &[&Entry],
) -> SettingsModule {
    let last = module.name.rsplit('.').next().unwrap_or_default();
    let relative = module
        .path
        .strip_prefix(project.root)
        .unwrap_or(&module.path);
    // `settings/__init__.py` is named for its package.
    let debug = debug_is_true(project, module.namespace.get("DEBUG"))
        .or_else(|| development_docstring(project, &module.path));
    let (role, reason) = classify(entries, relative, last, named_by, debug);
    let file = project.loader.parsed(&module.path);
    SettingsModule {
        name: module.name.clone(),
        role,
        reason,
        path: module.path.clone(),
        anchor: file.map_or(module.first_line, |file| insertion_anchor(&file)),
        opaque: module.opaque.clone(),
        source: Source::Module(module.clone()),
    }
}

fn classify_class(
    project: &Project<'_>,
    entries: &Entries,
    module: &Arc<ModuleEval>,
    class: Arc<ClassEval>,
    named_by: &[&Entry],
) -> SettingsModule {
    // Only the entries that choose this class (or choose none) name it.
    let chosen: Vec<&Entry> = named_by
        .iter()
        .copied()
        .filter(|entry| entry.configuration.as_deref() == Some(&*class.name))
        .collect();
    let relative = class.path.strip_prefix(project.root).unwrap_or(&class.path);
    let debug = debug_is_true(project, class.lookup("DEBUG").as_ref());
    let (role, reason) = classify(entries, relative, &class.name, &chosen, debug);
    let reason = reason.replace("DJANGO_SETTINGS_MODULE", "DJANGO_CONFIGURATION");
    let opaque = module.opaque.clone().or_else(|| {
        class
            .has_opaque_base(&|name| hooks_known_base(name))
            .then(|| format!("`{}` has a base class outside the project", class.name))
    });
    SettingsModule {
        name: class.qualified.clone(),
        role,
        reason,
        path: class.path.clone(),
        anchor: class.name_range,
        opaque,
        source: Source::Class(class),
    }
}

fn hooks_known_base(name: &str) -> bool {
    use pathfinder_python::EvalHooks;
    HOOKS.is_known_base(name)
}

/// Where a setting the module never sets would be added: the last
/// top-level assignment before any trailing conditional block (a
/// `from .local_settings import *` guarded by `try`/`if`), else the last
/// top-level statement; the first line of an empty module.
pub(crate) fn insertion_anchor(file: &ParsedFile) -> TextRange {
    let source: &str = &file.source;
    let body = &file.module().body;
    let statement = crate::fix::settings::last_assignment(body).or_else(|| body.last());
    let Some(stmt) = statement else {
        let end = source.find('\n').unwrap_or(source.len());
        return TextRange::new(TextSize::new(0), TextSize::new(end as u32));
    };
    // The statement's first line only: a finding spans one line.
    let start = stmt.range().start();
    let text = &source[usize::from(start)..];
    let end = text
        .find('\n')
        .map_or(source.len(), |at| usize::from(start) + at);
    let end = end.min(usize::from(stmt.range().end()));
    TextRange::new(start, TextSize::new(end as u32))
}

/// Modules a reported module imports (star, include, named) and classes a
/// reported configuration derives from are bases, when nothing else gave
/// them a role: their values are judged through the module that imports them.
fn mark_bases(found: &mut [SettingsModule]) {
    let mut imported: Vec<(Arc<str>, Arc<str>)> = Vec::new();
    let mut included: Vec<(PathBuf, Arc<str>)> = Vec::new();
    for module in found.iter().filter(|module| module.role.is_reported()) {
        match &module.source {
            Source::Module(evaluated) => {
                for name in &evaluated.star_imported {
                    imported.push((name.clone(), module.name.clone()));
                }
                for path in &evaluated.included {
                    included.push((path.clone(), module.name.clone()));
                }
            }
            Source::Class(class) => {
                for base in &class.bases {
                    if let Base::Class(base) = base {
                        for name in base.lineage() {
                            imported.push((name, module.name.clone()));
                        }
                    }
                }
            }
        }
    }
    for module in found.iter_mut() {
        if !matches!(module.role, Role::Unknown) {
            continue;
        }
        let by = imported
            .iter()
            .find(|(name, _)| *name == module.name)
            .map(|(_, by)| by.clone())
            .or_else(|| {
                included
                    .iter()
                    .find(|(path, _)| *path == module.path)
                    .map(|(_, by)| by.clone())
            });
        if let Some(by) = by {
            module.role = Role::Base;
            module.reason = format!("imported by `{by}`");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_text_that_can_bind_a_setting_is_evaluated() {
        for text in [
            "INSTALLED_APPS = ['a']",
            "from .base import MIDDLEWARE",
            "from .base import *",
            "from .base import  \\\n    *",
            "include('components/*.py')",
            "from configurations import Configuration",
        ] {
            assert!(may_define_settings(text), "{text}");
        }
        for text in [
            "from django.conf import settings\nclass SettingsView(View):\n    x = 2 * 3\n",
            "from .backups import PROJECTBACKUP_PREFIX\nimport os\n",
            "",
        ] {
            assert!(!may_define_settings(text), "{text}");
        }
    }

    #[test]
    fn name_words() {
        assert_eq!(words("settings_prod"), vec!["settings", "prod"]);
        assert_eq!(words("ProductionConfig"), vec!["production", "config"]);
        assert_eq!(
            role_by_name("local").map(|(role, _)| role),
            Some(Role::Development)
        );
        assert_eq!(role_by_name("test").map(|(role, _)| role), Some(Role::Test));
        assert_eq!(
            role_by_name("Staging").map(|(role, _)| role),
            Some(Role::Deployment)
        );
        assert_eq!(role_by_name("base"), None);
        assert_eq!(role_by_name("product"), None);
        assert_eq!(
            words("__Prod2Live-HTTPServer_éTé"),
            vec!["prod2", "live", "httpserver", "é", "té"]
        );
        assert_eq!(
            role_by_name("LiveSettings").map(|(_, why)| why).as_deref(),
            Some("named `live`")
        );
        assert_eq!(role_by_name("_"), None);
    }

    #[test]
    fn places() {
        let role = |path: &str| role_by_place(Path::new(path)).map(|(role, _)| role);
        assert_eq!(role("docs/settings.py"), Some(Role::Docs));
        assert_eq!(role("tests/settings.py"), Some(Role::Test));
        assert_eq!(role("sandbox/settings.py"), Some(Role::Example));
        assert_eq!(role("example_project/settings.py"), Some(Role::Example));
        assert_eq!(role("Django_By_Example_Code/ch1/site/settings.py"), None);
        assert_eq!(role("shop/settings/production.py"), None);
        assert!(in_template(Path::new(
            "{{cookiecutter.slug}}/config/settings/production.py"
        )));
    }

    #[test]
    fn anchors_at_the_last_assignment() {
        let source = "from .base import *  # noqa\n\nDEBUG = False\nALLOWED_HOSTS = [\n    'a',\n]\ntry:\n    from .local import *\nexcept ImportError:\n    pass\n";
        let anchor = insertion_anchor(&ParsedFile::new(source.into()));
        assert_eq!(
            &source[anchor.start().to_usize()..anchor.end().to_usize()],
            "ALLOWED_HOSTS = ["
        );
        let only_import = "from .base import *  # noqa\n";
        let anchor = insertion_anchor(&ParsedFile::new(only_import.into()));
        assert_eq!(anchor.start(), TextSize::new(0));
    }
}
