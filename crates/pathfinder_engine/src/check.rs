//! The pipeline of one file: read, prefilter, decode, parse, check.
//!
//! Every failure becomes a [`Notice`]; a panic in the analysis of one file is
//! caught and reported, and the scan goes on.

use std::io::Read;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use pathfinder_diagnostics::LineIndex;
use pathfinder_python::{ModuleSummary, parse};
use pathfinder_rules::{Rule, check_module};

use crate::discover::Entry;
use crate::loader::ProjectLoader;
use crate::prefilter::Prefilter;
use crate::testfiles::is_test_file;
use crate::{FileReport, Notice, display_path, relative};

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
    /// The file, when it is part of the scan (for the project pass).
    pub(crate) file: Option<PathBuf>,
}

pub(crate) struct FileChecker<'a> {
    pub(crate) root: &'a Path,
    pub(crate) rules: &'a [&'static Rule],
    pub(crate) prefilter: &'a Prefilter,
    pub(crate) loader: &'a ProjectLoader,
    pub(crate) skip_tests: bool,
}

impl FileChecker<'_> {
    pub(crate) fn check(&self, entry: Entry) -> Outcome {
        match entry {
            Entry::Notice(notice) => Outcome {
                notices: vec![notice],
                ..Outcome::default()
            },
            Entry::File(path) => self.check_file(&path),
        }
    }

    fn check_file(&self, path: &Path) -> Outcome {
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
        outcome.file = Some(path.to_path_buf());
        let notice = |message: String| Notice {
            path: relative_path.clone(),
            message,
        };
        let bytes = match read_file(path) {
            Ok(bytes) => bytes,
            Err(message) => {
                outcome.notices.push(notice(message));
                return outcome;
            }
        };
        outcome.bytes = bytes.len() as u64;
        if !self.prefilter.matches(&bytes) {
            return outcome;
        }
        if bytes.iter().take(8192).any(|byte| *byte == 0) {
            outcome.notices.push(notice(
                "skipped: binary file (contains NUL bytes)".to_string(),
            ));
            return outcome;
        }
        let source = match String::from_utf8(bytes) {
            Ok(source) => source,
            Err(error) => {
                let offset = error.utf8_error().valid_up_to();
                let lossy = String::from_utf8_lossy(error.as_bytes()).into_owned();
                let line = lossy[..offset.min(lossy.len())].matches('\n').count() + 1;
                outcome.notices.push(notice(format!(
                    "not valid UTF-8 (first bad byte on line {line}); analysed with the bad bytes replaced"
                )));
                lossy
            }
        };
        outcome.parsed = true;
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| self.analyse(path, &source)));
        match result {
            Ok((diagnostics, syntax_notice)) => {
                if let Some(message) = syntax_notice {
                    outcome.notices.push(notice(message));
                }
                if !diagnostics.is_empty() {
                    let line_index = LineIndex::new(&source);
                    outcome.report = Some(FileReport {
                        path: display_path(&relative_path),
                        source: Arc::from(source),
                        line_index,
                        diagnostics,
                    });
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

    fn analyse(
        &self,
        path: &Path,
        source: &str,
    ) -> (Vec<pathfinder_diagnostics::Diagnostic>, Option<String>) {
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
        (diagnostics, syntax_notice)
    }
}

fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    let mut file = std::fs::File::open(path).map_err(|error| format!("could not read: {error}"))?;
    let length = file.metadata().map_or(0, |meta| meta.len());
    if length > MAX_FILE_BYTES {
        return Err(format!(
            "skipped: {} MiB is over the {} MiB limit for one file",
            length / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(length).unwrap_or(0) + 1);
    file.read_to_end(&mut bytes)
        .map_err(|error| format!("could not read: {error}"))?;
    Ok(bytes)
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
