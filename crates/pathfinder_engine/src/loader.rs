//! Lazy loading of the project's own modules, for imports a rule must follow,
//! and the single cache of parses.
//!
//! A module is found the way Python would find it from the importing file:
//! `a.b` is `a/b.py` or `a/b/__init__.py` under the first ancestor folder of
//! the importer (up to the project root) that holds it. Files are read
//! through [`Files`], so in-memory texts stand in for the disk. Each imported
//! module is parsed at most once per scan and only its summary is kept.
//!
//! Whole parses are kept only for the files the project pass asks for (the
//! settings modules, their entry points and what they import), through
//! [`ProjectLoader::project_view`]; the file checker hands over the parses
//! it made of the files the pass starts from ([`ProjectLoader::remember`]).
//! [`ProjectLoader::forget_parses`] drops them once the project pass made
//! its findings. A view can also stand a new text in for one file (a fix
//! being checked), without touching the caches.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use pathfinder_python::{ModuleLoader, ModuleSummary, ParsedFile};

use crate::overlay::Files;

/// Imported modules larger than this are not loaded.
const MAX_MODULE_BYTES: u64 = 4 * 1024 * 1024;

pub(crate) struct ProjectLoader {
    root: PathBuf,
    files: Files,
    modules: Mutex<HashMap<PathBuf, Option<Arc<ModuleSummary>>>>,
    /// Whole parses, of the files the project pass reads.
    parses: Mutex<HashMap<PathBuf, Arc<ParsedFile>>>,
    probes: Mutex<HashMap<(PathBuf, String), Option<PathBuf>>>,
    packages: Mutex<HashMap<PathBuf, bool>>,
    loaded: AtomicUsize,
}

impl ProjectLoader {
    pub(crate) fn new(root: PathBuf, files: Files) -> ProjectLoader {
        ProjectLoader {
            root,
            files,
            modules: Mutex::new(HashMap::new()),
            parses: Mutex::new(HashMap::new()),
            probes: Mutex::new(HashMap::new()),
            packages: Mutex::new(HashMap::new()),
            loaded: AtomicUsize::new(0),
        }
    }

    pub(crate) fn files(&self) -> &Files {
        &self.files
    }

    /// Project modules parsed to resolve an import or for the project pass.
    pub(crate) fn loaded(&self) -> usize {
        self.loaded.load(Ordering::Relaxed)
    }

    /// The loader as the project pass uses it: every file it reads is parsed
    /// once and the parse kept until [`ProjectLoader::forget_parses`].
    pub(crate) fn project_view(&self) -> ProjectView<'_> {
        ProjectView {
            loader: self,
            replaced: None,
        }
    }

    /// Keeps a parse the file checker made of a file the project pass starts
    /// from, so that the pass does not parse it again.
    pub(crate) fn remember(&self, path: &Path, parsed: Arc<ParsedFile>) {
        lock(&self.parses).insert(path.to_path_buf(), parsed);
    }

    /// Drops the kept parses.
    pub(crate) fn forget_parses(&self) {
        lock(&self.parses).clear();
    }

    fn is_package(&self, dir: &Path) -> bool {
        if let Some(known) = lock(&self.packages).get(dir) {
            return *known;
        }
        let answer = self.files.is_file(&dir.join("__init__.py"));
        lock(&self.packages).insert(dir.to_path_buf(), answer);
        answer
    }

    /// The dotted module name of a file: its path from the first folder up
    /// that is not a package.
    pub(crate) fn module_name(&self, path: &Path) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(stem) = path.file_stem()
            && stem != "__init__"
        {
            parts.push(stem.to_string_lossy().into_owned());
        }
        let mut dir = path.parent();
        while let Some(current) = dir {
            if !current.starts_with(&self.root) || !self.is_package(current) {
                break;
            }
            match current.file_name() {
                Some(name) => parts.push(name.to_string_lossy().into_owned()),
                None => break,
            }
            dir = current.parent();
        }
        parts.reverse();
        parts.join(".")
    }

    fn find(&self, module: &str, importer: &Path) -> Option<PathBuf> {
        let start = importer.parent().unwrap_or(&self.root).to_path_buf();
        let key = (start.clone(), module.to_string());
        if let Some(found) = lock(&self.probes).get(&key) {
            return found.clone();
        }
        let relative: PathBuf = module.split('.').collect();
        let mut found = None;
        for base in start.ancestors() {
            if !base.starts_with(&self.root) {
                break;
            }
            let file = base.join(&relative).with_extension("py");
            if self.files.is_file(&file) {
                found = Some(file);
                break;
            }
            let package = base.join(&relative).join("__init__.py");
            if self.files.is_file(&package) {
                found = Some(package);
                break;
            }
        }
        lock(&self.probes).insert(key, found.clone());
        found
    }

    /// The summary of the module at `path`, from the cache or built with
    /// `parse` (which parses it, or hands out a kept parse).
    fn summary(
        &self,
        path: PathBuf,
        module: &str,
        parse: impl FnOnce(&Path) -> Option<Arc<ParsedFile>>,
    ) -> Option<Arc<ModuleSummary>> {
        if let Some(cached) = lock(&self.modules).get(&path) {
            return cached.clone();
        }
        let summary = parse(&path)
            .map(|parsed| Arc::new(ModuleSummary::build(parsed.module(), module, path.clone())));
        lock(&self.modules).entry(path).or_insert(summary).clone()
    }

    /// Reads and parses `path`, without keeping the parse.
    fn parse(&self, path: &Path) -> Option<Arc<ParsedFile>> {
        if let Some(kept) = lock(&self.parses).get(path) {
            return Some(kept.clone());
        }
        let source = self.source(path)?;
        self.loaded.fetch_add(1, Ordering::Relaxed);
        Some(Arc::new(ParsedFile::new(source)))
    }

    /// Reads and parses `path` once, keeping the parse.
    fn parse_and_keep(&self, path: &Path) -> Option<Arc<ParsedFile>> {
        let parsed = self.parse(path)?;
        Some(
            lock(&self.parses)
                .entry(path.to_path_buf())
                .or_insert(parsed)
                .clone(),
        )
    }

    fn source(&self, path: &Path) -> Option<Arc<str>> {
        if !path.starts_with(&self.root) {
            return None;
        }
        if let Some(kept) = lock(&self.parses).get(path) {
            return Some(kept.source.clone());
        }
        self.files.text(path, MAX_MODULE_BYTES)
    }
}

impl ModuleLoader for ProjectLoader {
    fn load(&self, module: &str, importer: &ModuleSummary) -> Option<Arc<ModuleSummary>> {
        if module.is_empty() {
            return None;
        }
        let path = self.find(module, &importer.path)?;
        self.summary(path, module, |path| self.parse(path))
    }

    fn source(&self, path: &Path) -> Option<Arc<str>> {
        ProjectLoader::source(self, path)
    }

    fn module_name(&self, path: &Path) -> Option<String> {
        Some(ProjectLoader::module_name(self, path))
    }

    fn parsed(&self, path: &Path) -> Option<Arc<ParsedFile>> {
        self.parse(path)
    }
}

/// The loader as the project pass sees it: parses are kept; one file may
/// have a new text.
pub(crate) struct ProjectView<'a> {
    loader: &'a ProjectLoader,
    replaced: Option<(&'a Path, Arc<ParsedFile>)>,
}

impl<'a> ProjectView<'a> {
    /// The same view, with `parsed` as the text of the file at `path`.
    pub(crate) fn replacing(self, path: &'a Path, parsed: Arc<ParsedFile>) -> ProjectView<'a> {
        ProjectView {
            replaced: Some((path, parsed)),
            ..self
        }
    }

    fn replacement(&self, path: &Path) -> Option<&Arc<ParsedFile>> {
        self.replaced
            .as_ref()
            .filter(|(replaced, _)| *replaced == path)
            .map(|(_, parsed)| parsed)
    }
}

impl ModuleLoader for ProjectView<'_> {
    fn load(&self, module: &str, importer: &ModuleSummary) -> Option<Arc<ModuleSummary>> {
        if module.is_empty() {
            return None;
        }
        let path = self.loader.find(module, &importer.path)?;
        if let Some(parsed) = self.replacement(&path) {
            // Never cached: the replaced text is this view's only.
            return Some(Arc::new(ModuleSummary::build(
                parsed.module(),
                module,
                path,
            )));
        }
        self.loader
            .summary(path, module, |path| self.loader.parse_and_keep(path))
    }

    fn source(&self, path: &Path) -> Option<Arc<str>> {
        match self.replacement(path) {
            Some(parsed) => Some(parsed.source.clone()),
            None => self.loader.source(path),
        }
    }

    fn module_name(&self, path: &Path) -> Option<String> {
        Some(self.loader.module_name(path))
    }

    fn parsed(&self, path: &Path) -> Option<Arc<ParsedFile>> {
        if let Some(parsed) = self.replacement(path) {
            return Some(parsed.clone());
        }
        if !path.starts_with(&self.loader.root) {
            return None;
        }
        self.loader.parse_and_keep(path)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().expect("no panics while locked")
}
