//! The pipeline of one file: read, prefilter, decode, parse, check.
//!
//! Every failure becomes a [`Notice`]; a panic in the analysis of one file is
//! caught and reported, and the scan goes on.

use std::io::Read;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use pathfinder_diagnostics::{Diagnostic, LineIndex, Severity};
use pathfinder_python::{ModuleSummary, parse};
use pathfinder_rules::{Rule, check_module};

use crate::apply_fix;
use crate::discover::Entry;
use crate::fingerprint::fingerprints;
use crate::loader::ProjectLoader;
use crate::prefilter::Prefilter;
use crate::suppress::{PathIgnores, Suppressions, UnusedIgnore};
use crate::testfiles::is_test_file;
use crate::{FileReport, FixMode, Notice, display_path, relative};
use pathfinder_diagnostics::Applicability;

/// Files larger than this are reported and skipped.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// What became of one walk entry.
#[derive(Default)]
pub(crate) struct Outcome {
    pub(crate) report: Option<FileReport>,
    pub(crate) notices: Vec<Notice>,
    pub(crate) bytes: u64,
    pub(crate) parsed: bool,
    pub(crate) skipped_as_test: bool,
    /// Findings left out by comments or per-path ignores.
    pub(crate) suppressed: usize,
    pub(crate) unused_ignores: Vec<UnusedIgnore>,
    /// The file, when it is part of the scan (for the project pass).
    pub(crate) file: Option<PathBuf>,
}

/// What happens to a file's findings after the rules ran.
pub(crate) struct Filters<'a> {
    pub(crate) path_ignores: PathIgnores,
    pub(crate) severity_overrides: &'a [(String, Severity)],
    pub(crate) report_unused_ignores: bool,
    /// The ids of the rules that run.
    pub(crate) active: &'a [&'static str],
}

pub(crate) struct FileChecker<'a> {
    pub(crate) root: &'a Path,
    pub(crate) rules: &'a [&'static Rule],
    pub(crate) prefilter: &'a Prefilter,
    pub(crate) loader: &'a ProjectLoader,
    pub(crate) skip_tests: bool,
    pub(crate) fix: FixMode,
    pub(crate) filters: &'a Filters<'a>,
    /// Whether the project pass needs every scanned path.
    pub(crate) keep_paths: bool,
}

impl FileChecker<'_> {
    /// Checks one walk entry; `buffer` is the worker's reusable read buffer.
    pub(crate) fn check(&self, entry: Entry, buffer: &mut Vec<u8>) -> Outcome {
        match entry {
            Entry::Notice(notice) => Outcome {
                notices: vec![notice],
                ..Outcome::default()
            },
            Entry::File(path) => self.check_file(&path, buffer),
        }
    }

    fn check_file(&self, path: &Path, buffer: &mut Vec<u8>) -> Outcome {
        let relative_path = if path == self.root {
            PathBuf::from(path.file_name().unwrap_or_default())
        } else {
            relative(path, self.root)
        };
        let mut outcome = Outcome::default();
        if self.skip_tests && is_test_file(&relative_path) {
            outcome.skipped_as_test = true;
            return outcome;
        }
        if self.keep_paths {
            outcome.file = Some(path.to_path_buf());
        }
        let notice = |message: String| Notice {
            path: relative_path.clone(),
            message,
        };
        if let Err(message) = read_file(path, buffer) {
            outcome.notices.push(notice(message));
            return outcome;
        }
        outcome.bytes = buffer.len() as u64;
        if !self.prefilter.matches(buffer) {
            if self.filters.report_unused_ignores && contains(buffer, b"pathfinder") {
                let source = String::from_utf8_lossy(buffer);
                outcome.unused_ignores = Suppressions::parse(&source)
                    .unused(&display_path(&relative_path), self.filters.active);
            }
            return outcome;
        }
        // Only files that will be parsed take the buffer; the others reuse it.
        let bytes = std::mem::take(buffer);
        if bytes.iter().take(8192).any(|byte| *byte == 0) {
            outcome.notices.push(notice(
                "skipped: binary file (contains NUL bytes)".to_string(),
            ));
            return outcome;
        }
        // `original` keeps the bytes as read, to detect changes on disk
        // before a fix is written; it is `None` for a file that is not valid
        // UTF-8, which is never fixed.
        let (source, original) = match String::from_utf8(bytes) {
            Ok(source) => {
                let original =
                    (!matches!(self.fix, FixMode::Off)).then(|| source.as_bytes().to_vec());
                (source, Some(original.unwrap_or_default()))
            }
            Err(error) => {
                let offset = error.utf8_error().valid_up_to();
                let lossy = String::from_utf8_lossy(error.as_bytes()).into_owned();
                let line = lossy[..offset.min(lossy.len())].matches('\n').count() + 1;
                outcome.notices.push(notice(format!(
                    "not valid UTF-8 (first bad byte on line {line}); analysed with the bad bytes replaced, and no fix is offered for it"
                )));
                (lossy, None)
            }
        };
        outcome.parsed = true;
        let lossy = original.is_none();
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
            let (diagnostics, syntax_notice, syntax_errors) = self.analyse(path, &source);
            let fixed = match self.fix {
                FixMode::Off => None,
                _ if lossy => None,
                FixMode::Apply { unsafe_fixes } | FixMode::Diff { unsafe_fixes } => {
                    let threshold = if unsafe_fixes {
                        Applicability::Unsafe
                    } else {
                        Applicability::Safe
                    };
                    let display = display_path(&relative_path);
                    // Suppressed findings are not fixed.
                    Some(apply_fix::fix_until_stable(
                        source.clone(),
                        self.unsuppressed(&display, &source, diagnostics.clone()),
                        syntax_errors,
                        threshold,
                        |text| {
                            let (diagnostics, _, errors) = self.analyse(path, text);
                            (self.unsuppressed(&display, text, diagnostics), errors)
                        },
                    ))
                }
            };
            (diagnostics, syntax_notice, fixed)
        }));
        match result {
            Ok((mut diagnostics, syntax_notice, fixed)) => {
                // The text was decoded with replacements (a Latin-1 file, a
                // file with a coding declaration): writing it back would
                // change bytes the fix never meant to touch, so no fix is
                // offered, and none is shown as available.
                if lossy {
                    for diagnostic in &mut diagnostics {
                        diagnostic.fix = None;
                    }
                }
                if let Some(message) = syntax_notice {
                    outcome.notices.push(notice(message));
                }
                let display = display_path(&relative_path);
                let mut report_source = source;
                let mut fixes_applied = 0;
                let mut diff = None;
                if let Some(fixed) = fixed {
                    if let Some(message) = fixed.notice {
                        outcome.notices.push(notice(message));
                    }
                    if fixed.applied > 0 {
                        match self.fix {
                            FixMode::Apply { .. } => {
                                let original = original.as_deref().unwrap_or_default();
                                match apply_fix::write_atomically(path, original, &fixed.source) {
                                    Ok(()) => {
                                        fixes_applied = fixed.applied;
                                        diagnostics = fixed.diagnostics;
                                        report_source = fixed.source;
                                    }
                                    Err(message) => outcome.notices.push(notice(message)),
                                }
                            }
                            FixMode::Diff { .. } => {
                                fixes_applied = fixed.applied;
                                diff = Some(apply_fix::unified_diff(
                                    &display,
                                    &report_source,
                                    &fixed.source,
                                ));
                            }
                            FixMode::Off => {}
                        }
                    }
                }
                let line_index = LineIndex::new(&report_source);
                let mut report = FileReport {
                    fingerprints: fingerprints(&display, &report_source, &diagnostics),
                    path: display,
                    source: Arc::from(report_source),
                    line_index,
                    diagnostics,
                    fixes_applied,
                    diff,
                };
                self.apply_filters(&mut report, &mut outcome);
                if !report.diagnostics.is_empty() || report.fixes_applied > 0 {
                    outcome.report = Some(report);
                }
            }
            Err(panic) => {
                let reason = panic
                    .downcast_ref::<&str>()
                    .map(ToString::to_string)
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown cause".to_string());
                outcome.notices.push(notice(format!(
                    "internal error while analysing this file ({reason}); please report it"
                )));
            }
        }
        outcome
    }

    /// Applies severity overrides, per-path ignores and inline comments to
    /// findings of the project pass; returns how many were suppressed.
    pub(crate) fn filter_project_findings(&self, report: &mut FileReport) -> usize {
        let mut outcome = Outcome::default();
        self.apply_filters_with(report, &mut outcome, false);
        outcome.suppressed
    }

    /// The diagnostics that neither a per-path ignore nor an inline comment
    /// suppresses.
    fn unsuppressed(
        &self,
        path: &str,
        source: &str,
        mut diagnostics: Vec<Diagnostic>,
    ) -> Vec<Diagnostic> {
        let line_index = LineIndex::new(source);
        let mut suppressions = Suppressions::parse(source);
        diagnostics.retain(|diagnostic| {
            !self.filters.path_ignores.ignores(path, diagnostic.rule)
                && !suppressions.suppresses(
                    diagnostic.rule,
                    line_index.line_of(diagnostic.range.start()),
                )
        });
        diagnostics
    }

    /// Severity overrides, then per-path ignores, then inline comments.
    fn apply_filters(&self, report: &mut FileReport, outcome: &mut Outcome) {
        self.apply_filters_with(report, outcome, self.filters.report_unused_ignores);
    }

    fn apply_filters_with(
        &self,
        report: &mut FileReport,
        outcome: &mut Outcome,
        report_unused: bool,
    ) {
        let filters = self.filters;
        for diagnostic in &mut report.diagnostics {
            if let Some((_, severity)) = filters
                .severity_overrides
                .iter()
                .find(|(rule, _)| same_rule(rule, diagnostic.rule))
            {
                diagnostic.severity = *severity;
            }
        }
        let before = report.diagnostics.len();
        let path = report.path.clone();
        report.retain(|diagnostic, _, _| !filters.path_ignores.ignores(&path, diagnostic.rule));
        let mut suppressions = Suppressions::parse(&report.source);
        report.retain(|diagnostic, _, line_index| {
            !suppressions.suppresses(
                diagnostic.rule,
                line_index.line_of(diagnostic.range.start()),
            )
        });
        outcome.suppressed += before - report.diagnostics.len();
        if report_unused {
            outcome.unused_ignores = suppressions.unused(&path, filters.active);
        }
    }

    /// Parses and checks one text: its findings, the notice for its syntax
    /// errors, and how many there are (a fix must not add any).
    fn analyse(&self, path: &Path, source: &str) -> (Vec<Diagnostic>, Option<String>, usize) {
        let parsed = parse(source);
        let syntax_notice = parsed.errors.first().map(|error| {
            let line_index = LineIndex::new(source);
            let at = line_index.line_column(error.offset, source);
            let more = parsed.errors.len() - 1;
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
        let module_name = self.loader.module_name(path);
        let summary = Arc::new(ModuleSummary::build(
            parsed.module(),
            &module_name,
            path.to_path_buf(),
        ));
        let diagnostics = check_module(source, parsed.module(), &summary, self.loader, self.rules);
        (diagnostics, syntax_notice, parsed.errors.len())
    }
}

/// Rule ids compare without case and with or without `python/`.
fn same_rule(name: &str, rule: &str) -> bool {
    name.strip_prefix("python/")
        .unwrap_or(name)
        .eq_ignore_ascii_case(rule)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

fn read_file(path: &Path, bytes: &mut Vec<u8>) -> Result<(), String> {
    let mut file = std::fs::File::open(path).map_err(|error| format!("could not read: {error}"))?;
    let length = file.metadata().map_or(0, |meta| meta.len());
    if length > MAX_FILE_BYTES {
        return Err(format!(
            "skipped: {} MiB is over the {} MiB limit for one file",
            length / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    bytes.clear();
    bytes.reserve(usize::try_from(length).unwrap_or(0) + 1);
    file.read_to_end(bytes)
        .map_err(|error| format!("could not read: {error}"))?;
    Ok(())
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
