//! Evaluation of a module's top level in order, the way Python imports a
//! configuration module: the last assignment wins and `from .base import *`
//! copies what the base module holds at that point.
//!
//! Branches whose condition is known (`if DEBUG:` after `DEBUG = False`) are
//! followed; in any other branch, loop or `except` clause an assignment makes
//! the name [`Value::Dynamic`]. So does an augmented assignment that cannot be
//! computed. Calls that read configuration (which ones is the caller's
//! knowledge, given as [`EvalHooks`]) are dynamic too, but keep the value they
//! have when the variable is unset, so that a message can show it. Classes
//! are evaluated attribute by attribute. Names this evaluation does not bind
//! (imports, builtins) are asked of the [`Resolver`], so both share one
//! [`Value`] and one set of operations on it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use pathfinder_diagnostics::{Ranged, TextRange, TextSize};
use ruff_python_ast::{self as ast, BoolOp, CmpOp, Expr, Number, Stmt, UnaryOp};

use crate::parse::ParsedFile;
use crate::resolve::{Ctx, ModuleLoader, NoLoader, Resolver};
use crate::scope::{ModuleSummary, absolute_module};
use crate::term::{Term, lower};
use crate::value::{ClassHandle, DictValue, Value};

/// What the evaluation needs to know about libraries: the caller's knowledge
/// (the rules crate supplies it), so that this crate names none of them.
pub trait EvalHooks: Sync {
    /// Whether `call` reads configuration (an environment variable, a
    /// configuration helper), and where its default is.
    fn config_read<'e>(&self, _call: &CallSite<'_, 'e>) -> Option<ConfigRead<'e>> {
        None
    }

    /// Whether a call statement to this qualified name binds module names
    /// the evaluation cannot see (`globals().update(...)` is always such).
    fn binds_names(&self, _qualified: &str) -> bool {
        false
    }

    /// Whether a call statement to this qualified name executes other files
    /// of the project in the module's namespace, its string arguments being
    /// paths relative to the module (django-split-settings' `include`).
    fn includes_files(&self, _qualified: &str) -> Option<IncludeShape> {
        None
    }

    /// Whether a module-level value with this qualified name is configuration
    /// that each deployment may override, and so unknown to the analysis.
    fn is_deployment_value(&self, _qualified: &str) -> bool {
        false
    }

    /// Top-level packages whose import the evaluation records ([`ModuleEval::marked`]).
    fn marker_imports(&self) -> &[&str] {
        &[]
    }

    /// Packages whose classes hold settings as attributes: a module that
    /// imports one has every `from x import Name` followed.
    fn class_settings_packages(&self) -> &[&str] {
        &[]
    }

    /// Base classes whose attributes are known (none that matter), so a
    /// class deriving only from them hides nothing.
    fn is_known_base(&self, qualified: &str) -> bool {
        qualified == "builtins.object"
    }
}

/// How an include helper marks an optional file (`optional("local.py")`).
#[derive(Clone, Copy, Debug)]
pub struct IncludeShape {
    /// The last name of the wrapper that makes a file optional.
    pub optional: &'static str,
}

/// The hooks of a caller that knows no library.
pub struct NoHooks;

impl EvalHooks for NoHooks {}

/// A call, as [`EvalHooks::config_read`] sees it.
pub struct CallSite<'a, 'e> {
    /// The callee's qualified name, empty when unknown.
    pub qualified: &'a str,
    pub func: &'a Term,
    pub call: &'e ast::ExprCall,
    pub resolver: &'a Resolver<'a>,
    pub ctx: Ctx<'a>,
}

/// A configuration read.
pub struct ConfigRead<'e> {
    /// The positional argument holding the value used when the variable is
    /// unset; a `default=` keyword is looked up by the evaluator.
    pub default: Option<&'e Expr>,
}

/// How deep star imports may nest before the evaluation stops following them.
const MAX_IMPORT_DEPTH: usize = 16;

/// The longest piece of code quoted in a message.
const MAX_QUOTE: usize = 72;

/// Where a setting got its value.
#[derive(Clone, Debug)]
pub struct Site {
    pub path: PathBuf,
    /// The assignment statement.
    pub range: TextRange,
    /// The modules (or classes) the value came through, from the evaluated
    /// one to the one that assigns it.
    pub chain: Vec<Arc<str>>,
}

/// A name's value and where it was assigned.
#[derive(Clone, Debug)]
pub struct Slot {
    pub value: Value,
    pub site: Site,
}

pub type Namespace = HashMap<Box<str>, Slot>;

/// A base class of an evaluated class.
#[derive(Clone, Debug)]
pub enum Base {
    /// A class defined in the evaluated settings (or a module they import).
    Class(Arc<ClassEval>),
    /// A class from elsewhere, by qualified name.
    Qualified(String),
    Unknown,
}

/// A class body, evaluated attribute by attribute.
#[derive(Debug)]
pub struct ClassEval {
    pub name: Box<str>,
    /// The qualified name, such as `proj.settings.Prod`.
    pub qualified: Arc<str>,
    pub path: PathBuf,
    /// The class's name in its `class` statement.
    pub name_range: TextRange,
    pub bases: Vec<Base>,
    pub attrs: Namespace,
}

impl ClassEval {
    /// Whether the class derives, directly or through classes the
    /// evaluation sees, from a class for which `is_root` holds.
    pub fn derives_from(&self, is_root: &dyn Fn(&str) -> bool) -> bool {
        self.derives_from_at(is_root, 0)
    }

    fn derives_from_at(&self, is_root: &dyn Fn(&str) -> bool, depth: usize) -> bool {
        depth < MAX_IMPORT_DEPTH
            && self.bases.iter().any(|base| match base {
                Base::Qualified(name) => is_root(name),
                Base::Class(class) => class.derives_from_at(is_root, depth + 1),
                Base::Unknown => false,
            })
    }

    /// Whether some base cannot be followed, so an attribute may come from
    /// it; bases for which `is_known` holds hide nothing.
    pub fn has_opaque_base(&self, is_known: &dyn Fn(&str) -> bool) -> bool {
        self.bases.iter().any(|base| match base {
            Base::Unknown => true,
            Base::Qualified(name) => !is_known(name),
            Base::Class(class) => class.has_opaque_base(is_known),
        })
    }

    /// The attribute as an instance sees it: the class's own, then its bases'
    /// in order. The site's chain names the classes it came through.
    pub fn lookup(&self, name: &str) -> Option<Slot> {
        self.lookup_at(name, 0)
    }

    fn lookup_at(&self, name: &str, depth: usize) -> Option<Slot> {
        if depth > MAX_IMPORT_DEPTH {
            return None;
        }
        if let Some(slot) = self.attrs.get(name) {
            let mut slot = slot.clone();
            slot.site.chain = vec![self.qualified.clone()];
            return Some(slot);
        }
        self.bases.iter().find_map(|base| {
            let Base::Class(class) = base else {
                return None;
            };
            let mut slot = class.lookup_at(name, depth + 1)?;
            slot.site.chain.insert(0, self.qualified.clone());
            Some(slot)
        })
    }

    /// Every attribute name the class or its visible bases assign.
    pub fn attribute_names(&self) -> Vec<Box<str>> {
        let mut names: Vec<Box<str>> = self.attrs.keys().cloned().collect();
        for base in &self.bases {
            if let Base::Class(class) = base {
                names.extend(class.attribute_names());
            }
        }
        names.sort();
        names.dedup();
        names
    }

    /// The classes of the hierarchy that the evaluation can see, this one first.
    pub fn lineage(&self) -> Vec<Arc<str>> {
        let mut names = vec![self.qualified.clone()];
        for base in &self.bases {
            if let Base::Class(class) = base {
                for name in class.lineage() {
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
            }
        }
        names
    }
}

/// One evaluated module.
#[derive(Debug)]
pub struct ModuleEval {
    pub name: Arc<str>,
    pub path: PathBuf,
    pub namespace: Namespace,
    /// The modules reached through star imports, transitively, in order.
    pub star_imported: Vec<Arc<str>>,
    /// Whether the module, or one it star-imports, imports one of the
    /// hooks' [marker packages](EvalHooks::marker_imports).
    pub marked: bool,
    /// Project files executed in the module's namespace by an include helper.
    pub included: Vec<PathBuf>,
    /// Set when names may be bound in ways the evaluation cannot follow
    /// (`globals().update(...)`, django-split-settings' `include()`, an
    /// unresolved star import): a setting it cannot see may still be set.
    pub opaque: Option<String>,
    /// The module's first line, where findings about names it never sets go.
    pub first_line: TextRange,
}

/// Evaluates project modules, each once.
pub struct Evaluator<'a> {
    loader: &'a dyn ModuleLoader,
    hooks: &'a dyn EvalHooks,
    cache: HashMap<PathBuf, Option<Arc<ModuleEval>>>,
    active: Vec<PathBuf>,
}

impl<'a> Evaluator<'a> {
    pub fn new(loader: &'a dyn ModuleLoader, hooks: &'a dyn EvalHooks) -> Evaluator<'a> {
        Evaluator {
            loader,
            hooks,
            cache: HashMap::new(),
            active: Vec::new(),
        }
    }

    /// Evaluates the project file at `path`; `None` when it cannot be read
    /// or is being evaluated already (an import cycle).
    pub fn module_at(&mut self, path: &Path) -> Option<Arc<ModuleEval>> {
        if let Some(known) = self.cache.get(path) {
            return known.clone();
        }
        if self.active.iter().any(|active| active == path) || self.active.len() > MAX_IMPORT_DEPTH {
            return None;
        }
        let file = self.loader.parsed(path)?;
        let name = self.loader.module_name(path).unwrap_or_default();
        self.active.push(path.to_path_buf());
        let evaluated = Arc::new(self.evaluate(&name, path, &file));
        self.active.pop();
        self.cache
            .insert(path.to_path_buf(), Some(evaluated.clone()));
        Some(evaluated)
    }

    /// Evaluates the project module `module`, as imported from `importer`.
    pub fn module_named(
        &mut self,
        module: &str,
        importer: &ModuleSummary,
    ) -> Option<Arc<ModuleEval>> {
        let summary = self.loader.load(module, importer)?;
        let path = summary.path.clone();
        self.module_at(&path)
    }

    fn evaluate(&mut self, name: &str, path: &Path, file: &ParsedFile) -> ModuleEval {
        self.evaluate_with(name, path, file, Namespace::new(), false)
    }

    /// Runs the top level of `source` starting from `namespace` (empty for
    /// an import; the including module's for an include helper).
    fn evaluate_with(
        &mut self,
        name: &str,
        path: &Path,
        file: &ParsedFile,
        namespace: Namespace,
        conditional: bool,
    ) -> ModuleEval {
        let source: &str = &file.source;
        let parsed = &file.parsed;
        let summary = Arc::new(ModuleSummary::build(
            parsed.module(),
            name,
            path.to_path_buf(),
        ));
        let first_line_end = source.find('\n').unwrap_or(source.len());
        let mut frame = Frame {
            name: name.into(),
            path,
            source,
            summary: summary.clone(),
            namespace,
            star_imported: Vec::new(),
            marked: summary.imports_any(self.hooks.marker_imports()),
            included: Vec::new(),
            opaque: None,
            in_try: 0,
            hooks: self.hooks,
        };
        self.exec_body(&mut frame, &parsed.module().body, conditional);
        ModuleEval {
            name: frame.name,
            path: path.to_path_buf(),
            namespace: frame.namespace,
            star_imported: frame.star_imported,
            marked: frame.marked,
            included: frame.included,
            opaque: frame.opaque,
            first_line: TextRange::new(
                TextSize::from(0),
                TextSize::from(u32::try_from(first_line_end).unwrap_or(0)),
            ),
        }
    }

    /// `include("components/base.py", optional("local.py"))`: each file (a
    /// glob in its last part) runs in the module's namespace, in order.
    /// Returns whether the statement was such a call.
    fn include(&mut self, frame: &mut Frame<'_>, expr: &Expr, conditional: bool) -> bool {
        let Expr::Call(call) = expr else {
            return false;
        };
        let Some(shape) = frame
            .resolver()
            .qualified_name(Ctx::module_level(&frame.summary), &lower(&call.func))
            .and_then(|name| self.hooks.includes_files(&name))
        else {
            return false;
        };
        let dir = frame.path.parent().unwrap_or(Path::new("")).to_path_buf();
        for arg in &call.arguments.args {
            let (arg, optional) = match arg {
                Expr::Call(inner)
                    if lower(&inner.func)
                        .dotted()
                        .and_then(|path| path.last().copied())
                        == Some(shape.optional) =>
                {
                    (inner.arguments.args.first(), true)
                }
                other => (Some(other), false),
            };
            let Some(Value::Str(pattern)) = arg.map(|arg| frame.eval(None, arg)) else {
                let quoted = frame.quote(call.range());
                frame.opaque.get_or_insert_with(|| {
                    format!("`{quoted}` includes a file named only at run time")
                });
                continue;
            };
            let files = expand(&dir, &pattern);
            if files.is_empty() && !optional {
                frame.opaque.get_or_insert_with(|| {
                    format!("`include(\"{pattern}\")` names no file of the project")
                });
            }
            for file in files {
                if self.active.contains(&file) || self.active.len() > MAX_IMPORT_DEPTH {
                    continue;
                }
                let Some(parsed) = self.loader.parsed(&file) else {
                    continue;
                };
                let name = self
                    .loader
                    .module_name(&file)
                    .unwrap_or_else(|| file.to_string_lossy().into_owned());
                self.active.push(file.clone());
                let namespace = std::mem::take(&mut frame.namespace);
                let evaluated = self.evaluate_with(&name, &file, &parsed, namespace, conditional);
                self.active.pop();
                frame.namespace = evaluated.namespace;
                frame.marked |= evaluated.marked;
                frame.star_imported.extend(evaluated.star_imported);
                frame.included.push(file);
                frame.included.extend(evaluated.included);
                if let Some(reason) = evaluated.opaque {
                    frame.opaque.get_or_insert(reason);
                }
            }
        }
        true
    }

    fn exec_body(&mut self, frame: &mut Frame<'_>, body: &[Stmt], conditional: bool) {
        for stmt in body {
            self.exec(frame, stmt, conditional);
        }
    }

    fn exec(&mut self, frame: &mut Frame<'_>, stmt: &Stmt, conditional: bool) {
        match stmt {
            Stmt::Assign(assign) => {
                let value = frame.eval(None, &assign.value);
                for target in &assign.targets {
                    frame.assign(target, &value, stmt.range(), conditional);
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    let value = frame.eval(None, value);
                    frame.assign(&assign.target, &value, stmt.range(), conditional);
                }
            }
            Stmt::AugAssign(assign) => {
                if let Expr::Name(name) = assign.target.as_ref() {
                    let value = frame.augmented(None, name.id.as_str(), assign);
                    frame.bind(name.id.as_str(), value, stmt.range(), conditional);
                }
            }
            Stmt::If(stmt) => {
                let clauses = std::iter::once((Some(stmt.test.as_ref()), &stmt.body)).chain(
                    stmt.elif_else_clauses
                        .iter()
                        .map(|clause| (clause.test.as_ref(), &clause.body)),
                );
                let mut unknown = conditional;
                for (test, body) in clauses {
                    let taken = match test {
                        None => Some(true),
                        Some(test) => frame.eval(None, test).truthy(),
                    };
                    match (taken, unknown) {
                        (Some(false), false) => {}
                        (Some(true), false) => {
                            self.exec_body(frame, body, false);
                            return;
                        }
                        _ => {
                            unknown = true;
                            self.exec_body(frame, body, true);
                        }
                    }
                }
            }
            Stmt::Try(stmt) => {
                frame.in_try += 1;
                self.exec_body(frame, &stmt.body, conditional);
                frame.in_try -= 1;
                for handler in &stmt.handlers {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    self.exec_body(frame, &handler.body, true);
                }
                self.exec_body(frame, &stmt.orelse, true);
                self.exec_body(frame, &stmt.finalbody, conditional);
            }
            // `with suppress(ImportError):` guards optional imports as `try` does.
            Stmt::With(stmt) => {
                frame.in_try += 1;
                self.exec_body(frame, &stmt.body, conditional);
                frame.in_try -= 1;
            }
            Stmt::For(stmt) => {
                self.exec_body(frame, &stmt.body, true);
                self.exec_body(frame, &stmt.orelse, true);
            }
            Stmt::While(stmt) => {
                self.exec_body(frame, &stmt.body, true);
                self.exec_body(frame, &stmt.orelse, true);
            }
            Stmt::Match(stmt) => {
                for case in &stmt.cases {
                    self.exec_body(frame, &case.body, true);
                }
            }
            Stmt::ImportFrom(import) => self.import_from(frame, import, conditional),
            Stmt::ClassDef(class) => {
                let evaluated = frame.class(class);
                frame.bind(
                    class.name.id.as_str(),
                    Value::Class(ClassHandle(Arc::new(evaluated))),
                    stmt.range(),
                    conditional,
                );
            }
            Stmt::FunctionDef(function) => frame.bind(
                function.name.id.as_str(),
                Value::dynamic_from(format!("def {}", function.name.id)),
                stmt.range(),
                conditional,
            ),
            Stmt::Delete(delete) => {
                for target in &delete.targets {
                    if let Expr::Name(name) = target {
                        frame.namespace.remove(name.id.as_str());
                    }
                }
            }
            Stmt::Expr(expr)
                if !self.include(frame, &expr.value, conditional)
                    && !frame.list_mutation(&expr.value, stmt.range(), conditional) =>
            {
                frame.expression_statement(&expr.value);
            }
            _ => {}
        }
    }

    fn import_from(
        &mut self,
        frame: &mut Frame<'_>,
        import: &ast::StmtImportFrom,
        conditional: bool,
    ) {
        let Some(base) = absolute_module(&frame.name, frame.summary.is_package, import) else {
            return;
        };
        let is_star = import
            .names
            .iter()
            .any(|alias| alias.name.id.as_str() == "*");
        // Only star imports, settings (UPPER_CASE names) and, in a
        // django-configurations project, base classes can carry a setting:
        // other imports (helpers, Django's own modules) are not evaluated,
        // which keeps the pass from walking a whole code base.
        let may_carry_settings = is_star
            || frame
                .summary
                .imports_any(self.hooks.class_settings_packages())
            || import
                .names
                .iter()
                .any(|alias| is_setting_name(alias.name.id.as_str()));
        if !may_carry_settings {
            return;
        }
        let module = self.module_named(&base, &frame.summary);
        let Some(module) = module else {
            // An optional import (`try: from .local_settings import *`) of a
            // file the project does not ship changes nothing as shipped.
            if is_star && !conditional && frame.in_try == 0 && is_project_like(&base, &frame.name) {
                frame
                    .opaque
                    .get_or_insert_with(|| format!("`from {base} import *` could not be followed"));
            }
            return;
        };
        frame.marked |= module.marked;
        if is_star {
            for name in std::iter::once(&module.name).chain(&module.star_imported) {
                if !frame.star_imported.contains(name) {
                    frame.star_imported.push(name.clone());
                }
            }
            if let Some(reason) = &module.opaque
                && !conditional
            {
                frame.opaque.get_or_insert_with(|| reason.clone());
            }
            let mut names: Vec<(&Box<str>, &Slot)> = module
                .namespace
                .iter()
                .filter(|(name, _)| !name.starts_with('_'))
                .collect();
            names.sort_by_key(|(name, _)| *name);
            for (name, slot) in names {
                frame.import_slot(name, slot, import.range(), conditional);
            }
            return;
        }
        for alias in &import.names {
            let name = alias.name.id.as_str();
            let bound = alias
                .asname
                .as_ref()
                .map_or(name, |asname| asname.id.as_str());
            if let Some(slot) = module.namespace.get(name) {
                frame.import_slot(bound, slot, import.range(), conditional);
            }
        }
    }
}

/// Whether a name has the shape of a Django setting: upper case, digits and underscores.
fn is_setting_name(name: &str) -> bool {
    name.chars().any(|c| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Whether `from module import *` is likely a project module that should
/// have been found: a relative import, or one under the same top package.
fn is_project_like(module: &str, current: &str) -> bool {
    let top = |name: &str| name.split('.').next().unwrap_or_default().to_string();
    !module.is_empty() && top(module) == top(current)
}

/// The state of one module's evaluation.
struct Frame<'s> {
    name: Arc<str>,
    path: &'s Path,
    source: &'s str,
    summary: Arc<ModuleSummary>,
    namespace: Namespace,
    star_imported: Vec<Arc<str>>,
    marked: bool,
    included: Vec<PathBuf>,
    opaque: Option<String>,
    /// How many `try` bodies the current statement is in.
    in_try: usize,
    hooks: &'s dyn EvalHooks,
}

impl Frame<'_> {
    /// A resolver for names the frame does not bind. It loads no module:
    /// what a settings module imports by name is followed by the evaluation
    /// itself, so the pass never walks a whole code base.
    fn resolver(&self) -> Resolver<'_> {
        Resolver::with_hooks(&NoLoader, self.hooks)
    }

    fn site(&self, range: TextRange) -> Site {
        Site {
            path: self.path.to_path_buf(),
            range,
            chain: vec![self.name.clone()],
        }
    }

    fn quote(&self, range: TextRange) -> String {
        quote(self.source, range)
    }

    fn bind(&mut self, name: &str, value: Value, range: TextRange, conditional: bool) {
        let value = if conditional {
            // Either the branch runs or it does not: the value before it (or
            // "unset") and the new one are both possible.
            let before = self.namespace.get(name).map_or_else(
                || Value::dynamic_from(format!("{name} unset")),
                |slot| slot.value.clone(),
            );
            Value::one_of(
                format!("{name} assigned in a branch: {}", self.quote(range)),
                vec![before, value],
            )
        } else {
            value
        };
        let site = self.site(range);
        self.namespace.insert(name.into(), Slot { value, site });
    }

    /// `NAME.append(x)`, `.extend(xs)`, `.insert(i, x)`, `.remove(x)` on a
    /// list the module bound: the list changes as Python would change it;
    /// with an argument known only at run time it may hold anything.
    /// Returns whether the statement was such a call.
    fn list_mutation(&mut self, expr: &Expr, range: TextRange, conditional: bool) -> bool {
        let Expr::Call(call) = expr else {
            return false;
        };
        let Expr::Attribute(attribute) = call.func.as_ref() else {
            return false;
        };
        let Expr::Name(name) = attribute.value.as_ref() else {
            return false;
        };
        let method = attribute.attr.id.as_str();
        if !matches!(method, "append" | "extend" | "insert" | "remove") {
            return false;
        }
        let Some(Value::Seq(items)) = self.lookup(None, name.id.as_str()) else {
            return false;
        };
        let args: Vec<Value> = call
            .arguments
            .args
            .iter()
            .map(|arg| self.eval(None, arg))
            .collect();
        let mut items = items;
        let changed = match (method, args.as_slice()) {
            ("append", [item]) if item.is_known() => {
                items.push(item.clone());
                true
            }
            ("extend", [Value::Seq(more)]) => {
                items.extend(more.iter().cloned());
                true
            }
            ("insert", [Value::Int(at), item]) if item.is_known() => {
                let at = usize::try_from(*at).unwrap_or(0).min(items.len());
                items.insert(at, item.clone());
                true
            }
            ("remove", [item]) if item.is_known() => {
                if let Some(at) = items
                    .iter()
                    .position(|known| known.equals(item) == Some(true))
                {
                    items.remove(at);
                }
                true
            }
            _ => false,
        };
        let value = if changed {
            Value::Seq(items)
        } else {
            Value::dynamic_from(self.quote(range))
        };
        self.bind(name.id.as_str(), value, range, conditional);
        true
    }

    fn import_slot(&mut self, name: &str, slot: &Slot, range: TextRange, conditional: bool) {
        if conditional {
            self.bind(name, slot.value.clone(), range, true);
            return;
        }
        let mut slot = slot.clone();
        slot.site.chain.insert(0, self.name.clone());
        self.namespace.insert(name.into(), slot);
    }

    fn assign(&mut self, target: &Expr, value: &Value, range: TextRange, conditional: bool) {
        match target {
            Expr::Name(name) => self.bind(name.id.as_str(), value.clone(), range, conditional),
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                for (index, element) in elts.iter().enumerate() {
                    let item = match value {
                        Value::Seq(items) if items.len() == elts.len() => items[index].clone(),
                        _ => Value::dynamic_from(self.quote(range)),
                    };
                    self.assign(element, &item, range, conditional);
                }
            }
            _ => {}
        }
    }

    fn augmented(
        &self,
        locals: Option<&Namespace>,
        name: &str,
        assign: &ast::StmtAugAssign,
    ) -> Value {
        let current = self.lookup(locals, name);
        let operand = self.eval(locals, &assign.value);
        match (current, operand, assign.op) {
            (Some(Value::Seq(mut items)), Value::Seq(more), ast::Operator::Add) => {
                items.extend(more);
                Value::Seq(items)
            }
            _ => Value::dynamic_from(format!(
                "augmented assignment: {}",
                self.quote(assign.range())
            )),
        }
    }

    /// Statements that bind names the evaluation cannot see make the module
    /// opaque: `globals().update(...)`, a call handed `globals()` or
    /// `__name__`, django-split-settings' `include(...)`. One shape is
    /// understood: `SomeSettings.load_settings(__name__)`, a call on a class
    /// that copies its attributes into the module (Read the Docs' settings
    /// classes), which binds the class's attributes.
    fn expression_statement(&mut self, expr: &Expr) {
        let Expr::Call(call) = expr else { return };
        let hands_module = call.arguments.args.iter().any(|arg| match arg {
            Expr::Name(name) => name.id.as_str() == "__name__",
            Expr::Call(inner) => {
                matches!(
                    lower(&inner.func).dotted().as_deref(),
                    Some(["globals" | "locals" | "vars"])
                )
            }
            _ => false,
        });
        if hands_module
            && let Expr::Attribute(attribute) = call.func.as_ref()
            && let Expr::Name(receiver) = attribute.value.as_ref()
            && let Some(Value::Class(class)) = self.lookup(None, receiver.id.as_str())
        {
            for name in class.0.attribute_names() {
                if let Some(mut slot) = class.0.lookup(&name) {
                    slot.site.chain.insert(0, self.name.clone());
                    self.namespace.insert(name, slot);
                }
            }
            return;
        }
        let term = lower(&call.func);
        let opaque = hands_module
            || match &term {
                Term::Attr(base, method) if method.as_ref() == "update" => matches!(
                    base.as_ref(),
                    Term::Call { func, .. }
                        if matches!(func.dotted().as_deref(), Some(["globals" | "locals" | "vars"]))
                ),
                _ => {
                    let resolver = self.resolver();
                    resolver
                        .qualified_name(Ctx::module_level(&self.summary), &term)
                        .is_some_and(|name| self.hooks.binds_names(&name))
                }
            };
        if opaque {
            let quoted = self.quote(call.range());
            // What the module held so far may be replaced: keep it as the default.
            for slot in self.namespace.values_mut() {
                if slot.value.is_known() {
                    let before = std::mem::replace(&mut slot.value, Value::None);
                    slot.value = Value::dynamic_with_default(
                        format!("may be replaced by `{quoted}`"),
                        Some(before),
                    );
                }
            }
            self.opaque
                .get_or_insert_with(|| format!("`{quoted}` binds names dynamically"));
        }
    }

    fn class(&self, class: &ast::StmtClassDef) -> ClassEval {
        let resolver = self.resolver();
        let ctx = Ctx::module_level(&self.summary);
        let bases = class
            .arguments
            .as_ref()
            .map(|arguments| {
                arguments
                    .args
                    .iter()
                    .map(|base| {
                        if let Expr::Name(name) = base
                            && let Some(Value::Class(class)) = self.lookup(None, name.id.as_str())
                        {
                            return Base::Class(class.0);
                        }
                        resolver
                            .qualified_name(ctx, &lower(base))
                            .map_or(Base::Unknown, Base::Qualified)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let qualified: Arc<str> = if self.name.is_empty() {
            class.name.id.as_str().into()
        } else {
            format!("{}.{}", self.name, class.name.id).into()
        };
        let mut attrs = Namespace::new();
        self.class_body(&mut attrs, &class.body, &qualified, false);
        ClassEval {
            name: class.name.id.as_str().into(),
            qualified,
            path: self.path.to_path_buf(),
            name_range: class.name.range(),
            bases,
            attrs,
        }
    }

    fn class_body(
        &self,
        attrs: &mut Namespace,
        body: &[Stmt],
        qualified: &Arc<str>,
        conditional: bool,
    ) {
        for stmt in body {
            let bind = |attrs: &mut Namespace, name: &str, value: Value| {
                let value = if conditional {
                    Value::dynamic_from(format!(
                        "{name} assigned in a branch: {}",
                        self.quote(stmt.range())
                    ))
                } else {
                    value
                };
                let site = Site {
                    path: self.path.to_path_buf(),
                    range: stmt.range(),
                    chain: vec![qualified.clone()],
                };
                attrs.insert(name.into(), Slot { value, site });
            };
            match stmt {
                Stmt::Assign(assign) => {
                    let value = self.eval(Some(attrs), &assign.value);
                    for target in &assign.targets {
                        if let Expr::Name(name) = target {
                            bind(attrs, name.id.as_str(), value.clone());
                        }
                    }
                }
                Stmt::AnnAssign(assign) => {
                    if let (Expr::Name(name), Some(value)) = (assign.target.as_ref(), &assign.value)
                    {
                        let value = self.eval(Some(attrs), value);
                        bind(attrs, name.id.as_str(), value);
                    }
                }
                Stmt::AugAssign(assign) => {
                    if let Expr::Name(name) = assign.target.as_ref() {
                        let value = self.augmented(Some(attrs), name.id.as_str(), assign);
                        bind(attrs, name.id.as_str(), value);
                    }
                }
                Stmt::If(stmt) => {
                    let known = self.eval(Some(attrs), &stmt.test).truthy();
                    match known {
                        Some(true) if !conditional => {
                            self.class_body(attrs, &stmt.body, qualified, false);
                        }
                        Some(false)
                            if !conditional
                                && stmt.elif_else_clauses.len() == 1
                                && stmt.elif_else_clauses[0].test.is_none() =>
                        {
                            self.class_body(
                                attrs,
                                &stmt.elif_else_clauses[0].body,
                                qualified,
                                false,
                            );
                        }
                        Some(false) if !conditional && stmt.elif_else_clauses.is_empty() => {}
                        _ => {
                            self.class_body(attrs, &stmt.body, qualified, true);
                            for clause in &stmt.elif_else_clauses {
                                self.class_body(attrs, &clause.body, qualified, true);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn lookup(&self, locals: Option<&Namespace>, name: &str) -> Option<Value> {
        locals
            .and_then(|locals| locals.get(name))
            .or_else(|| self.namespace.get(name))
            .map(|slot| slot.value.clone())
    }

    fn eval(&self, locals: Option<&Namespace>, expr: &Expr) -> Value {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.eval_inner(locals, expr))
    }

    fn eval_inner(&self, locals: Option<&Namespace>, expr: &Expr) -> Value {
        match expr {
            Expr::BooleanLiteral(literal) => Value::Bool(literal.value),
            Expr::NoneLiteral(_) => Value::None,
            Expr::NumberLiteral(literal) => match &literal.value {
                Number::Int(int) => int
                    .as_i64()
                    .map_or_else(|| Value::dynamic_from(self.quote(expr.range())), Value::Int),
                _ => Value::dynamic_from(self.quote(expr.range())),
            },
            Expr::StringLiteral(literal) => Value::Str(literal.value.to_str().into()),
            Expr::List(list) => Value::Seq(
                list.elts
                    .iter()
                    .map(|item| self.eval(locals, item))
                    .collect(),
            ),
            Expr::Tuple(tuple) => Value::Seq(
                tuple
                    .elts
                    .iter()
                    .map(|item| self.eval(locals, item))
                    .collect(),
            ),
            Expr::Name(name) => self
                .lookup(locals, name.id.as_str())
                .unwrap_or_else(|| self.eval_imported(expr)),
            // A dict display of string keys (`REST_AUTH = {...}`); a spread of
            // a known dict is merged, any other key leaves the dict open.
            Expr::Dict(dict) => {
                let mut value = DictValue::default();
                for item in &dict.items {
                    match &item.key {
                        Some(Expr::StringLiteral(key)) => value
                            .entries
                            .push((key.value.to_str().into(), self.eval(locals, &item.value))),
                        None => match self.eval(locals, &item.value) {
                            Value::Dict(other) => value.merge(other),
                            _ => value.open = true,
                        },
                        Some(_) => value.open = true,
                    }
                }
                Value::Dict(value)
            }
            Expr::UnaryOp(unary) => {
                let operand = self.eval(locals, &unary.operand);
                self.lift(expr, &[operand], |values| match (unary.op, &values[0]) {
                    (UnaryOp::Not, value) => value.truthy().map(|truthy| Value::Bool(!truthy)),
                    (UnaryOp::USub, Value::Int(value)) => Some(Value::Int(-value)),
                    _ => None,
                })
            }
            Expr::BoolOp(bool_op) => {
                let values: Vec<Value> = bool_op
                    .values
                    .iter()
                    .map(|value| self.eval(locals, value))
                    .collect();
                let pick = |values: &[Value]| {
                    for (index, value) in values.iter().enumerate() {
                        let last = index + 1 == values.len();
                        match (bool_op.op, value.truthy()) {
                            (_, None) => return None,
                            (BoolOp::And, Some(false)) | (BoolOp::Or, Some(true)) => {
                                return Some(value.clone());
                            }
                            _ if last => return Some(value.clone()),
                            _ => {}
                        }
                    }
                    None
                };
                match pick(&values) {
                    Some(value) => value,
                    None => self.lift(expr, &values, pick),
                }
            }
            Expr::Compare(compare) if compare.ops.len() == 1 => {
                let left = self.eval(locals, &compare.left);
                let right = self.eval(locals, &compare.comparators[0]);
                let op = compare.ops[0];
                self.lift(expr, &[left, right], |values| {
                    let (left, right) = (&values[0], &values[1]);
                    match op {
                        CmpOp::Eq | CmpOp::Is => left.equals(right).map(Value::Bool),
                        CmpOp::NotEq | CmpOp::IsNot => {
                            left.equals(right).map(|equal| Value::Bool(!equal))
                        }
                        CmpOp::In | CmpOp::NotIn => {
                            let found = match right {
                                Value::Seq(items) => {
                                    let mut found = Some(false);
                                    for item in items {
                                        match item.equals(left) {
                                            Some(true) => {
                                                found = Some(true);
                                                break;
                                            }
                                            Some(false) => {}
                                            None => found = None,
                                        }
                                    }
                                    found
                                }
                                Value::Str(haystack) => match left {
                                    Value::Str(needle) => Some(haystack.contains(needle.as_ref())),
                                    _ => None,
                                },
                                _ => None,
                            };
                            found.map(|found| Value::Bool(found == matches!(op, CmpOp::In)))
                        }
                        _ => None,
                    }
                })
            }
            Expr::If(if_expr) => {
                let test = self.eval(locals, &if_expr.test);
                match test.truthy() {
                    Some(true) => self.eval(locals, &if_expr.body),
                    Some(false) => self.eval(locals, &if_expr.orelse),
                    None => {
                        let body = self.eval(locals, &if_expr.body);
                        let orelse = self.eval(locals, &if_expr.orelse);
                        self.lift(expr, &[test, body, orelse], |values| {
                            if values[0].truthy()? {
                                Some(values[1].clone())
                            } else {
                                Some(values[2].clone())
                            }
                        })
                    }
                }
            }
            Expr::BinOp(binary) if binary.op == ast::Operator::Add => {
                let left = self.eval(locals, &binary.left);
                let right = self.eval(locals, &binary.right);
                self.lift(expr, &[left, right], |values| {
                    match (&values[0], &values[1]) {
                        (Value::Seq(left), Value::Seq(right)) => {
                            Some(Value::Seq(left.iter().chain(right).cloned().collect()))
                        }
                        (Value::Str(left), Value::Str(right)) => {
                            Some(Value::Str(format!("{left}{right}").into()))
                        }
                        _ => None,
                    }
                })
            }
            Expr::Call(call) => self.eval_call(locals, expr, call),
            _ => Value::dynamic_from(self.quote(expr.range())),
        }
    }

    /// A name the module did not assign: an import or a builtin.
    fn eval_imported(&self, expr: &Expr) -> Value {
        let resolver = self.resolver();
        match resolver.eval(Ctx::module_level(&self.summary), &lower(expr)) {
            value @ (Value::Bool(_) | Value::Int(_) | Value::Str(_) | Value::None) => value,
            _ => Value::dynamic_from(self.quote(expr.range())),
        }
    }

    /// Computes a value from its parts: directly when they are all known,
    /// otherwise as a dynamic value whose default is computed from theirs.
    fn lift(
        &self,
        expr: &Expr,
        parts: &[Value],
        compute: impl Fn(&[Value]) -> Option<Value>,
    ) -> Value {
        if parts.iter().all(Value::is_known) {
            return compute(parts).unwrap_or_else(|| Value::dynamic_from(self.quote(expr.range())));
        }
        let defaults: Option<Vec<Value>> = parts.iter().map(Value::default_value).collect();
        Value::dynamic_with_default(
            self.quote(expr.range()),
            defaults.and_then(|defaults| compute(&defaults)),
        )
    }

    fn eval_call(&self, locals: Option<&Namespace>, expr: &Expr, call: &ast::ExprCall) -> Value {
        let resolver = self.resolver();
        let ctx = Ctx::module_level(&self.summary);
        let func = lower(&call.func);
        let qualified = resolver.qualified_name(ctx, &func).unwrap_or_default();
        let args = &call.arguments.args;
        let keyword = |name: &str| {
            call.arguments
                .find_keyword(name)
                .map(|keyword| &keyword.value)
        };
        // Conversions and string methods keep a default computable.
        if let ("builtins.bool" | "builtins.str" | "builtins.int", Some(arg)) =
            (qualified.as_str(), args.first())
        {
            let value = self.eval(locals, arg);
            return self.lift(expr, &[value], |values| values[0].convert(&qualified));
        }
        if let Expr::Attribute(attribute) = call.func.as_ref()
            && matches!(
                attribute.attr.id.as_str(),
                "lower" | "upper" | "strip" | "title"
            )
            && args.is_empty()
        {
            let receiver = self.eval(locals, &attribute.value);
            if receiver.is_known() && !matches!(receiver, Value::Str(_)) {
                return Value::dynamic_from(self.quote(expr.range()));
            }
            let method = attribute.attr.id.as_str();
            return self.lift(expr, &[receiver], |values| match &values[0] {
                Value::Str(text) => Some(Value::Str(match method {
                    "lower" => text.to_lowercase().into(),
                    "upper" => text.to_uppercase().into(),
                    "title" => {
                        let mut chars = text.chars();
                        chars
                            .next()
                            .map_or_else(String::new, |first| {
                                first
                                    .to_uppercase()
                                    .chain(chars.flat_map(char::to_lowercase))
                                    .collect()
                            })
                            .into()
                    }
                    _ => text.trim().into(),
                })),
                _ => None,
            });
        }
        let site = CallSite {
            qualified: &qualified,
            func: &func,
            call,
            resolver: &resolver,
            ctx,
        };
        let Some(ConfigRead { default }) = self.hooks.config_read(&site) else {
            return Value::dynamic_from(self.quote(expr.range()));
        };
        let default = default
            .or_else(|| keyword("default"))
            .map(|default| self.eval(locals, default));
        Value::dynamic_with_default(
            self.quote(expr.range()),
            default.and_then(|default| default.default_value()),
        )
    }
}

/// The files an include pattern names, relative to `dir`: one file, or the
/// sorted matches of a `*` in its last part.
fn expand(dir: &Path, pattern: &str) -> Vec<PathBuf> {
    let path = dir.join(pattern);
    let Some(last) = path.file_name().and_then(|name| name.to_str()) else {
        return Vec::new();
    };
    if !last.contains('*') {
        return if path.is_file() {
            vec![path]
        } else {
            Vec::new()
        };
    }
    let (prefix, suffix) = last.split_once('*').unwrap_or((last, ""));
    let Some(parent) = path.parent() else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|candidate| {
            candidate.is_file()
                && candidate
                    .file_name()
                    .and_then(|name| name.to_str())
                    .is_some_and(|name| {
                        name.len() >= prefix.len() + suffix.len()
                            && name.starts_with(prefix)
                            && name.ends_with(suffix)
                    })
        })
        .collect();
    found.sort();
    found
}

/// The code at `range`, on one line and cut to a readable length.
pub fn quote(source: &str, range: TextRange) -> String {
    let text = source
        .get(range.start().to_usize()..range.end().to_usize())
        .unwrap_or("");
    let mut line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > MAX_QUOTE {
        line = line.chars().take(MAX_QUOTE - 3).collect::<String>() + "...";
    }
    line
}
