//! The bindings of a module or a function body.
//!
//! A [`Scope`] maps each name bound in a body to what it is bound to. A name
//! bound exactly once, unconditionally, keeps its value; a name bound several
//! times or inside a branch becomes [`Binding::Multiple`], which constant
//! evaluation treats as unknown. Nested functions and classes are not entered:
//! each function gets its own [`Scope`] when a rule needs it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use ruff_python_ast::{self as ast, Expr, ModModule, Stmt};

use crate::term::{DictKey, Term, lower};

/// What a name is bound to.
#[derive(Clone, Debug)]
pub enum Binding {
    /// One unconditional assignment.
    Value(Term),
    /// An import; the qualified name it stands for.
    Import(Box<str>),
    Class(Arc<ClassInfo>),
    Function,
    Param(ParamInfo),
    /// Several assignments, or assignments in branches; in source order.
    Multiple(Vec<Binding>),
}

/// A parameter of the function that owns the scope.
#[derive(Clone, Debug)]
pub struct ParamInfo {
    pub name: Box<str>,
    pub annotation: Option<Term>,
    /// Zero-based position among the positional parameters, `self` included.
    pub index: Option<usize>,
    /// The first parameter of a method that is not a `staticmethod`.
    pub is_self: bool,
    /// `*args` or `**kwargs`.
    pub variadic: bool,
    /// Whether the `def` gives it a default: a call may leave it out.
    pub has_default: bool,
}

/// A class defined at the top level of a module or function.
#[derive(Debug)]
pub struct ClassInfo {
    pub name: Box<str>,
    pub bases: Vec<Term>,
    /// The names of the methods the class body defines.
    pub methods: Vec<Box<str>>,
    /// For each method, the identifiers its body mentions (names, keyword
    /// names and identifier-like strings), lower-cased; `None` when there are
    /// more than 64, so that a rule can tell an override that
    /// only forwards its arguments from one that changes them.
    pub mentions: Vec<(Box<str>, Mentions)>,
}

/// The most identifiers kept for one method body.
const MAX_MENTIONS: usize = 64;

/// The identifiers one method body mentions; `None` when there were too many.
pub type Mentions = Option<Vec<Box<str>>>;

impl ClassInfo {
    /// The identifiers the body of `method` mentions, if the class defines
    /// it: `Some(None)` when there were too many to keep.
    pub fn method_mentions(&self, method: &str) -> Option<Option<&[Box<str>]>> {
        self.mentions
            .iter()
            .find(|(name, _)| name.as_ref() == method)
            .map(|(_, words)| words.as_deref())
    }
}

/// Collects the identifiers used anywhere in a function body.
#[derive(Default)]
struct MentionCollector {
    words: Vec<Box<str>>,
    overflow: bool,
}

impl MentionCollector {
    fn note(&mut self, word: &str) {
        let identifier = !word.is_empty()
            && word.len() <= 32
            && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !identifier || self.overflow {
            return;
        }
        if self
            .words
            .iter()
            .any(|known| known.eq_ignore_ascii_case(word))
        {
            return;
        }
        if self.words.len() == MAX_MENTIONS {
            self.overflow = true;
            return;
        }
        self.words.push(word.to_ascii_lowercase().into());
    }
}

impl<'a> ruff_python_ast::visitor::Visitor<'a> for MentionCollector {
    fn visit_expr(&mut self, expr: &'a Expr) {
        // Past the limit nothing more is kept.
        if self.overflow {
            return;
        }
        match expr {
            Expr::StringLiteral(literal) => self.note(literal.value.to_str()),
            Expr::Name(name) => self.note(name.id.as_str()),
            Expr::Call(call) => {
                for keyword in &call.arguments.keywords {
                    if let Some(arg) = &keyword.arg {
                        self.note(arg.id.as_str());
                    }
                }
            }
            _ => {}
        }
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            ruff_python_ast::visitor::walk_expr(self, expr);
        });
    }
}

fn mentions_of(function: &ast::StmtFunctionDef) -> Mentions {
    let mut collector = MentionCollector::default();
    ruff_python_ast::visitor::Visitor::visit_body(&mut collector, &function.body);
    (!collector.overflow).then_some(collector.words)
}

/// Mutations of a dictionary bound to a name: `d['k'] = v`, `d.update(k=v)`.
#[derive(Clone, Debug, Default)]
pub struct DictUpdates {
    pub entries: Vec<(DictKey, Term)>,
    /// Set when some mutation could not be understood.
    pub opaque: bool,
}

/// The bindings of one body.
#[derive(Debug, Default)]
pub struct Scope {
    pub bindings: HashMap<Box<str>, Binding>,
    pub dict_updates: HashMap<Box<str>, DictUpdates>,
    /// Modules whose names a `from module import *` brings in.
    pub star_imports: Vec<Box<str>>,
    /// The function's name; empty for a module.
    pub function: Box<str>,
    /// The class a method belongs to.
    pub class: Option<Arc<ClassInfo>>,
    /// The last name of each decorator of the function (`after_request` for
    /// `@app.after_request`).
    pub decorators: Vec<Box<str>>,
}

/// What the analysis keeps of a module: its bindings and what it imports.
#[derive(Debug)]
pub struct ModuleSummary {
    /// The dotted module name, such as `shop.views`.
    pub name: Box<str>,
    pub path: PathBuf,
    pub is_package: bool,
    pub scope: Scope,
    /// The top-level package of every import anywhere in the module.
    pub imported_roots: Vec<Box<str>>,
}

impl ModuleSummary {
    pub fn build(module: &ModModule, name: &str, path: PathBuf) -> ModuleSummary {
        let is_package = path.file_stem().is_some_and(|stem| stem == "__init__");
        let mut collector = Collector::new(name, is_package);
        collector.body(&module.body, false);
        let scope = collector.finish(Box::from(""), None);
        let mut imported_roots = Vec::new();
        collect_import_roots(&module.body, name, is_package, &mut imported_roots);
        imported_roots.sort();
        imported_roots.dedup();
        ModuleSummary {
            name: name.into(),
            path,
            is_package,
            scope,
            imported_roots,
        }
    }

    /// Whether any import of the module names one of `roots` as its top-level package.
    pub fn imports_any(&self, roots: &[&str]) -> bool {
        self.imported_roots
            .iter()
            .any(|root| roots.contains(&root.as_ref()))
    }

    /// The qualified name of a top-level definition of this module.
    pub fn qualify(&self, name: &str) -> String {
        if self.name.is_empty() {
            name.to_string()
        } else {
            format!("{}.{name}", self.name)
        }
    }
}

impl Scope {
    /// Collects the bindings of a function body, parameters included.
    pub fn of_function(
        function: &ast::StmtFunctionDef,
        module: &ModuleSummary,
        class: Option<Arc<ClassInfo>>,
    ) -> Scope {
        let mut collector = Collector::new(&module.name, module.is_package);
        let is_static = function.decorator_list.iter().any(|decorator| {
            matches!(&decorator.expression, Expr::Name(name) if name.id.as_str() == "staticmethod")
        });
        let parameters = &function.parameters;
        let positional = parameters.posonlyargs.iter().chain(&parameters.args);
        for (index, parameter) in positional.enumerate() {
            collector.bind_param(
                &parameter.parameter,
                Some(index),
                class.is_some() && !is_static && index == 0,
                false,
                parameter.default.is_some(),
            );
        }
        for parameter in &parameters.kwonlyargs {
            collector.bind_param(
                &parameter.parameter,
                None,
                false,
                false,
                parameter.default.is_some(),
            );
        }
        for parameter in parameters.vararg.iter().chain(&parameters.kwarg) {
            collector.bind_param(parameter, None, false, true, false);
        }
        collector.body(&function.body, false);
        let mut scope = collector.finish(function.name.id.as_str().into(), class);
        scope.decorators = function
            .decorator_list
            .iter()
            .filter_map(|decorator| {
                let expr = match &decorator.expression {
                    Expr::Call(call) => call.func.as_ref(),
                    other => other,
                };
                match expr {
                    Expr::Name(name) => Some(name.id.as_str().into()),
                    Expr::Attribute(attribute) => Some(attribute.attr.id.as_str().into()),
                    _ => None,
                }
            })
            .collect();
        scope
    }
}

/// Gathers bindings in source order, then folds them into a [`Scope`].
struct Collector<'m> {
    module: &'m str,
    is_package: bool,
    found: Vec<(Box<str>, Binding, bool)>,
    dict_updates: HashMap<Box<str>, DictUpdates>,
    star_imports: Vec<Box<str>>,
}

impl<'m> Collector<'m> {
    fn new(module: &'m str, is_package: bool) -> Collector<'m> {
        Collector {
            module,
            is_package,
            found: Vec::new(),
            dict_updates: HashMap::new(),
            star_imports: Vec::new(),
        }
    }

    fn finish(self, function: Box<str>, class: Option<Arc<ClassInfo>>) -> Scope {
        let mut grouped: HashMap<Box<str>, Vec<(Binding, bool)>> = HashMap::new();
        for (name, binding, conditional) in self.found {
            grouped
                .entry(name)
                .or_default()
                .push((binding, conditional));
        }
        let bindings = grouped
            .into_iter()
            .map(|(name, mut all)| {
                let binding = if all.len() == 1 && !all[0].1 {
                    all.pop().expect("one binding").0
                } else {
                    Binding::Multiple(all.into_iter().map(|(binding, _)| binding).collect())
                };
                (name, binding)
            })
            .collect();
        Scope {
            bindings,
            dict_updates: self.dict_updates,
            star_imports: self.star_imports,
            function,
            class,
            decorators: Vec::new(),
        }
    }

    fn bind(&mut self, name: &str, binding: Binding, conditional: bool) {
        self.found.push((name.into(), binding, conditional));
    }

    fn bind_param(
        &mut self,
        parameter: &ast::Parameter,
        index: Option<usize>,
        is_self: bool,
        variadic: bool,
        has_default: bool,
    ) {
        let name: Box<str> = parameter.name.id.as_str().into();
        let info = ParamInfo {
            name: name.clone(),
            annotation: parameter.annotation.as_deref().map(lower),
            index,
            is_self,
            variadic,
            has_default,
        };
        self.found.push((name, Binding::Param(info), false));
    }

    fn body(&mut self, body: &[Stmt], conditional: bool) {
        for stmt in body {
            self.stmt(stmt, conditional);
        }
    }

    fn stmt(&mut self, stmt: &Stmt, conditional: bool) {
        match stmt {
            Stmt::Assign(assign) => {
                let value = lower(&assign.value);
                for target in &assign.targets {
                    self.target(target, Some(&value), conditional);
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    self.target(&assign.target, Some(&lower(value)), conditional);
                }
            }
            Stmt::AugAssign(assign) => self.target(&assign.target, None, true),
            Stmt::For(stmt) => {
                self.target(&stmt.target, None, true);
                self.body(&stmt.body, true);
                self.body(&stmt.orelse, true);
            }
            Stmt::While(stmt) => {
                self.body(&stmt.body, true);
                self.body(&stmt.orelse, true);
            }
            Stmt::If(stmt) => {
                self.body(&stmt.body, true);
                for clause in &stmt.elif_else_clauses {
                    self.body(&clause.body, true);
                }
            }
            Stmt::With(stmt) => {
                for item in &stmt.items {
                    if let Some(target) = &item.optional_vars {
                        self.target(target, None, conditional);
                    }
                }
                self.body(&stmt.body, conditional);
            }
            Stmt::Try(stmt) => {
                self.body(&stmt.body, conditional);
                for handler in &stmt.handlers {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    self.body(&handler.body, true);
                }
                self.body(&stmt.orelse, true);
                self.body(&stmt.finalbody, conditional);
            }
            Stmt::Match(stmt) => {
                for case in &stmt.cases {
                    self.body(&case.body, true);
                }
            }
            Stmt::Import(import) => {
                for alias in &import.names {
                    let full = alias.name.id.as_str();
                    if let Some(asname) = &alias.asname {
                        self.bind(
                            asname.id.as_str(),
                            Binding::Import(full.into()),
                            conditional,
                        );
                    } else {
                        let root = full.split('.').next().unwrap_or(full);
                        self.bind(root, Binding::Import(root.into()), conditional);
                    }
                }
            }
            Stmt::ImportFrom(import) => {
                let Some(base) = absolute_module(self.module, self.is_package, import) else {
                    return;
                };
                for alias in &import.names {
                    let name = alias.name.id.as_str();
                    if name == "*" {
                        self.star_imports.push(base.as_str().into());
                        continue;
                    }
                    let bound = alias
                        .asname
                        .as_ref()
                        .map_or(name, |asname| asname.id.as_str());
                    let qualified = if base.is_empty() {
                        name.to_string()
                    } else {
                        format!("{base}.{name}")
                    };
                    self.bind(bound, Binding::Import(qualified.into()), conditional);
                }
            }
            Stmt::FunctionDef(function) => {
                self.bind(function.name.id.as_str(), Binding::Function, conditional);
            }
            Stmt::ClassDef(class) => {
                let info = ClassInfo {
                    name: class.name.id.as_str().into(),
                    bases: class
                        .arguments
                        .as_ref()
                        .map(|arguments| arguments.args.iter().map(lower).collect())
                        .unwrap_or_default(),
                    methods: class
                        .body
                        .iter()
                        .filter_map(|stmt| match stmt {
                            Stmt::FunctionDef(method) => Some(method.name.id.as_str().into()),
                            _ => None,
                        })
                        .collect(),
                    mentions: class
                        .body
                        .iter()
                        .filter_map(|stmt| match stmt {
                            Stmt::FunctionDef(method) => {
                                Some((method.name.id.as_str().into(), mentions_of(method)))
                            }
                            _ => None,
                        })
                        .collect(),
                };
                self.bind(
                    class.name.id.as_str(),
                    Binding::Class(Arc::new(info)),
                    conditional,
                );
            }
            Stmt::Global(global) => {
                for name in &global.names {
                    self.bind(name.id.as_str(), Binding::Value(Term::Other), true);
                }
            }
            Stmt::Nonlocal(nonlocal) => {
                for name in &nonlocal.names {
                    self.bind(name.id.as_str(), Binding::Value(Term::Other), true);
                }
            }
            Stmt::Delete(delete) => {
                for target in &delete.targets {
                    if let Expr::Name(name) = target {
                        self.bind(name.id.as_str(), Binding::Value(Term::Other), true);
                    }
                }
            }
            Stmt::Expr(expr) => self.dict_method_call(&expr.value, conditional),
            _ => {}
        }
    }

    fn target(&mut self, target: &Expr, value: Option<&Term>, conditional: bool) {
        match target {
            Expr::Name(name) => {
                let value = value.cloned().unwrap_or(Term::Other);
                self.bind(name.id.as_str(), Binding::Value(value), conditional);
            }
            Expr::Tuple(tuple) => {
                for element in &tuple.elts {
                    self.target(element, None, true);
                }
            }
            Expr::List(list) => {
                for element in &list.elts {
                    self.target(element, None, true);
                }
            }
            Expr::Starred(starred) => self.target(&starred.value, None, true),
            Expr::Subscript(subscript) => {
                let Expr::Name(name) = subscript.value.as_ref() else {
                    return;
                };
                let key = match subscript.slice.as_ref() {
                    Expr::StringLiteral(key) => DictKey::Str(key.value.to_str().into()),
                    _ => DictKey::Unknown,
                };
                let updates = self
                    .dict_updates
                    .entry(name.id.as_str().into())
                    .or_default();
                match value {
                    // A key written in one branch only has no single value.
                    Some(_) if conditional => updates.entries.push((key, Term::Other)),
                    Some(value) => updates.entries.push((key, value.clone())),
                    None => updates.opaque = true,
                }
            }
            _ => {}
        }
    }

    /// Records `d.update(...)`, `d.setdefault(...)` and other calls that mutate a dict.
    fn dict_method_call(&mut self, expr: &Expr, conditional: bool) {
        let Expr::Call(call) = expr else { return };
        let Expr::Attribute(attribute) = call.func.as_ref() else {
            return;
        };
        let Expr::Name(name) = attribute.value.as_ref() else {
            return;
        };
        let method = attribute.attr.id.as_str();
        if !matches!(
            method,
            "update" | "setdefault" | "pop" | "clear" | "popitem"
        ) {
            return;
        }
        let updates = self
            .dict_updates
            .entry(name.id.as_str().into())
            .or_default();
        let known = |term: Term| if conditional { Term::Other } else { term };
        match method {
            "update" => {
                for arg in &call.arguments.args {
                    match lower(arg) {
                        Term::Dict(entries) => updates
                            .entries
                            .extend(entries.into_iter().map(|(key, value)| (key, known(value)))),
                        _ => updates.opaque = true,
                    }
                }
                for keyword in &call.arguments.keywords {
                    match &keyword.arg {
                        Some(arg) => updates.entries.push((
                            DictKey::Str(arg.id.as_str().into()),
                            known(lower(&keyword.value)),
                        )),
                        None => updates.opaque = true,
                    }
                }
            }
            "setdefault" => match (call.arguments.args.first(), call.arguments.args.get(1)) {
                (Some(Expr::StringLiteral(key)), Some(value)) => {
                    updates
                        .entries
                        .push((DictKey::Str(key.value.to_str().into()), Term::Other));
                    let _ = value;
                }
                _ => updates.opaque = true,
            },
            _ => updates.opaque = true,
        }
    }
}

/// The absolute module a `from … import` statement in module `current` reads
/// from, if it can be known: `from .base import *` in `proj.settings.prod`
/// reads from `proj.settings.base`.
pub fn absolute_module(
    current: &str,
    is_package: bool,
    import: &ast::StmtImportFrom,
) -> Option<String> {
    let module = import.module.as_ref().map(|module| module.id.as_str());
    if import.level == 0 {
        return module.map(str::to_string);
    }
    let mut parts: Vec<&str> = current.split('.').filter(|part| !part.is_empty()).collect();
    if !is_package {
        parts.pop()?;
    }
    for _ in 1..import.level {
        parts.pop()?;
    }
    if let Some(module) = module {
        parts.push(module);
    }
    Some(parts.join("."))
}

fn collect_import_roots(body: &[Stmt], module: &str, is_package: bool, roots: &mut Vec<Box<str>>) {
    for stmt in body {
        match stmt {
            Stmt::Import(import) => {
                for alias in &import.names {
                    let name = alias.name.id.as_str();
                    roots.push(name.split('.').next().unwrap_or(name).into());
                }
            }
            Stmt::ImportFrom(import) => {
                if let Some(base) = absolute_module(module, is_package, import) {
                    roots.push(base.split('.').next().unwrap_or(&base).into());
                }
            }
            Stmt::FunctionDef(function) => {
                collect_import_roots(&function.body, module, is_package, roots);
            }
            Stmt::ClassDef(class) => collect_import_roots(&class.body, module, is_package, roots),
            Stmt::If(stmt) => {
                collect_import_roots(&stmt.body, module, is_package, roots);
                for clause in &stmt.elif_else_clauses {
                    collect_import_roots(&clause.body, module, is_package, roots);
                }
            }
            Stmt::Try(stmt) => {
                collect_import_roots(&stmt.body, module, is_package, roots);
                for handler in &stmt.handlers {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    collect_import_roots(&handler.body, module, is_package, roots);
                }
                collect_import_roots(&stmt.orelse, module, is_package, roots);
                collect_import_roots(&stmt.finalbody, module, is_package, roots);
            }
            Stmt::With(stmt) => collect_import_roots(&stmt.body, module, is_package, roots),
            Stmt::For(stmt) => collect_import_roots(&stmt.body, module, is_package, roots),
            Stmt::While(stmt) => collect_import_roots(&stmt.body, module, is_package, roots),
            _ => {}
        }
    }
}
