//! Parsing with error recovery and a guard against pathologically deep trees.

use std::sync::Arc;

use pathfinder_diagnostics::TextSize;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ModModule, PySourceType, Stmt};
use ruff_python_parser::parse_unchecked_source;

/// Trees deeper than this are never dropped recursively: dropping them could
/// exhaust the stack. Such a tree is leaked instead, which costs memory
/// proportional to one (pathological) file.
const MAX_DROP_DEPTH: usize = 20_000;

/// A syntax error found while parsing; the rest of the file is still analysed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxIssue {
    pub offset: TextSize,
    pub message: String,
}

/// A parsed module. Its tree is recovered even when the source has errors.
pub struct ParsedModule {
    module: Option<ModModule>,
    pub errors: Vec<SyntaxIssue>,
    /// The deepest nesting of expressions and statements seen in the tree.
    pub depth: usize,
}

impl ParsedModule {
    pub fn module(&self) -> &ModModule {
        self.module
            .as_ref()
            .expect("the module is present until drop")
    }
}

impl Drop for ParsedModule {
    fn drop(&mut self) {
        if self.depth > MAX_DROP_DEPTH
            && let Some(module) = self.module.take()
        {
            std::mem::forget(module);
        }
    }
}

/// A file's text with its parse: what a [`crate::ModuleLoader`] hands to
/// analyses that walk a whole module, so that each file is parsed once.
pub struct ParsedFile {
    pub source: Arc<str>,
    pub parsed: ParsedModule,
}

impl ParsedFile {
    /// Parses `source`.
    pub fn new(source: Arc<str>) -> ParsedFile {
        let parsed = parse(&source);
        ParsedFile { source, parsed }
    }

    pub fn module(&self) -> &ModModule {
        self.parsed.module()
    }
}

/// Parses `source` as a Python module, recovering from syntax errors.
pub fn parse(source: &str) -> ParsedModule {
    let parsed = parse_unchecked_source(source, PySourceType::Python);
    let errors = parsed
        .errors()
        .iter()
        .take(20)
        .map(|error| SyntaxIssue {
            offset: error.location.start(),
            message: error.error.to_string(),
        })
        .collect();
    let module = parsed.into_syntax();
    let mut meter = DepthMeter::default();
    meter.visit_body(&module.body);
    ParsedModule {
        module: Some(module),
        errors,
        depth: meter.max,
    }
}

/// Whether `text` is one Python expression without any syntax error. Fixes
/// are checked with it before they are offered: the edited call must still
/// be a call.
pub fn is_clean_expression(text: &str) -> bool {
    ruff_python_parser::parse_expression(text).is_ok()
}

/// Measures the nesting depth of a tree, growing the stack as it descends.
#[derive(Default)]
struct DepthMeter {
    current: usize,
    max: usize,
}

impl<'a> Visitor<'a> for DepthMeter {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.current += 1;
        self.max = self.max.max(self.current);
        stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || {
            visitor::walk_stmt(self, stmt);
        });
        self.current -= 1;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        self.current += 1;
        self.max = self.max.max(self.current);
        stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || {
            visitor::walk_expr(self, expr);
        });
        self.current -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_from_errors() {
        let parsed = parse("x = (\nprint 'hello'\ny = 1\n");
        assert!(!parsed.errors.is_empty());
        assert!(!parsed.module().body.is_empty());
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let depth = 100_000;
        let source = format!("x = {}1{}\n", "[".repeat(depth), "]".repeat(depth));
        let parsed = parse(&source);
        assert!(parsed.depth > MAX_DROP_DEPTH);
        let chain = format!("y = 1{}\n", "+1".repeat(depth));
        let parsed = parse(&chain);
        assert!(parsed.depth > MAX_DROP_DEPTH);
    }
}
