//! Cookie writes behind the project's own helper functions.
//!
//! A helper such as `def set_auth_cookie(resp, token, secure=False):
//! resp.set_cookie("auth", token, secure=secure)` does not decide its flags:
//! its callers do. The file rules judge a helper's write as it is written,
//! so what it hard-codes (no `httponly` at all) is reported there, and a flag
//! taken from a parameter is unknown there. They also name the functions
//! whose writes take their receiver or a flag from a parameter
//! ([`takes_from_params`]); after the walk the engine finds the files that
//! mention those names, and here every call of such a helper is bound to the
//! helper's parameters and the helper's write is judged again with the
//! caller's arguments (or the parameters' defaults):
//!
//! - an attribute that the caller's arguments make insecure (passed weak, or
//!   left at a weak default) is reported at the call, with the helper's
//!   write as a related location;
//! - what the helper hard-codes is reported at the helper's write only: by
//!   the file rule when the write's receiver is typed there, here (once)
//!   when only its callers say what the receiver is.
//!
//! Never both for the same cause. Helpers are functions at the top level of
//! a module and methods of top-level classes; methods are found through
//! `self`, `super()` and the bases of the caller's class.
//!
//! A function that passes its own parameters on to a helper, where they
//! reach the write's receiver or flags, is a helper one level up. These are
//! found bottom-up over the files that may call a helper, as far as
//! [`MAX_DEPTH`] calls, and a call of one is judged through the chain of
//! calls down to the write (a [`Frame`] per call): a parameter passed on is
//! followed out to the call that binds it, and a weak value is reported at
//! the innermost call that supplies it. A helper already on the chain is not
//! entered again. A call's one `**mapping` binds the helper's parameters
//! key by key when its value is known, also when it is the `**kwargs` of the
//! helper the call is written in.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use pathfinder_diagnostics::{
    Applicability, AttributeFinding, Edit, Fix, LineIndex, Ranged, Related, TextRange, TextSize,
};
use pathfinder_python::ast::visitor::{self, Visitor};
use pathfinder_python::ast::{self, Expr, ExprCall, Stmt, StmtFunctionDef};
use pathfinder_python::{
    Binding, ClassInfo, Ctx, DictValue, ModuleSummary, Origin, ParsedFile, Resolver, Scope, Value,
    lower,
};

use crate::checker::Checker;
use crate::cookies::{self, ParamValues};
use crate::fix::edits;
use crate::frameworks::{self, FrameworkCookies, Receiver};
use crate::project::{Project, ProjectDiagnostic, ProjectFindings, ProjectSilent};
use crate::registry::Rule;

/// How many helpers are kept at most, whatever the project's size.
const MAX_HELPERS: usize = 20_000;

/// How many calls deep a write is followed: a helper, the helper that
/// calls it, and so on.
const MAX_DEPTH: usize = 4;

/// How many calls of helpers one call is followed into, in all: a helper
/// that calls many helpers that call many more stays cheap.
const MAX_FRAMES: usize = 256;

/// How many bases are searched for a method called through `self`.
const MAX_BASES: usize = 32;

/// Whether a cookie write inside a function takes its receiver or one of
/// its flags from a parameter of that function (the innermost in `ctx`).
pub(crate) fn takes_from_params(ctx: Ctx<'_>, call: &ExprCall, methods: &[&str]) -> bool {
    !params_reaching(ctx, call, methods).is_empty()
}

/// The parameters of the innermost function of `ctx` that a cookie write
/// in it takes as its receiver or as one of its flags.
fn params_reaching<'c>(ctx: Ctx<'_>, call: &'c ExprCall, methods: &[&str]) -> Vec<&'c str> {
    let Some(scope) = ctx.scopes.last() else {
        return Vec::new();
    };
    if is_framework_write(scope, call, methods) {
        return Vec::new();
    }
    let param = |expr: &'c Expr| match expr {
        Expr::Name(name) if is_param(scope, name.id.as_str()) => Some(name.id.as_str()),
        _ => None,
    };
    let receiver = match call.func.as_ref() {
        Expr::Attribute(attribute) => param(&attribute.value),
        _ => None,
    };
    // The first two positional arguments are the name and the value in
    // every framework's signature; the flags come after them. A `*args`
    // of the function may hold any of them.
    let flags = call
        .arguments
        .args
        .iter()
        .enumerate()
        .filter_map(|(index, arg)| match arg {
            Expr::Starred(starred) => param(&starred.value),
            _ if index >= 2 => param(arg),
            _ => None,
        });
    let keywords = call
        .arguments
        .keywords
        .iter()
        .filter(|keyword| {
            !keyword
                .arg
                .as_ref()
                .is_some_and(|arg| matches!(arg.id.as_str(), "key" | "name" | "value"))
        })
        .filter_map(|keyword| param(&keyword.value));
    receiver.into_iter().chain(flags).chain(keywords).collect()
}

/// Whether the function of `scope` is called by a framework or by Python,
/// not by the project: a response class's own cookie methods (`set_cookie`
/// overrides, `delete_cookie` wrappers), judged where they are called by the
/// framework rules, and dunders.
pub(crate) fn is_framework_api(scope: &Scope, methods: &[&str]) -> bool {
    let function = scope.function.as_ref();
    (scope.class.is_some() && methods.contains(&function)) || is_dunder(function)
}

/// Whether `call`, a cookie write in the function of `scope`, is the
/// framework's API at work rather than a helper's write: a write in a
/// dunder, or in a method named like the framework's cookie method that
/// writes to its own object (`super().set_cookie(...)` in a response
/// class's override). A method of that name that writes to a response it
/// is given (`def set_cookie(self, response, key, value, secure=True)` on a
/// view) is the project's helper, called by the project.
pub(crate) fn is_framework_write(scope: &Scope, call: &ExprCall, methods: &[&str]) -> bool {
    let to_a_param = match call.func.as_ref() {
        Expr::Attribute(attribute) => attribute
            .value
            .as_name_expr()
            .is_some_and(|name| is_param(scope, name.id.as_str())),
        _ => false,
    };
    let function = scope.function.as_ref();
    is_dunder(function) || (scope.class.is_some() && methods.contains(&function) && !to_a_param)
}

/// Whether `name` is a parameter of the function of `scope` (not `self`).
fn is_param(scope: &Scope, name: &str) -> bool {
    matches!(scope.bindings.get(name), Some(Binding::Param(param)) if !param.is_self)
}

/// One helper function of the project.
struct Helper {
    file: PathBuf,
    parsed: Arc<ParsedFile>,
    module: Arc<ModuleSummary>,
    /// The range of its `def`, to find it again in `parsed`.
    range: TextRange,
    /// Its parameters that reach a cookie write's receiver or flags, in its
    /// own body or through the helpers it calls.
    params: Vec<Box<str>>,
    /// Its function's scope, built once.
    scope: Scope,
}

impl Helper {
    fn def(&self) -> Option<&StmtFunctionDef> {
        let body = &self.parsed.module().body;
        body.iter().find_map(|stmt| match stmt {
            Stmt::FunctionDef(function) if function.range == self.range => Some(function),
            Stmt::ClassDef(class) => class.body.iter().find_map(|stmt| match stmt {
                Stmt::FunctionDef(function) if function.range == self.range => Some(function),
                _ => None,
            }),
            _ => None,
        })
    }
}

/// The project's helpers, by qualified name (`shop.cookies.remember`,
/// `shop.views.AuthMixin.set_auth_cookie`).
#[derive(Default)]
pub(crate) struct Helpers {
    by_name: HashMap<String, Helper>,
    /// The helpers' own names (the last part of each qualified name), so
    /// that no other call costs a resolution.
    last_names: HashSet<String>,
    /// The qualified names of the helpers, by file and name in the file
    /// (`remember`, `AuthMixin.set_auth_cookie`).
    by_file: HashMap<(PathBuf, String), String>,
}

/// A function of a module, with its class and its name in the file
/// (`remember`, `AuthMixin.set_auth_cookie`).
struct Function<'m> {
    def: &'m StmtFunctionDef,
    class: Option<Arc<ClassInfo>>,
    name: String,
}

/// A module read for the helper stage.
struct Module {
    path: PathBuf,
    parsed: Arc<ParsedFile>,
    summary: Arc<ModuleSummary>,
}

impl Module {
    fn read(project: &Project<'_>, path: &Path) -> Option<Module> {
        let parsed = project.loader.parsed(path)?;
        let name = project.loader.module_name(path)?;
        let summary = Arc::new(ModuleSummary::build(
            parsed.module(),
            &name,
            path.to_path_buf(),
        ));
        Some(Module {
            path: path.to_path_buf(),
            parsed,
            summary,
        })
    }

    /// The functions at its top level and the methods of its top-level
    /// classes.
    fn functions(&self) -> Vec<Function<'_>> {
        let mut found = Vec::new();
        for stmt in &self.parsed.module().body {
            match stmt {
                Stmt::FunctionDef(def) => found.push(Function {
                    def,
                    class: None,
                    name: def.name.id.to_string(),
                }),
                Stmt::ClassDef(class) => {
                    let info = match self.summary.scope.bindings.get(class.name.id.as_str()) {
                        Some(Binding::Class(info)) => Some(info.clone()),
                        _ => None,
                    };
                    for stmt in &class.body {
                        if let Stmt::FunctionDef(def) = stmt {
                            found.push(Function {
                                def,
                                class: info.clone(),
                                name: format!("{}.{}", class.name.id, def.name.id),
                            });
                        }
                    }
                }
                _ => {}
            }
        }
        found
    }
}

impl Helpers {
    /// The helpers defined in `files` whose cookie writes take something
    /// from their parameters; `methods` are the active cookie methods.
    fn collect(project: &Project<'_>, files: &[PathBuf], methods: &[&'static str]) -> Helpers {
        let mut helpers = Helpers::default();
        for path in files {
            let Some(module) = Module::read(project, path) else {
                continue;
            };
            for function in module.functions() {
                let writes = writes_in(function.def, methods);
                if writes.is_empty() {
                    continue;
                }
                let scope =
                    Scope::of_function(function.def, &module.summary, function.class.clone());
                let params = writes_from_params(&writes, &scope, &module.summary, methods);
                if !params.is_empty() {
                    helpers.add(&module, &function, params, scope);
                }
            }
            if helpers.by_name.len() >= MAX_HELPERS {
                break;
            }
        }
        helpers
    }

    fn add(
        &mut self,
        module: &Module,
        function: &Function<'_>,
        params: Vec<Box<str>>,
        scope: Scope,
    ) {
        let qualified = module.summary.qualify(&function.name);
        if let Some(last) = qualified.rsplit('.').next() {
            self.last_names.insert(last.to_string());
        }
        self.by_file.insert(
            (module.path.clone(), function.name.clone()),
            qualified.clone(),
        );
        self.by_name.insert(
            qualified,
            Helper {
                file: module.path.clone(),
                parsed: module.parsed.clone(),
                module: module.summary.clone(),
                range: function.def.range,
                params,
                scope,
            },
        );
    }

    fn contains(&self, module: &Module, name: &str) -> bool {
        self.by_file
            .contains_key(&(module.path.clone(), name.to_string()))
    }

    /// The functions of `module` that are not helpers yet but call one,
    /// passing it their own parameters where they reach a cookie write:
    /// helpers one level up. Each comes with those parameters.
    fn wrappers_in<'m>(
        &self,
        project: &Project<'_>,
        module: &'m Module,
        methods: &[&'static str],
    ) -> Vec<(Function<'m>, Vec<Box<str>>, Scope)> {
        let resolver = Resolver::with_hooks(project.loader, &crate::settings::hooks::HOOKS);
        let mut found = Vec::new();
        for function in module.functions() {
            if self.contains(module, &function.name) {
                continue;
            }
            let scope = Scope::of_function(function.def, &module.summary, function.class.clone());
            if is_framework_api(&scope, methods) {
                continue;
            }
            let scopes = [&scope];
            let ctx = Ctx {
                module: &module.summary,
                scopes: &scopes,
            };
            let mut params: Vec<Box<str>> = Vec::new();
            for inner in calls_in(&function.def.body, |call| self.may_call(call)) {
                let Some((helper, implicit_first)) = callee(&resolver, ctx, inner.call, self)
                else {
                    continue;
                };
                let Some(def) = helper.def() else { continue };
                let binds = bind(def, inner.call, implicit_first);
                // The function's own parameters the call hands to the
                // helper's: by name, or inside the one `**` mapping.
                let mapping = match binds.mapping {
                    Some(Expr::Name(mapping)) => Some(mapping.id.as_str()),
                    _ => None,
                };
                for param in &helper.params {
                    let param = param.as_ref();
                    let passed: Vec<&str> = match binds.params.get(param) {
                        Some(Bound::Passed(Expr::Name(passed))) => vec![passed.id.as_str()],
                        Some(Bound::Mapped(_)) => mapping.into_iter().collect(),
                        _ => match &binds.kwargs {
                            // The helper's own `**kwargs` reach the write:
                            // the extra keywords and the mapping do too.
                            Some((name, extras, _)) if *name == param => extras
                                .iter()
                                .filter_map(|(_, value)| match value {
                                    Expr::Name(passed) => Some(passed.id.as_str()),
                                    _ => None,
                                })
                                .chain(mapping)
                                .collect(),
                            _ => Vec::new(),
                        },
                    };
                    for passed in passed {
                        if is_param(&scope, passed)
                            && !params.iter().any(|known| known.as_ref() == passed)
                        {
                            params.push(passed.into());
                        }
                    }
                }
            }
            if !params.is_empty() {
                found.push((function, params, scope));
            }
        }
        found
    }

    /// Whether `call` may be a call of a helper, by the name it calls.
    fn may_call(&self, call: &ExprCall) -> bool {
        match call.func.as_ref() {
            Expr::Name(name) => self.last_names.contains(name.id.as_str()),
            Expr::Attribute(attribute) => self.last_names.contains(attribute.attr.id.as_str()),
            _ => false,
        }
    }
}

fn is_dunder(name: &str) -> bool {
    name.starts_with("__") && name.ends_with("__")
}

/// A condition a write is written under: the `if` test, and whether the
/// write is in its body (`true`) or in an `else`/`elif` branch (`false`).
type Guard<'a> = (&'a Expr, bool);

/// A call written directly in a function's body (not in nested
/// functions, classes or lambdas), with the `if` tests around it.
struct Write<'a> {
    call: &'a ExprCall,
    guards: Vec<Guard<'a>>,
}

/// The cookie-method calls written directly in `function`'s body.
fn writes_in<'a>(function: &'a StmtFunctionDef, methods: &[&'static str]) -> Vec<Write<'a>> {
    calls_in(&function.body, |call| {
        matches!(call.func.as_ref(), Expr::Attribute(attribute)
            if methods.contains(&attribute.attr.id.as_str()))
    })
}

/// The calls written directly in a function's `body` that `wanted` keeps.
fn calls_in(body: &[Stmt], wanted: impl Fn(&ExprCall) -> bool) -> Vec<Write<'_>> {
    struct Calls<'a, W> {
        wanted: W,
        guards: Vec<Guard<'a>>,
        found: Vec<Write<'a>>,
    }
    impl<'a, W: Fn(&ExprCall) -> bool> Visitor<'a> for Calls<'a, W> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::If(branch) => {
                    self.visit_expr(&branch.test);
                    self.guards.push((&branch.test, true));
                    self.visit_body(&branch.body);
                    self.guards.pop();
                    for clause in &branch.elif_else_clauses {
                        self.guards.push((&branch.test, false));
                        if let Some(test) = &clause.test {
                            self.visit_expr(test);
                            self.guards.push((test, true));
                        }
                        self.visit_body(&clause.body);
                        if clause.test.is_some() {
                            self.guards.pop();
                        }
                        self.guards.pop();
                    }
                }
                _ => stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
                    visitor::walk_stmt(self, stmt);
                }),
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Lambda(_) => return,
                Expr::Call(call) if (self.wanted)(call) => {
                    self.found.push(Write {
                        call,
                        guards: self.guards.clone(),
                    });
                }
                _ => {}
            }
            stacker::maybe_grow(64 * 1024, 1024 * 1024, || visitor::walk_expr(self, expr));
        }
    }
    let mut calls = Calls {
        wanted,
        guards: Vec::new(),
        found: Vec::new(),
    };
    calls.visit_body(body);
    calls.found
}

/// The parameters of the function of `scope` whose value decides whether
/// `call`, written directly in its `body`, runs: the `if` tests around it
/// that are a parameter or `not` one. A write under such a test is judged
/// at the function's calls, which say which branch they take.
pub(crate) fn deciding_params<'a>(
    body: &'a [Stmt],
    call: &ExprCall,
    scope: &Scope,
) -> Vec<&'a str> {
    let Some(write) = calls_in(body, |found| std::ptr::eq(found, call)).pop() else {
        return Vec::new();
    };
    guard_params(&write.guards, scope)
}

/// The parameters of `scope` that `guards` test (see [`deciding_params`]):
/// options with a default, which the function's callers choose. A
/// parameter without one (`req_succeeded` of a framework hook) is the
/// caller's to fill in, often a framework's, not a choice between writes.
fn guard_params<'a>(guards: &[Guard<'a>], scope: &Scope) -> Vec<&'a str> {
    guards
        .iter()
        .filter_map(|(test, _)| tested_name(test))
        .map(|(name, _)| name)
        .filter(|name| {
            matches!(scope.bindings.get(*name),
                Some(Binding::Param(param)) if !param.is_self && param.has_default)
        })
        .collect()
}

/// Whether one call of the helper certainly skips a write: one of the `if`
/// tests around it is a parameter (or `not` a parameter) whose value at
/// this call says the write's branch is not taken.
fn skipped_by(values: &CallValues<'_, '_>, guards: &[Guard<'_>]) -> bool {
    guards.iter().any(|(test, taken_when)| {
        tested_name(test).is_some_and(|(name, negated)| {
            values
                .param(name)
                .and_then(|(value, _)| value.truthy())
                .is_some_and(|truthy| (truthy != negated) != *taken_when)
        })
    })
}

/// The name an `if` test is (`if secure:`) or negates (`if not secure:`),
/// and whether it negates it.
fn tested_name(test: &Expr) -> Option<(&str, bool)> {
    match test {
        Expr::UnaryOp(unary) if unary.op == ast::UnaryOp::Not => unary
            .operand
            .as_name_expr()
            .map(|name| (name.id.as_str(), true)),
        Expr::Name(name) => Some((name.id.as_str(), false)),
        _ => None,
    }
}

/// The parameters of the function of `scope` that its cookie `writes`
/// take as receiver or flags, or that decide whether they run; empty when
/// it is no helper.
fn writes_from_params(
    writes: &[Write<'_>],
    scope: &Scope,
    module: &Arc<ModuleSummary>,
    methods: &[&'static str],
) -> Vec<Box<str>> {
    let scopes = [scope];
    let ctx = Ctx {
        module,
        scopes: &scopes,
    };
    let mut params: Vec<Box<str>> = Vec::new();
    for write in writes {
        if is_framework_write(scope, write.call, methods) {
            continue;
        }
        // A write only some calls reach is judged at the calls too.
        let deciding = guard_params(&write.guards, scope);
        for param in params_reaching(ctx, write.call, methods)
            .into_iter()
            .chain(deciding)
        {
            if !params.iter().any(|known| known.as_ref() == param) {
                params.push(param.into());
            }
        }
    }
    params
}

/// Runs the helper stage of the project pass: finds the helpers that call
/// helpers (bottom-up, as far as [`MAX_DEPTH`]) and judges every call of a
/// helper in the files that may hold one with its arguments.
pub(crate) fn check_calls(project: &Project<'_>, rules: &[&'static Rule]) -> ProjectFindings {
    let methods: Vec<&'static str> = rules
        .iter()
        .filter_map(|rule| rule.framework)
        .flat_map(|framework| framework.methods.iter().map(|method| method.name))
        .collect();
    if methods.is_empty() || project.helpers.is_empty() {
        return ProjectFindings::default();
    }
    let mut helpers = Helpers::collect(project, project.helpers, &methods);
    if helpers.by_name.is_empty() {
        return ProjectFindings::default();
    }
    // The files that may call a helper; a function there that passes its
    // own parameters on to a helper is a helper one level up.
    let mut named: Vec<(PathBuf, String)> = helpers.by_file.keys().cloned().collect();
    named.sort();
    // The callers' modules are read (parsed, summarised) once each, in
    // parallel, and kept for the judging of their calls; sorted by path.
    let mut callers: BTreeMap<PathBuf, Module> = BTreeMap::new();
    let read = |callers: &mut BTreeMap<PathBuf, Module>, paths: &[PathBuf]| {
        let modules: Vec<Module> = paths
            .par_iter()
            .filter(|path| !callers.contains_key(*path))
            .filter_map(|path| Module::read(project, path))
            .collect();
        for module in modules {
            callers.insert(module.path.clone(), module);
        }
    };
    let mut frontier: Vec<PathBuf> = (project.find_callers)(&named);
    read(&mut callers, &frontier);
    for _ in 1..MAX_DEPTH {
        // A file may hold a wrapper of a helper found in the round before,
        // even when it was searched in an earlier round.
        let mut added: Vec<(PathBuf, String)> = Vec::new();
        for path in &frontier {
            let Some(module) = callers.get(path) else {
                continue;
            };
            for (function, params, scope) in helpers.wrappers_in(project, module, &methods) {
                added.push((module.path.clone(), function.name.clone()));
                helpers.add(module, &function, params, scope);
            }
        }
        if added.is_empty() || helpers.by_name.len() >= MAX_HELPERS {
            break;
        }
        frontier = (project.find_callers)(&added);
        read(&mut callers, &frontier);
    }
    let callers: Vec<&Module> = callers.values().collect();
    let judged: Vec<(&Module, Judged)> = callers
        .par_iter()
        .map(|module| {
            let judged = crate::checker::check_helper_calls(
                &module.parsed,
                &module.summary,
                project.loader,
                rules,
                &helpers,
                project.models,
            );
            (*module, judged)
        })
        .collect();
    let mut found = ProjectFindings::default();
    for (module, judged) in judged {
        found.diagnostics.extend(judged.findings);
        if judged.silent.is_empty() {
            continue;
        }
        let source = &module.parsed.source;
        let lines = LineIndex::new(source);
        found.silent.extend(
            reasons_of(judged.silent)
                .into_iter()
                .map(|(start, reason)| {
                    let at = lines.line_column(start, source);
                    ProjectSilent {
                        path: module.path.clone(),
                        line: at.line,
                        column: at.column,
                        reason,
                    }
                }),
        );
    }
    found
}

/// What the helper stage finds at the calls written in one module.
#[derive(Default)]
pub(crate) struct Judged {
    pub(crate) findings: Vec<ProjectDiagnostic>,
    /// The module's helper calls left unreported because the code does not
    /// tell what they write, and why (`--verbose`).
    pub(crate) silent: Vec<UndecidedCall>,
}

/// A call of a helper that leaves one of the helper's writes undecided.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct UndecidedCall {
    /// The call's place in its module.
    start: TextSize,
    /// The helper's name and its file's name.
    helper: String,
    file_name: String,
    /// What the call leaves known only at run time.
    undecided: String,
    /// The line of the helper's write.
    line: usize,
}

/// The reasons for `calls`, one per call (sorted by place): several
/// writes of one helper that a call leaves undecided alike are named
/// together (`cookies.py:12, 20`), and the same write reached by several
/// ways through the helpers once.
fn reasons_of(mut calls: Vec<UndecidedCall>) -> Vec<(TextSize, String)> {
    calls.sort();
    calls.dedup();
    let mut out: Vec<(TextSize, String)> = Vec::new();
    let mut at = 0;
    while at < calls.len() {
        let first = &calls[at];
        let same = calls[at..]
            .iter()
            .take_while(|call| {
                (call.start, &call.helper, &call.file_name, &call.undecided)
                    == (
                        first.start,
                        &first.helper,
                        &first.file_name,
                        &first.undecided,
                    )
            })
            .count();
        let lines: Vec<String> = calls[at..at + same]
            .iter()
            .map(|call| call.line.to_string())
            .collect();
        out.push((
            first.start,
            format!(
                "judged as a call of `{}()` ({}:{}); {}",
                first.helper,
                first.file_name,
                lines.join(", "),
                first.undecided
            ),
        ));
        at += same;
    }
    out
}

/// How a call binds one parameter of the helper.
enum Bound<'c> {
    /// The caller passes this expression (in the caller's module).
    Passed(&'c Expr),
    /// The parameter keeps its default (an expression of the helper).
    Default(&'c Expr),
    /// Taken from the call's one `**mapping` when the mapping holds its
    /// name, else left at this default (none: required, so it must).
    Mapped(Option<&'c Expr>),
    /// Not known (`*args` at the call, several mappings, or no default).
    Unknown,
}

/// The helper's `**kwargs` parameter, the keywords it receives, and
/// whether more may come from a `**mapping` at the call.
type KwargsBound<'c> = (&'c str, Vec<(&'c str, &'c Expr)>, bool);

/// The helper's parameters as one call binds them.
struct Binds<'c> {
    params: HashMap<&'c str, Bound<'c>>,
    kwargs: Option<KwargsBound<'c>>,
    /// The helper's `*args` parameter and the call's positional arguments
    /// past the helper's own, when the call unpacks no sequence itself.
    varargs: Option<(&'c str, Option<Vec<&'c Expr>>)>,
    /// Whether the call unpacks a mapping.
    caller_mapping: bool,
    /// The mapping, when the call unpacks exactly one and no `*args`.
    mapping: Option<&'c Expr>,
}

fn bind<'c>(def: &'c StmtFunctionDef, call: &'c ExprCall, implicit_first: bool) -> Binds<'c> {
    let parameters = &def.parameters;
    let positional: Vec<&'c ast::ParameterWithDefault> = parameters
        .posonlyargs
        .iter()
        .chain(&parameters.args)
        .skip(usize::from(implicit_first))
        .collect();
    let mut params: HashMap<&'c str, Bound<'c>> = HashMap::new();
    let starred_at = call.arguments.args.iter().position(Expr::is_starred_expr);
    for (index, param) in positional.iter().enumerate() {
        let name = param.parameter.name.id.as_str();
        if starred_at.is_none_or(|at| index < at)
            && let Some(arg) = call.arguments.args.get(index)
        {
            params.insert(name, Bound::Passed(arg));
        }
    }
    let mappings: Vec<&'c Expr> = call
        .arguments
        .keywords
        .iter()
        .filter(|keyword| keyword.arg.is_none())
        .map(|keyword| &keyword.value)
        .collect();
    let caller_mapping = !mappings.is_empty();
    let mapping = match mappings[..] {
        [mapping] if starred_at.is_none() => Some(mapping),
        _ => None,
    };
    let mut extras = Vec::new();
    let named: Vec<&'c ast::ParameterWithDefault> = positional
        .iter()
        .copied()
        .chain(&parameters.kwonlyargs)
        .collect();
    for keyword in &call.arguments.keywords {
        let Some(arg) = &keyword.arg else { continue };
        let name = arg.id.as_str();
        if named
            .iter()
            .any(|param| param.parameter.name.id.as_str() == name)
        {
            params.insert(name, Bound::Passed(&keyword.value));
        } else {
            extras.push((name, &keyword.value));
        }
    }
    for param in &named {
        let name = param.parameter.name.id.as_str();
        params.entry(name).or_insert_with(|| {
            let default = param.default.as_deref();
            if mapping.is_some() {
                return Bound::Mapped(default);
            }
            match default {
                Some(default) if !caller_mapping && starred_at.is_none() => Bound::Default(default),
                _ => Bound::Unknown,
            }
        });
    }
    let kwargs = parameters
        .kwarg
        .as_ref()
        .map(|kwarg| (kwarg.name.id.as_str(), extras, caller_mapping));
    let varargs = parameters.vararg.as_ref().map(|vararg| {
        let extra = starred_at
            .is_none()
            .then(|| call.arguments.args.iter().skip(positional.len()).collect());
        (vararg.name.id.as_str(), extra)
    });
    Binds {
        params,
        kwargs,
        varargs,
        caller_mapping,
        mapping,
    }
}

/// One call of a helper on the way from the judged call to a cookie write:
/// where it is written and how it binds the helper's parameters. The
/// judged call is the outermost frame; a helper it reaches through other
/// helpers is judged with the frames of every call on the way.
struct Frame<'a> {
    call: &'a ExprCall,
    /// The module and function the call is written in.
    caller: Ctx<'a>,
    caller_source: &'a str,
    caller_path: &'a Path,
    helper: &'a Helper,
    def: &'a StmtFunctionDef,
    binds: Binds<'a>,
    /// The helper's own scope, to tell a parameter from a local.
    scope: &'a Scope,
    /// The call of the helper this call is written in, if it is one.
    outer: Option<&'a Frame<'a>>,
}

impl<'a> Frame<'a> {
    /// The frame of `call`, a call of `helper` written at `at` (the module
    /// and function, their text and file); `implicit_first` when the call's
    /// receiver binds the first parameter (`self.method(...)`).
    fn new(
        call: &'a ExprCall,
        at: (Ctx<'a>, &'a str, &'a Path),
        helper: &'a Helper,
        implicit_first: bool,
        outer: Option<&'a Frame<'a>>,
    ) -> Option<Frame<'a>> {
        let def = helper.def()?;
        let (caller, caller_source, caller_path) = at;
        Some(Frame {
            call,
            caller,
            caller_source,
            caller_path,
            helper,
            def,
            binds: bind(def, call, implicit_first),
            scope: &helper.scope,
            outer,
        })
    }

    /// The helper's function, as a context to evaluate its code in.
    fn helper_ctx(&self) -> Ctx<'_> {
        Ctx {
            module: &self.helper.module,
            scopes: std::slice::from_ref(&self.scope),
        }
    }

    /// This frame and the frames around it, innermost first.
    fn chain(&self) -> impl Iterator<Item = &Frame<'a>> {
        std::iter::successors(Some(self), |frame| frame.outer)
    }
}

/// [`ParamValues`] of one chain of calls: evaluates what the calls bind,
/// following a parameter passed on by a helper out to the call that binds
/// it, at most `reach` frames out.
struct CallValues<'c, 'r> {
    resolver: &'r Resolver<'r>,
    frame: &'c Frame<'c>,
    reach: usize,
}

impl ParamValues for CallValues<'_, '_> {
    fn value(&self, expr: &Expr) -> Option<(Value, String)> {
        let Expr::Name(name) = expr else {
            return None;
        };
        self.param(name.id.as_str())
    }

    fn starred(&self, starred: &Expr) -> Option<Vec<(Value, String)>> {
        let name = starred.as_name_expr()?;
        let (varargs, Some(extra)) = self.frame.binds.varargs.as_ref()? else {
            return None;
        };
        if *varargs != name.id.as_str() {
            return None;
        }
        extra.iter().map(|arg| self.argument(arg)).collect()
    }
}

impl<'c, 'r> CallValues<'c, 'r> {
    /// When `arg`, an argument of this call, is a parameter of the helper
    /// the call is written in and `reach` allows looking out: the values
    /// one frame out, and that parameter's name.
    fn out_through<'e>(&self, arg: &'e Expr) -> Option<(CallValues<'c, 'r>, &'e str)> {
        let outer = self.frame.outer.filter(|_| self.reach > 0)?;
        let Expr::Name(name) = arg else {
            return None;
        };
        let scope = self.frame.caller.scopes.last()?;
        is_param(scope, name.id.as_str()).then_some((
            CallValues {
                resolver: self.resolver,
                frame: outer,
                reach: self.reach - 1,
            },
            name.id.as_str(),
        ))
    }

    /// The value of the parameter `name` of the frame's helper as the
    /// chain binds it.
    fn param(&self, name: &str) -> Option<(Value, String)> {
        let frame = self.frame;
        if !matches!(frame.scope.bindings.get(name), Some(Binding::Param(_))) {
            return None;
        }
        if let Some((kwargs, extras, open)) = &frame.binds.kwargs
            && *kwargs == name
        {
            let mut entries: Vec<(Box<str>, Value)> = Vec::new();
            let mut open = *open;
            // What the mapping holds beyond the named parameters.
            if let Some(mapping) = self.mapping() {
                entries.extend(
                    mapping
                        .entries
                        .into_iter()
                        .filter(|(key, _)| !frame.binds.params.contains_key(key.as_ref())),
                );
                open = mapping.open;
            }
            entries.extend(extras.iter().map(|(key, value)| {
                let value = self
                    .argument(value)
                    .map_or_else(Value::dynamic, |(value, _)| value);
                (Box::from(*key), value)
            }));
            return Some((
                Value::Dict(DictValue { entries, open }),
                "from the call's keywords".to_string(),
            ));
        }
        let default_value = |default: &Expr| {
            (
                self.resolver
                    .eval(Ctx::module_level(&frame.helper.module), &lower(default)),
                format!(
                    "left at its default `{}` by the call",
                    cookies::shown_text(&frame.helper.parsed.source, default.range())
                ),
            )
        };
        match frame.binds.params.get(name)? {
            Bound::Passed(arg) => self.argument(arg),
            Bound::Default(default) => Some(default_value(default)),
            Bound::Mapped(default) => {
                let mapping = self.mapping()?;
                match mapping.get(name) {
                    Some(value) => Some((
                        value.clone(),
                        format!("passed as `{name}` in the call's `**` mapping"),
                    )),
                    None if !mapping.open => default.map(default_value),
                    None => None,
                }
            }
            Bound::Unknown => None,
        }
    }

    /// What the one `**mapping` of the call holds, when it is known: a
    /// `**kwargs` of the helper the call is written in is followed out.
    fn mapping(&self) -> Option<DictValue> {
        let (value, _) = self.argument(self.frame.binds.mapping?)?;
        match value {
            Value::Dict(dict) => Some(dict),
            _ => None,
        }
    }

    /// The value of `arg`, an argument of the call: a parameter of the
    /// helper the call is written in is followed out.
    fn argument(&self, arg: &Expr) -> Option<(Value, String)> {
        if let Some((outer, name)) = self.out_through(arg) {
            return outer.param(name);
        }
        Some((
            self.resolver.eval(self.frame.caller, &lower(arg)),
            format!(
                "passed as `{}` by the call",
                cookies::shown_text(self.frame.caller_source, arg.range())
            ),
        ))
    }

    /// What the parameter `name` of the frame's helper receives, followed
    /// out through the parameters of the helpers on the way.
    fn receiver(&self, name: &str, method: &str) -> Option<Receiver> {
        let frame = self.frame;
        if !matches!(frame.scope.bindings.get(name), Some(Binding::Param(_))) {
            return None;
        }
        let Some(Bound::Passed(arg)) = frame.binds.params.get(name) else {
            return None;
        };
        if let Some((outer, name)) = self.out_through(arg) {
            return outer.receiver(name, method);
        }
        let origin = self.resolver.origin(frame.caller, &lower(arg));
        Some(frameworks::classify(
            self.resolver,
            frame.caller,
            &origin,
            method,
        ))
    }
}

/// Finds the helper a call reaches, and whether its first parameter is
/// bound by the call's receiver (`self.method(...)`).
fn callee<'h>(
    resolver: &Resolver<'_>,
    ctx: Ctx<'_>,
    call: &ExprCall,
    helpers: &'h Helpers,
) -> Option<(&'h Helper, bool)> {
    if let Expr::Attribute(attribute) = call.func.as_ref() {
        let method = attribute.attr.id.as_str();
        let start = match resolver.origin(ctx, &lower(&attribute.value)) {
            Origin::Instance(class) => Some((class, false)),
            Origin::Super(class) => Some((class, true)),
            // An instance made by the call (`Tokens().refresh(...)`) or
            // bound from one (`tokens = Tokens()`).
            Origin::Call(qualified) => resolver
                .class_ref(&qualified, ctx.module)
                .map(|class| (class, false)),
            _ => None,
        };
        if let Some((class, skip_own)) = start {
            let mut queue = vec![(class, skip_own)];
            let mut seen = 0;
            while let Some((class, skip)) = queue.pop() {
                seen += 1;
                if seen > MAX_BASES {
                    break;
                }
                if !skip {
                    let qualified = format!("{}.{method}", class.module.qualify(&class.class.name));
                    // By file too: see the module-level case below.
                    let by_file = || {
                        let key = (
                            class.module.path.clone(),
                            format!("{}.{method}", class.class.name),
                        );
                        helpers
                            .by_file
                            .get(&key)
                            .and_then(|q| helpers.by_name.get(q))
                    };
                    if let Some(helper) = helpers.by_name.get(&qualified).or_else(by_file) {
                        let implicit = !is_static(helper);
                        return Some((helper, implicit));
                    }
                    if class.class.methods.iter().any(|own| own.as_ref() == method) {
                        // The class's own method, which is no helper, wins.
                        return None;
                    }
                }
                for base in resolver.bases(&class).into_iter().flatten().rev() {
                    if let Some(base) = resolver.class_ref(&base, &class.module) {
                        queue.push((base, false));
                    }
                }
            }
            return None;
        }
    }
    let qualified = resolver.qualified_name(ctx, &lower(&call.func))?;
    if let Some(helper) = helpers.by_name.get(&qualified) {
        return Some((helper, false));
    }
    // A module in a folder without `__init__.py` (a namespace package) is
    // named from that folder down (`cookies`), while the import spells the
    // path it was found by (`app.cookies`): the module the import loads
    // says which helper it is.
    let (module, name) = qualified.rsplit_once('.')?;
    let loaded = resolver.loader().load(module, ctx.module)?;
    let qualified = helpers
        .by_file
        .get(&(loaded.path.clone(), name.to_string()))?;
    let helper = helpers.by_name.get(qualified)?;
    Some((helper, false))
}

fn is_static(helper: &Helper) -> bool {
    helper.def().is_some_and(|def| {
        def.decorator_list.iter().any(|decorator| {
            matches!(&decorator.expression, Expr::Name(name) if name.id.as_str() == "staticmethod")
        })
    })
}

/// Judges one call of a helper from the caller's module.
pub(crate) fn check_call(
    checker: &Checker<'_>,
    call: &ExprCall,
    helpers: &Helpers,
    out: &mut Judged,
) {
    let called = match call.func.as_ref() {
        Expr::Name(name) => name.id.as_str(),
        Expr::Attribute(attribute) => attribute.attr.id.as_str(),
        _ => return,
    };
    // A helper imported under another name (`from .cookies import remember
    // as keep`, in the module or in the function) is known by the name it
    // was imported as; the innermost scope that binds the name decides.
    let imported: Option<String> = match call.func.as_ref() {
        Expr::Name(_) => checker.with_ctx(|ctx| {
            ctx.scopes
                .iter()
                .rev()
                .map(|scope| &scope.bindings)
                .chain(std::iter::once(&ctx.module.scope.bindings))
                .find_map(|bindings| bindings.get(called))
                .and_then(|binding| match binding {
                    Binding::Import(qualified) => qualified.rsplit('.').next().map(str::to_string),
                    _ => None,
                })
        }),
        _ => None,
    };
    if !helpers.last_names.contains(called)
        && !imported.is_some_and(|original| helpers.last_names.contains(&original))
    {
        return;
    }
    checker.with_ctx(|caller| {
        let Some((helper, implicit_first)) = callee(&checker.resolver, caller, call, helpers)
        else {
            return;
        };
        let Some(frame) = Frame::new(
            call,
            (caller, checker.source, &checker.module.path),
            helper,
            implicit_first,
            None,
        ) else {
            return;
        };
        let mut budget = MAX_FRAMES;
        expand(checker, helpers, &frame, &mut budget, out);
    });
}

/// Judges the cookie writes of `frame`'s helper with the chain's
/// arguments, and goes on into the helpers it calls.
fn expand(
    checker: &Checker<'_>,
    helpers: &Helpers,
    frame: &Frame<'_>,
    budget: &mut usize,
    out: &mut Judged,
) {
    if *budget == 0 {
        return;
    }
    *budget -= 1;
    let depth = frame.chain().count();
    let values = CallValues {
        resolver: &checker.resolver,
        frame,
        reach: depth - 1,
    };
    let methods: Vec<&'static str> = checker.cookie_methods().to_vec();
    for write in writes_in(frame.def, &methods) {
        if !skipped_by(&values, &write.guards) {
            // Under an `if` on a parameter, the file rule left even what the
            // write hard-codes to the calls that take the branch.
            let deferred = !guard_params(&write.guards, frame.scope).is_empty();
            judge_write(checker, frame, write.call, deferred, out);
        }
    }
    if depth >= MAX_DEPTH {
        return;
    }
    let caller = frame.helper_ctx();
    for inner in calls_in(&frame.def.body, |call| helpers.may_call(call)) {
        if skipped_by(&values, &inner.guards) {
            continue;
        }
        let Some((helper, implicit_first)) = callee(&checker.resolver, caller, inner.call, helpers)
        else {
            continue;
        };
        // A helper already on the way (recursion) is not entered again.
        if frame
            .chain()
            .any(|on_the_way| std::ptr::eq(on_the_way.helper, helper))
        {
            continue;
        }
        let Some(inner_frame) = Frame::new(
            inner.call,
            (caller, &frame.helper.parsed.source, &frame.helper.file),
            helper,
            implicit_first,
            Some(frame),
        ) else {
            continue;
        };
        expand(checker, helpers, &inner_frame, budget, out);
    }
}

/// The framework whose response the write's receiver is, as the chain's
/// arguments say when the receiver is a parameter, or as the helper's own
/// module says. `None` when neither can tell, or a caller passes a
/// client-side object. The flag says whether the helper's module types it.
fn write_framework(
    values: &CallValues<'_, '_>,
    write: &ExprCall,
    method: &str,
    models: &crate::models::UserModels,
) -> Option<(&'static FrameworkCookies, bool)> {
    let Expr::Attribute(attribute) = write.func.as_ref() else {
        return None;
    };
    let frame = values.frame;
    let at_helper =
        cookies::framework_of_write(values.resolver, frame.helper_ctx(), write, method, models)
            .ok();
    if let Expr::Name(name) = attribute.value.as_ref() {
        match values.receiver(name.id.as_str(), method) {
            Some(Receiver::Server(framework)) if framework.method(method).is_some() => {
                return Some((framework, at_helper.is_some()));
            }
            Some(Receiver::NotServer) => return None,
            _ => {}
        }
    }
    at_helper.map(|framework| (framework, true))
}

/// Judges one cookie write of `frame`'s helper. Each attribute is reported
/// once, where its weak value comes from: the helper's write when the
/// helper hard-codes it, else the innermost call on the way whose argument
/// (or the default it leaves) makes it weak. A call on the way inside
/// another helper is reported from here only when its own file cannot say
/// what the receiver is; when it can, that call is judged as the outermost
/// of its own chain.
#[allow(clippy::too_many_lines)] // One judgement, read top to bottom.
fn judge_write(
    checker: &Checker<'_>,
    frame: &Frame<'_>,
    write: &ExprCall,
    deferred: bool,
    out: &mut Judged,
) {
    let Expr::Attribute(attribute) = write.func.as_ref() else {
        return;
    };
    let method = attribute.attr.id.as_str();
    let resolver = &checker.resolver;
    let frames: Vec<&Frame<'_>> = frame.chain().collect();
    let outermost = frames[frames.len() - 1];
    let with_reach = |reach: usize| CallValues {
        resolver,
        frame,
        reach,
    };
    let Some((framework, typed_at_helper)) =
        write_framework(&with_reach(frames.len() - 1), write, method, checker.models)
    else {
        return;
    };
    let (Some(rule), Some(signature)) = (checker.rule_for(framework), framework.method(method))
    else {
        return;
    };
    let helper = frame.helper;
    let helper_source: &str = &helper.parsed.source;
    let analyze = |values: Option<&CallValues<'_, '_>>| {
        cookies::analyze_in(
            resolver,
            frame.helper_ctx(),
            helper_source,
            write,
            signature,
            "Lax",
            values.map(|values| values as &dyn ParamValues),
        )
    };
    let as_written = analyze(None);
    // Where the write is, for messages: only a finding needs it.
    let write_at =
        || LineIndex::new(helper_source).line_column(write.range().start(), helper_source);
    let function = frame.def.name.id.as_str();
    let file_name = helper
        .file
        .file_name()
        .map_or_else(String::new, |name| name.to_string_lossy().into_owned());

    // What each call on the way makes insecure, at that call.
    let mut before = as_written.attributes.clone();
    let mut name = as_written.name.clone();
    for (reach, at) in frames.iter().enumerate() {
        let values = with_reach(reach);
        let at_call = analyze(Some(&values));
        if at_call.is_deletion {
            return;
        }
        if at_call.name.is_some() {
            name.clone_from(&at_call.name);
        }
        let insecure_before = |attribute: &str| {
            before
                .iter()
                .any(|finding| finding.attribute == attribute && finding.state.is_insecure())
        };
        let from_call: Vec<AttributeFinding> = at_call
            .attributes
            .iter()
            .filter(|finding| !insecure_before(finding.attribute))
            .cloned()
            .collect();
        let reported_here = reach + 1 == frames.len()
            || write_framework(&values, write, method, checker.models).is_none();
        let insecure_from_call = from_call.iter().any(|finding| finding.state.is_insecure());
        if reported_here
            && insecure_from_call
            && !already_reported(&out.findings, at.caller_path, at.call.range(), rule)
        {
            let write_at = write_at();
            let cookie = name
                .as_ref()
                .map_or_else(|| "Cookie".to_string(), |name| format!("Cookie '{name}'"));
            let through: Vec<String> = frames[1..=reach]
                .iter()
                .map(|frame| format!("`{}()`", frame.def.name.id))
                .collect();
            let how = if through.is_empty() {
                format!("is set by `{function}()` ({file_name}:{})", write_at.line)
            } else {
                format!(
                    "is set by `{function}()` ({file_name}:{}), called through {}",
                    write_at.line,
                    through.join(", ")
                )
            };
            let fix = call_fix(&frames[..=reach], write, signature, &from_call);
            let mut diagnostic = cookies::insecure_write(
                rule,
                at.call.range(),
                &cookie,
                &how,
                cookies::secret_evidence(&at_call, helper_source).as_deref(),
                from_call,
                fix,
            );
            diagnostic.related.push(Related {
                path: helper.file.to_string_lossy().into_owned(),
                line: write_at.line,
                column: write_at.column,
                message: format!("the cookie is written here, in `{function}()`"),
            });
            for (inner, within) in frames[..reach].iter().zip(&frames[1..=reach]) {
                let at = LineIndex::new(inner.caller_source)
                    .line_column(inner.call.range().start(), inner.caller_source);
                diagnostic.related.push(Related {
                    path: inner.caller_path.to_string_lossy().into_owned(),
                    line: at.line,
                    column: at.column,
                    message: format!(
                        "`{}()` is called here, in `{}()`",
                        inner.def.name.id, within.def.name.id
                    ),
                });
            }
            out.findings.push(ProjectDiagnostic {
                path: at.caller_path.to_path_buf(),
                diagnostic,
            });
        }
        // The outermost call is written in the module being walked: what it
        // leaves known only at run time is said there under `--verbose`.
        if reach + 1 == frames.len()
            && !insecure_from_call
            && let Some(undecided) = undecided_at_call(&values, &at_call, write, signature)
        {
            out.silent.push(UndecidedCall {
                start: at.call.range().start(),
                helper: function.to_string(),
                file_name: file_name.clone(),
                undecided,
                line: write_at().line,
            });
        }
        before = at_call.attributes;
    }

    // What the helper hard-codes, at the helper, when the file rule could
    // not say what the receiver is or left the write to the calls.
    if (!typed_at_helper || deferred)
        && as_written.is_insecure()
        && !already_reported(&out.findings, &helper.file, write.range(), rule)
    {
        let cookie = as_written
            .name
            .as_ref()
            .map_or_else(|| "Cookie".to_string(), |name| format!("Cookie '{name}'"));
        let call_at = LineIndex::new(outermost.caller_source)
            .line_column(outermost.call.range().start(), outermost.caller_source);
        let mut diagnostic = cookies::insecure_write(
            rule,
            write.range(),
            &cookie,
            "is set",
            cookies::secret_evidence(&as_written, helper_source).as_deref(),
            as_written.attributes.clone(),
            as_written.fix.clone(),
        );
        diagnostic.related.push(Related {
            path: outermost.caller_path.to_string_lossy().into_owned(),
            line: call_at.line,
            column: call_at.column,
            message: format!(
                "`{}()` is called here with a {} response",
                outermost.def.name.id, framework.name
            ),
        });
        out.findings.push(ProjectDiagnostic {
            path: helper.file.clone(),
            diagnostic,
        });
    }
}

/// Why a call of a helper leaves `write` unreported: the attributes that
/// the helper takes from its parameters and that the chain of calls in
/// `values` leaves known only at run time, each with what the calls pass
/// for it. `None` when there is none: what the helper's own code leaves
/// unknown (a setting, a local) is said at the helper's write.
fn undecided_at_call(
    values: &CallValues<'_, '_>,
    at_call: &cookies::CookieWrite,
    write: &ExprCall,
    signature: &crate::frameworks::CookieMethod,
) -> Option<String> {
    let dynamic: Vec<String> = cookies::dynamic_arguments(at_call, write, signature)
        .filter_map(|(finding, argument)| {
            let param = argument?
                .as_name_expr()
                .map(|name| name.id.as_str())
                .filter(|name| is_param(values.frame.scope, name))?;
            let how = values
                .param(param)
                .map_or_else(|| "not known from the call".to_string(), |(_, how)| how);
            Some(format!(
                "{} from `{param}`, {how}, {}",
                finding.attribute, finding.reason
            ))
        })
        .collect();
    (!dynamic.is_empty()).then(|| format!("not decided: {}", dynamic.join("; ")))
}

/// Whether `out` holds a finding of `rule` at `range` of the file at
/// `path`: several ways through the helpers reach the same write, and the
/// same cause is reported once.
fn already_reported(out: &[ProjectDiagnostic], path: &Path, range: TextRange, rule: &Rule) -> bool {
    out.iter().any(|found| {
        found.diagnostic.range == range && found.diagnostic.rule == rule.id && found.path == path
    })
}

/// The fix at the last call of `frames` (innermost first): each attribute
/// that call makes insecure gets a safe value for the parameter that
/// carries it, added when the call leaves it at its default, replaced when
/// the call passes a weak one (unsafe: it overrides a decision).
fn call_fix(
    frames: &[&Frame<'_>],
    write: &ExprCall,
    signature: &crate::frameworks::CookieMethod,
    from_call: &[AttributeFinding],
) -> Option<Fix> {
    let fixed = frames.last()?;
    let source = fixed.caller_source;
    let call = fixed.call;
    let quote = edits::quote_of(source, call);
    let mut added: Vec<String> = Vec::new();
    let mut edits_out: Vec<Edit> = Vec::new();
    let mut overrides = false;
    for finding in from_call
        .iter()
        .filter(|finding| finding.state.is_insecure())
    {
        let param = signature
            .attributes
            .iter()
            .find(|attribute| attribute.attribute == finding.attribute)?;
        // The parameter that carries the flag, followed out to the call.
        let Expr::Name(name) = cookies::argument_of(write, signature, param.param)? else {
            return None;
        };
        let mut carried = name.id.as_str();
        for inner in &frames[..frames.len() - 1] {
            match inner.binds.params.get(carried)? {
                Bound::Passed(Expr::Name(passed)) => carried = passed.id.as_str(),
                _ => return None,
            }
        }
        if !fixed
            .def
            .parameters
            .iter()
            .any(|parameter| parameter.name().id.as_str() == carried)
        {
            return None;
        }
        let good = if finding.attribute == "samesite" {
            format!("{quote}Lax{quote}")
        } else {
            "True".to_string()
        };
        match fixed.binds.params.get(carried)? {
            Bound::Default(default) => {
                // A SameSite default the helper's author spelt out ("None")
                // is a decision about cross-site requests: overriding it is
                // unsafe, like replacing a passed value. A False or None
                // default is only what the framework would do anyway.
                overrides |= finding.attribute == "samesite" && !default.is_none_literal_expr();
                added.push(format!("{carried}={good}"));
            }
            Bound::Passed(arg) => edits_out.push(Edit::replacement(good, arg.range())),
            Bound::Mapped(_) | Bound::Unknown => return None,
        }
    }
    let unsafe_fix = overrides || !edits_out.is_empty() || fixed.binds.caller_mapping;
    if !added.is_empty() {
        edits_out.push(edits::add_keywords(source, call, &added)?);
    }
    if edits_out.is_empty() {
        return None;
    }
    edits_out.sort_by_key(|edit| edit.range.start());
    if !edits::keeps_expression_valid(source, call.range(), &edits_out) {
        return None;
    }
    Some(Fix {
        edits: edits_out,
        applicability: if unsafe_fix {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        },
        title: "Pass safe flags to the helper".to_string(),
    })
}
