//! Code actions: a finding's fix, every safe fix of the file, and a
//! suppression comment.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, TextEdit, Uri, WorkspaceEdit,
};
use pathfinder_diagnostics::{Applicability, Diagnostic, Fix, TextRange};

use crate::position::Lines;
use crate::server::Document;

/// The kind of "fix all in file", under `source.fixAll` so editors that fix
/// on save can ask for it.
pub(crate) const FIX_ALL_KIND: &str = "source.fixAll.pathfinder";

pub(crate) fn code_actions(
    document: &Document,
    params: &CodeActionParams,
) -> Vec<CodeActionOrCommand> {
    let Ok(uri) = document.uri.parse::<Uri>() else {
        return Vec::new();
    };
    let lines = Lines::new(&document.checked_text);
    let wanted = |kind: &CodeActionKind| {
        params.context.only.as_ref().is_none_or(|only| {
            only.iter().any(|prefix| {
                kind.as_str() == prefix.as_str()
                    || kind.as_str().starts_with(&format!("{}.", prefix.as_str()))
            })
        })
    };
    let requested = lines.text_range(params.range);
    let start_line = lines.index.line_of(requested.start());
    let end_line = lines.index.line_of(requested.end());
    let mut actions = Vec::new();
    let here: Vec<&Diagnostic> = document
        .findings
        .iter()
        .filter(|finding| {
            let line = lines.index.line_of(finding.range.start());
            finding.range.intersect(requested).is_some() || (start_line..=end_line).contains(&line)
        })
        .collect();
    if wanted(&CodeActionKind::QUICKFIX) {
        for finding in &here {
            let diagnostic = lsp_diagnostic_ref(finding, &lines);
            if let Some(fix) = &finding.fix
                && fix.applicability != Applicability::DisplayOnly
            {
                let safe = fix.applicability == Applicability::Safe;
                let title = if safe {
                    format!("{} ({})", fix.title, finding.rule)
                } else {
                    format!("Unsafe fix: {} ({})", fix.title, finding.rule)
                };
                actions.push(action(
                    title,
                    CodeActionKind::QUICKFIX,
                    &uri,
                    edits(fix, &lines),
                    Some(vec![diagnostic.clone()]),
                    safe,
                ));
            }
            actions.push(action(
                format!(
                    "Suppress {} with `# pathfinder: ignore[{}]`",
                    finding.rule, finding.rule
                ),
                CodeActionKind::QUICKFIX,
                &uri,
                vec![suppression(finding, &lines)],
                Some(vec![diagnostic]),
                false,
            ));
        }
    }
    let fix_all = fix_all_edits(&document.findings, &lines);
    if !fix_all.is_empty() {
        // Offered next to a finding, and whenever `source.fixAll` is asked for.
        let kind = CodeActionKind::new(FIX_ALL_KIND);
        let asked_for_source = params.context.only.is_some() && wanted(&kind);
        if asked_for_source || (!here.is_empty() && wanted(&CodeActionKind::QUICKFIX)) {
            actions.push(action(
                "Fix all pathfinder findings in file (safe fixes)".to_string(),
                if asked_for_source {
                    kind
                } else {
                    CodeActionKind::QUICKFIX
                },
                &uri,
                fix_all,
                None,
                false,
            ));
        }
    }
    actions
        .into_iter()
        .map(CodeActionOrCommand::CodeAction)
        .collect()
}

fn lsp_diagnostic_ref(finding: &Diagnostic, lines: &Lines<'_>) -> lsp_types::Diagnostic {
    lsp_types::Diagnostic {
        range: lines.range(finding.range),
        code: Some(lsp_types::NumberOrString::String(finding.rule.to_string())),
        source: Some("pathfinder".to_string()),
        message: crate::server::finding_message(finding),
        ..lsp_types::Diagnostic::default()
    }
}

fn action(
    title: String,
    kind: CodeActionKind,
    uri: &Uri,
    edits: Vec<TextEdit>,
    diagnostics: Option<Vec<lsp_types::Diagnostic>>,
    preferred: bool,
) -> CodeAction {
    CodeAction {
        title,
        kind: Some(kind),
        diagnostics,
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        }),
        is_preferred: preferred.then_some(true),
        ..CodeAction::default()
    }
}

fn edits(fix: &Fix, lines: &Lines<'_>) -> Vec<TextEdit> {
    fix.edits
        .iter()
        .map(|edit| TextEdit {
            range: lines.range(edit.range),
            new_text: edit.content.as_deref().unwrap_or_default().to_string(),
        })
        .collect()
}

/// Every safe fix of the file whose edits do not overlap an earlier one's.
fn fix_all_edits(findings: &[Diagnostic], lines: &Lines<'_>) -> Vec<TextEdit> {
    let mut fixes: Vec<&Fix> = findings
        .iter()
        .filter_map(|finding| finding.fix.as_ref())
        .filter(|fix| fix.applicability == Applicability::Safe && !fix.edits.is_empty())
        .collect();
    fixes.sort_by_key(|fix| fix.edits[0].range.start());
    let mut taken: Vec<TextRange> = Vec::new();
    let mut all = Vec::new();
    for fix in fixes {
        let overlaps = fix.edits.iter().any(|edit| {
            taken.iter().any(|other| {
                edit.range.start() < other.end() && other.start() < edit.range.end()
                    || (edit.range == *other)
            })
        });
        if overlaps {
            continue;
        }
        taken.extend(fix.edits.iter().map(|edit| edit.range));
        all.extend(edits(fix, lines));
    }
    all
}

/// A comment line above the finding's first line, indented like it.
fn suppression(finding: &Diagnostic, lines: &Lines<'_>) -> TextEdit {
    let line = lines.index.line_of(finding.range.start());
    let text = lines.index.line_text(line, lines.text);
    let indent = &text[..text.len() - text.trim_start().len()];
    let start = lines.index.line_start(line);
    let ending = if lines.text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    TextEdit {
        range: lines.range(TextRange::empty(start)),
        new_text: format!("{indent}# pathfinder: ignore[{}]{ending}", finding.rule),
    }
}
