//! Name resolution and constant evaluation across a module and its project.
//!
//! A [`Resolver`] answers three questions about a [`Term`] seen in some context
//! (a module and the function scopes around the expression): which qualified
//! name it refers to, which constant [`Value`] it has, and where an object comes
//! from ([`Origin`]). Names imported from modules of the analysed project are
//! followed through the [`ModuleLoader`]; everything else is unknown.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::evaluate::{EvalHooks, NoHooks};
use crate::scope::{Binding, ClassInfo, ModuleSummary, Scope};
use crate::term::{DictKey, Term};
use crate::value::{DictValue, Value};

/// How many bindings one question may follow before giving up.
const MAX_DEPTH: usize = 24;

/// Loads modules of the analysed project by dotted name.
pub trait ModuleLoader: Sync {
    /// The summary of `module` as imported from `importer`, if it is part of the project.
    fn load(&self, module: &str, importer: &ModuleSummary) -> Option<Arc<ModuleSummary>>;

    /// The file `module` is loaded from when `importer` imports it, without
    /// reading it: a caller that needs only some modules looks at the
    /// text first and parses those it keeps.
    fn locate(&self, module: &str, importer: &ModuleSummary) -> Option<PathBuf> {
        self.load(module, importer)
            .map(|summary| summary.path.clone())
    }

    /// The text of a project file, for analyses that need more than a
    /// module's summary (a settings module is evaluated statement by
    /// statement). `None` when it cannot be read or is not part of the project.
    fn source(&self, _path: &Path) -> Option<Arc<str>> {
        None
    }

    /// The dotted module name under which Python imports the file at `path`.
    fn module_name(&self, _path: &Path) -> Option<String> {
        None
    }

    /// The text and parse of a project file, for analyses that walk a whole
    /// module (the settings evaluation). The engine's loader caches them for
    /// the files the project pass asks for, so each file is parsed once.
    fn parsed(&self, path: &Path) -> Option<Arc<crate::ParsedFile>> {
        self.source(path)
            .map(|source| Arc::new(crate::ParsedFile::new(source)))
    }

    /// The distributions the project declares for the file at `path` (its
    /// requirements, `pyproject.toml` and the like), normalised and sorted.
    fn declared_dependencies(&self, _path: &Path) -> Arc<[Box<str>]> {
        Arc::from(Vec::new())
    }
}

/// A loader for a lone module: nothing else can be imported.
pub struct NoLoader;

impl ModuleLoader for NoLoader {
    fn load(&self, _module: &str, _importer: &ModuleSummary) -> Option<Arc<ModuleSummary>> {
        None
    }
}

/// A class definition and the module it lives in.
#[derive(Clone, Debug)]
pub struct ClassRef {
    pub module: Arc<ModuleSummary>,
    pub class: Arc<ClassInfo>,
}

impl PartialEq for ClassRef {
    fn eq(&self, other: &ClassRef) -> bool {
        Arc::ptr_eq(&self.class, &other.class)
    }
}

/// Where an object comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Origin {
    /// The result of calling the callable with this qualified name.
    Call(String),
    /// The result of calling a method named so on an object of the given origin.
    MethodCall(Box<Origin>, Box<str>),
    /// An attribute of an object.
    Attribute(Box<Origin>, Box<str>),
    /// A module-level object with this qualified name.
    Symbol(String),
    /// A parameter of the enclosing function.
    Param {
        name: Box<str>,
        annotation: Option<String>,
        function: Box<str>,
        index: Option<usize>,
        /// The last names of the function's decorators.
        decorators: Vec<Box<str>>,
    },
    /// `self` in a method of this class.
    Instance(ClassRef),
    /// `super()` in a method of this class.
    Super(ClassRef),
    Unknown,
}

/// Where an expression is: its module and the function scopes around it, outermost first.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub module: &'a Arc<ModuleSummary>,
    pub scopes: &'a [&'a Scope],
}

impl<'a> Ctx<'a> {
    pub fn module_level(module: &'a Arc<ModuleSummary>) -> Ctx<'a> {
        Ctx {
            module,
            scopes: &[],
        }
    }

    /// The class whose method the innermost scope is.
    pub fn class(&self) -> Option<ClassRef> {
        let scope = self.scopes.last()?;
        let class = scope.class.clone()?;
        Some(ClassRef {
            module: self.module.clone(),
            class,
        })
    }
}

/// A binding found by a lookup, and where to evaluate it.
enum Found<'a> {
    /// In a scope of the context; `depth` is how many of the context's
    /// function scopes the binding sees (0 for a module-level binding).
    Here {
        binding: &'a Binding,
        scope: &'a Scope,
        depth: usize,
    },
    /// In another module, reached through a star import.
    Elsewhere {
        module: Arc<ModuleSummary>,
        name: Box<str>,
    },
}

/// Answers questions about terms; see the module documentation.
pub struct Resolver<'l> {
    loader: &'l dyn ModuleLoader,
    hooks: &'l dyn EvalHooks,
}

impl<'l> Resolver<'l> {
    /// A resolver that knows no library.
    pub fn new(loader: &'l dyn ModuleLoader) -> Resolver<'l> {
        Resolver {
            loader,
            hooks: &NoHooks,
        }
    }

    /// A resolver that asks `hooks` which values are deployment configuration.
    pub fn with_hooks(loader: &'l dyn ModuleLoader, hooks: &'l dyn EvalHooks) -> Resolver<'l> {
        Resolver { loader, hooks }
    }

    /// The loader the resolver reads the project through.
    pub fn loader(&self) -> &'l dyn ModuleLoader {
        self.loader
    }

    fn load(&self, module: &str, importer: &Arc<ModuleSummary>) -> Option<Arc<ModuleSummary>> {
        if module == &*importer.name {
            return Some(importer.clone());
        }
        self.loader.load(module, importer)
    }

    fn lookup<'a>(&self, ctx: Ctx<'a>, name: &str) -> Option<Found<'a>> {
        for depth in (0..ctx.scopes.len()).rev() {
            let scope = ctx.scopes[depth];
            if let Some(binding) = scope.bindings.get(name) {
                return Some(Found::Here {
                    binding,
                    scope,
                    depth: depth + 1,
                });
            }
        }
        let scope = &ctx.module.scope;
        if let Some(binding) = scope.bindings.get(name) {
            return Some(Found::Here {
                binding,
                scope,
                depth: 0,
            });
        }
        for star in &scope.star_imports {
            let Some(module) = self.load(star, ctx.module) else {
                continue;
            };
            if module.scope.bindings.contains_key(name) {
                return Some(Found::Elsewhere {
                    module,
                    name: name.into(),
                });
            }
        }
        None
    }

    /// The expression a name of the current module or function is assigned
    /// once, with how many of `ctx`'s scopes see that assignment (the context
    /// to read it in is `ctx` cut to that many scopes).
    pub fn assigned_term<'c>(&self, ctx: Ctx<'c>, name: &str) -> Option<(&'c Term, usize)> {
        match self.lookup(ctx, name)? {
            Found::Here {
                binding: Binding::Value(term),
                depth,
                ..
            } => Some((term, depth)),
            _ => None,
        }
    }

    /// The qualified name `term` refers to, such as `django.http.HttpResponse`.
    pub fn qualified_name(&self, ctx: Ctx<'_>, term: &Term) -> Option<String> {
        self.qualified_name_at(ctx, term, 0)
    }

    fn qualified_name_at(&self, ctx: Ctx<'_>, term: &Term, depth: usize) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        match term {
            Term::Name(name) => match self.lookup(ctx, name) {
                None => Some(format!("builtins.{name}")),
                Some(Found::Elsewhere { module, name }) => Some(module.qualify(&name)),
                Some(Found::Here {
                    binding, depth: at, ..
                }) => match binding {
                    Binding::Import(qualified) => Some(qualified.to_string()),
                    Binding::Class(_) | Binding::Function => Some(ctx.module.qualify(name)),
                    Binding::Multiple(all) => all.iter().find_map(|binding| match binding {
                        Binding::Import(qualified) => Some(qualified.to_string()),
                        _ => None,
                    }),
                    Binding::Value(value @ (Term::Name(_) | Term::Attr(..))) => {
                        let outer = Ctx {
                            module: ctx.module,
                            scopes: &ctx.scopes[..at],
                        };
                        self.qualified_name_at(outer, value, depth + 1)
                    }
                    Binding::Value(_) | Binding::Param(_) => None,
                },
            },
            Term::Attr(base, attr) => {
                let base = self.qualified_name_at(ctx, base, depth + 1)?;
                Some(format!("{base}.{attr}"))
            }
            _ => None,
        }
    }

    /// The constant value of `term`, or a dynamic [`Value`].
    pub fn eval(&self, ctx: Ctx<'_>, term: &Term) -> Value {
        self.eval_at(ctx, term, 0)
    }

    fn eval_at(&self, ctx: Ctx<'_>, term: &Term, depth: usize) -> Value {
        if depth > MAX_DEPTH {
            return Value::dynamic();
        }
        match term {
            Term::Bool(value) => Value::Bool(*value),
            Term::Int(value) => Value::Int(*value),
            Term::Str(value) => Value::Str(value.clone()),
            Term::None => Value::None,
            Term::FString(parts) => {
                if parts.iter().all(Option::is_some) {
                    Value::Str(
                        parts
                            .iter()
                            .flatten()
                            .map(AsRef::as_ref)
                            .collect::<String>()
                            .into(),
                    )
                } else {
                    Value::dynamic()
                }
            }
            Term::Name(name) => match self.lookup(ctx, name) {
                None => Value::dynamic(),
                Some(Found::Elsewhere { module, name }) => {
                    self.eval_qualified(&module.qualify(&name), &module, depth + 1)
                }
                Some(Found::Here {
                    binding,
                    scope,
                    depth: at,
                }) => {
                    let outer = Ctx {
                        module: ctx.module,
                        scopes: &ctx.scopes[..at],
                    };
                    let mut value = self.eval_binding(outer, binding, depth + 1);
                    if let (Value::Dict(dict), Some(updates)) =
                        (&mut value, scope.dict_updates.get(name))
                    {
                        let mut extra = self.eval_dict_entries(outer, &updates.entries, depth + 1);
                        extra.open |= updates.opaque;
                        dict.merge(extra);
                    }
                    value
                }
            },
            Term::Attr(..) => match self.qualified_name_at(ctx, term, depth + 1) {
                Some(qualified) => self.eval_qualified(&qualified, ctx.module, depth + 1),
                None => Value::dynamic(),
            },
            Term::Not(operand) => match self.eval_at(ctx, operand, depth + 1).truthy() {
                Some(value) => Value::Bool(!value),
                None => Value::dynamic(),
            },
            Term::Dict(entries) => Value::Dict(self.eval_dict_entries(ctx, entries, depth + 1)),
            Term::Call {
                func,
                args,
                keywords,
                starred,
            } => {
                let Some(callee) = self.qualified_name_at(ctx, func, depth + 1) else {
                    return Value::dynamic();
                };
                match callee.as_str() {
                    "builtins.dict" if !*starred => {
                        let mut dict = DictValue::default();
                        for arg in args {
                            match self.eval_at(ctx, arg, depth + 1) {
                                Value::Dict(other) => dict.merge(other),
                                _ => dict.open = true,
                            }
                        }
                        let entries: Vec<(DictKey, Term)> = keywords
                            .iter()
                            .map(|(key, value)| {
                                let key = key
                                    .as_ref()
                                    .map_or(DictKey::Spread, |key| DictKey::Str(key.clone()));
                                (key, value.clone())
                            })
                            .collect();
                        dict.merge(self.eval_dict_entries(ctx, &entries, depth + 1));
                        Value::Dict(dict)
                    }
                    "builtins.bool" => match args
                        .first()
                        .map(|arg| self.eval_at(ctx, arg, depth + 1).truthy())
                    {
                        Some(Some(value)) => Value::Bool(value),
                        Some(None) => Value::dynamic(),
                        None => Value::Bool(false),
                    },
                    "datetime.datetime" | "datetime.date" => match args.first() {
                        Some(Term::Int(year)) => Value::Date { year: *year },
                        _ => Value::dynamic(),
                    },
                    _ => Value::dynamic(),
                }
            }
            Term::Seq(items) => Value::Seq(
                items
                    .iter()
                    .map(|item| self.eval_at(ctx, item, depth + 1))
                    .collect(),
            ),
            Term::Concat(parts) => {
                let values: Vec<Value> = parts
                    .iter()
                    .map(|part| self.eval_at(ctx, part, depth + 1))
                    .collect();
                concat(values)
            }
            Term::DictComp {
                key,
                value,
                targets,
                iter,
                filtered,
            } => Value::Dict(self.eval_comprehension(
                ctx,
                &Comprehension {
                    key,
                    value,
                    targets,
                    iter,
                    filtered: *filtered,
                },
                depth + 1,
            )),
            Term::Other => Value::dynamic(),
        }
    }

    /// A dict comprehension over a known iterable: its keys are known, so a
    /// key it can never produce is absent rather than unknown. A value that
    /// depends on an `if` clause, or that is not a loop variable or a
    /// constant, is dynamic.
    fn eval_comprehension(
        &self,
        ctx: Ctx<'_>,
        comp: &Comprehension<'_>,
        depth: usize,
    ) -> DictValue {
        let open = DictValue {
            entries: Vec::new(),
            open: true,
        };
        // What each iteration binds the targets to.
        let rows: Vec<Vec<Value>> = match comp.iter {
            Term::Call { func, args, .. }
                if args.is_empty()
                    && matches!(func.as_ref(), Term::Attr(_, method) if method.as_ref() == "items") =>
            {
                let Term::Attr(mapping, _) = func.as_ref() else {
                    return open;
                };
                match self.eval_at(ctx, mapping, depth + 1) {
                    Value::Dict(dict) if !dict.open => dict
                        .entries
                        .into_iter()
                        .map(|(key, value)| vec![Value::Str(key), value])
                        .collect(),
                    _ => return open,
                }
            }
            iter => match self.eval_at(ctx, iter, depth + 1) {
                Value::Seq(items) => items
                    .into_iter()
                    .map(|item| match item {
                        Value::Seq(parts) if comp.targets.len() > 1 => parts,
                        item => vec![item],
                    })
                    .collect(),
                Value::Dict(dict) if !dict.open => dict
                    .entries
                    .into_iter()
                    .map(|(key, _)| vec![Value::Str(key)])
                    .collect(),
                _ => return open,
            },
        };
        let bound = |term: &Term, row: &[Value]| -> Option<Value> {
            let Term::Name(name) = term else { return None };
            let at = comp.targets.iter().position(|target| target == name)?;
            Some(row.get(at).cloned().unwrap_or_else(Value::dynamic))
        };
        let mut dict = DictValue::default();
        for row in rows {
            if row.len() != comp.targets.len() {
                return open;
            }
            let key = match bound(comp.key, &row) {
                Some(key) => key,
                None => self.eval_at(ctx, comp.key, depth + 1),
            };
            let Value::Str(key) = key else {
                return open;
            };
            let value = if comp.filtered {
                Value::dynamic()
            } else {
                match bound(comp.value, &row) {
                    Some(value) => value,
                    None if mentions_any(comp.value, comp.targets) => Value::dynamic(),
                    None => self.eval_at(ctx, comp.value, depth + 1),
                }
            };
            dict.entries.push((key, value));
        }
        dict
    }

    fn eval_dict_entries(
        &self,
        ctx: Ctx<'_>,
        entries: &[(DictKey, Term)],
        depth: usize,
    ) -> DictValue {
        let mut dict = DictValue::default();
        for (key, value) in entries {
            match key {
                DictKey::Str(key) => dict
                    .entries
                    .push((key.clone(), self.eval_at(ctx, value, depth))),
                DictKey::Spread => match self.eval_at(ctx, value, depth) {
                    Value::Dict(other) => dict.merge(other),
                    _ => dict.open = true,
                },
                DictKey::Unknown => dict.open = true,
            }
        }
        dict
    }

    fn eval_binding(&self, ctx: Ctx<'_>, binding: &Binding, depth: usize) -> Value {
        match binding {
            Binding::Value(term) => self.eval_at(ctx, term, depth),
            Binding::Import(qualified) => self.eval_qualified(qualified, ctx.module, depth),
            Binding::Class(_) | Binding::Function | Binding::Param(_) | Binding::Multiple(_) => {
                Value::dynamic()
            }
        }
    }

    /// Evaluates a module-level name of some project module, such as `shop.consts.SECURE`.
    fn eval_qualified(
        &self,
        qualified: &str,
        importer: &Arc<ModuleSummary>,
        depth: usize,
    ) -> Value {
        if depth > MAX_DEPTH || self.hooks.is_deployment_value(qualified) {
            return Value::dynamic();
        }
        let Some((module, name, rest)) = self.split_module(qualified, importer) else {
            return Value::dynamic();
        };
        let ctx = Ctx::module_level(&module);
        if rest.is_empty() {
            return self.eval_at(ctx, &Term::Name(name.into()), depth + 1);
        }
        match module.scope.bindings.get(name) {
            Some(Binding::Import(target)) => {
                let target = format!("{target}.{rest}");
                self.eval_qualified(&target, &module, depth + 1)
            }
            _ => Value::dynamic(),
        }
    }

    /// Splits `a.b.c.d` into the longest prefix that is a project module, the
    /// name looked up in it, and the rest.
    fn split_module<'q>(
        &self,
        qualified: &'q str,
        importer: &Arc<ModuleSummary>,
    ) -> Option<(Arc<ModuleSummary>, &'q str, &'q str)> {
        let mut end = qualified.len();
        while let Some(dot) = qualified[..end].rfind('.') {
            if let Some(module) = self.load(&qualified[..dot], importer) {
                let tail = &qualified[dot + 1..];
                let (name, rest) = tail.split_once('.').unwrap_or((tail, ""));
                return Some((module, name, rest));
            }
            end = dot;
        }
        None
    }

    /// The class definition a qualified name refers to, if the project defines it.
    pub fn class_ref(&self, qualified: &str, importer: &Arc<ModuleSummary>) -> Option<ClassRef> {
        self.class_ref_at(qualified, importer, 0)
    }

    fn class_ref_at(
        &self,
        qualified: &str,
        importer: &Arc<ModuleSummary>,
        depth: usize,
    ) -> Option<ClassRef> {
        if depth > MAX_DEPTH {
            return None;
        }
        let (module, name, rest) = self.split_module(qualified, importer)?;
        let binding = if let Some(binding) = module.scope.bindings.get(name) {
            binding.clone()
        } else {
            let ctx = Ctx::module_level(&module);
            let Some(Found::Elsewhere { module, name }) = self.lookup(ctx, name) else {
                return None;
            };
            return self.class_ref_at(
                &format!("{}.{name}{}", module.name, dotted_rest(rest)),
                &module,
                depth + 1,
            );
        };
        match binding {
            Binding::Class(class) if rest.is_empty() => Some(ClassRef { module, class }),
            Binding::Import(target) => self.class_ref_at(
                &format!("{target}{}", dotted_rest(rest)),
                &module,
                depth + 1,
            ),
            Binding::Value(term @ (Term::Name(_) | Term::Attr(..))) if rest.is_empty() => {
                let target = self.qualified_name(Ctx::module_level(&module), &term)?;
                self.class_ref_at(&target, &module, depth + 1)
            }
            _ => None,
        }
    }

    /// The qualified names of a class's bases; `None` where a base is not a name.
    pub fn bases(&self, class: &ClassRef) -> Vec<Option<String>> {
        let ctx = Ctx::module_level(&class.module);
        class
            .class
            .bases
            .iter()
            .map(|base| self.qualified_name(ctx, base))
            .collect()
    }

    /// Where the object `term` evaluates to comes from.
    pub fn origin(&self, ctx: Ctx<'_>, term: &Term) -> Origin {
        self.origin_at(ctx, term, 0)
    }

    fn origin_at(&self, ctx: Ctx<'_>, term: &Term, depth: usize) -> Origin {
        if depth > MAX_DEPTH {
            return Origin::Unknown;
        }
        match term {
            Term::Call { func, .. } => {
                if let Term::Name(name) = func.as_ref()
                    && name.as_ref() == "super"
                    && self.lookup(ctx, name).is_none()
                {
                    return ctx.class().map_or(Origin::Unknown, Origin::Super);
                }
                if let Term::Name(name) = func.as_ref()
                    && let Some(Found::Here {
                        binding: Binding::Param(_),
                        ..
                    }) = self.lookup(ctx, name)
                {
                    return Origin::MethodCall(Box::new(Origin::Unknown), name.clone());
                }
                if let Some(qualified) = self.qualified_name_at(ctx, func, depth + 1) {
                    return Origin::Call(qualified);
                }
                match func.as_ref() {
                    Term::Attr(receiver, method) => Origin::MethodCall(
                        Box::new(self.origin_at(ctx, receiver, depth + 1)),
                        method.clone(),
                    ),
                    _ => Origin::Unknown,
                }
            }
            Term::Name(name) => match self.lookup(ctx, name) {
                None => Origin::Symbol(format!("builtins.{name}")),
                Some(Found::Elsewhere { module, name }) => Origin::Symbol(module.qualify(&name)),
                Some(Found::Here {
                    binding, depth: at, ..
                }) => {
                    let outer = Ctx {
                        module: ctx.module,
                        scopes: &ctx.scopes[..at],
                    };
                    self.binding_origin(ctx, outer, name, binding, depth + 1)
                }
            },
            Term::Attr(base, attr) => {
                if let Some(qualified) = self.qualified_name_at(ctx, term, depth + 1) {
                    return Origin::Symbol(qualified);
                }
                Origin::Attribute(Box::new(self.origin_at(ctx, base, depth + 1)), attr.clone())
            }
            _ => Origin::Unknown,
        }
    }

    fn binding_origin(
        &self,
        ctx: Ctx<'_>,
        outer: Ctx<'_>,
        name: &str,
        binding: &Binding,
        depth: usize,
    ) -> Origin {
        match binding {
            Binding::Value(term) => self.origin_at(outer, term, depth),
            Binding::Import(qualified) => Origin::Symbol(qualified.to_string()),
            Binding::Class(_) | Binding::Function => Origin::Symbol(ctx.module.qualify(name)),
            Binding::Param(param) => {
                if param.is_self
                    && let Some(class) = outer.class()
                {
                    return Origin::Instance(class);
                }
                Origin::Param {
                    name: param.name.clone(),
                    annotation: param
                        .annotation
                        .as_ref()
                        .and_then(|annotation| self.qualified_name_at(outer, annotation, depth)),
                    function: outer
                        .scopes
                        .last()
                        .map(|scope| scope.function.clone())
                        .unwrap_or_default(),
                    index: param.index,
                    decorators: outer
                        .scopes
                        .last()
                        .map(|scope| scope.decorators.clone())
                        .unwrap_or_default(),
                }
            }
            Binding::Multiple(all) => {
                let mut origins = all
                    .iter()
                    .map(|binding| self.binding_origin(ctx, outer, name, binding, depth + 1));
                let Some(first) = origins.next() else {
                    return Origin::Unknown;
                };
                if origins.all(|origin| origin == first) {
                    first
                } else {
                    Origin::Unknown
                }
            }
        }
    }
}

fn dotted_rest(rest: &str) -> String {
    if rest.is_empty() {
        String::new()
    } else {
        format!(".{rest}")
    }
}

/// The parts of a [`Term::DictComp`], borrowed.
struct Comprehension<'t> {
    key: &'t Term,
    value: &'t Term,
    targets: &'t [Box<str>],
    iter: &'t Term,
    filtered: bool,
}

/// Whether `term` reads one of `names` anywhere.
fn mentions_any(term: &Term, names: &[Box<str>]) -> bool {
    match term {
        Term::Name(name) => names.contains(name),
        Term::Attr(base, _) | Term::Not(base) => mentions_any(base, names),
        Term::Seq(items) | Term::Concat(items) => {
            items.iter().any(|item| mentions_any(item, names))
        }
        Term::Dict(entries) => entries.iter().any(|(_, value)| mentions_any(value, names)),
        Term::Call {
            func,
            args,
            keywords,
            ..
        } => {
            mentions_any(func, names)
                || args.iter().any(|arg| mentions_any(arg, names))
                || keywords.iter().any(|(_, value)| mentions_any(value, names))
        }
        // A nested comprehension or an f-string may read them: unknown.
        Term::DictComp { .. } | Term::FString(_) | Term::Other => true,
        Term::Bool(_) | Term::Int(_) | Term::Str(_) | Term::None => false,
    }
}

/// `a + b + ...` of known values: strings, integers or sequences.
fn concat(values: Vec<Value>) -> Value {
    if values.iter().all(|value| matches!(value, Value::Str(_))) {
        let text: String = values
            .iter()
            .filter_map(|value| match value {
                Value::Str(text) => Some(text.as_ref()),
                _ => None,
            })
            .collect();
        return Value::Str(text.into());
    }
    if values.iter().all(|value| matches!(value, Value::Int(_))) {
        let mut sum: i64 = 0;
        for value in &values {
            if let Value::Int(number) = value {
                let Some(next) = sum.checked_add(*number) else {
                    return Value::dynamic();
                };
                sum = next;
            }
        }
        return Value::Int(sum);
    }
    if values.iter().all(|value| matches!(value, Value::Seq(_))) {
        return Value::Seq(
            values
                .into_iter()
                .flat_map(|value| match value {
                    Value::Seq(items) => items,
                    _ => Vec::new(),
                })
                .collect(),
        );
    }
    Value::dynamic()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use std::path::PathBuf;

    fn module(source: &str) -> Arc<ModuleSummary> {
        let parsed = parse(source);
        Arc::new(ModuleSummary::build(
            parsed.module(),
            "app.views",
            PathBuf::from("app/views.py"),
        ))
    }

    fn check_eval(source: &str, name: &str, expect: &Value) {
        let module = module(source);
        let resolver = Resolver::new(&NoLoader);
        let value = resolver.eval(Ctx::module_level(&module), &Term::Name(name.into()));
        assert_eq!(&value, expect, "{name} in {source}");
    }

    #[test]
    fn constants() {
        check_eval("A = True\nB = A\n", "B", &Value::Bool(true));
        check_eval("A = True\nA = False\n", "A", &Value::dynamic());
        check_eval("if x:\n    A = True\n", "A", &Value::dynamic());
        check_eval("A = not True\n", "A", &Value::Bool(false));
        check_eval(
            "from django.conf import settings\nA = settings.X\n",
            "A",
            &Value::dynamic(),
        );
        check_eval("A = 'Lax'\n", "A", &Value::Str("Lax".into()));
    }

    #[test]
    fn dictionaries() {
        let expect = Value::Dict(DictValue {
            entries: vec![
                ("secure".into(), Value::Bool(true)),
                ("httponly".into(), Value::Bool(true)),
                ("samesite".into(), Value::Str("Lax".into())),
            ],
            open: false,
        });
        check_eval(
            "D = {'secure': True}\nD['httponly'] = True\nD.update(samesite='Lax')\n",
            "D",
            &expect,
        );
        check_eval(
            "D = dict({'secure': True}, httponly=True, **{'samesite': 'Lax'})\n",
            "D",
            &expect,
        );
    }

    #[test]
    fn flags_built_by_code() {
        let both = |secure: Value, httponly: Value| {
            Value::Dict(DictValue {
                entries: vec![("secure".into(), secure), ("httponly".into(), httponly)],
                open: false,
            })
        };
        // Keys from a known tuple: a key it never holds is absent, not unknown.
        check_eval(
            "N = ('secure', 'httponly')\nD = {n: True for n in N}\n",
            "D",
            &both(Value::Bool(true), Value::Bool(true)),
        );
        check_eval(
            "B = {'secure': True, 'httponly': False}\nD = {k: v for k, v in B.items()}\n",
            "D",
            &both(Value::Bool(true), Value::Bool(false)),
        );
        // A filter leaves the values unknown, the keys still known.
        check_eval(
            "B = {'secure': True, 'httponly': False}\nD = {k: v for k, v in B.items() if v}\n",
            "D",
            &both(Value::dynamic(), Value::dynamic()),
        );
        // Over something unknown: anything may be there.
        check_eval(
            "D = {k: v for k, v in OTHER.items()}\n",
            "D",
            &Value::Dict(DictValue {
                entries: Vec::new(),
                open: true,
            }),
        );
        check_eval(
            "S = 'a=' + 'b' + '; Secure'\n",
            "S",
            &Value::Str("a=b; Secure".into()),
        );
        check_eval("S = 'a=' + X\n", "S", &Value::dynamic());
        check_eval("S = 'a=%s' % 'b'\n", "S", &Value::dynamic());
        check_eval("S = 'a=%%' % ()\n", "S", &Value::Str("a=%".into()));
        check_eval("S = '{{a}}'.format()\n", "S", &Value::Str("{a}".into()));
    }

    #[test]
    fn qualified_names() {
        let module =
            module("from django import http as h\nimport django.shortcuts\nfrom . import consts\n");
        let resolver = Resolver::new(&NoLoader);
        let ctx = Ctx::module_level(&module);
        let name = |path: &[&str]| {
            let mut term = Term::Name(path[0].into());
            for part in &path[1..] {
                term = Term::Attr(Box::new(term), (*part).into());
            }
            resolver.qualified_name(ctx, &term)
        };
        assert_eq!(
            name(&["h", "HttpResponse"]).as_deref(),
            Some("django.http.HttpResponse")
        );
        assert_eq!(
            name(&["django", "shortcuts", "render"]).as_deref(),
            Some("django.shortcuts.render")
        );
        assert_eq!(
            name(&["consts", "SECURE"]).as_deref(),
            Some("app.consts.SECURE")
        );
        assert_eq!(name(&["len"]).as_deref(), Some("builtins.len"));
    }
}
