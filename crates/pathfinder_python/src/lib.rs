//! Python parsing and the small amount of meaning the rules need.
//!
//! This crate owns everything that knows Python's syntax and scoping: parsing
//! with error recovery ([`parse`]), lowering expressions into owned [`Term`]s,
//! collecting the bindings of a module or function ([`Scope`], [`ModuleSummary`]),
//! and answering questions about them through a [`Resolver`]: what qualified name
//! does this expression refer to, what constant value does it have, where does
//! this receiver come from. Modules of the analysed project are loaded lazily
//! through a [`ModuleLoader`] that the engine provides.

pub mod evaluate;
mod parse;
mod resolve;
mod scope;
mod term;
mod value;

pub use evaluate::{EvalHooks, Evaluator, NoHooks};
pub use parse::{ParsedFile, ParsedModule, SyntaxIssue, is_clean_expression, parse};
pub use resolve::{ClassRef, Ctx, ModuleLoader, NoLoader, Origin, Resolver};
pub use scope::{
    Binding, ClassInfo, DictUpdates, Mentions, ModuleSummary, ParamInfo, Scope, absolute_module,
};
pub use term::{DictKey, Term, lower};
pub use value::{ClassHandle, DictValue, Value};

pub use ruff_python_ast as ast;
