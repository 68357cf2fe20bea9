//! Runs the active rules over one module.
//!
//! The [`Checker`] walks the syntax tree once, keeping the scopes of the
//! functions around each node, and hands every call whose method name some
//! active rule cares about to that rule.

use std::sync::Arc;

use pathfinder_diagnostics::{Diagnostic, TextRange};
use pathfinder_python::ast::visitor::{self, Visitor};
use pathfinder_python::ast::{Expr, ExprCall, ModModule, Stmt};
use pathfinder_python::{Binding, ClassInfo, Ctx, ModuleLoader, ModuleSummary, Resolver, Scope};

use crate::cookies;
use crate::frameworks::FrameworkCookies;
use crate::helpers::Helpers;
use crate::models::{NO_MODELS, UserModels};
use crate::registry::Rule;

/// Runs `rules` over a parsed module and returns their findings, sorted by position.
pub fn check_module(
    source: &str,
    module: &ModModule,
    summary: &Arc<ModuleSummary>,
    loader: &dyn ModuleLoader,
    rules: &[&'static Rule],
) -> Vec<Diagnostic> {
    check_module_with_helpers(source, module, summary, loader, rules, &NO_MODELS).diagnostics
}

/// A cookie write the file rules saw and did not report because the code
/// does not tell whether it is insecure, with why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SilentWrite {
    pub range: TextRange,
    pub reason: String,
}

/// What the file rules found in one module.
#[derive(Debug, Default)]
pub struct ModuleCheck {
    /// The findings, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the module defines cookie helpers: functions whose cookie
    /// writes take their receiver or a flag from a parameter, whose calls
    /// the project pass judges (it finds them again in the module).
    pub defines_helpers: bool,
    /// The cookie writes left unreported because the code does not tell,
    /// by position.
    pub silent: Vec<SilentWrite>,
}

/// [`check_module`], with the module's helpers and silent writes.
pub fn check_module_with_helpers(
    source: &str,
    module: &ModModule,
    summary: &Arc<ModuleSummary>,
    loader: &dyn ModuleLoader,
    rules: &[&'static Rule],
    models: &UserModels,
) -> ModuleCheck {
    let resolver = Resolver::with_hooks(loader, &crate::settings::hooks::HOOKS);
    let mut checker = Checker::new(resolver, loader, source, summary, rules, &module.body, None);
    checker.models = models;
    checker.visit_body(&module.body);
    let mut diagnostics = checker.diagnostics;
    diagnostics.sort_by_key(|diagnostic| (diagnostic.range.start(), diagnostic.rule));
    let mut silent = checker.silent;
    silent.sort_by_key(|write| write.range.start());
    ModuleCheck {
        diagnostics,
        defines_helpers: checker.defines_helpers,
        silent,
    }
}

/// The findings at the calls of `helpers` in one module, and the calls
/// left unreported with why (see [`helpers`]).
pub(crate) fn check_helper_calls(
    parsed: &pathfinder_python::ParsedFile,
    summary: &Arc<ModuleSummary>,
    loader: &dyn ModuleLoader,
    rules: &[&'static Rule],
    helpers: &Helpers,
    models: &UserModels,
) -> crate::helpers::Judged {
    let resolver = Resolver::with_hooks(loader, &crate::settings::hooks::HOOKS);
    let module = parsed.module();
    let mut checker = Checker::new(
        resolver,
        loader,
        &parsed.source,
        summary,
        rules,
        &module.body,
        Some(helpers),
    );
    checker.models = models;
    checker.visit_body(&module.body);
    checker.helper_judged
}

impl<'a> Checker<'a> {
    fn new(
        resolver: Resolver<'a>,
        loader: &'a dyn ModuleLoader,
        source: &'a str,
        summary: &'a Arc<ModuleSummary>,
        rules: &'a [&'static Rule],
        body: &'a [Stmt],
        helpers: Option<&'a Helpers>,
    ) -> Checker<'a> {
        Checker {
            resolver,
            loader,
            source,
            module: summary,
            scopes: Vec::new(),
            classes: Vec::new(),
            rules,
            diagnostics: Vec::new(),
            bodies: vec![body],
            cookie_methods: rules
                .iter()
                .filter_map(|rule| rule.framework)
                .flat_map(|framework| framework.methods.iter().map(|method| method.name))
                // The project's own response classes built on `http.cookies`.
                .chain(
                    rules
                        .iter()
                        .any(|rule| rule.id == "PYTHON-COOKIE-SEC-002")
                        .then_some("set_cookie"),
                )
                .collect(),
            cookie_classes: rules
                .iter()
                .filter_map(|rule| rule.framework)
                .flat_map(|framework| framework.cookie_classes.iter())
                .map(|(class, _)| class.rsplit('.').next().unwrap_or(class))
                .collect(),
            maps_cookies: rules.iter().any(|rule| {
                rule.framework
                    .is_some_and(|framework| framework.mapping_cookies.is_some())
            }),
            defines_helpers: false,
            helpers,
            helper_judged: crate::helpers::Judged::default(),
            silent: Vec::new(),
            models: &NO_MODELS,
        }
    }
}

/// The state of the walk, and what a rule's call hook sees.
pub(crate) struct Checker<'a> {
    pub(crate) resolver: Resolver<'a>,
    /// Reads the project's other modules, for analyses that need their syntax.
    pub(crate) loader: &'a dyn ModuleLoader,
    /// The module's text, for quoting code in messages.
    pub(crate) source: &'a str,
    pub(crate) module: &'a Arc<ModuleSummary>,
    /// The scopes of the enclosing functions, outermost first.
    scopes: Vec<Scope>,
    /// The enclosing classes, innermost last.
    classes: Vec<Arc<ClassInfo>>,
    rules: &'a [&'static Rule],
    diagnostics: Vec<Diagnostic>,
    /// The cookie methods of the active frameworks (`set_cookie`, `add_cookie`...).
    cookie_methods: Vec<&'static str>,
    /// The last names of the active frameworks' cookie classes (`Cookie`).
    cookie_classes: Vec<&'static str>,
    /// Whether an active framework builds cookies from a `cookies={...}` mapping.
    maps_cookies: bool,
    /// The bodies of the module and of the enclosing functions, outermost first.
    bodies: Vec<&'a [Stmt]>,
    /// Whether a cookie write takes something from a parameter.
    defines_helpers: bool,
    /// When set, the walk judges only the calls of these helpers.
    helpers: Option<&'a Helpers>,
    /// What the helper stage found at the calls of `helpers`.
    helper_judged: crate::helpers::Judged,
    /// The cookie writes left unreported because the code does not tell.
    silent: Vec<SilentWrite>,
    /// The project's declared response classes and cookie helpers.
    pub(crate) models: &'a UserModels,
}

impl<'a> Checker<'a> {
    /// Calls `f` with the context of the expression being checked.
    pub(crate) fn with_ctx<T>(&self, f: impl FnOnce(Ctx<'_>) -> T) -> T {
        let scopes: Vec<&Scope> = self.scopes.iter().collect();
        f(Ctx {
            module: self.module,
            scopes: &scopes,
        })
    }

    pub(crate) fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Records a cookie write left unreported, and why.
    pub(crate) fn stay_silent(&mut self, range: TextRange, reason: String) {
        self.silent.push(SilentWrite { range, reason });
    }

    /// The body of the innermost function (or the module) being walked.
    pub(crate) fn current_body(&self) -> &'a [Stmt] {
        self.bodies.last().copied().unwrap_or_default()
    }

    /// Whether the statement being checked is inside a function.
    pub(crate) fn in_function(&self) -> bool {
        self.bodies.len() > 1
    }

    /// The body of the module being walked.
    pub(crate) fn module_body(&self) -> &'a [Stmt] {
        self.bodies.first().copied().unwrap_or_default()
    }

    /// The rule with this id, if it is active.
    pub(crate) fn active_rule(&self, id: &str) -> Option<&'static Rule> {
        self.rules.iter().copied().find(|rule| rule.id == id)
    }

    /// The active rule that reports `framework`'s cookie writes.
    pub(crate) fn rule_for(&self, framework: &FrameworkCookies) -> Option<&'static Rule> {
        self.rules.iter().copied().find(|rule| {
            rule.framework
                .is_some_and(|own| std::ptr::eq(own, framework))
        })
    }

    /// The cookie methods of the active frameworks.
    pub(crate) fn cookie_methods(&self) -> &[&'static str] {
        &self.cookie_methods
    }

    fn check_call(&mut self, call: &ExprCall) {
        if let Some(helpers) = self.helpers {
            let mut judged = std::mem::take(&mut self.helper_judged);
            crate::helpers::check_call(self, call, helpers, &mut judged);
            self.helper_judged = judged;
            return;
        }
        if self.maps_cookies
            && call.arguments.keywords.iter().any(|keyword| {
                keyword
                    .arg
                    .as_ref()
                    .is_some_and(|arg| arg.id.as_str() == "cookies")
                    && keyword.value.is_dict_expr()
            })
        {
            cookies::check_cookie_mapping(self, call);
        }
        let name = match call.func.as_ref() {
            Expr::Attribute(attribute) => attribute.attr.id.as_str(),
            Expr::Name(name) => name.id.as_str(),
            _ => return,
        };
        if self.cookie_classes.contains(&name) {
            cookies::check_constructor_call(self, call);
        }
        // Hooks see calls of plain names too (`SessionMiddleware(app, ...)`):
        // a rule that wants methods only checks the callee's shape itself. A
        // name imported under an alias is known by the name it was imported as.
        let imported = match call.func.as_ref() {
            Expr::Name(_) => match self.module.scope.bindings.get(name) {
                Some(Binding::Import(qualified)) => qualified.rsplit('.').next(),
                _ => None,
            },
            _ => None,
        };
        for rule in self.rules {
            if let Some(hook) = rule.call_hook {
                if rule.methods.contains(&name) {
                    hook(self, call, name);
                } else if let Some(original) = imported
                    && rule.methods.contains(&original)
                {
                    hook(self, call, original);
                }
            }
        }
        if !self.models.helpers.is_empty() {
            cookies::check_declared_helper(self, call);
        }
        if call.func.is_attribute_expr() && self.cookie_methods.contains(&name) {
            let helper = self.helper_of_write(call);
            let deciding = helper
                .as_ref()
                .map(|(_, deciding)| deciding.join("`, `"))
                .filter(|deciding| !deciding.is_empty());
            if let Some(reason) = cookies::check_method_call(self, call, name, deciding.as_deref())
            {
                // A helper's callers say what it writes: it is judged at its calls.
                let reason = match &helper {
                    Some((helper, _)) => {
                        format!("judged at the calls of `{helper}()`; here: {reason}")
                    }
                    None => reason,
                };
                self.stay_silent(pathfinder_diagnostics::Ranged::range(call), reason);
            }
            self.defines_helpers |= helper.is_some();
        }
    }

    /// The name of the function a cookie write makes a helper of (`remember`,
    /// `AuthMixin.set_auth_cookie`), and the parameters that decide whether
    /// the write runs: a write that takes its receiver or a flag from a
    /// parameter, or that runs only when a parameter says so, is judged at
    /// the function's calls.
    fn helper_of_write(&self, call: &ExprCall) -> Option<(Box<str>, Vec<String>)> {
        let scope = self.scopes.last()?;
        if scope.function.is_empty() || crate::frameworks::is_framework_module(&self.module.name) {
            return None;
        }
        // Only top-level functions and methods are judged at their calls.
        let deciding: Vec<String> = if self.scopes.len() == 1
            && !crate::helpers::is_framework_write(scope, call, &self.cookie_methods)
        {
            crate::helpers::deciding_params(self.current_body(), call, scope)
                .into_iter()
                .map(str::to_string)
                .collect()
        } else {
            Vec::new()
        };
        let takes =
            self.with_ctx(|ctx| crate::helpers::takes_from_params(ctx, call, &self.cookie_methods));
        if !takes && deciding.is_empty() {
            return None;
        }
        let name = match &scope.class {
            Some(class) => format!("{}.{}", class.name, scope.function).into(),
            None => scope.function.clone(),
        };
        Some((name, deciding))
    }

    /// The class whose body is being walked, if the current statement is
    /// directly in a class body (not in one of its methods).
    pub(crate) fn current_class(&self) -> Option<&Arc<ClassInfo>> {
        self.classes.last()
    }

    fn check_stmt(&mut self, stmt: &Stmt) {
        for rule in self.rules {
            if let Some(hook) = rule.stmt_hook {
                hook(self, stmt);
            }
        }
    }

    /// The class a function defined directly in the current class body belongs to.
    fn class_for_function(&self) -> Option<Arc<ClassInfo>> {
        self.classes.last().cloned()
    }
}

impl<'a> Visitor<'a> for Checker<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.check_stmt(stmt);
        match stmt {
            Stmt::FunctionDef(function) => {
                for decorator in &function.decorator_list {
                    self.visit_expr(&decorator.expression);
                }
                let class = self.class_for_function();
                let scope = Scope::of_function(function, self.module, class);
                // Methods do not see the class body's names; nested functions
                // see their enclosing functions'.
                let saved_classes = std::mem::take(&mut self.classes);
                self.scopes.push(scope);
                self.bodies.push(&function.body);
                self.visit_body(&function.body);
                self.bodies.pop();
                self.scopes.pop();
                self.classes = saved_classes;
            }
            Stmt::ClassDef(class) => {
                let info = self.class_info(class.name.id.as_str());
                for decorator in &class.decorator_list {
                    self.visit_expr(&decorator.expression);
                }
                if let Some(arguments) = &class.arguments {
                    self.visit_arguments(arguments);
                }
                self.classes.push(info);
                self.visit_body(&class.body);
                self.classes.pop();
            }
            _ => stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || {
                visitor::walk_stmt(self, stmt);
            }),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            self.check_call(call);
        }
        for rule in self.rules {
            if let Some(hook) = rule.expr_hook {
                hook(self, expr);
            }
        }
        stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || {
            visitor::walk_expr(self, expr);
        });
    }
}

impl Checker<'_> {
    /// The [`ClassInfo`] recorded for a class defined in the current scope.
    fn class_info(&self, name: &str) -> Arc<ClassInfo> {
        let scope = self.scopes.last().unwrap_or(&self.module.scope);
        let found = match scope.bindings.get(name) {
            Some(Binding::Class(class)) => Some(class.clone()),
            Some(Binding::Multiple(all)) => all.iter().find_map(|binding| match binding {
                Binding::Class(class) if &*class.name == name => Some(class.clone()),
                _ => None,
            }),
            _ => None,
        };
        found.unwrap_or_else(|| {
            Arc::new(ClassInfo {
                name: name.into(),
                bases: Vec::new(),
                methods: Vec::new(),
                mentions: Vec::new(),
            })
        })
    }
}
