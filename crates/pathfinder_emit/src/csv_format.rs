//! `--output csv`: one row per finding, with a header row.

use std::io::{self, Write};

use pathfinder_engine::ScanReport;

use crate::span;

pub(crate) fn write(report: &ScanReport, out: &mut dyn Write) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record([
        "rule_id",
        "severity",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "insecure",
        "message",
    ])?;
    for (file, finding) in report.findings() {
        let diagnostic = &finding.diagnostic;
        let (start, end) = span(file, diagnostic);
        writer.write_record([
            diagnostic.rule,
            diagnostic.severity.as_str(),
            &file.path,
            &start.line.to_string(),
            &start.column.to_string(),
            &end.line.to_string(),
            &end.column.to_string(),
            &diagnostic.insecure_attributes().join(";"),
            &diagnostic.message,
        ])?;
    }
    writer.flush()
}
