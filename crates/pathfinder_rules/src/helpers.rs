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
//! `self`, `super()` and the bases of the caller's class. One level of
//! helpers is followed: a helper that passes its own parameters on to
//! another helper is not.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use pathfinder_diagnostics::{
    Applicability, AttributeFinding, Edit, Fix, LineIndex, Ranged, Related, TextRange,
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
use crate::project::{Project, ProjectDiagnostic};
use crate::registry::Rule;

/// How many helpers are kept at most, whatever the project's size.
const MAX_HELPERS: usize = 20_000;

/// How many bases are searched for a method called through `self`.
const MAX_BASES: usize = 32;

/// Whether a cookie write inside a function takes its receiver or one of
/// its flags from a parameter of that function (the innermost in `ctx`).
pub(crate) fn takes_from_params(ctx: Ctx<'_>, call: &ExprCall, methods: &[&str]) -> bool {
    let Some(scope) = ctx.scopes.last() else {
        return false;
    };
    // A response class's own cookie methods (`set_cookie` overrides,
    // `delete_cookie` wrappers) are the framework's API, judged where they
    // are called by the framework rules; and dunders are called by Python.
    let function = scope.function.as_ref();
    let is_method = scope.class.is_some();
    if (is_method && methods.contains(&function))
        || (function.starts_with("__") && function.ends_with("__"))
    {
        return false;
    }
    let is_param = |expr: &Expr| match expr {
        Expr::Name(name) => matches!(
            scope.bindings.get(name.id.as_str()),
            Some(Binding::Param(param)) if !param.is_self
        ),
        _ => false,
    };
    let receiver = match call.func.as_ref() {
        Expr::Attribute(attribute) => is_param(&attribute.value),
        _ => false,
    };
    // The first two positional arguments are the name and the value in
    // every framework's signature; the flags come after them.
    receiver
        || call.arguments.args.iter().skip(2).any(is_param)
        || call.arguments.keywords.iter().any(|keyword| {
            is_param(&keyword.value)
                && !keyword
                    .arg
                    .as_ref()
                    .is_some_and(|arg| matches!(arg.id.as_str(), "key" | "name" | "value"))
        })
}

/// One helper function of the project.
struct Helper {
    file: PathBuf,
    parsed: Arc<ParsedFile>,
    module: Arc<ModuleSummary>,
    class: Option<Arc<ClassInfo>>,
    /// The range of its `def`, to find it again in `parsed`.
    range: TextRange,
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
pub(crate) struct Helpers {
    by_name: HashMap<String, Helper>,
    /// The helpers' own names (the last part of each qualified name), so
    /// that no other call costs a resolution.
    last_names: std::collections::HashSet<String>,
    /// The qualified names of the helpers, by file and name in the file
    /// (`remember`, `AuthMixin.set_auth_cookie`).
    by_file: HashMap<(PathBuf, String), String>,
}

impl Helpers {
    /// The helpers defined in `files` whose cookie writes take something
    /// from their parameters; `methods` are the active cookie methods.
    fn collect(project: &Project<'_>, files: &[PathBuf], methods: &[&'static str]) -> Helpers {
        let mut by_name = HashMap::new();
        let mut by_file = HashMap::new();
        for path in files {
            let (Some(parsed), Some(name)) = (
                project.loader.parsed(path),
                project.loader.module_name(path),
            ) else {
                continue;
            };
            let module = Arc::new(ModuleSummary::build(parsed.module(), &name, path.clone()));
            for stmt in &parsed.module().body {
                match stmt {
                    Stmt::FunctionDef(function)
                        if writes_from_params(function, &module, None, methods) =>
                    {
                        let qualified = module.qualify(function.name.id.as_str());
                        by_file.insert(
                            (path.clone(), function.name.id.to_string()),
                            qualified.clone(),
                        );
                        by_name.insert(
                            qualified,
                            Helper {
                                file: path.clone(),
                                parsed: parsed.clone(),
                                module: module.clone(),
                                class: None,
                                range: function.range,
                            },
                        );
                    }
                    Stmt::ClassDef(class) => {
                        let info = match module.scope.bindings.get(class.name.id.as_str()) {
                            Some(Binding::Class(info)) => Some(info.clone()),
                            _ => None,
                        };
                        for stmt in &class.body {
                            let Stmt::FunctionDef(function) = stmt else {
                                continue;
                            };
                            if writes_from_params(function, &module, info.clone(), methods) {
                                let qualified = format!(
                                    "{}.{}",
                                    module.qualify(class.name.id.as_str()),
                                    function.name.id
                                );
                                by_file.insert(
                                    (
                                        path.clone(),
                                        format!("{}.{}", class.name.id, function.name.id),
                                    ),
                                    qualified.clone(),
                                );
                                by_name.insert(
                                    qualified,
                                    Helper {
                                        file: path.clone(),
                                        parsed: parsed.clone(),
                                        module: module.clone(),
                                        class: info.clone(),
                                        range: function.range,
                                    },
                                );
                            }
                        }
                    }
                    _ => {}
                }
            }
            if by_name.len() >= MAX_HELPERS {
                break;
            }
        }
        let last_names = by_name
            .keys()
            .filter_map(|qualified| qualified.rsplit('.').next())
            .map(str::to_string)
            .collect();
        Helpers {
            by_name,
            last_names,
            by_file,
        }
    }
}

/// A condition a write is written under: the `if` test, and whether the
/// write is in its body (`true`) or in an `else`/`elif` branch (`false`).
type Guard<'a> = (&'a Expr, bool);

/// A cookie-method call written directly in a function's body (not in
/// nested functions, classes or lambdas), with the `if` tests around it.
struct Write<'a> {
    call: &'a ExprCall,
    guards: Vec<Guard<'a>>,
}

fn writes_in<'a>(function: &'a StmtFunctionDef, methods: &[&'static str]) -> Vec<Write<'a>> {
    struct Calls<'a, 'm> {
        methods: &'m [&'static str],
        guards: Vec<Guard<'a>>,
        found: Vec<Write<'a>>,
    }
    impl<'a> Visitor<'a> for Calls<'a, '_> {
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
                Expr::Call(call) => {
                    if let Expr::Attribute(attribute) = call.func.as_ref()
                        && self.methods.contains(&attribute.attr.id.as_str())
                    {
                        self.found.push(Write {
                            call,
                            guards: self.guards.clone(),
                        });
                    }
                }
                _ => {}
            }
            stacker::maybe_grow(64 * 1024, 1024 * 1024, || visitor::walk_expr(self, expr));
        }
    }
    let mut calls = Calls {
        methods,
        guards: Vec::new(),
        found: Vec::new(),
    };
    calls.visit_body(&function.body);
    calls.found
}

/// Whether one call of the helper certainly skips a write: one of the `if`
/// tests around it is a parameter (or `not` a parameter) whose value at
/// this call says the write's branch is not taken.
fn skipped_by(values: &CallValues<'_, '_>, guards: &[Guard<'_>]) -> bool {
    guards.iter().any(|(test, taken_when)| {
        let (name, negated) = match test {
            Expr::UnaryOp(unary) if unary.op == ast::UnaryOp::Not => (unary.operand.as_ref(), true),
            other => (*other, false),
        };
        values
            .value(name)
            .and_then(|(value, _)| value.truthy())
            .is_some_and(|truthy| (truthy != negated) != *taken_when)
    })
}

fn writes_from_params(
    function: &StmtFunctionDef,
    module: &Arc<ModuleSummary>,
    class: Option<Arc<ClassInfo>>,
    methods: &[&'static str],
) -> bool {
    let writes = writes_in(function, methods);
    if writes.is_empty() {
        return false;
    }
    let scope = Scope::of_function(function, module, class);
    let scopes = [&scope];
    let ctx = Ctx {
        module,
        scopes: &scopes,
    };
    writes
        .iter()
        .any(|write| takes_from_params(ctx, write.call, methods))
}

/// Runs the helper stage of the project pass: every call of a helper in
/// `project.callers` is judged with its arguments.
pub(crate) fn check_calls(
    project: &Project<'_>,
    rules: &[&'static Rule],
) -> Vec<ProjectDiagnostic> {
    let methods: Vec<&'static str> = rules
        .iter()
        .filter_map(|rule| rule.framework)
        .flat_map(|framework| framework.methods.iter().map(|method| method.name))
        .collect();
    if methods.is_empty() || project.helpers.is_empty() {
        return Vec::new();
    }
    let helpers = Helpers::collect(project, project.helpers, &methods);
    let models = project.models;
    if helpers.by_name.is_empty() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for path in project.callers {
        let (Some(parsed), Some(name)) = (
            project.loader.parsed(path),
            project.loader.module_name(path),
        ) else {
            continue;
        };
        let summary = Arc::new(ModuleSummary::build(parsed.module(), &name, path.clone()));
        found.extend(crate::checker::check_helper_calls(
            &parsed,
            &summary,
            project.loader,
            rules,
            &helpers,
            models,
        ));
    }
    found
}

/// How a call binds one parameter of the helper.
enum Bound<'c> {
    /// The caller passes this expression (in the caller's module).
    Passed(&'c Expr),
    /// The parameter keeps its default (an expression of the helper).
    Default(&'c Expr),
    /// Not known (`*args` or `**mapping` at the call, or no default).
    Unknown,
}

/// The helper's `**kwargs` parameter, the keywords it receives, and
/// whether more may come from a `**mapping` at the call.
type KwargsBound<'c> = (&'c str, Vec<(&'c str, &'c Expr)>, bool);

/// The helper's parameters as one call binds them.
struct Binds<'c> {
    params: HashMap<&'c str, Bound<'c>>,
    kwargs: Option<KwargsBound<'c>>,
    /// Whether the call unpacks a mapping.
    caller_mapping: bool,
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
    let caller_mapping = call.arguments.keywords.iter().any(|k| k.arg.is_none());
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
            let maybe_passed = caller_mapping || starred_at.is_some();
            match param.default.as_deref() {
                Some(default) if !maybe_passed => Bound::Default(default),
                _ => Bound::Unknown,
            }
        });
    }
    let kwargs = parameters
        .kwarg
        .as_ref()
        .map(|kwarg| (kwarg.name.id.as_str(), extras, caller_mapping));
    Binds {
        params,
        kwargs,
        caller_mapping,
    }
}

/// [`ParamValues`] of one call: evaluates what the call binds.
struct CallValues<'c, 'r> {
    resolver: &'r Resolver<'r>,
    caller: Ctx<'c>,
    caller_source: &'c str,
    helper: Ctx<'c>,
    helper_source: &'c str,
    binds: &'c Binds<'c>,
    /// The helper's own scope, to tell a parameter from a local.
    scope: &'c Scope,
    models: &'c crate::models::UserModels,
}

impl ParamValues for CallValues<'_, '_> {
    fn value(&self, expr: &Expr) -> Option<(Value, String)> {
        let Expr::Name(name) = expr else {
            return None;
        };
        let name = name.id.as_str();
        if !matches!(self.scope.bindings.get(name), Some(Binding::Param(_))) {
            return None;
        }
        if let Some((kwargs, extras, open)) = &self.binds.kwargs
            && *kwargs == name
        {
            let entries = extras
                .iter()
                .map(|(key, value)| {
                    (
                        Box::from(*key),
                        self.resolver.eval(self.caller, &lower(value)),
                    )
                })
                .collect();
            return Some((
                Value::Dict(DictValue {
                    entries,
                    open: *open,
                }),
                "from the call's keywords".to_string(),
            ));
        }
        match self.binds.params.get(name)? {
            Bound::Passed(arg) => Some((
                self.resolver.eval(self.caller, &lower(arg)),
                format!(
                    "passed as `{}` by the call",
                    cookies::shown_text(self.caller_source, arg.range())
                ),
            )),
            Bound::Default(default) => Some((
                self.resolver
                    .eval(Ctx::module_level(self.helper.module), &lower(default)),
                format!(
                    "left at its default `{}` by the call",
                    cookies::shown_text(self.helper_source, default.range())
                ),
            )),
            Bound::Unknown => None,
        }
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
    out: &mut Vec<ProjectDiagnostic>,
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
    let caller_source = checker.source;
    checker.with_ctx(|caller| {
        let resolver = &checker.resolver;
        let Some((helper, implicit_first)) = callee(resolver, caller, call, helpers) else {
            return;
        };
        let Some(def) = helper.def() else { return };
        let binds = bind(def, call, implicit_first);
        let scope = Scope::of_function(def, &helper.module, helper.class.clone());
        let scopes = [&scope];
        let helper_ctx = Ctx {
            module: &helper.module,
            scopes: &scopes,
        };
        let values = CallValues {
            resolver,
            caller,
            caller_source,
            helper: helper_ctx,
            helper_source: &helper.parsed.source,
            binds: &binds,
            scope: &scope,
            models: checker.models,
        };
        let methods: Vec<&'static str> = checker.cookie_methods().to_vec();
        for write in writes_in(def, &methods) {
            if !skipped_by(&values, &write.guards) {
                judge_write(checker, call, helper, def, write.call, &values, out);
            }
        }
    });
}

/// The framework whose response the write's receiver is, as the caller's
/// argument says when the receiver is a parameter, or as the helper's own
/// module says. `None` when neither can tell, or the caller passes a
/// client-side object.
fn write_framework(
    values: &CallValues<'_, '_>,
    write: &ExprCall,
    method: &str,
) -> Option<(&'static FrameworkCookies, bool)> {
    let Expr::Attribute(attribute) = write.func.as_ref() else {
        return None;
    };
    let at_helper =
        cookies::framework_of_write(values.resolver, values.helper, write, method, values.models);
    if let Expr::Name(name) = attribute.value.as_ref()
        && matches!(
            values.scope.bindings.get(name.id.as_str()),
            Some(Binding::Param(_))
        )
        && let Some(Bound::Passed(arg)) = values.binds.params.get(name.id.as_str())
    {
        let origin = values.resolver.origin(values.caller, &lower(arg));
        match frameworks::classify(values.resolver, values.caller, &origin, method) {
            Receiver::Server(framework) if framework.method(method).is_some() => {
                return Some((framework, at_helper.is_some()));
            }
            Receiver::NotServer => return None,
            _ => {}
        }
    }
    at_helper.map(|framework| (framework, true))
}

#[allow(clippy::too_many_lines)] // One judgement, read top to bottom.
fn judge_write(
    checker: &Checker<'_>,
    call: &ExprCall,
    helper: &Helper,
    def: &StmtFunctionDef,
    write: &ExprCall,
    values: &CallValues<'_, '_>,
    out: &mut Vec<ProjectDiagnostic>,
) {
    let Expr::Attribute(attribute) = write.func.as_ref() else {
        return;
    };
    let method = attribute.attr.id.as_str();
    let Some((framework, typed_at_helper)) = write_framework(values, write, method) else {
        return;
    };
    let (Some(rule), Some(signature)) = (checker.rule_for(framework), framework.method(method))
    else {
        return;
    };
    let resolver = values.resolver;
    let helper_source: &str = &helper.parsed.source;
    let as_written = cookies::analyze_in(
        resolver,
        values.helper,
        helper_source,
        write,
        signature,
        "Lax",
        None,
    );
    let at_call = cookies::analyze_in(
        resolver,
        values.helper,
        helper_source,
        write,
        signature,
        "Lax",
        Some(values),
    );
    if at_call.is_deletion {
        return;
    }
    let helper_lines = LineIndex::new(helper_source);
    let caller_lines = LineIndex::new(checker.source);
    let write_at = helper_lines.line_column(write.range().start(), helper_source);
    let call_at = caller_lines.line_column(call.range().start(), checker.source);
    let function = def.name.id.as_str();
    let file_name = helper
        .file
        .file_name()
        .map_or_else(String::new, |name| name.to_string_lossy().into_owned());
    let cookie = at_call
        .name
        .as_ref()
        .or(as_written.name.as_ref())
        .map_or_else(|| "Cookie".to_string(), |name| format!("Cookie '{name}'"));
    let written_insecure = |attribute: &str| {
        as_written
            .attributes
            .iter()
            .any(|finding| finding.attribute == attribute && finding.state.is_insecure())
    };

    // What the call makes insecure, at the call.
    let from_call: Vec<AttributeFinding> = at_call
        .attributes
        .iter()
        .filter(|finding| !written_insecure(finding.attribute))
        .cloned()
        .collect();
    if from_call.iter().any(|finding| finding.state.is_insecure()) {
        let fix = call_fix(
            checker.source,
            call,
            def,
            write,
            signature,
            &from_call,
            values,
        );
        let mut diagnostic = cookies::insecure_write(
            rule,
            call.range(),
            &cookie,
            &format!("is set by `{function}()` ({file_name}:{})", write_at.line),
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
        out.push(ProjectDiagnostic {
            path: checker.module.path.clone(),
            diagnostic,
        });
    }

    // What the helper hard-codes, at the helper, when the file rule could
    // not say what the receiver is.
    if !typed_at_helper && as_written.is_insecure() {
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
            path: checker.module.path.to_string_lossy().into_owned(),
            line: call_at.line,
            column: call_at.column,
            message: format!(
                "`{function}()` is called here with a {} response",
                framework.name
            ),
        });
        out.push(ProjectDiagnostic {
            path: helper.file.clone(),
            diagnostic,
        });
    }
}

/// The fix at the call: each attribute the call makes insecure through a
/// parameter of the helper gets a safe value for that parameter, added
/// when the call leaves it at its default, replaced when the call passes
/// a weak one (unsafe: it overrides a decision).
fn call_fix(
    source: &str,
    call: &ExprCall,
    def: &StmtFunctionDef,
    write: &ExprCall,
    signature: &crate::frameworks::CookieMethod,
    from_call: &[AttributeFinding],
    values: &CallValues<'_, '_>,
) -> Option<Fix> {
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
        let argument = argument_of(write, signature, param.param)?;
        let Expr::Name(name) = argument else {
            return None;
        };
        let helper_param = name.id.as_str();
        if !def
            .parameters
            .iter()
            .any(|parameter| parameter.name().id.as_str() == helper_param)
        {
            return None;
        }
        let good = if finding.attribute == "samesite" {
            format!("{quote}Lax{quote}")
        } else {
            "True".to_string()
        };
        match values.binds.params.get(helper_param)? {
            Bound::Default(default) => {
                // A SameSite default the helper's author spelt out ("None")
                // is a decision about cross-site requests: overriding it is
                // unsafe, like replacing a passed value. A False or None
                // default is only what the framework would do anyway.
                overrides |= finding.attribute == "samesite" && !default.is_none_literal_expr();
                added.push(format!("{helper_param}={good}"));
            }
            Bound::Passed(arg) => edits_out.push(Edit::replacement(good, arg.range())),
            Bound::Unknown => return None,
        }
    }
    let unsafe_fix = overrides || !edits_out.is_empty() || values.binds.caller_mapping;
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

/// The argument a write passes for `param`, by keyword or by position.
fn argument_of<'a>(
    write: &'a ExprCall,
    signature: &crate::frameworks::CookieMethod,
    param: &str,
) -> Option<&'a Expr> {
    if let Some(keyword) = write.arguments.find_keyword(param) {
        return Some(&keyword.value);
    }
    let index = signature
        .positional
        .iter()
        .position(|name| *name == param)?;
    write
        .arguments
        .args
        .get(index)
        .filter(|arg| !arg.is_starred_expr())
}
