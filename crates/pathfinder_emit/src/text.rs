//! `--output text`: a code frame per finding, then notices and a summary.

use std::io::{self, Write};

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use pathfinder_diagnostics::{Applicability, Diagnostic, Severity};
use pathfinder_engine::{FileReport, ScanReport, display_path};

/// Text from the scanned tree (a file name, a message quoting code) with
/// control characters shown as visible stand-ins, as in the code frames.
fn untrusted(text: &str) -> String {
    annotate_snippets::normalize_untrusted_str(text)
}

/// At most this many lines of a long call are shown.
const MAX_FRAME_LINES: usize = 8;

pub(crate) fn write(
    report: &ScanReport,
    options: crate::EmitOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let renderer = if options.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);
    for (file, finding) in report.findings() {
        writeln!(out, "{}\n", render(&renderer, file, &finding.diagnostic))?;
    }
    for ignore in &report.unused_ignores {
        writeln!(
            out,
            "unused-ignore: {}:{}:{}: {}",
            untrusted(&ignore.path),
            ignore.line,
            ignore.column,
            untrusted(&ignore.message())
        )?;
    }
    if !report.unused_ignores.is_empty() {
        writeln!(out)?;
    }
    for notice in &report.notices {
        writeln!(
            out,
            "notice: {}: {}",
            untrusted(&display_path(&notice.path)),
            untrusted(&notice.message)
        )?;
    }
    if !report.notices.is_empty() {
        writeln!(out)?;
    }
    let count = report.finding_count();
    let mut by_severity = Vec::new();
    for severity in Severity::ALL {
        let n = report
            .findings()
            .filter(|(_, finding)| finding.diagnostic.severity == severity)
            .count();
        if n > 0 {
            by_severity.push(format!("{n} {severity}"));
        }
    }
    let findings = match count {
        0 => "No insecure cookie writes found".to_string(),
        1 => format!("Found 1 finding ({})", by_severity.join(", ")),
        n => format!(
            "Found {n} findings ({}) in {}",
            by_severity.join(", "),
            match report.files_with_findings() {
                1 => "1 file".to_string(),
                files => format!("{files} files"),
            }
        ),
    };
    let fixed = report.fixes_applied();
    if fixed > 0 {
        writeln!(
            out,
            "Fixed {fixed} finding{}.",
            if fixed == 1 { "" } else { "s" }
        )?;
    }
    writeln!(
        out,
        "{findings}; {} Python files, {} parsed{}.",
        report.stats.files_seen,
        report.stats.files_parsed,
        match report.notices.len() {
            0 => String::new(),
            1 => ", 1 notice".to_string(),
            n => format!(", {n} notices"),
        }
    )
}

fn render(renderer: &Renderer, file: &FileReport, diagnostic: &Diagnostic) -> String {
    let index = &file.line_index;
    let first = index.line_of(diagnostic.range.start());
    let last = index
        .line_of(diagnostic.range.end())
        .min(first + MAX_FRAME_LINES - 1);
    let start = usize::from(index.line_start(first));
    let end = if last + 1 < index.line_count() {
        usize::from(index.line_start(last + 1))
    } else {
        file.source.len()
    };
    let window = file.source[start..end].trim_end_matches(['\n', '\r']);
    let span_start = usize::from(diagnostic.range.start()) - start;
    let span_end = (usize::from(diagnostic.range.end()) - start).min(window.len());
    let level = match diagnostic.severity.level() {
        pathfinder_diagnostics::Level::Error => Level::ERROR,
        pathfinder_diagnostics::Level::Warning => Level::WARNING,
        pathfinder_diagnostics::Level::Note => Level::NOTE,
    };
    let label = format!("insecure: {}", diagnostic.insecure_attributes().join(", "));
    let marker = if diagnostic.fix.is_some() { " [*]" } else { "" };
    let title = format!("[{}]{marker} {}", diagnostic.severity, diagnostic.message);
    let mut group = level.primary_title(title).id(diagnostic.rule).element(
        Snippet::source(window)
            .line_start(first + 1)
            .path(untrusted(&file.path))
            .annotation(
                AnnotationKind::Primary
                    .span(span_start..span_end)
                    .label(label),
            ),
    );
    for related in &diagnostic.related {
        group = group.element(Level::NOTE.message(format!(
            "{} ({}:{}:{})",
            related.message,
            untrusted(&related.path),
            related.line,
            related.column
        )));
    }
    if let Some(fix) = &diagnostic.fix {
        let how = match fix.applicability {
            Applicability::Safe => "--fix",
            _ => "--fix --unsafe-fixes",
        };
        group = group.element(Level::HELP.message(format!("{} (apply with `{how}`)", fix.title)));
    }
    renderer.render(&[group])
}
