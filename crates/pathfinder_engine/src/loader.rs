//! Lazy loading of the project's own modules, for imports a rule must follow,
//! and the single cache of parses.
//!
//! A module is found the way Python would find it from the importing file:
//! `a.b` is `a/b.py` or `a/b/__init__.py` under the first ancestor folder of
//! the importer (up to the project root) that holds it. Files are read
//! through [`Files`], so in-memory texts stand in for the disk. Each imported
//! module is parsed at most once per scan and only its summary is kept.
//!
//! The project pass reads through [`ProjectLoader::project_view`]. The file
//! checker hands over the parses it made of the files the pass starts from
//! ([`ProjectLoader::remember`]), so none is parsed twice; the pass keeps
//! only the parses and summaries it used last (a module's summary and its
//! parse are asked for one after the other), so that what it holds does not
//! grow with the project: its evaluation is dropped once its findings are
//! made, and [`ProjectLoader::forget_parses`] drops the rest. A view can
//! also stand a new text in for one file (a fix being checked), without
//! touching the caches.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use pathfinder_python::{ModuleLoader, ModuleSummary, ParsedFile};

use crate::dependencies::Declarations;
use crate::overlay::Files;

/// Imported modules larger than this are not loaded.
const MAX_MODULE_BYTES: u64 = 4 * 1024 * 1024;

/// Parses and summaries the project pass keeps at most, the last it used.
const RECENT: usize = 32;

pub(crate) struct ProjectLoader {
    root: PathBuf,
    files: Files,
    /// Summaries of the modules the file rules import, for the whole scan.
    modules: Mutex<HashMap<PathBuf, Option<Arc<ModuleSummary>>>>,
    /// Parses of files the project pass starts from, until it takes them.
    handed_over: Mutex<HashMap<PathBuf, Arc<ParsedFile>>>,
    /// What the project pass used last.
    recent_parses: Recent<Arc<ParsedFile>>,
    recent_summaries: Recent<Option<Arc<ModuleSummary>>>,
    probes: Mutex<HashMap<(PathBuf, String), Option<PathBuf>>>,
    packages: Mutex<HashMap<PathBuf, bool>>,
    loaded: AtomicUsize,
    declarations: Declarations,
}

impl ProjectLoader {
    pub(crate) fn new(root: PathBuf, files: Files) -> ProjectLoader {
        ProjectLoader {
            root,
            files,
            modules: Mutex::new(HashMap::new()),
            handed_over: Mutex::new(HashMap::new()),
            recent_parses: Recent::default(),
            recent_summaries: Recent::default(),
            probes: Mutex::new(HashMap::new()),
            packages: Mutex::new(HashMap::new()),
            loaded: AtomicUsize::new(0),
            declarations: Declarations::default(),
        }
    }

    pub(crate) fn files(&self) -> &Files {
        &self.files
    }

    /// Project modules parsed to resolve an import or for the project pass.
    pub(crate) fn loaded(&self) -> usize {
        self.loaded.load(Ordering::Relaxed)
    }

    /// The loader as the project pass uses it.
    pub(crate) fn project_view(&self) -> ProjectView<'_> {
        ProjectView {
            loader: self,
            replaced: None,
        }
    }

    /// Keeps a parse the file checker made of a file the project pass starts
    /// from, so that the pass does not parse it again.
    pub(crate) fn remember(&self, path: &Path, parsed: Arc<ParsedFile>) {
        lock(&self.handed_over).insert(path.to_path_buf(), parsed);
    }

    /// Drops what the project pass kept.
    pub(crate) fn forget_parses(&self) {
        lock(&self.handed_over).clear();
        self.recent_parses.clear();
        self.recent_summaries.clear();
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

    /// The summary of a module the file rules import, from the scan's cache.
    fn summary(&self, path: PathBuf, module: &str) -> Option<Arc<ModuleSummary>> {
        if let Some(cached) = lock(&self.modules).get(&path) {
            return cached.clone();
        }
        let summary = self
            .parse(&path)
            .map(|parsed| Arc::new(ModuleSummary::build(parsed.module(), module, path.clone())));
        lock(&self.modules).entry(path).or_insert(summary).clone()
    }

    /// Reads and parses `path`, or finds a parse the project pass holds.
    fn parse(&self, path: &Path) -> Option<Arc<ParsedFile>> {
        if let Some(recent) = self.recent_parses.get(path) {
            return Some(recent);
        }
        if let Some(handed) = lock(&self.handed_over).get(path) {
            return Some(handed.clone());
        }
        let source = self.source(path)?;
        self.loaded.fetch_add(1, Ordering::Relaxed);
        Some(Arc::new(ParsedFile::new(source)))
    }

    /// The parse of `path` for the project pass, which keeps it among the
    /// recent ones; a parse handed over by the file checker is taken.
    fn parse_for_project(&self, path: &Path) -> Option<Arc<ParsedFile>> {
        if let Some(recent) = self.recent_parses.get(path) {
            return Some(recent);
        }
        let handed = lock(&self.handed_over).remove(path);
        let parsed = if let Some(handed) = handed {
            handed
        } else {
            let source = self.source(path)?;
            self.loaded.fetch_add(1, Ordering::Relaxed);
            Arc::new(ParsedFile::new(source))
        };
        self.recent_parses.put(path, parsed.clone());
        Some(parsed)
    }

    fn source(&self, path: &Path) -> Option<Arc<str>> {
        if !path.starts_with(&self.root) {
            return None;
        }
        if let Some(recent) = self.recent_parses.get(path) {
            return Some(recent.source.clone());
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
        self.summary(path, module)
    }

    fn locate(&self, module: &str, importer: &ModuleSummary) -> Option<PathBuf> {
        if module.is_empty() {
            return None;
        }
        self.find(module, &importer.path)
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

    fn declared_dependencies(&self, path: &Path) -> Arc<[Box<str>]> {
        self.declarations.for_file(&self.files, &self.root, path)
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
        if let Some(known) = lock(&self.loader.modules).get(&path) {
            return known.clone();
        }
        if let Some(recent) = self.loader.recent_summaries.get(&path) {
            return recent;
        }
        let summary = self
            .loader
            .parse_for_project(&path)
            .map(|parsed| Arc::new(ModuleSummary::build(parsed.module(), module, path.clone())));
        self.loader.recent_summaries.put(&path, summary.clone());
        summary
    }

    fn locate(&self, module: &str, importer: &ModuleSummary) -> Option<PathBuf> {
        ModuleLoader::locate(self.loader, module, importer)
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

    fn declared_dependencies(&self, path: &Path) -> Arc<[Box<str>]> {
        self.loader.declared_dependencies(path)
    }

    fn parsed(&self, path: &Path) -> Option<Arc<ParsedFile>> {
        if let Some(parsed) = self.replacement(path) {
            return Some(parsed.clone());
        }
        if !path.starts_with(&self.loader.root) {
            return None;
        }
        self.loader.parse_for_project(path)
    }
}

/// The last values used, by path, at most [`RECENT`] of them.
struct Recent<T> {
    entries: Mutex<VecDeque<(PathBuf, T)>>,
}

impl<T> Default for Recent<T> {
    fn default() -> Recent<T> {
        Recent {
            entries: Mutex::new(VecDeque::with_capacity(RECENT)),
        }
    }
}

impl<T: Clone> Recent<T> {
    fn get(&self, path: &Path) -> Option<T> {
        let entries = lock(&self.entries);
        entries
            .iter()
            .find(|(known, _)| known == path)
            .map(|(_, value)| value.clone())
    }

    fn put(&self, path: &Path, value: T) {
        let mut entries = lock(&self.entries);
        entries.retain(|(known, _)| known != path);
        if entries.len() == RECENT {
            entries.pop_front();
        }
        entries.push_back((path.to_path_buf(), value));
    }

    fn clear(&self) {
        lock(&self.entries).clear();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().expect("no panics while locked")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_project_pass_takes_handed_over_parses_and_keeps_only_recent_ones() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let settings = root.join("settings.py");
        std::fs::write(&settings, "DEBUG = False\n").unwrap();
        for index in 0..=RECENT {
            std::fs::write(root.join(format!("m{index}.py")), "X = 1\n").unwrap();
        }
        let loader = ProjectLoader::new(root.clone(), Files::default());
        let handed = Arc::new(ParsedFile::new(Arc::from("DEBUG = False\n")));
        loader.remember(&settings, handed.clone());
        let view = loader.project_view();
        let taken = view.parsed(&settings).unwrap();
        assert!(Arc::ptr_eq(&taken, &handed), "the checker's parse is used");
        assert!(Arc::ptr_eq(&view.parsed(&settings).unwrap(), &handed));
        assert_eq!(loader.loaded(), 0, "nothing was parsed again");

        // The pass keeps the last parses it used, not all of them.
        for index in 0..=RECENT {
            view.parsed(&root.join(format!("m{index}.py"))).unwrap();
        }
        assert_eq!(loader.loaded(), RECENT + 1);
        assert!(loader.recent_parses.get(&settings).is_none(), "evicted");
        assert!(lock(&loader.handed_over).is_empty());
        let again = view.parsed(&settings).unwrap();
        assert!(!Arc::ptr_eq(&again, &handed));
        loader.forget_parses();
        assert!(loader.recent_parses.get(&settings).is_none());

        // A replaced text is the view's only.
        let fixed = Arc::new(ParsedFile::new(Arc::from("DEBUG = True\n")));
        let replacing = loader.project_view().replacing(&settings, fixed.clone());
        assert!(Arc::ptr_eq(&replacing.parsed(&settings).unwrap(), &fixed));
        assert_eq!(
            replacing.source(&settings).as_deref(),
            Some("DEBUG = True\n")
        );
        assert_eq!(
            loader.project_view().source(&settings).as_deref(),
            Some("DEBUG = False\n")
        );
    }
}
