//! The one sequence every finding goes through, whichever rule made it.
//!
//! The file rules ([`crate::check`]) and the project pass
//! ([`crate::project`]) only report; per file, their findings then pass, in
//! this order:
//!
//! 1. fingerprints, over every finding of the text ([`crate::fingerprint`]);
//! 2. suppressions: per-path ignores and inline comments ([`crate::suppress`]);
//! 3. the baseline ([`crate::baseline`]);
//! 4. severity overrides;
//! 5. diff narrowing ([`crate::diff::FileChanges::keeps`]);
//! 6. fixes, to a fixpoint: after each pass the fixed text is analysed again
//!    by the file rules and, when the project pass reads the file, by the
//!    project rules with the fixed text standing in for the file; its
//!    findings go through steps 1–5 again;
//! 7. the report, whose findings carry the fingerprints of the final text.
//!
//! A file that does not parse is never fixed; neither is one whose bytes are
//! not UTF-8, nor one whose fix would make it fail to parse.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use pathfinder_diagnostics::{Applicability, Diagnostic, LineIndex, Severity};
use pathfinder_python::parse;

use crate::apply_fix;
use crate::baseline::Baseline;
use crate::check::{FileChecker, Pending, panic_reason};
use crate::diff::{ChangedLines, FileChanges};
use crate::fingerprint::fingerprints;
use crate::project::ProjectPass;
use crate::suppress::{PathIgnores, Suppressions, UnusedIgnore};
use crate::{FileReport, Finding, FixMode, Notice};

/// Fix passes per file; a fix that keeps producing new fixes stops here.
const MAX_PASSES: usize = 4;

/// What the sequence needs from the scan.
pub(crate) struct Pipeline<'a> {
    pub(crate) checker: &'a FileChecker<'a>,
    /// The project pass, to judge fixed texts again.
    pub(crate) project: Option<&'a ProjectPass<'a>>,
    pub(crate) path_ignores: &'a PathIgnores,
    pub(crate) baseline: Option<&'a Baseline>,
    pub(crate) severity_overrides: &'a [(String, Severity)],
    pub(crate) changed_lines: Option<&'a ChangedLines>,
    pub(crate) fix: FixMode,
    /// When unused ignores are reported: the ids of the rules that run.
    pub(crate) unused_ignores_of: Option<&'a [&'static str]>,
}

/// Findings left out, by the step that left them out.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Counts {
    pub(crate) suppressed: usize,
    pub(crate) in_baseline: usize,
    pub(crate) outside_diff: usize,
}

/// What became of one file.
pub(crate) struct Finished {
    pub(crate) report: Option<FileReport>,
    pub(crate) notices: Vec<Notice>,
    pub(crate) unused_ignores: Vec<UnusedIgnore>,
    pub(crate) counts: Counts,
}

/// The findings of one text after steps 1–5.
struct Selected {
    findings: Vec<Finding>,
    outside_diff: Vec<Finding>,
    suppressions: Suppressions,
    line_index: LineIndex,
    counts: Counts,
}

/// What the fix loop made.
struct Fixed {
    /// The fixed text and its findings, when a fix was applied.
    result: Option<(Arc<str>, Selected)>,
    /// How many findings' fixes were applied.
    applied: usize,
    /// Why fixing stopped early, if it did.
    notice: Option<String>,
}

impl Pipeline<'_> {
    /// Runs the sequence over one file's findings.
    pub(crate) fn run(&self, pending: Pending) -> Finished {
        let Pending {
            path,
            display,
            source,
            exact,
            syntax_errors,
            diagnostics,
            from_project,
        } = pending;
        let mut notices = Vec::new();
        let notice = |message: String| Notice {
            path: PathBuf::from(&display),
            message,
        };
        let changes = self.changed_lines.map(|changed| changed.file(&display));
        let mut text = source;
        let mut selected = self.select(&display, &text, diagnostics, changes.as_ref());
        let mut fixes_applied = 0;
        let mut diff = None;
        if let Some(threshold) = self.fix.threshold()
            && exact
            && selected
                .findings
                .iter()
                .any(|finding| fixable(&finding.diagnostic, threshold))
        {
            let errors = syntax_errors.unwrap_or_else(|| parse(&text).errors.len());
            if errors > 0 {
                notices.push(notice(
                    "not fixed: the file has syntax errors; correct them, then fix again"
                        .to_string(),
                ));
            } else {
                let rerun = self.project.filter(|_| {
                    from_project || self.checker.starts_project(&path, text.as_bytes())
                });
                let fixed = std::panic::catch_unwind(AssertUnwindSafe(|| {
                    self.fix_loop(
                        &path,
                        &display,
                        &text,
                        &selected,
                        changes.as_ref(),
                        threshold,
                        rerun,
                    )
                }));
                match fixed {
                    Err(panic) => notices.push(notice(format!(
                        "not fixed: internal error while fixing this file ({}); please report it",
                        panic_reason(panic.as_ref())
                    ))),
                    Ok(fixed) => {
                        notices.extend(fixed.notice.map(&notice));
                        if let Some((new_text, new_selected)) = fixed.result {
                            match self.fix {
                                FixMode::Diff { .. } => {
                                    diff =
                                        Some(apply_fix::unified_diff(&display, &text, &new_text));
                                    fixes_applied = fixed.applied;
                                }
                                FixMode::Apply { .. } => {
                                    let written =
                                        if self.checker.loader.files().in_memory(&path).is_some() {
                                            Err(apply_fix::IN_MEMORY.to_string())
                                        } else {
                                            apply_fix::write_atomically(
                                                &path,
                                                text.as_bytes(),
                                                &new_text,
                                            )
                                        };
                                    match written {
                                        Ok(()) => {
                                            fixes_applied = fixed.applied;
                                            text = new_text;
                                            selected = new_selected;
                                        }
                                        Err(message) => notices.push(notice(message)),
                                    }
                                }
                                FixMode::Off => {}
                            }
                        }
                    }
                }
            }
        }
        let unused_ignores = self
            .unused_ignores_of
            .map(|active| selected.suppressions.unused(&display, active))
            .unwrap_or_default();
        let counts = selected.counts;
        let keep =
            !selected.findings.is_empty() || !selected.outside_diff.is_empty() || fixes_applied > 0;
        let report = keep.then_some(FileReport {
            path: display,
            source: text,
            line_index: selected.line_index,
            findings: selected.findings,
            outside_diff: selected.outside_diff,
            fixes_applied,
            diff,
        });
        Finished {
            report,
            notices,
            unused_ignores,
            counts,
        }
    }

    /// Steps 1–5 for the findings of one text.
    fn select(
        &self,
        display: &str,
        source: &str,
        mut diagnostics: Vec<Diagnostic>,
        changes: Option<&FileChanges>,
    ) -> Selected {
        diagnostics.sort_by_key(|diagnostic| (diagnostic.range.start(), diagnostic.rule));
        let prints = fingerprints(display, source, &diagnostics);
        let line_index = LineIndex::new(source);
        let mut suppressions = Suppressions::parse(source);
        let mut counts = Counts::default();
        let mut findings = Vec::new();
        let mut outside_diff = Vec::new();
        for (mut diagnostic, fingerprint) in diagnostics.into_iter().zip(prints) {
            let line = line_index.line_of(diagnostic.range.start());
            if self.path_ignores.ignores(display, diagnostic.rule)
                || suppressions.suppresses(diagnostic.rule, line)
            {
                counts.suppressed += 1;
                continue;
            }
            if self
                .baseline
                .is_some_and(|baseline| baseline.contains(diagnostic.rule, display, &fingerprint))
            {
                counts.in_baseline += 1;
                continue;
            }
            if let Some((_, severity)) = self
                .severity_overrides
                .iter()
                .find(|(rule, _)| same_rule(rule, diagnostic.rule))
            {
                diagnostic.severity = *severity;
            }
            let finding = Finding {
                diagnostic,
                fingerprint,
            };
            if changes.is_some_and(|changes| !changes.keeps(&finding.diagnostic, line + 1)) {
                counts.outside_diff += 1;
                outside_diff.push(finding);
                continue;
            }
            findings.push(finding);
        }
        Selected {
            findings,
            outside_diff,
            suppressions,
            line_index,
            counts,
        }
    }

    /// Step 6: applies the fixes of the selected findings, judges the fixed
    /// text again, and repeats until no fix is left.
    #[allow(
        clippy::too_many_arguments,
        reason = "the state of one file's sequence, passed along once"
    )]
    fn fix_loop(
        &self,
        path: &Path,
        display: &str,
        text: &Arc<str>,
        selected: &Selected,
        changes: Option<&FileChanges>,
        threshold: Applicability,
        rerun: Option<&ProjectPass<'_>>,
    ) -> Fixed {
        let mut text = text.clone();
        let mut changes = changes.cloned();
        let mut current: Option<Selected> = None;
        let mut applied = 0;
        let mut notice = None;
        for _ in 0..MAX_PASSES {
            let findings = &current.as_ref().unwrap_or(selected).findings;
            let pass = apply_fix::apply(
                &text,
                findings.iter().map(|finding| &finding.diagnostic),
                threshold,
            );
            if pass.fixes == 0 {
                break;
            }
            let next: Arc<str> = Arc::from(pass.text);
            let rules = self.checker.prefilter.matches(next.as_bytes());
            let analysis = self.checker.analyse(path, &next, rules);
            if analysis.syntax_errors > 0 {
                notice = Some(
                    "a fix would have made the file fail to parse; it was not applied, please report it"
                        .to_string(),
                );
                break;
            }
            let mut diagnostics = analysis.check.diagnostics;
            if let Some(project) = rerun {
                match project.findings_in(path, &analysis.parsed) {
                    Ok(found) => diagnostics.extend(found),
                    Err(failed) => {
                        notice = Some(failed.message);
                        break;
                    }
                }
            }
            changes = changes.map(|changes| changes.after_edits(&text, &pass.edits));
            current = Some(self.select(display, &next, diagnostics, changes.as_ref()));
            text = next;
            applied += pass.fixes;
        }
        Fixed {
            result: current.map(|selected| (text, selected)),
            applied,
            notice,
        }
    }
}

impl FixMode {
    /// The least applicability of the fixes applied, when fixes are.
    fn threshold(self) -> Option<Applicability> {
        match self {
            FixMode::Off => None,
            FixMode::Apply { unsafe_fixes } | FixMode::Diff { unsafe_fixes } => {
                Some(if unsafe_fixes {
                    Applicability::Unsafe
                } else {
                    Applicability::Safe
                })
            }
        }
    }
}

fn fixable(diagnostic: &Diagnostic, threshold: Applicability) -> bool {
    diagnostic
        .fix
        .as_ref()
        .is_some_and(|fix| fix.applicability >= threshold && !fix.edits.is_empty())
}

/// Rule ids compare without case and with or without `python/`.
fn same_rule(name: &str, rule: &str) -> bool {
    name.strip_prefix("python/")
        .unwrap_or(name)
        .eq_ignore_ascii_case(rule)
}
