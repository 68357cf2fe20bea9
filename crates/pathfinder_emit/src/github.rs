//! `--output github`: GitHub Actions workflow commands, one annotation per finding.
//!
//! Each finding becomes
//! `::warning file=PATH,line=L,endLine=E,col=C,endColumn=D,title=RULE::MESSAGE`
//! (the finding's level: `error` for critical and high, `notice` for low). Data is escaped as the
//! runner expects: `%`, `\r` and `\n` everywhere, and also `:` and `,` in
//! properties. Paths are relative to the project, which is the repository
//! root when the scan runs from there, as it does in a workflow.

use std::fmt::Write as _;
use std::io::{self, Write};

use pathfinder_diagnostics::Level;
use pathfinder_engine::ScanReport;

use crate::span;

pub(crate) fn write(report: &ScanReport, out: &mut dyn Write) -> io::Result<()> {
    for (file, finding) in report.findings() {
        let diagnostic = &finding.diagnostic;
        let (start, end) = span(file, diagnostic);
        let command = match diagnostic.severity.level() {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "notice",
        };
        let mut message = format!("[{}] {}", diagnostic.severity, diagnostic.message);
        let insecure = diagnostic.insecure_attributes();
        if !insecure.is_empty() {
            let _ = write!(message, "\ninsecure: {}", insecure.join(", "));
        }
        writeln!(
            out,
            "::{command} file={},line={},endLine={},col={},endColumn={},title={}::{}",
            escape_property(&file.path),
            start.line,
            end.line,
            start.column,
            end.column,
            escape_property(diagnostic.rule),
            escape_data(&message),
        )?;
    }
    for ignore in &report.unused_ignores {
        writeln!(
            out,
            "::warning file={},line={},col={},title={}::{}",
            escape_property(&ignore.path),
            ignore.line,
            ignore.column,
            escape_property("pathfinder unused-ignore"),
            escape_data(&ignore.message()),
        )?;
    }
    for notice in &report.notices {
        writeln!(
            out,
            "::notice file={},title={}::{}",
            escape_property(&notice.path.to_string_lossy()),
            escape_property("pathfinder notice"),
            escape_data(&notice.message),
        )?;
    }
    Ok(())
}

/// Escapes a command's message.
pub(crate) fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command's property value.
pub(crate) fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("100% a\r\nb: c, d"), "100%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae");
    }
}
