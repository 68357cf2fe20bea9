//! The output formats. Each is a conversion of a [`ScanReport`] into bytes;
//! this is the only crate that knows SARIF, JSON, CSV, GitHub workflow
//! commands and GitLab security reports. How loudly a finding is shown
//! comes from one place, [`pathfinder_diagnostics::Severity::level`].

mod csv_format;
mod github;
mod gitlab;
mod json;
mod sarif;
mod text;

use std::io::{self, Write};

use pathfinder_diagnostics::{Diagnostic, LineColumn};
use pathfinder_engine::{FileReport, ScanReport};

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Csv,
    Github,
    Gitlab,
}

/// How to render.
#[derive(Clone, Copy, Debug, Default)]
pub struct EmitOptions {
    /// ANSI colours in text output.
    pub color: bool,
}

/// Writes `report` in `format` to `out`.
pub fn emit(
    format: Format,
    report: &ScanReport,
    options: EmitOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Text => text::write(report, options, out),
        Format::Json => json::write(report, out),
        Format::Sarif => sarif::write(report, out),
        Format::Csv => csv_format::write(report, out),
        Format::Github => github::write(report, out),
        Format::Gitlab => gitlab::write(report, out),
    }
}

/// The one-based start and end of a diagnostic; the end column is exclusive.
pub(crate) fn span(file: &FileReport, diagnostic: &Diagnostic) -> (LineColumn, LineColumn) {
    let start = file
        .line_index
        .line_column(diagnostic.range.start(), &file.source);
    let end = file
        .line_index
        .line_column(diagnostic.range.end(), &file.source);
    (start, end)
}
