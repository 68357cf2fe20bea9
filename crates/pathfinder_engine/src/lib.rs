//! The scan of a project, from the file tree to sorted findings.
//!
//! [`scan`] walks the project in parallel ([`discover`]) and streams the
//! paths to the workers as it finds them. Each worker reads a Python file
//! once, skips it unless it contains a needle of an active rule
//! ([`prefilter`]), parses it and runs the file rules ([`check`]). Modules
//! of the project that a rule needs to resolve an import are parsed lazily
//! by the [`loader`], the single cache of parses. Rules that judge the
//! project as a whole (the Django settings audit) run once after the walk,
//! in the [`project`] pass, over the files it starts from only. Nothing a
//! file contains can stop the scan: every problem becomes a [`Notice`].
//!
//! Then every finding, from a file rule or the project pass, goes through
//! one sequence ([`pipeline`]): fingerprints, suppressions ([`suppress`]),
//! the [`baseline`], severity overrides, diff narrowing ([`diff`]), fixes to a
//! fixpoint, and the report.
//!
//! # Texts in memory
//!
//! The command line, a language server and the playground all call [`scan`].
//! The last two hand it texts that are not (or not yet) on disk through
//! [`Settings::overlay`], and may ask for some files only with
//! [`Settings::paths`]. A root that does not exist but holds overlay texts
//! is a project made only of them:
//!
//! ```
//! use std::sync::Arc;
//! use pathfinder_engine::{NoProgress, Overlay, Settings, scan};
//!
//! let mut overlay = Overlay::new();
//! overlay.insert(
//!     "/playground/views.py",
//!     "from django.http import HttpResponse\n\
//!      def view(request):\n\
//!      \x20   response = HttpResponse('ok')\n\
//!      \x20   response.set_cookie('sessionid', 'v')\n\
//!      \x20   return response\n",
//! );
//! let settings = Settings {
//!     root: "/playground".into(),
//!     rules: pathfinder_rules::rules().to_vec(),
//!     overlay: Some(Arc::new(overlay)),
//!     ..Settings::default()
//! };
//! let report = scan(&settings, &NoProgress).expect("the overlay holds the project");
//! let (file, finding) = report.findings().next().expect("one finding");
//! assert_eq!(file.path, "views.py");
//! assert_eq!(finding.diagnostic.rule, "PYTHON-DJANGO-SEC-070");
//! assert_eq!(file.start_line(&finding.diagnostic), 4);
//! ```

mod apply_fix;
pub mod baseline;
mod check;
mod dependencies;
pub mod diff;
mod discover;
mod fingerprint;
mod imports;
mod loader;
mod overlay;
mod pipeline;
mod prefilter;
mod project;
pub mod suppress;
mod testfiles;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pathfinder_diagnostics::{Diagnostic, LineIndex, Severity};
use pathfinder_rules::models::UserModels;
use pathfinder_rules::{ProjectDiagnostic, Rule, STARTING_NEEDLES};
use rayon::prelude::*;

pub use baseline::Baseline;
pub use diff::{ChangedLines, DiffError, FileChanges};
pub use overlay::Overlay;
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
    /// In-memory texts that stand in for files (a language server's open
    /// documents, the playground's editor). A root that does not exist on
    /// disk but holds overlay texts is a virtual project made of them.
    pub overlay: Option<Arc<Overlay>>,
    /// Check these files (absolute, or relative to the root) instead of
    /// every file of the project. The project pass still reads the whole
    /// project; only findings in these files are reported.
    pub paths: Option<Vec<PathBuf>>,
    /// The response classes and cookie helpers the project declares.
    pub models: Arc<UserModels>,
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

/// A cookie write the rules saw and left unreported because the code does
/// not tell whether it is insecure (`--verbose` lists them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SilentWrite {
    /// Relative to the project root, with `/`.
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub reason: String,
}

/// One finding as reported: what the rule found, and its fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub diagnostic: Diagnostic,
    /// Stable across edits elsewhere in the file, as 16 hex digits and an
    /// occurrence suffix (`61317e74a41f01b2:1`): for baselines, SARIF
    /// `partialFingerprints` and pull-request comments.
    pub fingerprint: String,
}

/// The findings of one file, with its text for rendering.
#[derive(Debug)]
pub struct FileReport {
    /// Relative to the project root, with `/` separators on every platform.
    pub path: String,
    /// The text the findings point into (the fixed text, when fixes were written).
    pub source: Arc<str>,
    pub line_index: LineIndex,
    /// The findings reported, sorted by position.
    pub findings: Vec<Finding>,
    /// With a diff-aware scan: the findings outside the changed lines, neither
    /// reported nor fixed (CI keeps its pull-request comments on them).
    pub outside_diff: Vec<Finding>,
    /// Findings fixed (written with `--fix`, or shown with `--diff`).
    pub fixes_applied: usize,
    /// With `--diff`: the unified diff of the fixes.
    pub diff: Option<String>,
}

impl FileReport {
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
    /// Project modules parsed to resolve an import or for the project pass.
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
    /// The files with findings (or fixes), sorted by path.
    pub files: Vec<FileReport>,
    pub notices: Vec<Notice>,
    /// `# pathfinder: ignore` comments that suppress nothing; filled only
    /// when [`Settings::report_unused_ignores`] is set. Sorted by path and line.
    pub unused_ignores: Vec<UnusedIgnore>,
    /// Cookie writes left unreported, and why; sorted by path and line.
    pub silent: Vec<SilentWrite>,
    pub stats: Stats,
}

impl ScanReport {
    /// Every finding reported, by file.
    pub fn findings(&self) -> impl Iterator<Item = (&FileReport, &Finding)> {
        self.files
            .iter()
            .flat_map(|file| file.findings.iter().map(move |finding| (file, finding)))
    }

    /// Findings fixed, over all files.
    pub fn fixes_applied(&self) -> usize {
        self.files.iter().map(|file| file.fixes_applied).sum()
    }

    /// Findings reported (left after fixing).
    pub fn finding_count(&self) -> usize {
        self.files.iter().map(|file| file.findings.len()).sum()
    }

    /// Files with a finding reported (left after fixing).
    pub fn files_with_findings(&self) -> usize {
        self.files
            .iter()
            .filter(|file| !file.findings.is_empty())
            .count()
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

/// Files waiting for a parse, per worker: enough to keep every worker busy,
/// few enough that the bytes they hold stay few.
const PARSES_QUEUED_PER_WORKER: usize = 2;

/// Scans a project.
pub fn scan(settings: &Settings, progress: &dyn Progress) -> Result<ScanReport, ScanError> {
    let started = Instant::now();
    let started_at = started_unix();
    let (root, given, files) = resolve_root(settings)?;
    let explicit_paths: Option<Vec<PathBuf>> = settings.paths.as_ref().map(|paths| {
        paths
            .iter()
            .map(|path| overlay::rebase(path, &given, &root))
            .collect()
    });
    let excludes = discover::build_excludes(&settings.excludes).map_err(ScanError::BadExclude)?;
    let path_ignores = suppress::PathIgnores::new(&settings.per_path_ignores)
        .map_err(ScanError::BadPerPathIgnore)?;
    let active: Vec<&'static str> = settings.rules.iter().map(|rule| rule.id).collect();
    let unused_ignores_of = settings.report_unused_ignores.then_some(active.as_slice());
    let prefilter = prefilter::Prefilter::with_starting(
        &settings.rules,
        &settings.models.needles(),
        STARTING_NEEDLES,
    );
    let loader = loader::ProjectLoader::new(root.clone(), files);
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
    let checker = check::FileChecker {
        root: &root,
        rules: &settings.rules,
        prefilter: &prefilter,
        loader: &loader,
        skip_tests: settings.skip_tests,
        unused_ignores_of,
        models: &settings.models,
        checked: check::Shards::new(),
    };
    let checks_project = settings.rules.iter().any(|rule| rule.checks_project());
    // The configuration files near the root are looked for while the
    // walk goes on: a few folders' listings, on a thread of their own.
    let config_files = checks_project.then(|| {
        let root = root.clone();
        std::thread::Builder::new()
            .name("pathfinder-config".to_string())
            .spawn(move || pathfinder_rules::settings::entry::config_files_near(&root))
    });

    // The files: checked as the walk finds them.
    let seen = AtomicUsize::new(0);
    let counters = Counters::default();
    let outcomes = match &explicit_paths {
        Some(paths) => {
            // A file the project excludes stays out even when it is named, as
            // a pre-commit hook names every staged file.
            let kept: Vec<PathBuf> = paths
                .iter()
                .filter(|path| !discover::excluded_within(&excludes, &root, path))
                .cloned()
                .collect();
            let entries = explicit_entries(&kept, &root, loader.files(), &seen, progress);
            check_entries(&pool, &checker, &counters, progress, |send| {
                for entry in entries {
                    if !send(entry) {
                        break;
                    }
                }
            })
        }
        None => check_entries(&pool, &checker, &counters, progress, |send| {
            if root.exists() {
                discover::walk(&root, &excludes, threads, send, &seen, progress);
            }
            in_memory_entries(&root, &excludes, loader.files(), send, &seen, progress);
        }),
    };
    let mut notices = Vec::new();
    let mut unused_ignores = Vec::new();
    let mut silent = Vec::new();
    let mut starting_files = Vec::new();
    let mut helper_files = Vec::new();
    let mut pending: BTreeMap<PathBuf, check::Pending> = BTreeMap::new();
    for outcome in outcomes {
        notices.extend(outcome.notices);
        unused_ignores.extend(outcome.unused_ignores);
        silent.extend(outcome.silent);
        starting_files.extend(outcome.starting);
        if let Some(path) = outcome.helpers {
            helper_files.push(path);
        }
        if let Some(file) = outcome.pending {
            pending.insert(file.path.clone(), file);
        }
    }

    // The project pass, over the files it starts from; its findings join
    // the files' own.
    // Calls of the project's cookie helpers are judged there too: the files
    // that may hold one are those that mention a helper's name.
    helper_files.sort();
    // What the walk kept of every file's imports, for as long as the pass
    // looks for the callers of helpers.
    let walked = if helper_files.is_empty() {
        Vec::new()
    } else {
        checker.checked.take()
    };
    // The helper stage asks for the callers of what it found, beside the
    // settings hooks; a pass run again after a fix asks again.
    let callers_found: Mutex<HashMap<Vec<HelperName>, Vec<PathBuf>>> = Mutex::default();
    let find_callers = |wanted: &[(PathBuf, String)]| {
        if let Some(known) = callers_found
            .lock()
            .ok()
            .and_then(|found| found.get(wanted).cloned())
        {
            return known;
        }
        let needles: Vec<HelperNeedle> = wanted
            .iter()
            .map(|(file, name)| HelperNeedle::new(file, name, loader.module_name(file)))
            .collect();
        let callers = callers_of(&pool, &root, loader.files(), &needles, &walked);
        if let Ok(mut found) = callers_found.lock() {
            found.insert(wanted.to_vec(), callers.clone());
        }
        callers
    };
    let project = (checks_project || !helper_files.is_empty()).then(|| {
        if explicit_paths.is_some() && checks_project {
            // Only some files were checked; the pass reads the whole project.
            starting_files = starting_points(&root, &excludes, &checker, threads);
        }
        starting_files.sort();
        let config_files = match config_files {
            Some(Ok(thread)) => thread.join().unwrap_or_else(|_| {
                notices.push(Notice {
                    path: PathBuf::new(),
                    message: "internal error while looking for configuration files; \
                              the settings audit went on without them; please report it"
                        .to_string(),
                });
                Vec::new()
            }),
            Some(Err(_)) => pathfinder_rules::settings::entry::config_files_near(&root),
            None => Vec::new(),
        };
        project::ProjectPass {
            root: &root,
            files: std::mem::take(&mut starting_files),
            config_files,
            helpers: std::mem::take(&mut helper_files),
            models: &settings.models,
            loader: &loader,
            rules: &settings.rules,
            find_callers: &find_callers,
        }
    });
    if let Some(project) = &project {
        match pool.install(|| project.run(None)) {
            Ok(found) => {
                let only: Option<HashSet<&Path>> = explicit_paths
                    .as_ref()
                    .map(|paths| paths.iter().map(PathBuf::as_path).collect());
                // The helper calls it left unreported, with why.
                silent.extend(
                    found
                        .silent
                        .into_iter()
                        .filter(|write| {
                            reports_on(&write.path, &root, settings, &excludes, only.as_ref())
                        })
                        .map(|write| SilentWrite {
                            path: display_path(&relative(&write.path, &root)),
                            line: write.line,
                            column: write.column,
                            reason: write.reason,
                        }),
                );
                attach(
                    found.diagnostics,
                    &mut pending,
                    &root,
                    settings,
                    &excludes,
                    only.as_ref(),
                    &loader,
                );
            }
            Err(notice) => notices.push(notice),
        }
        loader.forget_parses();
    }

    // One sequence for every finding.
    let pipeline = pipeline::Pipeline {
        checker: &checker,
        project: project.as_ref(),
        path_ignores: &path_ignores,
        baseline: settings.baseline.as_ref(),
        severity_overrides: &settings.severity_overrides,
        changed_lines: settings.changed_lines.as_ref(),
        fix: settings.fix,
        unused_ignores_of,
    };
    // Unused ignores of these files are those the sequence finds.
    let in_sequence: HashSet<String> = pending.values().map(|file| file.display.clone()).collect();
    unused_ignores.retain(|ignore: &UnusedIgnore| !in_sequence.contains(&ignore.path));
    let finished: Vec<pipeline::Finished> = pool.install(|| {
        pending
            .into_values()
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|file| pipeline.run(file))
            .collect()
    });
    loader.forget_parses();

    let mut stats = Stats {
        files_seen: seen.load(Ordering::Relaxed),
        started_unix: started_at,
        bytes_read: counters.bytes.into_inner(),
        files_parsed: counters.parsed.into_inner(),
        files_skipped_as_tests: counters.skipped.into_inner(),
        modules_loaded: loader.loaded(),
        ..Stats::default()
    };
    let mut reports = Vec::new();
    for file in finished {
        stats.findings_suppressed += file.counts.suppressed;
        stats.findings_in_baseline += file.counts.in_baseline;
        stats.findings_outside_diff += file.counts.outside_diff;
        notices.extend(file.notices);
        unused_ignores.extend(file.unused_ignores);
        reports.extend(file.report);
    }
    reports.sort_by(|a, b| a.path.cmp(&b.path));
    // A write the file rules left to the project pass is no silence when
    // the pass reported it.
    let reported: HashSet<(&str, usize)> = reports
        .iter()
        .flat_map(|file: &FileReport| {
            file.findings
                .iter()
                .map(move |finding| (file.path.as_str(), file.start_line(&finding.diagnostic)))
        })
        .collect();
    silent.retain(|write| !reported.contains(&(write.path.as_str(), write.line)));
    notices.sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.message.cmp(&b.message)));
    notices.dedup();
    unused_ignores.sort_by(|a, b| a.path.cmp(&b.path).then(a.line.cmp(&b.line)));
    silent.sort_by(|a: &SilentWrite, b| {
        (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column))
    });
    stats.elapsed = started.elapsed();
    Ok(ScanReport {
        root,
        files: reports,
        notices,
        unused_ignores,
        silent,
        stats,
    })
}

/// Counters summed as files finish.
#[derive(Default)]
struct Counters {
    bytes: AtomicU64,
    parsed: AtomicUsize,
    skipped: AtomicUsize,
}

/// Checks the entries `produce` hands over, as they come: the paths are
/// never all held at once. Each entry is read on the thread that hands it
/// over (the walk's threads), which settles most files; a file with a
/// needle goes on to the pool's workers to be parsed. Only outcomes that
/// carry something (findings, notices, a file the project pass starts
/// from) are kept.
fn check_entries(
    pool: &rayon::ThreadPool,
    checker: &check::FileChecker<'_>,
    counters: &Counters,
    progress: &dyn Progress,
    produce: impl FnOnce(&(dyn Fn(discover::Entry) -> bool + Sync)) + Send,
) -> Vec<check::Outcome> {
    thread_local! {
        /// The read buffer of each thread that hands over entries.
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    // Files waiting for a parse hold their bytes: few are queued.
    let (sender, receiver) = std::sync::mpsc::sync_channel::<check::ToParse>(
        PARSES_QUEUED_PER_WORKER * pool.current_num_threads(),
    );
    let receiver = Mutex::new(receiver);
    let kept = check::Shards::new();
    let finish = |outcome: check::Outcome| {
        progress.finished(
            outcome
                .pending
                .as_ref()
                .map_or(0, |file| file.diagnostics.len()),
        );
        counters.bytes.fetch_add(outcome.bytes, Ordering::Relaxed);
        counters
            .parsed
            .fetch_add(usize::from(outcome.parsed), Ordering::Relaxed);
        counters
            .skipped
            .fetch_add(usize::from(outcome.skipped_as_test), Ordering::Relaxed);
        if outcome.carries_something() {
            kept.push(outcome);
        }
    };
    std::thread::scope(|scope| {
        scope.spawn(|| {
            // The channel closes when this returns and `sender` is dropped.
            let sender = sender;
            let send = |entry| {
                let stage = BUFFER.with(|buffer| checker.read(entry, &mut buffer.borrow_mut()));
                match stage {
                    check::Stage::Done(outcome) => {
                        finish(outcome);
                        true
                    }
                    check::Stage::Parse(file) => sender.send(file).is_ok(),
                }
            };
            produce(&send);
        });
        pool.broadcast(|_| {
            loop {
                let next = receiver.lock().expect("no panics while locked").recv();
                let Ok(file) = next else {
                    break;
                };
                finish(checker.parse(file));
            }
        });
    });
    kept.take()
}

/// Whether the scan reports on the file at `path`, which the project pass
/// read: not a test file (when those are skipped), not excluded and, when
/// only some files are checked, one of them.
fn reports_on(
    path: &Path,
    root: &Path,
    settings: &Settings,
    excludes: &globset::GlobSet,
    only: Option<&HashSet<&Path>>,
) -> bool {
    !((settings.skip_tests && is_test_file(&relative(path, root)))
        || discover::excluded(excludes, root, path)
        || only.is_some_and(|only| !only.contains(path)))
}

/// Attaches the project pass's findings to the files they point into, as
/// the scan would report those files (see [`reports_on`]).
fn attach(
    found: Vec<ProjectDiagnostic>,
    pending: &mut BTreeMap<PathBuf, check::Pending>,
    root: &Path,
    settings: &Settings,
    excludes: &globset::GlobSet,
    only: Option<&HashSet<&Path>>,
    loader: &loader::ProjectLoader,
) {
    for finding in found {
        if !reports_on(&finding.path, root, settings, excludes, only) {
            continue;
        }
        let relative_path = relative(&finding.path, root);
        if let Some(file) = pending.get_mut(&finding.path) {
            file.diagnostics.push(finding.diagnostic);
            file.from_project = true;
            continue;
        }
        let Some(source) = loader.files().text(&finding.path, check::MAX_FILE_BYTES) else {
            continue;
        };
        pending.insert(
            finding.path.clone(),
            check::Pending {
                display: display_path(&relative_path),
                path: finding.path,
                source,
                exact: true,
                syntax_errors: None,
                diagnostics: vec![finding.diagnostic],
                from_project: true,
            },
        );
    }
}

/// The project root as the scan sees it (symbolic links resolved; a
/// virtual root as given), the root as the caller spelt it (absolute), and
/// the file access through the overlay rebased onto the first.
fn resolve_root(settings: &Settings) -> Result<(PathBuf, PathBuf, overlay::Files), ScanError> {
    let missing = || ScanError::MissingRoot(settings.root.clone());
    let given = std::path::absolute(&settings.root).map_err(|_| missing())?;
    let overlay = settings.overlay.as_deref();
    let root = if settings.root.exists() {
        settings.root.canonicalize().map_err(|_| missing())?
    } else if overlay.is_some_and(|overlay| overlay.covers(&given)) {
        given.clone()
    } else {
        return Err(missing());
    };
    let overlay = overlay.map(|overlay| Arc::new(overlay.rebased(&given, &root)));
    Ok((root, given, overlay::Files::new(overlay)))
}

/// The entries for an explicit list of files: each one that exists (in the
/// overlay or on disk), a notice for the others.
fn explicit_entries(
    paths: &[PathBuf],
    root: &Path,
    files: &overlay::Files,
    seen: &AtomicUsize,
    progress: &dyn Progress,
) -> Vec<discover::Entry> {
    let mut entries = Vec::with_capacity(paths.len());
    for path in paths {
        if files.is_file(path) {
            seen.fetch_add(1, Ordering::Relaxed);
            progress.discovered();
            entries.push(discover::Entry::File(path.clone()));
        } else {
            entries.push(discover::Entry::Notice(Notice {
                path: relative(path, root),
                message: "could not read: no such file".to_string(),
            }));
        }
    }
    entries
}

/// Hands over the Python files the overlay holds under `root` that are not
/// on disk (a virtual project, a language server's unsaved new file).
fn in_memory_entries(
    root: &Path,
    excludes: &globset::GlobSet,
    files: &overlay::Files,
    send: &(dyn Fn(discover::Entry) -> bool + Sync),
    seen: &AtomicUsize,
    progress: &dyn Progress,
) {
    let Some(overlay) = files.overlay() else {
        return;
    };
    for path in overlay.under(root) {
        if path.extension().is_none_or(|ext| ext != "py")
            || path.exists()
            || discover::excluded(excludes, root, path)
        {
            continue;
        }
        seen.fetch_add(1, Ordering::Relaxed);
        progress.discovered();
        if !send(discover::Entry::File(path.to_path_buf())) {
            return;
        }
    }
}

/// The files of the whole project the project pass starts from, for a scan
/// that checks only some files.
fn starting_points(
    root: &Path,
    excludes: &globset::GlobSet,
    checker: &check::FileChecker<'_>,
    threads: usize,
) -> Vec<PathBuf> {
    let found = Mutex::new(Vec::new());
    let seen = AtomicUsize::new(0);
    let keep = |entry| {
        if let discover::Entry::File(path) = entry
            && !(checker.skip_tests && is_test_file(&relative(&path, root)))
        {
            let mut bytes = Vec::new();
            if checker
                .loader
                .files()
                .read(&path, &mut bytes, check::MAX_FILE_BYTES)
                .is_ok()
                && checker.starts_project(&path, &bytes)
            {
                found.lock().expect("no panics while locked").push(path);
            }
        }
        true
    };
    if root.exists() {
        discover::walk(root, excludes, threads, &keep, &seen, &NoProgress);
    }
    in_memory_entries(
        root,
        excludes,
        checker.loader.files(),
        &keep,
        &seen,
        &NoProgress,
    );
    found.into_inner().expect("no panics while locked")
}

/// A cookie helper by its file and its name there.
type HelperName = (PathBuf, String);

/// A cookie helper, as the search for its callers knows it.
struct HelperNeedle {
    /// The function's name (a method's, for a method).
    name: String,
    /// The function, or the class of a method.
    bound: String,
    is_method: bool,
    /// The dotted name of the helper's module.
    module: String,
    file: PathBuf,
}

impl HelperNeedle {
    /// The helper named `name` in `file` (`remember`,
    /// `AuthMixin.set_auth_cookie`), whose module is `module`.
    fn new(file: &Path, name: &str, module: String) -> HelperNeedle {
        // What an import brings in is the function or the class.
        let (bound, function) = name.split_once('.').unwrap_or((name, name));
        HelperNeedle {
            name: function.to_string(),
            bound: bound.to_string(),
            is_method: name.contains('.'),
            module,
            file: file.to_path_buf(),
        }
    }
}

/// How a file may call a helper: what its text must hold besides its
/// imports. Better reaches come first.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Reach {
    /// Nothing: the file imports the function by name (perhaps under
    /// another name, `from .cookies import remember as keep`).
    Imported,
    /// The call `name(`: the helper's own file, a `*` import of its module,
    /// a method of an imported class (`self.name(`, `obj.name(`).
    Call,
    /// The call `.name(`: the module is imported (`cookies.name(`).
    DottedCall,
}

/// Among the files the walk checked, those that may call one of the
/// project's cookie helpers. Each helper's callers are looked for in the
/// folder of its project (the nearest folder above it that declares a
/// project, see [`PROJECT_MARKERS`], else the scan's root), among the
/// files whose imports, kept from the walk, bring in the helper, its class
/// or its module (see [`Reach`]); those whose imports do not settle it are
/// read again, on the pool's workers, for the call. Sorted.
fn callers_of(
    pool: &rayon::ThreadPool,
    root: &Path,
    files: &overlay::Files,
    helpers: &[HelperNeedle],
    walked: &[(PathBuf, imports::ImportWords)],
) -> Vec<PathBuf> {
    // A helper's project folder, found once per file that defines helpers.
    let mut folder_of: HashMap<&Path, PathBuf> = HashMap::new();
    let folders: Vec<PathBuf> = helpers
        .iter()
        .map(|helper| {
            folder_of
                .entry(&helper.file)
                .or_insert_with(|| project_folder(&helper.file, root, files))
                .clone()
        })
        .collect();
    // Which helper each import key brings in, and how; sorted by key.
    let mut by_key: Vec<(u32, usize, Reach)> = Vec::new();
    // The few files that define helpers, compared as bytes: hashing each
    // walked path to look it up here cost more than the rest of the search.
    let mut by_file: Vec<(&Path, Vec<usize>)> = Vec::new();
    for (index, helper) in helpers.iter().enumerate() {
        let (module, star) = imports::module_keys(&helper.module);
        let bound = if helper.is_method {
            Reach::Call
        } else {
            Reach::Imported
        };
        let keys = [(imports::key(&helper.bound), bound), (star, Reach::Call)]
            .into_iter()
            .chain(module.into_iter().map(|key| (key, Reach::DottedCall)));
        by_key.extend(keys.map(|(key, reach)| (key, index, reach)));
        match by_file
            .iter_mut()
            .find(|(file, _)| file.as_os_str() == helper.file.as_os_str())
        {
            Some((_, indices)) => indices.push(index),
            None => by_file.push((&helper.file, vec![index])),
        }
    }
    by_key.sort_unstable();
    // The reach of each helper a file may call, by helper.
    let reaches = |path: &Path, words: &imports::ImportWords| {
        let mut found: HashMap<usize, Reach> = HashMap::new();
        let mut add = |index: usize, reach: Reach| {
            if path.starts_with(&folders[index]) {
                let best = found.entry(index).or_insert(reach);
                *best = (*best).min(reach);
            }
        };
        let own = by_file
            .iter()
            .filter(|(file, _)| file.as_os_str() == path.as_os_str());
        for index in own.flat_map(|(_, indices)| indices) {
            add(*index, Reach::Call);
        }
        // A few keys of the helpers against a file's sorted keys.
        for (key, index, reach) in &by_key {
            if words.keys().binary_search(key).is_ok() {
                add(*index, *reach);
            }
        }
        found
    };
    // One pattern per name, and the helpers of that name.
    let mut named: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, helper) in helpers.iter().enumerate() {
        named.entry(&helper.name).or_default().push(index);
    }
    let (patterns, helpers_named): (Vec<String>, Vec<Vec<usize>>) = named
        .into_iter()
        .map(|(name, indices)| (format!("{name}("), indices))
        .unzip();
    // Leftmost-longest: `_set_cookie(` is a call of `_set_cookie`, never
    // one of `set_cookie`; and a non-overlapping search keeps the fast
    // prefilters.
    let Ok(searcher) = aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build(&patterns)
    else {
        return Vec::new();
    };
    let calls_one = |bytes: &[u8], reached: &HashMap<usize, Reach>| {
        searcher.find_iter(bytes).any(|found| {
            let dotted = found.start() > 0 && bytes[found.start() - 1] == b'.';
            helpers_named[found.pattern().as_usize()]
                .iter()
                .any(|index| match reached.get(index) {
                    Some(Reach::Imported | Reach::Call) => true,
                    Some(Reach::DottedCall) => dotted,
                    None => false,
                })
        })
    };
    let mut found: Vec<PathBuf> = pool.install(|| {
        walked
            .par_iter()
            .filter(|(path, words)| {
                let reach_of = reaches(path, words);
                if reach_of.is_empty() {
                    return false;
                }
                if reach_of.values().any(|reach| *reach == Reach::Imported) {
                    return true;
                }
                let mut bytes = Vec::new();
                files.read(path, &mut bytes, check::MAX_FILE_BYTES).is_ok()
                    && calls_one(&bytes, &reach_of)
            })
            .map(|(path, _)| path.clone())
            .collect()
    });
    found.sort();
    found.dedup();
    found
}

/// Files that make a folder a project of its own.
const PROJECT_MARKERS: &[&str] = &[
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "requirements.txt",
    "Pipfile",
    "manage.py",
];

/// The nearest folder above `file`, up to `root`, holding one of
/// [`PROJECT_MARKERS`]; `root` when none does.
fn project_folder(file: &Path, root: &Path, files: &overlay::Files) -> PathBuf {
    let mut dir = file.parent();
    while let Some(folder) = dir {
        if !folder.starts_with(root) || folder == root {
            break;
        }
        if PROJECT_MARKERS
            .iter()
            .any(|marker| files.is_file(&folder.join(marker)))
        {
            return folder.to_path_buf();
        }
        dir = folder.parent();
    }
    root.to_path_buf()
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
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            text.push('%');
            text.push(char::from(HEX[usize::from(byte >> 4)]));
            text.push(char::from(HEX[usize::from(byte & 0xF)]));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const INSECURE: &str = "from django.http import HttpResponse\n\n\ndef view(request):\n    response = HttpResponse('ok')\n    response.set_cookie('a', 'b')\n    return response\n";
    const SECURE: &str = "from django.http import HttpResponse\n\n\ndef view(request):\n    response = HttpResponse('ok')\n    response.set_cookie('a', 'b', secure=True, httponly=True, samesite='Lax')\n    return response\n";
    const SETTINGS: &str = "DEBUG = False\nINSTALLED_APPS = ['django.contrib.sessions']\nMIDDLEWARE = ['django.contrib.sessions.middleware.SessionMiddleware']\nCSRF_COOKIE_SECURE = True\n";
    const WSGI: &str = "import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\napplication = get_wsgi_application()\n";

    fn settings(root: &Path, overlay: Overlay) -> Settings {
        Settings {
            root: root.to_path_buf(),
            rules: pathfinder_rules::rules().to_vec(),
            skip_tests: true,
            overlay: Some(Arc::new(overlay)),
            ..Settings::default()
        }
    }

    /// `(path, line, rule)` of every finding.
    fn findings(report: &ScanReport) -> Vec<(String, usize, &'static str)> {
        report
            .findings()
            .map(|(file, finding)| {
                (
                    file.path.clone(),
                    file.start_line(&finding.diagnostic),
                    finding.diagnostic.rule,
                )
            })
            .collect()
    }

    fn write(dir: &Path, files: &[(&str, &str)]) {
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }

    #[test]
    fn a_virtual_project_is_made_of_its_overlay() {
        let root = std::env::temp_dir().join("pathfinder-no-such-playground");
        assert!(!root.exists());
        let mut overlay = Overlay::new();
        overlay.insert(root.join("views.py"), INSECURE);
        // An import between two in-memory modules resolves.
        overlay.insert(root.join("flags.py"), "SECURE = False\n");
        overlay.insert(
            root.join("more.py"),
            "from django.http import HttpResponse\nfrom flags import SECURE\nr = HttpResponse()\nr.set_cookie('a', 'b', secure=SECURE, httponly=True, samesite='Lax')\n",
        );
        let report = scan(&settings(&root, overlay), &NoProgress).unwrap();
        assert_eq!(report.root, root);
        assert_eq!(
            findings(&report),
            [
                ("more.py".to_string(), 4, "PYTHON-DJANGO-SEC-070"),
                ("views.py".to_string(), 6, "PYTHON-DJANGO-SEC-070"),
            ]
        );
        assert!(
            report.files[0].findings[0]
                .diagnostic
                .message
                .contains("which is False"),
            "{:?}",
            report.files[0].findings[0].diagnostic.message
        );
        assert_eq!(report.stats.files_seen, 3);

        // Nothing in memory under the root: it is missing.
        let empty = settings(&root, Overlay::new());
        assert!(matches!(
            scan(&empty, &NoProgress),
            Err(ScanError::MissingRoot(_))
        ));
    }

    #[test]
    fn the_overlay_stands_in_for_files_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &[("views.py", SECURE), ("other.py", SECURE)]);
        let mut overlay = Overlay::new();
        // The saved file is fine; the open document is not.
        overlay.insert(dir.path().join("views.py"), INSECURE);
        // An unsaved new file is part of the project.
        overlay.insert(dir.path().join("new.py"), INSECURE);
        let mut with_overlay = settings(dir.path(), overlay);
        with_overlay.fix = FixMode::Apply {
            unsafe_fixes: false,
        };
        let report = scan(&with_overlay, &NoProgress).unwrap();
        assert_eq!(
            findings(&report),
            [
                ("new.py".to_string(), 6, "PYTHON-DJANGO-SEC-070"),
                ("views.py".to_string(), 6, "PYTHON-DJANGO-SEC-070"),
            ]
        );
        // Fixes of texts held in memory are never written to disk.
        assert_eq!(
            std::fs::read_to_string(dir.path().join("views.py")).unwrap(),
            SECURE
        );
        assert!(!dir.path().join("new.py").exists());
        assert!(
            report
                .notices
                .iter()
                .any(|notice| notice.message.contains("held in memory"))
        );
    }

    #[test]
    fn explicit_paths_are_checked_with_the_whole_project_behind_them() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[
                ("site/__init__.py", ""),
                ("site/settings.py", SETTINGS),
                ("site/wsgi.py", WSGI),
                ("site/views.py", INSECURE),
                ("site/other.py", INSECURE),
            ],
        );
        let mut overlay = Overlay::new();
        overlay.insert(dir.path().join("site/views.py"), SECURE);
        let mut only = settings(dir.path(), overlay);
        only.paths = Some(vec![
            dir.path().join("site/views.py"),
            PathBuf::from("site/settings.py"),
        ]);
        let report = scan(&only, &NoProgress).unwrap();
        // The settings finding needs wsgi.py, which is not checked but read;
        // other.py is not checked; views.py is checked as held in memory.
        assert_eq!(
            findings(&report),
            // Never set: reported at the last assignment, where the fix adds it.
            [("site/settings.py".to_string(), 4, "PYTHON-DJANGO-SEC-071")]
        );
        assert_eq!(report.stats.files_seen, 2);

        only.paths = Some(vec![dir.path().join("site/absent.py")]);
        let report = scan(&only, &NoProgress).unwrap();
        assert!(findings(&report).is_empty());
        assert_eq!(report.notices.len(), 1, "{:?}", report.notices);
    }

    #[test]
    fn an_entry_point_reads_only_the_imported_modules_that_name_the_settings() {
        let boot = "import os\n\ndef setup():\n    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n";
        let wsgi = "from django.core.wsgi import get_wsgi_application\nfrom site.boot import setup\nsetup()\napplication = get_wsgi_application()\n";
        let loaded = |extra: &[(&str, &str)]| {
            let dir = tempfile::tempdir().unwrap();
            let mut files = vec![
                ("site/__init__.py", ""),
                ("site/settings.py", SETTINGS),
                ("site/boot.py", boot),
            ];
            files.extend_from_slice(extra);
            write(dir.path(), &files);
            let report = scan(&settings(dir.path(), Overlay::new()), &NoProgress).unwrap();
            // The settings are found through the function wsgi.py calls.
            assert_eq!(
                findings(&report),
                [("site/settings.py".to_string(), 4, "PYTHON-DJANGO-SEC-071")]
            );
            report.stats.modules_loaded
        };
        let plain = loaded(&[("site/wsgi.py", wsgi)]);
        // Modules the entry point imports that never name the settings are
        // not parsed for it.
        let importing_more =
            format!("from site.models import Shop\nfrom site import views\n{wsgi}");
        let more = loaded(&[
            ("site/wsgi.py", &importing_more),
            ("site/models.py", "class Shop:\n    pass\n"),
            ("site/views.py", "def index(request):\n    return None\n"),
        ]);
        assert_eq!(plain, more);
        // A view module named like settings is not evaluated, so the
        // settings-like constants it imports are not followed either.
        let view_named_settings = loaded(&[
            ("site/wsgi.py", wsgi),
            (
                "site/views/team_settings.py",
                "from site.backups import BACKUP_PREFIX\n\nclass TeamSettingsView:\n    prefix = BACKUP_PREFIX\n",
            ),
            (
                "site/backups.py",
                "from site.storage import ROOT\nBACKUP_PREFIX = ROOT + 'backups/'\n",
            ),
            ("site/storage.py", "ROOT = '/srv/'\n"),
        ]);
        assert_eq!(plain, view_named_settings);
        // A framework's own module named like an entry point (a vendored
        // Django) serves the settings it is given: it is not parsed.
        let vendored_django = loaded(&[
            ("site/wsgi.py", wsgi),
            ("django/__init__.py", ""),
            ("django/core/__init__.py", ""),
            ("django/core/handlers/__init__.py", ""),
            (
                "django/core/handlers/wsgi.py",
                "from django.conf import settings\nfrom django.core.handlers import base\n\nclass WSGIHandler(base.BaseHandler):\n    pass\n",
            ),
        ]);
        assert_eq!(plain, vendored_django);
    }
}
