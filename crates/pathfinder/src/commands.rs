//! The commands: `scan`, `rules` and `explain`.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};

use pathfinder_diagnostics::Severity;
use pathfinder_emit::{EmitOptions, Format, emit};
use pathfinder_engine::{NoProgress, ScanError, Settings, scan};
use pathfinder_rules::registry::BUNDLES;
use pathfinder_rules::{Rule, find_rule, rules, select};

use crate::Outcome;
use crate::args::{Cli, Command, ExplainArgs, OutputFormat, RulesArgs, ScanArgs};

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

pub(crate) fn run(cli: Cli) -> Result<Outcome, CommandError> {
    match cli.command {
        Command::Scan(args) => scan_command(&args),
        Command::Rules(args) => rules_command(&args),
        Command::Explain(args) => explain_command(&args),
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

fn scan_command(args: &ScanArgs) -> Result<Outcome, CommandError> {
    let selected = select(&args.ruleset).map_err(|unknown| {
        CommandError::Usage(format!(
            "unknown ruleset `{unknown}`; known rulesets:\n{}",
            known_rulesets()
        ))
    })?;
    let mut fail_on: Option<Severity> = None;
    for text in &args.fail_on {
        let severity = Severity::parse(text).ok_or_else(|| {
            CommandError::Usage(format!(
                "unknown severity `{text}` for --fail-on; use critical, high, medium or low"
            ))
        })?;
        fail_on = Some(fail_on.map_or(severity, |lowest| lowest.min(severity)));
    }
    let settings = Settings {
        root: args.project.clone(),
        rules: selected,
        skip_tests: args.skip_tests,
        excludes: args.exclude.clone(),
        jobs: args.jobs,
        ..Settings::default()
    };
    let report = scan(&settings, &NoProgress).map_err(CommandError::Scan)?;

    let format = match args.output {
        OutputFormat::Text => Format::Text,
        OutputFormat::Json => Format::Json,
        OutputFormat::Sarif => Format::Sarif,
        OutputFormat::Csv => Format::Csv,
    };
    if let Some(path) = &args.output_file {
        let file = File::create(path).map_err(|error| {
            CommandError::Usage(format!("cannot write `{}`: {error}", path.display()))
        })?;
        let mut out = BufWriter::new(file);
        emit(format, &report, EmitOptions { color: false }, &mut out)?;
        out.flush()?;
    } else {
        let stdout = io::stdout();
        let color = stdout.is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty());
        let mut out = BufWriter::new(stdout.lock());
        emit(format, &report, EmitOptions { color }, &mut out)?;
        out.flush()?;
    }
    if args.verbose {
        let stats = &report.stats;
        #[allow(clippy::cast_precision_loss, reason = "a MiB count for people to read")]
        let mebibytes = stats.bytes_read as f64 / (1024.0 * 1024.0);
        let mut stderr = anstream::stderr();
        writeln!(
            stderr,
            "pathfinder: {} Python files seen, {} skipped as tests, {} parsed, {} imported modules loaded, {:.1} MiB read, {} findings, {} notices in {:.3}s",
            stats.files_seen,
            stats.files_skipped_as_tests,
            stats.files_parsed,
            stats.modules_loaded,
            mebibytes,
            report.finding_count(),
            report.notices.len(),
            stats.elapsed.as_secs_f64(),
        )?;
    }
    let failing = fail_on.is_some_and(|threshold| {
        report
            .diagnostics()
            .any(|(_, diagnostic)| diagnostic.severity >= threshold)
    });
    Ok(if failing {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

fn rules_command(args: &RulesArgs) -> Result<Outcome, CommandError> {
    let mut out = BufWriter::new(io::stdout().lock());
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
            "{:<24} {:<9} {:<8} {:<32} TITLE",
            "ID", "SEVERITY", "STATUS", "BUNDLES"
        )?;
        for rule in rules() {
            writeln!(
                out,
                "{:<24} {:<9} {:<8} {:<32} {}",
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

fn explain_command(args: &ExplainArgs) -> Result<Outcome, CommandError> {
    let rule: &Rule = find_rule(&args.rule).ok_or_else(|| {
        CommandError::Usage(format!(
            "unknown rule `{}`; known rulesets:\n{}",
            args.rule,
            known_rulesets()
        ))
    })?;
    let mut out = BufWriter::new(io::stdout().lock());
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
