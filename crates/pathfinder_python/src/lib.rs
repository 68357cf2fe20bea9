//! Python parsing and the small amount of meaning the rules need.
//!
//! This crate owns everything that knows Python's syntax and scoping: parsing
//! with error recovery ([`parse`]), lowering expressions into owned [`Term`]s,
//! collecting the bindings of a module or function ([`Scope`], [`ModuleSummary`]),
//! and answering questions about them through a [`Resolver`]: what qualified name
//! does this expression refer to, what constant value does it have, where does
//! this receiver come from. Modules of the analysed project are loaded lazily
//! through a [`ModuleLoader`] that the engine provides.

mod parse;
mod resolve;
mod scope;
mod term;

pub use parse::{ParsedModule, SyntaxIssue, is_clean_expression, parse};
pub use resolve::{ClassRef, Ctx, DictValue, ModuleLoader, NoLoader, Origin, Resolver, Value};
pub use scope::{
    Binding, ClassInfo, DictUpdates, ModuleSummary, ParamInfo, Scope, absolute_module,
};
pub use term::{DictKey, Term, lower};

pub use ruff_python_ast as ast;
