//! The scan of a project, from the file tree to sorted findings.
//!
//! [`scan`] walks the project in parallel ([`discover`]), reads each Python
//! file once, skips the files that contain none of the active rules' needles
//! ([`prefilter`]), parses the rest and runs the rules on them ([`check`]).
//! Modules of the project that a rule needs to resolve an import are parsed
//! lazily by the [`loader`]. Rules that judge the project as a whole (the
//! Django settings audit) run once after the walk, in the [`project`] pass.
//! Nothing a file contains can stop the scan: every
//! problem becomes a [`Notice`].

mod check;
mod discover;
mod loader;
mod prefilter;
mod project;
mod testfiles;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use pathfinder_diagnostics::{Diagnostic, LineIndex};
use pathfinder_rules::Rule;
use rayon::prelude::*;

pub use project::django_settings;
pub use testfiles::is_test_file;

/// What the scan is asked to do; built by the command line from its flags.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The project folder (or a single file).
    pub root: PathBuf,
    pub rules: Vec<&'static Rule>,
    /// Skip test files (`tests/`, `test_*.py`, `conftest.py`...).
    pub skip_tests: bool,
    /// Glob patterns of paths to leave out, relative to the project.
    pub excludes: Vec<String>,
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
}

/// A file that could not be read or analysed in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Relative to the project root.
    pub path: PathBuf,
    pub message: String,
}

/// The findings of one file, with its text for rendering.
#[derive(Debug)]
pub struct FileReport {
    /// Relative to the project root, with `/` separators on every platform.
    pub path: String,
    pub source: Arc<str>,
    pub line_index: LineIndex,
    pub diagnostics: Vec<Diagnostic>,
}

/// Counters of one scan.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    /// Python files discovered.
    pub files_seen: usize,
    /// Test files left out by `skip_tests`.
    pub files_skipped_as_tests: usize,
    /// Files parsed because they contain a needle.
    pub files_parsed: usize,
    /// Project modules parsed to resolve an import.
    pub modules_loaded: usize,
    pub bytes_read: u64,
    pub elapsed: Duration,
}

/// The result of a scan, sorted by path.
#[derive(Debug)]
pub struct ScanReport {
    pub root: PathBuf,
    pub files: Vec<FileReport>,
    pub notices: Vec<Notice>,
    pub stats: Stats,
}

impl ScanReport {
    pub fn diagnostics(&self) -> impl Iterator<Item = (&FileReport, &Diagnostic)> {
        self.files.iter().flat_map(|file| {
            file.diagnostics
                .iter()
                .map(move |diagnostic| (file, diagnostic))
        })
    }

    pub fn finding_count(&self) -> usize {
        self.files.iter().map(|file| file.diagnostics.len()).sum()
    }
}

/// A problem that prevents the scan from starting.
#[derive(Debug)]
pub enum ScanError {
    MissingRoot(PathBuf),
    BadExclude(String),
    Threads(String),
}

impl std::fmt::Display for ScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScanError::MissingRoot(path) => {
                write!(f, "project path `{}` does not exist", path.display())
            }
            ScanError::BadExclude(message) => write!(f, "invalid --exclude pattern: {message}"),
            ScanError::Threads(message) => write!(f, "could not start worker threads: {message}"),
        }
    }
}

impl std::error::Error for ScanError {}

/// Progress callbacks, for a progress bar.
pub trait Progress: Sync {
    /// Called once per discovered Python file.
    fn discovered(&self) {}
    /// Called once per finished file, with the number of findings in it.
    fn finished(&self, _findings: usize) {}
}

/// A progress sink that ignores everything.
pub struct NoProgress;

impl Progress for NoProgress {}

/// Each worker's stack. Parsing grows its own stack as needed; this covers
/// the recursive parts of analysis and of freeing deep syntax trees.
const WORKER_STACK: usize = 256 * 1024 * 1024;

/// Scans a project.
pub fn scan(settings: &Settings, progress: &dyn Progress) -> Result<ScanReport, ScanError> {
    let started = Instant::now();
    if !settings.root.exists() {
        return Err(ScanError::MissingRoot(settings.root.clone()));
    }
    let root = settings
        .root
        .canonicalize()
        .map_err(|_| ScanError::MissingRoot(settings.root.clone()))?;
    let excludes = discover::build_excludes(&settings.excludes).map_err(ScanError::BadExclude)?;
    let prefilter = prefilter::Prefilter::new(&settings.rules);
    let loader = loader::ProjectLoader::new(root.clone());
    let threads = if settings.jobs == 0 {
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    } else {
        settings.jobs
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(WORKER_STACK)
        .thread_name(|index| format!("pathfinder-{index}"))
        .build()
        .map_err(|error| ScanError::Threads(error.to_string()))?;

    let seen = AtomicUsize::new(0);
    let (sender, receiver) = std::sync::mpsc::channel::<discover::Entry>();
    let checker = check::FileChecker {
        root: &root,
        rules: &settings.rules,
        prefilter: &prefilter,
        loader: &loader,
        skip_tests: settings.skip_tests,
    };
    let outcomes: Vec<check::Outcome> = std::thread::scope(|scope| {
        let walk_root = root.clone();
        let excludes = &excludes;
        let seen = &seen;
        scope.spawn(move || discover::walk(&walk_root, excludes, threads, &sender, seen, progress));
        pool.install(|| {
            receiver
                .into_iter()
                .par_bridge()
                .map(|entry| {
                    let outcome = checker.check(entry);
                    progress.finished(
                        outcome
                            .report
                            .as_ref()
                            .map_or(0, |report| report.diagnostics.len()),
                    );
                    outcome
                })
                .collect()
        })
    });

    let mut stats = Stats {
        files_seen: seen.load(Ordering::Relaxed),
        ..Stats::default()
    };
    let mut files = Vec::new();
    let mut notices = Vec::new();
    let mut scanned: Vec<PathBuf> = Vec::new();
    for outcome in outcomes {
        scanned.extend(outcome.file);
        stats.bytes_read += outcome.bytes;
        stats.files_parsed += usize::from(outcome.parsed);
        stats.files_skipped_as_tests += usize::from(outcome.skipped_as_test);
        notices.extend(outcome.notices);
        if let Some(report) = outcome.report
            && !report.diagnostics.is_empty()
        {
            files.push(report);
        }
    }
    scanned.sort();
    project::ProjectPass {
        root: &root,
        files: &scanned,
        loader: &loader,
        rules: &settings.rules,
        excludes: &excludes,
        skip_tests: settings.skip_tests,
    }
    .run(&mut files, &mut notices);
    stats.modules_loaded = loader.loaded();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    notices.sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.message.cmp(&b.message)));
    notices.dedup();
    stats.elapsed = started.elapsed();
    Ok(ScanReport {
        root,
        files,
        notices,
        stats,
    })
}

/// `path` relative to `root`, with `/` separators.
pub(crate) fn relative(path: &Path, root: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

pub(crate) fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        text.into_owned()
    } else {
        text.replace(std::path::MAIN_SEPARATOR, "/")
    }
}
