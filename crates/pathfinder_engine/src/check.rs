//! Checking one file: read, prefilter, decode, parse, run the file rules.
//!
//! What the rules report here is raw: suppressions, the baseline, the diff
//! and fixes are the [`crate::pipeline`]'s, which every finding goes
//! through, whether a file rule or the project pass made it. Every failure
//! becomes a [`Notice`]; a panic in the analysis of one file is caught and
//! reported, and the scan goes on.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use pathfinder_diagnostics::{Diagnostic, LineIndex};
use pathfinder_python::{ModuleSummary, ParsedFile};
use pathfinder_rules::{ModuleCheck, Rule, check_module_with_helpers, starts_from};

use crate::discover::Entry;
use crate::imports::{ImportReader, ImportWords};
use crate::loader::ProjectLoader;
use crate::prefilter::{Hits, Prefilter, RuleSet, rule_bit};
use crate::suppress::{Suppressions, UnusedIgnore};
use crate::testfiles::is_test_file;
use crate::{Notice, SilentWrite, display_path};

/// Files larger than this are reported and skipped.
pub(crate) const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// What became of one walk entry. Only outcomes that carry something are
/// kept until the walk ends.
#[derive(Default)]
pub(crate) struct Outcome {
    /// A file with findings, for the pipeline.
    pub(crate) pending: Option<Pending>,
    pub(crate) notices: Vec<Notice>,
    pub(crate) bytes: u64,
    pub(crate) parsed: bool,
    pub(crate) skipped_as_test: bool,
    /// Of a file without findings, when asked for.
    pub(crate) unused_ignores: Vec<UnusedIgnore>,
    /// The file, when the project pass starts from it.
    pub(crate) starting: Option<PathBuf>,
    /// The file, when it defines cookie helpers.
    pub(crate) helpers: Option<PathBuf>,
    /// Its cookie writes left unreported, and why.
    pub(crate) silent: Vec<SilentWrite>,
}

impl Outcome {
    pub(crate) fn carries_something(&self) -> bool {
        self.pending.is_some()
            || self.starting.is_some()
            || self.helpers.is_some()
            || !self.notices.is_empty()
            || !self.unused_ignores.is_empty()
            || !self.silent.is_empty()
    }
}

/// A file whose findings go through the pipeline.
pub(crate) struct Pending {
    /// Absolute.
    pub(crate) path: PathBuf,
    /// Relative to the project root, with `/`.
    pub(crate) display: String,
    pub(crate) source: Arc<str>,
    /// `false` when bytes that are not UTF-8 were replaced to analyse the
    /// file: such a file is never fixed.
    pub(crate) exact: bool,
    /// The syntax errors of `source`, when the file rules parsed it.
    pub(crate) syntax_errors: Option<usize>,
    /// The findings of the file rules and of the project pass, raw.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Whether some of them come from the project pass.
    pub(crate) from_project: bool,
}

/// One text as the file rules see it.
pub(crate) struct Analysis {
    pub(crate) syntax_errors: usize,
    pub(crate) syntax_notice: Option<String>,
    pub(crate) parsed: Arc<ParsedFile>,
    /// What the file rules found.
    pub(crate) check: ModuleCheck,
}

pub(crate) struct FileChecker<'a> {
    pub(crate) root: &'a Path,
    pub(crate) rules: &'a [&'static Rule],
    pub(crate) prefilter: &'a Prefilter,
    pub(crate) loader: &'a ProjectLoader,
    pub(crate) skip_tests: bool,
    /// When unused ignores are reported: the ids of the rules that run.
    pub(crate) unused_ignores_of: Option<&'a [&'static str]>,
    pub(crate) models: &'a pathfinder_rules::models::UserModels,
    /// Every file read (test files skipped aside), with the words of its
    /// imports: where the calls of the project's cookie helpers are looked
    /// for once the walk is done.
    pub(crate) checked: Shards<(PathBuf, ImportWords)>,
}

/// What reading a walk entry decided.
pub(crate) enum Stage {
    /// Nothing more to do.
    Done(Outcome),
    /// The file holds a needle: it is parsed next, on a worker of the pool.
    Parse(ToParse),
}

/// A file read and kept for the parse.
pub(crate) struct ToParse {
    path: PathBuf,
    relative_path: PathBuf,
    bytes: Vec<u8>,
    starting: bool,
    /// The rules whose needles the file holds.
    rules: RuleSet,
    outcome: Outcome,
}

/// Items pushed from many threads at once, in a few shards so that threads
/// seldom wait for each other; in no particular order.
pub(crate) struct Shards<T> {
    shards: Vec<std::sync::Mutex<Vec<T>>>,
}

impl<T> Shards<T> {
    const COUNT: usize = 16;

    pub(crate) fn new() -> Shards<T> {
        Shards {
            shards: (0..Self::COUNT)
                .map(|_| std::sync::Mutex::new(Vec::new()))
                .collect(),
        }
    }

    pub(crate) fn push(&self, item: T) {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        thread_local! {
            static SHARD: usize = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        let shard = SHARD.with(|shard| *shard) % Self::COUNT;
        self.shards[shard]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(item);
    }

    /// Everything pushed so far; the shards are left empty.
    pub(crate) fn take(&self) -> Vec<T> {
        let mut all = Vec::new();
        for shard in &self.shards {
            all.append(
                &mut shard
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
            );
        }
        all
    }
}

impl FileChecker<'_> {
    /// Reads one walk entry into `buffer` (the thread's reusable buffer) and
    /// decides what the file needs: most files need nothing more than this
    /// read and a search for needles, done on the walk's own threads. A file
    /// with a needle takes the bytes with it, to be parsed on the pool.
    pub(crate) fn read(&self, entry: Entry, buffer: &mut Vec<u8>) -> Stage {
        match entry {
            Entry::Notice(notice) => Stage::Done(Outcome {
                notices: vec![notice],
                ..Outcome::default()
            }),
            Entry::File(path) => self.read_file(path, buffer),
        }
    }

    /// Whether the project pass starts from the file at `path`.
    pub(crate) fn starts_project(&self, path: &Path, bytes: &[u8]) -> bool {
        self.search(path, bytes, None).starting
    }

    /// Whether the file at `path` holds a needle of the rules, and whether
    /// the project pass starts from it (by its name, or else by a needle):
    /// one search of `bytes` for both.
    fn search(&self, path: &Path, bytes: &[u8], imports: Option<&mut ImportReader>) -> Hits {
        let mut by_content = false;
        let by_name = starts_from(self.rules, path, || {
            by_content = true;
            false
        });
        let mut hits = self.prefilter.search(bytes, by_content, imports);
        hits.starting |= by_name;
        hits
    }

    fn read_file(&self, path: PathBuf, buffer: &mut Vec<u8>) -> Stage {
        // Borrowed: most files never need it owned.
        let relative_path: &Path = if path == self.root {
            path.file_name().map_or(Path::new(""), Path::new)
        } else {
            path.strip_prefix(self.root).unwrap_or(&path)
        };
        let mut outcome = Outcome::default();
        if self.skip_tests && is_test_file(relative_path) {
            outcome.skipped_as_test = true;
            return Stage::Done(outcome);
        }
        let length = match self.loader.files().read_into(&path, buffer, MAX_FILE_BYTES) {
            Ok(length) => length,
            Err(message) => {
                outcome.notices.push(Notice {
                    path: relative_path.to_path_buf(),
                    message,
                });
                return Stage::Done(outcome);
            }
        };
        let bytes = &buffer[..length];
        outcome.bytes = length as u64;
        thread_local! {
            static IMPORTS: std::cell::RefCell<ImportReader> =
                std::cell::RefCell::new(ImportReader::default());
        }
        // The search for needles reads the file's imports on its way.
        let (hits, imports) = IMPORTS.with(|reader| {
            let mut reader = reader.borrow_mut();
            let hits = self.search(&path, bytes, Some(&mut reader));
            (hits, reader.take())
        });
        self.checked.push((path.clone(), imports));
        let starting = hits.starting;
        if hits.rules == 0 {
            if self.unused_ignores_of.is_some() && contains(bytes, b"pathfinder") {
                let source = String::from_utf8_lossy(bytes);
                outcome.unused_ignores = self.unused_ignores(&display_path(relative_path), &source);
            }
            outcome.starting = starting.then_some(path);
            return Stage::Done(outcome);
        }
        if bytes.iter().take(8192).any(|byte| *byte == 0) {
            outcome.notices.push(Notice {
                path: relative_path.to_path_buf(),
                message: "skipped: binary file (contains NUL bytes)".to_string(),
            });
            return Stage::Done(outcome);
        }
        // Only files that will be parsed take the buffer; the others reuse it.
        let mut bytes = std::mem::take(buffer);
        bytes.truncate(length);
        let relative_path = relative_path.to_path_buf();
        Stage::Parse(ToParse {
            path,
            relative_path,
            bytes,
            starting,
            rules: hits.rules,
            outcome,
        })
    }

    /// Parses a file [`FileChecker::read`] kept and runs the file rules.
    pub(crate) fn parse(&self, file: ToParse) -> Outcome {
        let ToParse {
            path,
            relative_path,
            bytes,
            starting,
            rules,
            mut outcome,
        } = file;
        let notice = |message: String| Notice {
            path: relative_path.clone(),
            message,
        };
        let display = display_path(&relative_path);
        let (source, exact) = match String::from_utf8(bytes) {
            Ok(source) => (Arc::<str>::from(source), true),
            Err(error) => {
                let offset = error.utf8_error().valid_up_to();
                let lossy = String::from_utf8_lossy(error.as_bytes()).into_owned();
                let line = lossy[..offset.min(lossy.len())].matches('\n').count() + 1;
                outcome.notices.push(notice(format!(
                    "not valid UTF-8 (first bad byte on line {line}); analysed with the bad bytes replaced, and no fix is offered for it"
                )));
                (Arc::from(lossy), false)
            }
        };
        outcome.parsed = true;
        let analysed =
            std::panic::catch_unwind(AssertUnwindSafe(|| self.analyse(&path, &source, rules)));
        let mut analysis = match analysed {
            Ok(analysis) => analysis,
            Err(panic) => {
                outcome.notices.push(notice(format!(
                    "internal error while analysing this file ({}); please report it",
                    panic_reason(panic.as_ref())
                )));
                outcome.starting = starting.then_some(path);
                return outcome;
            }
        };
        if let Some(message) = analysis.syntax_notice.take() {
            outcome.notices.push(notice(message));
        }
        if analysis.check.defines_helpers {
            outcome.helpers = Some(path.clone());
        }
        if !analysis.check.silent.is_empty() {
            let lines = LineIndex::new(&source);
            outcome.silent = std::mem::take(&mut analysis.check.silent)
                .into_iter()
                .map(|write| {
                    let at = lines.line_column(write.range.start(), &source);
                    SilentWrite {
                        path: display.clone(),
                        line: at.line,
                        column: at.column,
                        reason: write.reason,
                    }
                })
                .collect();
        }
        // The text was decoded with replacements (a Latin-1 file, a file
        // with a coding declaration): writing it back would change bytes the
        // fix never meant to touch, so no fix is offered or shown.
        if !exact {
            for diagnostic in &mut analysis.check.diagnostics {
                diagnostic.fix = None;
            }
        }
        if (starting || outcome.helpers.is_some()) && exact {
            // The project pass reads this file (it starts from it, or judges
            // the calls of its helpers): it takes this parse.
            self.loader.remember(&path, analysis.parsed);
        }
        if analysis.check.diagnostics.is_empty() {
            if self.unused_ignores_of.is_some() {
                outcome.unused_ignores = self.unused_ignores(&display, &source);
            }
        } else {
            outcome.pending = Some(Pending {
                path: path.clone(),
                display,
                source,
                exact,
                syntax_errors: Some(analysis.syntax_errors),
                diagnostics: analysis.check.diagnostics,
                from_project: false,
            });
        }
        outcome.starting = starting.then_some(path);
        outcome
    }

    fn unused_ignores(&self, display: &str, source: &str) -> Vec<UnusedIgnore> {
        let active = self.unused_ignores_of.unwrap_or_default();
        Suppressions::parse(source).unused(display, active)
    }

    /// Parses `source` (the text of the file at `path`) and runs over it the
    /// file rules in `rules`: those whose needles the text holds.
    pub(crate) fn analyse(&self, path: &Path, source: &Arc<str>, rules: RuleSet) -> Analysis {
        let parsed = Arc::new(ParsedFile::new(source.clone()));
        let errors = &parsed.parsed.errors;
        let syntax_notice = errors.first().map(|error| {
            let line_index = LineIndex::new(source);
            let at = line_index.line_column(error.offset, source);
            let more = errors.len() - 1;
            let more = if more > 0 {
                format!(" (and {more} more)")
            } else {
                String::new()
            };
            format!(
                "syntax error at line {}, column {}: {}{more}; the rest of the file was analysed{}",
                at.line,
                at.column,
                error.message,
                if looks_like_python2(source) {
                    " (this looks like Python 2 code)"
                } else {
                    ""
                }
            )
        });
        let check = if rules != 0 {
            let active: Vec<&'static Rule> = self
                .rules
                .iter()
                .enumerate()
                .filter(|(index, _)| rules & rule_bit(*index) != 0)
                .map(|(_, rule)| *rule)
                .collect();
            let module_name = self.loader.module_name(path);
            let summary = Arc::new(ModuleSummary::build(
                parsed.module(),
                &module_name,
                path.to_path_buf(),
            ));
            check_module_with_helpers(
                source,
                parsed.module(),
                &summary,
                self.loader,
                &active,
                self.models,
            )
        } else {
            ModuleCheck::default()
        };
        Analysis {
            check,
            syntax_errors: errors.len(),
            syntax_notice,
            parsed,
        }
    }
}

/// What a caught panic says.
pub(crate) fn panic_reason(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(ToString::to_string)
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown cause".to_string())
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// A cheap hint for the notice: Python 2's print statement or `except X, e:`.
fn looks_like_python2(source: &str) -> bool {
    source.lines().any(|line| {
        let line = line.trim_start();
        (line.starts_with("print ") && !line.starts_with("print ("))
            || line.starts_with("exec ")
            || (line.starts_with("except ") && line.contains(", ") && line.ends_with(':'))
    })
}
