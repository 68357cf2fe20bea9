//! The commands `scan`, `rules` and `explain`, and the planning and running
//! of a scan that `scan` and `ci` share: `ci` calls [`plan_and_scan`] and
//! [`finish`] as `scan` does, and adds only what is its own (in `ci.rs`).

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use pathfinder_diagnostics::Severity;
use pathfinder_emit::{EmitOptions, Format, emit};
use pathfinder_engine::diff::changed_lines;
use pathfinder_engine::{
    Baseline, FixMode, NoProgress, PathIgnore, ScanError, ScanReport, Settings, scan,
};
use pathfinder_rules::registry::BUNDLES;
use pathfinder_rules::{Rule, find_rule, rules, select};

use crate::Outcome;
use crate::args::{ExplainArgs, OutputFormat, RulesArgs, ScanArgs};
use crate::config::{Config, OneOrMany, read_text_file};
use crate::progress;

#[derive(Debug)]
pub(crate) enum CommandError {
    Usage(String),
    Io(io::Error),
    Scan(ScanError),
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CommandError::Usage(message) => f.write_str(message),
            CommandError::Io(error) => write!(f, "{error}"),
            CommandError::Scan(error) => write!(f, "{error}"),
        }
    }
}

impl From<io::Error> for CommandError {
    fn from(error: io::Error) -> CommandError {
        CommandError::Io(error)
    }
}

fn known_rulesets() -> String {
    let mut lines = Vec::new();
    for bundle in BUNDLES {
        lines.push(format!("  {:<32} {}", bundle.name, bundle.description));
    }
    for rule in rules() {
        lines.push(format!("  python/{:<25} {}", rule.id, rule.title));
    }
    lines.join("\n")
}

/// A baseline larger than this is refused (one finding takes about 150
/// bytes, so this holds well over a million).
const MAX_BASELINE_BYTES: u64 = 256 * 1024 * 1024;

/// A scan as the flags and the configuration file ask for it.
pub(crate) struct ScanPlan {
    pub(crate) settings: Settings,
    pub(crate) format: OutputFormat,
    pub(crate) fail_on: Option<Severity>,
}

/// Merges the flags with the configuration file (flags win) into a plan.
/// A diff-aware scan's changed lines are computed here, so a missing
/// revision is a usage error before any work starts.
pub(crate) fn plan(
    args: &ScanArgs,
    default_format: OutputFormat,
    default_base: Option<&str>,
) -> Result<ScanPlan, CommandError> {
    check_project(&args.project)?;
    let config =
        Config::load(&args.project, args.config.as_deref()).map_err(CommandError::Usage)?;
    let from_config = |what: &str| {
        config.source.as_ref().map_or_else(String::new, |path| {
            format!(" ({what} in `{}`)", path.display())
        })
    };
    let rulesets = if args.ruleset.is_empty() {
        config
            .ruleset
            .clone()
            .map(OneOrMany::into_vec)
            .unwrap_or_default()
    } else {
        args.ruleset.clone()
    };
    let selected = select(&rulesets).map_err(|unknown| {
        CommandError::Usage(format!(
            "unknown ruleset `{unknown}`{}; known rulesets:\n{}",
            if args.ruleset.is_empty() {
                from_config("ruleset")
            } else {
                String::new()
            },
            known_rulesets()
        ))
    })?;
    let fail_on_texts = if args.fail_on.is_empty() {
        config
            .fail_on
            .clone()
            .map(OneOrMany::into_vec)
            .unwrap_or_default()
    } else {
        args.fail_on.clone()
    };
    let mut fail_on: Option<Severity> = None;
    for text in fail_on_texts.iter().flat_map(|text| text.split(',')) {
        let severity = Severity::parse(text).ok_or_else(|| {
            CommandError::Usage(format!(
                "unknown severity `{text}` for --fail-on{}; use critical, high, medium or low",
                if args.fail_on.is_empty() {
                    from_config("fail-on")
                } else {
                    String::new()
                },
            ))
        })?;
        fail_on = Some(fail_on.map_or(severity, |lowest| lowest.min(severity)));
    }
    let format = match (args.output, &config.output) {
        (Some(format), _) => format,
        (None, Some(text)) => OutputFormat::from_str(text, true).map_err(|_| {
            CommandError::Usage(format!(
                "unknown output `{text}`{}; use text, json, sarif, csv, github or gitlab",
                from_config("output")
            ))
        })?,
        (None, None) => default_format,
    };
    let mut severity_overrides = Vec::new();
    for (rule, text) in config.severity_overrides.iter().flatten() {
        let known = find_rule(rule).ok_or_else(|| {
            CommandError::Usage(format!(
                "unknown rule `{rule}` in severity-overrides{}",
                from_config("severity-overrides")
            ))
        })?;
        let severity = Severity::parse(text).ok_or_else(|| {
            CommandError::Usage(format!(
                "unknown severity `{text}` for `{rule}` in severity-overrides{}; use critical, high, medium or low",
                from_config("severity-overrides")
            ))
        })?;
        severity_overrides.push((known.id.to_string(), severity));
    }
    let mut per_path_ignores = Vec::new();
    for (glob, rules) in config.per_path_ignores.iter().flatten() {
        let rules = rules.clone().into_vec();
        for rule in &rules {
            if rule != "*" && !rule.eq_ignore_ascii_case("all") && find_rule(rule).is_none() {
                return Err(CommandError::Usage(format!(
                    "unknown rule `{rule}` for `{glob}` in per-path-ignores{}",
                    from_config("per-path-ignores")
                )));
            }
        }
        per_path_ignores.push(PathIgnore {
            glob: glob.clone(),
            rules,
        });
    }
    let changed_lines = if args.diff_aware {
        let base = args.base.as_deref().or(default_base).ok_or_else(|| {
            CommandError::Usage(
                "--diff-aware needs --base REF (the branch to compare with, such as origin/main)"
                    .to_string(),
            )
        })?;
        Some(
            changed_lines(&args.project, base, args.head.as_deref())
                .map_err(|error| CommandError::Usage(error.to_string()))?,
        )
    } else {
        None
    };
    let baseline = match &args.baseline {
        Some(path) => {
            let text = read_text_file(path, MAX_BASELINE_BYTES).map_err(|error| {
                CommandError::Usage(format!(
                    "cannot read baseline `{}`: {error}",
                    path.display()
                ))
            })?;
            Some(Baseline::from_json(&text).map_err(|error| {
                CommandError::Usage(format!("baseline `{}`: {error}", path.display()))
            })?)
        }
        None => None,
    };
    let models = config.models().map_err(|error| {
        CommandError::Usage(match &config.source {
            Some(source) if !source.as_os_str().is_empty() => {
                format!("config `{}`: {error}", source.display())
            }
            _ => format!("config: {error}"),
        })
    })?;
    let settings = Settings {
        root: args.project.clone(),
        rules: selected,
        models,
        skip_tests: args.skip_tests.or(config.skip_tests).unwrap_or(true),
        excludes: if args.exclude.is_empty() {
            config
                .exclude
                .clone()
                .map(OneOrMany::into_vec)
                .unwrap_or_default()
        } else {
            args.exclude.clone()
        },
        jobs: capped_jobs(args.jobs.or(config.jobs).unwrap_or(0)),
        per_path_ignores,
        severity_overrides,
        report_unused_ignores: args.report_unused_ignores,
        changed_lines,
        baseline,
        overlay: None,
        paths: only_paths(&args.project, &args.files)?,
        fix: if args.fix {
            FixMode::Apply {
                unsafe_fixes: args.unsafe_fixes,
            }
        } else if args.diff {
            FixMode::Diff {
                unsafe_fixes: args.unsafe_fixes,
            }
        } else {
            FixMode::Off
        },
    };
    Ok(ScanPlan {
        settings,
        format,
        fail_on,
    })
}

/// The project must be a folder that can be listed or a regular file that
/// can be read; anything else is a usage error that says which it is.
fn check_project(path: &Path) -> Result<(), CommandError> {
    let shown = path.display();
    let metadata = std::fs::metadata(path).map_err(|error| {
        CommandError::Usage(if error.kind() == io::ErrorKind::NotFound {
            format!("project path `{shown}` does not exist")
        } else {
            format!("cannot read project path `{shown}`: {error}")
        })
    })?;
    let readable = if metadata.is_dir() {
        std::fs::read_dir(path).map(drop)
    } else if metadata.is_file() {
        File::open(path).map(drop)
    } else {
        return Err(CommandError::Usage(format!(
            "project path `{shown}` is neither a folder nor a regular file"
        )));
    };
    readable.map_err(|error| {
        CommandError::Usage(format!("cannot read project path `{shown}`: {error}"))
    })
}

/// More worker threads than this per core only cost memory and start-up
/// time: the scan is bound by the processor and the disk, not by waiting.
const MAX_JOBS_PER_CORE: usize = 4;

/// `requested` worker threads (0: one per core), at most
/// [`MAX_JOBS_PER_CORE`] per core; says so on standard error when it lowers
/// the number.
fn capped_jobs(requested: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let most = cores.saturating_mul(MAX_JOBS_PER_CORE);
    if requested <= most {
        return requested;
    }
    let mut stderr = anstream::stderr();
    let _ = writeln!(
        stderr,
        "warning: {requested} jobs is more than this machine can use; using {most} ({MAX_JOBS_PER_CORE} per core)"
    );
    most
}

/// The `FILES` of a scan, relative to the project; `None` when none is given.
fn only_paths(project: &Path, files: &[PathBuf]) -> Result<Option<Vec<PathBuf>>, CommandError> {
    if files.is_empty() {
        return Ok(None);
    }
    let cannot_read = |path: &Path, error: io::Error| {
        CommandError::Usage(format!("cannot read `{}`: {error}", path.display()))
    };
    let root = project
        .canonicalize()
        .map_err(|error| cannot_read(project, error))?;
    let mut relative = Vec::with_capacity(files.len());
    for file in files {
        let full = file
            .canonicalize()
            .map_err(|error| cannot_read(file, error))?;
        if full.is_dir() {
            return Err(CommandError::Usage(format!(
                "`{}` is a folder; name files, or scan the folder with --project",
                file.display()
            )));
        }
        let inside = full.strip_prefix(&root).map_err(|_| {
            CommandError::Usage(format!(
                "`{}` is outside the project `{}`",
                file.display(),
                project.display()
            ))
        })?;
        relative.push(inside.to_path_buf());
    }
    Ok(Some(relative))
}

pub(crate) fn scan_command(args: &ScanArgs) -> Result<Outcome, CommandError> {
    if !args.diff_aware && (args.base.is_some() || args.head.is_some()) {
        return Err(CommandError::Usage(
            "--base and --head only apply with --diff-aware".to_string(),
        ));
    }
    let (plan, report) = plan_and_scan(args, OutputFormat::Text, None)?;
    if args.diff {
        return print_diff(&report);
    }
    finish(args, &plan, &report)
}

/// Plans the scan the flags ask for and runs it: the one way `scan` and
/// `ci` scan a project.
pub(crate) fn plan_and_scan(
    args: &ScanArgs,
    default_format: OutputFormat,
    default_base: Option<&str>,
) -> Result<(ScanPlan, ScanReport), CommandError> {
    let plan = plan(args, default_format, default_base)?;
    let report = scan_with_progress(&plan.settings, args.no_progress)?;
    Ok((plan, report))
}

/// Runs the scan, with a progress bar when standard error is a terminal.
fn scan_with_progress(settings: &Settings, no_progress: bool) -> Result<ScanReport, CommandError> {
    if !no_progress && io::stderr().is_terminal() {
        let bar = progress::Bar::new();
        let report = scan(settings, &bar);
        bar.finish();
        report
    } else {
        scan(settings, &NoProgress)
    }
    .map_err(CommandError::Scan)
}

/// Writes the baseline (if asked), the report and the verbose counts, and
/// turns the findings into an outcome.
pub(crate) fn finish(
    args: &ScanArgs,
    plan: &ScanPlan,
    report: &ScanReport,
) -> Result<Outcome, CommandError> {
    if let Some(path) = &args.write_baseline {
        std::fs::write(path, Baseline::from_report(report).to_json()).map_err(|error| {
            CommandError::Usage(format!(
                "cannot write baseline `{}`: {error}",
                path.display()
            ))
        })?;
    }
    let format = match plan.format {
        OutputFormat::Text => Format::Text,
        OutputFormat::Json => Format::Json,
        OutputFormat::Sarif => Format::Sarif,
        OutputFormat::Csv => Format::Csv,
        OutputFormat::Github => Format::Github,
        OutputFormat::Gitlab => Format::Gitlab,
    };
    if let Some(path) = &args.output_file {
        let file = File::create(path).map_err(|error| {
            CommandError::Usage(format!("cannot write `{}`: {error}", path.display()))
        })?;
        let mut out = BufWriter::new(file);
        emit(format, report, EmitOptions { color: false }, &mut out)?;
        out.flush()?;
    } else {
        let stdout = crate::stdio::stdout()?;
        let color = stdout.is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty());
        let mut out = BufWriter::new(stdout.lock());
        emit(format, report, EmitOptions { color }, &mut out)?;
        out.flush()?;
    }
    if args.verbose {
        let stats = &report.stats;
        #[allow(clippy::cast_precision_loss, reason = "a MiB count for people to read")]
        let mebibytes = stats.bytes_read as f64 / (1024.0 * 1024.0);
        let mut stderr = anstream::stderr();
        // What the scan saw and could not judge, so a silence can be read.
        for write in &report.silent {
            writeln!(
                stderr,
                "note: {}:{}:{}: cookie write not reported: {}",
                write.path, write.line, write.column, write.reason
            )?;
        }
        writeln!(
            stderr,
            "pathfinder: {} Python files seen, {} skipped as tests, {} parsed, {} imported modules loaded, {:.1} MiB read, {} findings ({} suppressed, {} in the baseline, {} outside the diff), {} notices in {:.3}s",
            stats.files_seen,
            stats.files_skipped_as_tests,
            stats.files_parsed,
            stats.modules_loaded,
            mebibytes,
            report.finding_count(),
            stats.findings_suppressed,
            stats.findings_in_baseline,
            stats.findings_outside_diff,
            report.notices.len(),
            stats.elapsed.as_secs_f64(),
        )?;
    }
    Ok(outcome(plan.fail_on, report))
}

/// `--diff`: the fixes as a unified diff on standard output, a count on
/// standard error; exit 1 when there is something to fix.
fn print_diff(report: &pathfinder_engine::ScanReport) -> Result<Outcome, CommandError> {
    let mut out = BufWriter::new(crate::stdio::stdout()?.lock());
    let mut files = 0;
    for file in &report.files {
        if let Some(diff) = &file.diff {
            out.write_all(diff.as_bytes())?;
            files += 1;
        }
    }
    out.flush()?;
    let fix_count = report.fixes_applied();
    let mut stderr = anstream::stderr();
    writeln!(
        stderr,
        "{fix_count} fix{} available in {files} file{}",
        if fix_count == 1 { "" } else { "es" },
        if files == 1 { "" } else { "s" }
    )?;
    for notice in &report.notices {
        writeln!(
            stderr,
            "notice: {}: {}",
            notice.path.display(),
            notice.message
        )?;
    }
    Ok(if fix_count > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// 1 when a finding (or an unused ignore, counted as low) is at or above
/// `fail_on`; 0 otherwise.
pub(crate) fn outcome(fail_on: Option<Severity>, report: &ScanReport) -> Outcome {
    let failing = fail_on.is_some_and(|threshold| {
        report
            .findings()
            .any(|(_, finding)| finding.diagnostic.severity >= threshold)
            || (threshold == Severity::Low && !report.unused_ignores.is_empty())
    });
    if failing {
        Outcome::Findings
    } else {
        Outcome::Clean
    }
}

pub(crate) fn rules_command(args: &RulesArgs) -> Result<Outcome, CommandError> {
    let mut out = BufWriter::new(crate::stdio::stdout()?.lock());
    if args.json {
        let list: Vec<String> = rules()
            .iter()
            .map(|rule| {
                format!(
                    "{{\"id\":{:?},\"name\":{:?},\"title\":{:?},\"severity\":{:?},\"status\":{:?},\"bundles\":{:?},\"cwe\":{:?}}}",
                    rule.id,
                    rule.name,
                    rule.title,
                    rule.severity.as_str(),
                    rule.status.as_str(),
                    rule.bundles,
                    rule.cwe
                )
            })
            .collect();
        writeln!(out, "[{}]", list.join(","))?;
    } else {
        writeln!(
            out,
            "{:<24} {:<9} {:<8} {:<42} TITLE",
            "ID", "SEVERITY", "STATUS", "BUNDLES"
        )?;
        for rule in rules() {
            writeln!(
                out,
                "{:<24} {:<9} {:<8} {:<42} {}",
                rule.id,
                rule.severity.as_str(),
                rule.status.as_str(),
                rule.bundles.join(","),
                rule.title
            )?;
        }
        writeln!(out, "\nBundles (for --ruleset):")?;
        for bundle in BUNDLES {
            writeln!(out, "  {:<16} {}", bundle.name, bundle.description)?;
        }
    }
    out.flush()?;
    Ok(Outcome::Clean)
}

pub(crate) fn explain_command(args: &ExplainArgs) -> Result<Outcome, CommandError> {
    let rule: &Rule = find_rule(&args.rule).ok_or_else(|| {
        CommandError::Usage(format!(
            "unknown rule `{}`; known rulesets:\n{}",
            args.rule,
            known_rulesets()
        ))
    })?;
    let mut out = BufWriter::new(crate::stdio::stdout()?.lock());
    writeln!(out, "{}: {}\n", rule.id, rule.title)?;
    writeln!(
        out,
        "Severity: {}    Status: {}    Since: {}",
        rule.severity,
        rule.status.as_str(),
        rule.since
    )?;
    writeln!(
        out,
        "CWE: {}    OWASP: {}",
        rule.cwe.join(", "),
        rule.owasp.join(", ")
    )?;
    writeln!(out, "Bundles: python/all, {}\n", rule.bundles.join(", "))?;
    writeln!(out, "{}", rule.docs.trim_end())?;
    out.flush()?;
    Ok(Outcome::Clean)
}
