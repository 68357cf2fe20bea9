//! Lazy loading of the project's own modules, for imports a rule must follow.
//!
//! A module is found the way Python would find it from the importing file:
//! `a.b` is `a/b.py` or `a/b/__init__.py` under the first ancestor folder of
//! the importer (up to the project root) that holds it. Each module is read
//! and parsed at most once per scan, and only its summary is kept.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use pathfinder_python::{ModuleLoader, ModuleSummary, parse};

/// Imported modules larger than this are not loaded.
const MAX_MODULE_BYTES: u64 = 4 * 1024 * 1024;

pub(crate) struct ProjectLoader {
    root: PathBuf,
    modules: Mutex<HashMap<PathBuf, Option<Arc<ModuleSummary>>>>,
    probes: Mutex<HashMap<(PathBuf, String), Option<PathBuf>>>,
    packages: Mutex<HashMap<PathBuf, bool>>,
    loaded: AtomicUsize,
}

impl ProjectLoader {
    pub(crate) fn new(root: PathBuf) -> ProjectLoader {
        ProjectLoader {
            root,
            modules: Mutex::new(HashMap::new()),
            probes: Mutex::new(HashMap::new()),
            packages: Mutex::new(HashMap::new()),
            loaded: AtomicUsize::new(0),
        }
    }

    pub(crate) fn loaded(&self) -> usize {
        self.loaded.load(Ordering::Relaxed)
    }

    fn is_package(&self, dir: &Path) -> bool {
        if let Some(known) = self
            .packages
            .lock()
            .expect("no panics while locked")
            .get(dir)
        {
            return *known;
        }
        let answer = dir.join("__init__.py").is_file();
        self.packages
            .lock()
            .expect("no panics while locked")
            .insert(dir.to_path_buf(), answer);
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
        if let Some(found) = self
            .probes
            .lock()
            .expect("no panics while locked")
            .get(&key)
        {
            return found.clone();
        }
        let relative: PathBuf = module.split('.').collect();
        let mut found = None;
        for base in start.ancestors() {
            if !base.starts_with(&self.root) {
                break;
            }
            let file = base.join(&relative).with_extension("py");
            if file.is_file() {
                found = Some(file);
                break;
            }
            let package = base.join(&relative).join("__init__.py");
            if package.is_file() {
                found = Some(package);
                break;
            }
        }
        self.probes
            .lock()
            .expect("no panics while locked")
            .insert(key, found.clone());
        found
    }

    fn read(&self, path: &Path, module: &str) -> Option<Arc<ModuleSummary>> {
        if std::fs::metadata(path).ok()?.len() > MAX_MODULE_BYTES {
            return None;
        }
        let bytes = std::fs::read(path).ok()?;
        let source = String::from_utf8(bytes).ok()?;
        let parsed = parse(&source);
        self.loaded.fetch_add(1, Ordering::Relaxed);
        Some(Arc::new(ModuleSummary::build(
            parsed.module(),
            module,
            path.to_path_buf(),
        )))
    }
}

impl ModuleLoader for ProjectLoader {
    fn load(&self, module: &str, importer: &ModuleSummary) -> Option<Arc<ModuleSummary>> {
        if module.is_empty() {
            return None;
        }
        let path = self.find(module, &importer.path)?;
        if let Some(cached) = self
            .modules
            .lock()
            .expect("no panics while locked")
            .get(&path)
        {
            return cached.clone();
        }
        let summary = self.read(&path, module);
        self.modules
            .lock()
            .expect("no panics while locked")
            .entry(path)
            .or_insert(summary)
            .clone()
    }

    fn source(&self, path: &Path) -> Option<Arc<str>> {
        if !path.starts_with(&self.root) || std::fs::metadata(path).ok()?.len() > MAX_MODULE_BYTES {
            return None;
        }
        let bytes = std::fs::read(path).ok()?;
        String::from_utf8(bytes).ok().map(Arc::from)
    }

    fn module_name(&self, path: &Path) -> Option<String> {
        Some(ProjectLoader::module_name(self, path))
    }
}
