//! Framework knowledge as data: which objects are server responses, how their
//! cookie methods bind arguments, and what each attribute defaults to.
//!
//! A rule never compares raw names: it asks [`classify`] what a receiver is,
//! using these tables, and reads the signature of the method it calls from
//! them. Each framework's table is in its own file, with the version of the
//! framework's source it was read from.

pub mod aiohttp;
pub mod bottle;
pub mod cherrypy;
pub mod django;
pub mod falcon;
pub mod flask;
pub mod litestar;
pub mod pyramid;
pub mod quart;
pub mod sanic;
pub mod starlette;
pub mod tornado;
pub mod twisted;

use pathfinder_python::{ClassRef, Ctx, Origin, Resolver};

/// Names whose presence in an override means it may change cookie
/// attributes: an override that mentions none only forwards its arguments.
pub(crate) const COOKIE_ATTRIBUTE_WORDS: &[&str] = &[
    "secure",
    "httponly",
    "http_only",
    "samesite",
    "same_site",
    "partitioned",
];

/// The default of an attribute when the call does not pass it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Default {
    /// The framework's default is unsafe; the text is shown in messages.
    Unsafe(&'static str),
    /// The framework's default is safe.
    Safe(&'static str),
}

/// How one cookie attribute is passed to a cookie method.
#[derive(Clone, Copy, Debug)]
pub struct AttributeParam {
    /// The canonical attribute: `secure`, `httponly` or `samesite`.
    pub attribute: &'static str,
    /// The parameter's name in this framework.
    pub param: &'static str,
    pub default: Default,
    /// An explicit `None` means "the default" rather than "off" (Falcon's
    /// `secure=None` follows `secure_cookies_by_default`).
    pub none_is_default: bool,
}

/// The signature of one server-side cookie method (or cookie constructor).
#[derive(Clone, Copy, Debug)]
pub struct CookieMethod {
    pub name: &'static str,
    /// Positional parameters in order, `self` excluded; keyword-only ones are absent.
    pub positional: &'static [&'static str],
    /// The parameter holding the cookie's name.
    pub key: &'static str,
    /// The parameter holding the cookie's value.
    pub value: &'static str,
    pub max_age: Option<&'static str>,
    pub expires: Option<&'static str>,
    pub attributes: &'static [AttributeParam],
    /// A `None` value expires the cookie (WebOb's `set_cookie(name, None)`).
    pub none_value_deletes: bool,
}

/// Everything the analysis knows about one framework's cookies.
#[derive(Debug)]
pub struct FrameworkCookies {
    /// The framework's name, as shown in messages ("Flask default False").
    pub name: &'static str,
    /// The id of the rule that reports this framework's cookie writes.
    pub rule: &'static str,
    /// Top-level packages whose import marks a module as using the framework.
    pub import_roots: &'static [&'static str],
    /// Distributions (PEP 503 names) whose declaration in the project's
    /// requirements types a receiver in a module that imports no framework.
    pub distributions: &'static [&'static str],
    /// Qualified names of response classes (instances are responses).
    pub response_classes: &'static [&'static str],
    /// Qualified names of functions that return a response.
    pub response_factories: &'static [&'static str],
    /// Qualified names of module-level objects that are responses.
    pub response_symbols: &'static [&'static str],
    /// `(function, positional index)` of parameters that receive a response;
    /// a function name ending in `*` is a prefix.
    pub response_params: &'static [(&'static str, usize)],
    /// `(decorator, positional index)`: the decorated function receives a
    /// response at that index.
    pub response_decorators: &'static [(&'static str, usize)],
    /// Methods that return a response whatever their receiver.
    pub response_methods: &'static [&'static str],
    /// Attributes that hold a response, in a module that imports the framework
    /// (`request.response` in Pyramid).
    pub response_attributes: &'static [&'static str],
    pub methods: &'static [CookieMethod],
    /// Qualified names of cookie classes whose construction is a cookie write,
    /// with their signature.
    pub cookie_classes: &'static [(&'static str, CookieMethod)],
    /// The signature of the cookies a response class builds from a
    /// `cookies={name: value}` mapping (Litestar), when it does.
    pub mapping_cookies: Option<&'static CookieMethod>,
}

/// A cookie that a library writes itself, configured by the arguments of a
/// constructor or factory the project calls: a session middleware, an
/// authentication policy, a session storage.
///
/// The constructor's signature is a [`CookieMethod`] whose `key` is the
/// parameter naming the cookie and whose `value` names no parameter (the
/// library fills the value in). The same signature binds the calls that pass
/// the class on with its arguments (`wrappers`, `wrapper_methods`): those put
/// the class where the constructor's first parameter is, so every argument
/// after it lands in the same slot.
#[derive(Debug)]
pub struct ConfiguredCookie {
    /// Qualified names of the constructor or factory.
    pub callables: &'static [&'static str],
    /// What writes the cookie, for messages: "Starlette's `SessionMiddleware`".
    pub writer: &'static str,
    /// What the cookie carries, for messages: "Session cookie".
    pub cookie: &'static str,
    /// The cookie's name when the call does not pass one.
    pub default_name: &'static str,
    pub signature: CookieMethod,
    /// Qualified names of callables that take the class as their first
    /// argument and construct it with the rest (`Middleware(cls, ...)`).
    pub wrappers: &'static [&'static str],
    /// Methods that do the same whatever their receiver (`add_middleware`).
    pub wrapper_methods: &'static [&'static str],
    /// The `SameSite` value a fix writes, in the spelling the library's
    /// type annotation expects (`"lax"` for a `Literal["lax", ...]`).
    pub samesite_fix: &'static str,
}

impl ConfiguredCookie {
    /// The entry of `table` whose constructor has this qualified name.
    pub fn find<'t>(table: &'t [ConfiguredCookie], callee: &str) -> Option<&'t ConfiguredCookie> {
        table
            .iter()
            .find(|config| config.callables.contains(&callee))
    }
}

impl FrameworkCookies {
    pub fn method(&self, name: &str) -> Option<&CookieMethod> {
        self.methods.iter().find(|method| method.name == name)
    }

    /// Whether `module` imports this framework.
    pub fn imported_by(&self, ctx: Ctx<'_>) -> bool {
        ctx.module.imports_any(self.import_roots)
    }

    fn takes_response_param(&self, function: &str, decorators: &[Box<str>], index: usize) -> bool {
        let by_name = self.response_params.iter().any(|(pattern, at)| {
            *at == index
                && match pattern.strip_suffix('*') {
                    Some(prefix) => function.starts_with(prefix),
                    None => *pattern == function,
                }
        });
        by_name
            || self.response_decorators.iter().any(|(decorator, at)| {
                *at == index && decorators.iter().any(|known| known.as_ref() == *decorator)
            })
    }
}

/// Every framework the analysis knows. When a receiver is unknown, the first
/// framework in this order that the module imports decides.
pub static FRAMEWORKS: &[&FrameworkCookies] = &[
    &django::COOKIES,
    // Quart before Flask: Quart applications import Werkzeug too.
    &quart::COOKIES,
    &flask::COOKIES,
    &starlette::COOKIES,
    &litestar::COOKIES,
    &tornado::COOKIES,
    &aiohttp::COOKIES,
    &sanic::COOKIES,
    &falcon::COOKIES,
    &pyramid::COOKIES,
    &bottle::COOKIES,
    &twisted::COOKIES,
];

/// Qualified-name prefixes of objects that have cookie methods but never send
/// `Set-Cookie`: client-side jars, HTTP clients, test clients, browsers.
static CLIENT_SIDE: &[&str] = &[
    "http.cookiejar.",
    "cookielib.",
    "requests.",
    "httpx.",
    "urllib3.",
    "aiohttp.ClientSession",
    "aiohttp.CookieJar",
    "aiohttp.client",
    "aiohttp.cookiejar",
    "aiohttp.test_utils.",
    "aiohttp.pytest_plugin.",
    "mechanize.",
    "werkzeug.test.",
    "flask.testing.",
    "quart.testing.",
    "django.test.",
    "starlette.testclient.",
    "fastapi.testclient.",
    "litestar.testing.",
    "sanic_testing.",
    "falcon.testing.",
    "webtest.",
    "tornado.testing.",
    "tornado.httpclient.",
    "rest_framework.test.",
    "selenium.",
    "playwright.",
    "pyppeteer.",
    "scrapy.",
    "twisted.web.client.",
    "twisted.web.test.",
    "treq.",
];

/// Methods whose result is a client or test client.
static CLIENT_FACTORIES: &[&str] = &["test_client", "Session", "session", "Client", "TestClient"];

/// Names of receivers that are, by every convention, client-side objects.
static CLIENT_NAMES: &[&str] = &[
    "client",
    "test_client",
    "jar",
    "cookiejar",
    "cookie_jar",
    "cookies",
    "browser",
    "driver",
    "webdriver",
    "selenium",
    "session_cookies",
    "http_client",
];

/// What the receiver of a cookie method turned out to be.
#[derive(Clone, Copy, Debug)]
pub enum Receiver {
    /// A server-side response of this framework.
    Server(&'static FrameworkCookies),
    /// Something that does not send `Set-Cookie`, or a project class whose own
    /// method handles the call.
    NotServer,
    Unknown,
}

impl PartialEq for Receiver {
    fn eq(&self, other: &Receiver) -> bool {
        match (self, other) {
            (Receiver::Server(a), Receiver::Server(b)) => std::ptr::eq(*a, *b),
            (Receiver::NotServer, Receiver::NotServer) | (Receiver::Unknown, Receiver::Unknown) => {
                true
            }
            _ => false,
        }
    }
}

fn is_client_side(qualified: &str) -> bool {
    CLIENT_SIDE
        .iter()
        .any(|prefix| qualified.starts_with(prefix) || prefix.strip_suffix('.') == Some(qualified))
}

/// Whether a receiver's own name marks it as client-side (`client`, `jar`...).
pub fn is_client_name(name: &str) -> bool {
    let name = name.trim_start_matches('_').to_ascii_lowercase();
    CLIENT_NAMES.contains(&name.as_str()) || name.ends_with("_client") || name.ends_with("jar")
}

/// Among the frameworks `candidates` accepts, the one the module imports, or
/// else the first.
fn pick(
    ctx: Ctx<'_>,
    candidates: impl Fn(&FrameworkCookies) -> bool,
) -> Option<&'static FrameworkCookies> {
    let matching: Vec<&'static FrameworkCookies> = FRAMEWORKS
        .iter()
        .copied()
        .filter(|framework| candidates(framework))
        .collect();
    matching
        .iter()
        .copied()
        .find(|framework| framework.imported_by(ctx))
        .or_else(|| matching.first().copied())
}

/// The framework that decides a call on a receiver of unknown type: the first
/// framework the module imports that has a cookie method of this name.
pub fn framework_of_module(ctx: Ctx<'_>, method: &str) -> Option<&'static FrameworkCookies> {
    FRAMEWORKS
        .iter()
        .copied()
        .find(|framework| framework.imported_by(ctx) && framework.method(method).is_some())
}

/// The framework that decides a call on a receiver of unknown type in a
/// module that imports no framework: the one framework the project declares
/// (`declared`, from its requirements) that has a cookie method of this name
/// whose signature `fits` the call. When several fit, a framework that is
/// also an HTTP client library (aiohttp) gives way to the others; when still
/// more than one fits, nothing is assumed.
pub fn framework_of_project(
    declared: &[Box<str>],
    method: &str,
    fits: impl Fn(&CookieMethod) -> bool,
) -> Option<&'static FrameworkCookies> {
    let candidates: Vec<&'static FrameworkCookies> = FRAMEWORKS
        .iter()
        .copied()
        .filter(|framework| {
            framework
                .distributions
                .iter()
                .any(|name| declared.iter().any(|known| known.as_ref() == *name))
                && framework.method(method).is_some_and(&fits)
        })
        .collect();
    match candidates.as_slice() {
        [only] => Some(only),
        several => {
            let servers: Vec<_> = several
                .iter()
                .filter(|framework| !CLIENT_TOO.contains(&framework.name))
                .collect();
            match servers.as_slice() {
                [only] => Some(**only),
                _ => None,
            }
        }
    }
}

/// Frameworks whose distribution is also an HTTP client library, so that
/// declaring it says little about the project's server.
const CLIENT_TOO: &[&str] = &["aiohttp"];

/// Whether a module is part of a web framework's own package (its source
/// vendored or copied into the tree): its methods are the framework's API,
/// whose calls the framework rules judge, not the project's helpers.
pub fn is_framework_module(module: &str) -> bool {
    let top = module.split('.').next().unwrap_or_default();
    FRAMEWORKS
        .iter()
        .any(|framework| framework.import_roots.contains(&top))
}

/// Whether the module imports any web framework.
pub fn imports_a_framework(ctx: Ctx<'_>) -> bool {
    FRAMEWORKS
        .iter()
        .any(|framework| framework.imported_by(ctx))
}

/// Decides what an object of the given origin is, for a call of `method`.
pub fn classify(resolver: &Resolver<'_>, ctx: Ctx<'_>, origin: &Origin, method: &str) -> Receiver {
    classify_at(resolver, ctx, origin, method, 0)
}

fn classify_at(
    resolver: &Resolver<'_>,
    ctx: Ctx<'_>,
    origin: &Origin,
    method: &str,
    depth: usize,
) -> Receiver {
    if depth > 16 {
        return Receiver::Unknown;
    }
    match origin {
        Origin::Call(callee) => {
            if let Some(framework) = pick(ctx, |framework| {
                framework.response_factories.contains(&callee.as_str())
            }) {
                return Receiver::Server(framework);
            }
            match classify_class_name(resolver, ctx, callee, method, depth + 1) {
                // `app.test_client()` on a project object: a client by its name.
                Receiver::Unknown
                    if callee
                        .rsplit('.')
                        .next()
                        .is_some_and(|last| CLIENT_FACTORIES.contains(&last)) =>
                {
                    Receiver::NotServer
                }
                receiver => receiver,
            }
        }
        Origin::Instance(class) if overridden_below(resolver, class, method) => Receiver::NotServer,
        Origin::Instance(class) => {
            match classify_class(resolver, class, method, false, depth + 1) {
                // `self.method()` in a class that neither defines nor inherits
                // `method` is a mixin's call: the class it is mixed into decides.
                Receiver::NotServer
                    if !class.class.methods.iter().any(|own| own.as_ref() == method) =>
                {
                    Receiver::Unknown
                }
                receiver => receiver,
            }
        }
        Origin::Super(class) => classify_class(resolver, class, method, true, depth + 1),
        Origin::Param {
            name,
            annotation,
            function,
            index,
            decorators,
        } => {
            if let Some(annotation) = annotation {
                let receiver = classify_class_name(resolver, ctx, annotation, method, depth + 1);
                if receiver != Receiver::Unknown {
                    return receiver;
                }
            }
            if let Some(index) = index
                && let Some(framework) = pick(ctx, |framework| {
                    framework.takes_response_param(function, decorators, *index)
                })
            {
                return Receiver::Server(framework);
            }
            if is_client_name(name) {
                Receiver::NotServer
            } else {
                Receiver::Unknown
            }
        }
        Origin::MethodCall(_, called) => {
            if let Some(framework) = pick(ctx, |framework| {
                framework.response_methods.contains(&&**called)
            }) {
                return Receiver::Server(framework);
            }
            if CLIENT_FACTORIES.contains(&&**called) {
                return Receiver::NotServer;
            }
            // What a method returns is not its receiver: a test client's
            // `get()` returns a real response. Unknown, then.
            Receiver::Unknown
        }
        Origin::Attribute(receiver, attribute) => {
            if attribute.as_ref() == "cookies"
                && let Receiver::Server(framework) =
                    classify_at(resolver, ctx, receiver, method, depth + 1)
                && framework.method(method).is_some()
            {
                // A server response's own cookie jar (Sanic's `response.cookies`).
                return Receiver::Server(framework);
            }
            if is_client_name(attribute) {
                return Receiver::NotServer;
            }
            if let Some(framework) = FRAMEWORKS.iter().copied().find(|framework| {
                framework.response_attributes.contains(&&**attribute) && framework.imported_by(ctx)
            }) {
                return Receiver::Server(framework);
            }
            match classify_at(resolver, ctx, receiver, method, depth + 1) {
                Receiver::NotServer if !matches!(**receiver, Origin::Instance(_)) => {
                    Receiver::NotServer
                }
                _ => Receiver::Unknown,
            }
        }
        Origin::Symbol(qualified) => {
            if let Some(framework) = pick(ctx, |framework| {
                framework.response_symbols.contains(&qualified.as_str())
            }) {
                return Receiver::Server(framework);
            }
            if is_client_side(qualified) {
                Receiver::NotServer
            } else {
                Receiver::Unknown
            }
        }
        Origin::Unknown => Receiver::Unknown,
    }
}

/// Whether a class of the same module derives directly from `class` and
/// defines `method`: `self.method()` may then run the project's override.
fn overridden_below(resolver: &Resolver<'_>, class: &ClassRef, method: &str) -> bool {
    let own = class.module.qualify(&class.class.name);
    let ctx = Ctx::module_level(&class.module);
    class.module.scope.bindings.values().any(|binding| {
        let pathfinder_python::Binding::Class(other) = binding else {
            return false;
        };
        other.methods.iter().any(|name| name.as_ref() == method)
            && other
                .bases
                .iter()
                .any(|base| resolver.qualified_name(ctx, base).as_deref() == Some(own.as_str()))
    })
}

/// Classifies an instance of the class with this qualified name.
fn classify_class_name(
    resolver: &Resolver<'_>,
    ctx: Ctx<'_>,
    qualified: &str,
    method: &str,
    depth: usize,
) -> Receiver {
    if let Some(framework) = pick(ctx, |framework| {
        framework.response_classes.contains(&qualified)
    }) {
        return Receiver::Server(framework);
    }
    if is_client_side(qualified) {
        return Receiver::NotServer;
    }
    match resolver.class_ref(qualified, ctx.module) {
        Some(class) => classify_class(resolver, &class, method, false, depth + 1),
        None => Receiver::Unknown,
    }
}

/// Classifies an instance of a project class (or, for `super()`, of its bases).
fn classify_class(
    resolver: &Resolver<'_>,
    class: &ClassRef,
    method: &str,
    skip_own: bool,
    depth: usize,
) -> Receiver {
    if depth > 16 {
        return Receiver::Unknown;
    }
    if !skip_own && class.class.methods.iter().any(|own| own.as_ref() == method) {
        // The project's own method handles the call. If it never touches a
        // cookie attribute it only forwards, and the framework's defaults
        // still decide; otherwise the calls inside it are checked where they
        // are written.
        let forwards_only = class
            .class
            .method_mentions(method)
            .flatten()
            .is_some_and(|words| {
                !words
                    .iter()
                    .any(|word| COOKIE_ATTRIBUTE_WORDS.contains(&word.as_ref()))
            });
        if !forwards_only {
            return Receiver::NotServer;
        }
    }
    let ctx = Ctx::module_level(&class.module);
    let mut all_not_server = true;
    for base in resolver.bases(class) {
        let receiver = match base {
            Some(base) if base == "builtins.object" => Receiver::NotServer,
            Some(base) => classify_class_name(resolver, ctx, &base, method, depth + 1),
            None => Receiver::Unknown,
        };
        match receiver {
            Receiver::Server(_) => return receiver,
            Receiver::NotServer => {}
            Receiver::Unknown => all_not_server = false,
        }
    }
    if all_not_server {
        Receiver::NotServer
    } else {
        Receiver::Unknown
    }
}
