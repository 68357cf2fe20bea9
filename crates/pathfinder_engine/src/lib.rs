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
//!
//! After the rules ran, each file's findings get their [`fingerprint`]s, then
//! [`suppress`] leaves out what the project chose to ignore (inline comments,
//! per-path ignores); the whole report is then narrowed to the lines a change
//! touched ([`diff`]) and to findings not in a [`baseline`].

mod apply_fix;
pub mod baseline;
mod check;
pub mod diff;
mod discover;
mod fingerprint;
mod loader;
mod prefilter;
mod project;
pub mod suppress;
mod testfiles;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use pathfinder_diagnostics::{Diagnostic, LineIndex, Severity};
use pathfinder_rules::Rule;
use rayon::prelude::*;

pub use baseline::Baseline;
pub use diff::{ChangedLines, DiffError};
pub use project::django_settings;
pub use suppress::{PathIgnore, UnusedIgnore};
pub use testfiles::is_test_file;

/// What the scan is asked to do; built by the command line from its flags.
#[derive(Debug, Clone, Default)]
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
    /// Whether to apply fixes, or show them as a diff.
    pub fix: FixMode,
    /// Rules switched off for paths matching a glob.
    pub per_path_ignores: Vec<PathIgnore>,
    /// A severity that replaces a rule's own, by rule id.
    pub severity_overrides: Vec<(String, Severity)>,
    /// Report `# pathfinder: ignore` comments that suppress nothing.
    pub report_unused_ignores: bool,
    /// Keep only findings that start on these lines (`--diff-aware`).
    pub changed_lines: Option<ChangedLines>,
    /// Leave out the findings recorded in this baseline.
    pub baseline: Option<Baseline>,
}

/// What to do with the fixes findings carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FixMode {
    /// Report only.
    #[default]
    Off,
    /// Write the fixed files (`--fix`).
    Apply { unsafe_fixes: bool },
    /// Compute the fixed files and keep their diffs; write nothing (`--diff`).
    Diff { unsafe_fixes: bool },
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
    /// The findings left (after fixing, when fixes were written).
    pub diagnostics: Vec<Diagnostic>,
    /// Findings fixed (written with `--fix`, or shown with `--diff`).
    pub fixes_applied: usize,
    /// With `--diff`: the unified diff of the fixes.
    pub diff: Option<String>,
    /// The fingerprint of each diagnostic, index for index.
    pub fingerprints: Vec<String>,
}

impl FileReport {
    /// Keeps the diagnostics (and their fingerprints) for which `keep` holds.
    pub fn retain(&mut self, mut keep: impl FnMut(&Diagnostic, &str, &LineIndex) -> bool) {
        let mut kept_diagnostics = Vec::with_capacity(self.diagnostics.len());
        let mut kept_fingerprints = Vec::with_capacity(self.diagnostics.len());
        for (diagnostic, fingerprint) in self.diagnostics.drain(..).zip(self.fingerprints.drain(..))
        {
            if keep(&diagnostic, &fingerprint, &self.line_index) {
                kept_diagnostics.push(diagnostic);
                kept_fingerprints.push(fingerprint);
            }
        }
        self.diagnostics = kept_diagnostics;
        self.fingerprints = kept_fingerprints;
    }

    /// Adds another report's findings on the same file, keeping them sorted.
    pub(crate) fn merge(&mut self, other: FileReport) {
        let mut all: Vec<(Diagnostic, String)> = self
            .diagnostics
            .drain(..)
            .zip(self.fingerprints.drain(..))
            .chain(other.diagnostics.into_iter().zip(other.fingerprints))
            .collect();
        all.sort_by_key(|(diagnostic, _)| (diagnostic.range.start(), diagnostic.rule));
        (self.diagnostics, self.fingerprints) = all.into_iter().unzip();
    }

    /// The one-based line where `diagnostic` starts.
    pub fn start_line(&self, diagnostic: &Diagnostic) -> usize {
        self.line_index.line_of(diagnostic.range.start()) + 1
    }
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
    /// Findings left out by inline comments or per-path ignores.
    pub findings_suppressed: usize,
    /// Findings left out because they are in the baseline.
    pub findings_in_baseline: usize,
    /// Findings left out because they start outside the changed lines.
    pub findings_outside_diff: usize,
    /// When the scan started, in seconds since the Unix epoch.
    pub started_unix: u64,
    pub elapsed: Duration,
}

/// The result of a scan, sorted by path.
#[derive(Debug)]
pub struct ScanReport {
    pub root: PathBuf,
    pub files: Vec<FileReport>,
    pub notices: Vec<Notice>,
    /// `# pathfinder: ignore` comments that suppress nothing; filled only
    /// when [`Settings::report_unused_ignores`] is set. Sorted by path and line.
    pub unused_ignores: Vec<UnusedIgnore>,
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

    /// Findings fixed, over all files.
    pub fn fixes_applied(&self) -> usize {
        self.files.iter().map(|file| file.fixes_applied).sum()
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
    BadPerPathIgnore(String),
    Threads(String),
}

impl std::fmt::Display for ScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScanError::MissingRoot(path) => {
                write!(f, "project path `{}` does not exist", path.display())
            }
            ScanError::BadExclude(message) => write!(f, "invalid --exclude pattern: {message}"),
            ScanError::BadPerPathIgnore(message) => write!(f, "invalid {message}"),
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
    let started_at = started_unix();
    if !settings.root.exists() {
        return Err(ScanError::MissingRoot(settings.root.clone()));
    }
    let root = settings
        .root
        .canonicalize()
        .map_err(|_| ScanError::MissingRoot(settings.root.clone()))?;
    let excludes = discover::build_excludes(&settings.excludes).map_err(ScanError::BadExclude)?;
    let path_ignores = suppress::PathIgnores::new(&settings.per_path_ignores)
        .map_err(ScanError::BadPerPathIgnore)?;
    let active: Vec<&'static str> = settings.rules.iter().map(|rule| rule.id).collect();
    let filters = check::Filters {
        path_ignores,
        severity_overrides: &settings.severity_overrides,
        report_unused_ignores: settings.report_unused_ignores,
        active: &active,
    };
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
        fix: settings.fix,
        filters: &filters,
        keep_paths: settings.rules.iter().any(|rule| rule.checks_project()),
    };
    // The walk only lists paths, which is quick; the files are then shared
    // out by rayon's work stealing, without a channel between the two.
    discover::walk(&root, &excludes, threads, &sender, &seen, progress);
    drop(sender);
    let entries: Vec<discover::Entry> = receiver.into_iter().collect();
    // Counters are summed as files finish; only outcomes that carry something
    // (findings, notices, a path the project pass needs) are kept.
    let bytes_read = AtomicU64::new(0);
    let parsed = AtomicUsize::new(0);
    let skipped = AtomicUsize::new(0);
    let suppressed = AtomicUsize::new(0);
    let outcomes: Vec<check::Outcome> = pool.install(|| {
        entries
            .into_par_iter()
            .map_init(Vec::new, |buffer, entry| {
                let outcome = checker.check(entry, buffer);
                progress.finished(
                    outcome
                        .report
                        .as_ref()
                        .map_or(0, |report| report.diagnostics.len()),
                );
                bytes_read.fetch_add(outcome.bytes, Ordering::Relaxed);
                parsed.fetch_add(usize::from(outcome.parsed), Ordering::Relaxed);
                skipped.fetch_add(usize::from(outcome.skipped_as_test), Ordering::Relaxed);
                suppressed.fetch_add(outcome.suppressed, Ordering::Relaxed);
                let keep = outcome.report.is_some()
                    || outcome.file.is_some()
                    || !outcome.notices.is_empty()
                    || !outcome.unused_ignores.is_empty();
                keep.then_some(outcome)
            })
            .flatten()
            .collect()
    });

    let mut stats = Stats {
        files_seen: seen.load(Ordering::Relaxed),
        started_unix: started_at,
        bytes_read: bytes_read.into_inner(),
        files_parsed: parsed.into_inner(),
        files_skipped_as_tests: skipped.into_inner(),
        findings_suppressed: suppressed.into_inner(),
        ..Stats::default()
    };
    let mut files = Vec::new();
    let mut notices = Vec::new();
    let mut unused_ignores = Vec::new();
    let mut scanned: Vec<PathBuf> = Vec::new();
    for outcome in outcomes {
        scanned.extend(outcome.file);
        notices.extend(outcome.notices);
        unused_ignores.extend(outcome.unused_ignores);
        if let Some(mut report) = outcome.report {
            narrow(&mut report, settings, &mut stats);
            if !report.diagnostics.is_empty() || report.fixes_applied > 0 {
                files.push(report);
            }
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
        checker: &checker,
        settings,
    }
    .run(&mut files, &mut notices, &mut stats);
    stats.modules_loaded = loader.loaded();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    notices.sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.message.cmp(&b.message)));
    notices.dedup();
    unused_ignores.sort_by(|a, b| a.path.cmp(&b.path).then(a.line.cmp(&b.line)));
    stats.elapsed = started.elapsed();
    Ok(ScanReport {
        root,
        files,
        notices,
        unused_ignores,
        stats,
    })
}

/// Leaves out the findings outside the changed lines and those in the baseline.
pub(crate) fn narrow(report: &mut FileReport, settings: &Settings, stats: &mut Stats) {
    if let Some(changed) = &settings.changed_lines {
        let before = report.diagnostics.len();
        let path = report.path.clone();
        let touched = changed.touches(&path);
        report.retain(|diagnostic, _, line_index| {
            changed.contains(&path, line_index.line_of(diagnostic.range.start()) + 1)
                // A project-level finding (a setting never set, reported at the
                // module's first line) belongs to the whole module: any change
                // to the module counts.
                || (touched
                    && pathfinder_rules::find_rule(diagnostic.rule)
                        .is_some_and(pathfinder_rules::Rule::checks_project))
        });
        stats.findings_outside_diff += before - report.diagnostics.len();
    }
    if let Some(baseline) = &settings.baseline {
        let before = report.diagnostics.len();
        let path = report.path.clone();
        report.retain(|diagnostic, fingerprint, _| {
            !baseline.contains(diagnostic.rule, &path, fingerprint)
        });
        stats.findings_in_baseline += before - report.diagnostics.len();
    }
}

fn started_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

/// `path` relative to `root`, with `/` separators.
pub(crate) fn relative(path: &Path, root: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

/// A path as every output writes it: UTF-8 text with `/` separators, in
/// which `%` and each byte that is not UTF-8 (a Latin-1 file name) are
/// percent-encoded, so no byte of the name is lost and `%` always starts an
/// escape (`café.py` in Latin-1 is `caf%E9.py`, `100%.py` is `100%25.py`).
pub fn display_path(path: &Path) -> String {
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str());
    #[cfg(not(unix))]
    let lossy = path
        .to_string_lossy()
        .replace(std::path::MAIN_SEPARATOR, "/");
    #[cfg(not(unix))]
    let bytes = lossy.as_bytes();
    let mut text = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '%' {
                text.push_str("%25");
            } else {
                text.push(c);
            }
        }
        for byte in chunk.invalid() {
            text.push_str(&format!("%{byte:02X}"));
        }
    }
    text
}
