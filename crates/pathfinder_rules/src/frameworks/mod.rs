//! Framework knowledge as data: which objects are server responses, how their
//! cookie methods bind arguments, and what each attribute defaults to.
//!
//! A rule never compares raw names: it asks [`classify`] what a receiver is,
//! using these tables, and reads the signature of the method it calls from them.

pub mod django;

use pathfinder_python::{ClassRef, Ctx, Origin, Resolver};

/// A web framework whose responses can set cookies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Framework {
    Django,
}

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
}

/// The signature of one server-side cookie method.
#[derive(Clone, Copy, Debug)]
pub struct CookieMethod {
    pub name: &'static str,
    /// Positional parameters in order, `self` excluded.
    pub positional: &'static [&'static str],
    /// The parameter holding the cookie's name.
    pub key: &'static str,
    pub max_age: Option<&'static str>,
    pub expires: Option<&'static str>,
    pub attributes: &'static [AttributeParam],
}

/// Everything the analysis knows about one framework's cookies.
#[derive(Debug)]
pub struct FrameworkCookies {
    pub framework: Framework,
    pub name: &'static str,
    /// Top-level packages whose import marks a module as using the framework.
    pub import_roots: &'static [&'static str],
    /// Qualified names of response classes (instances are responses).
    pub response_classes: &'static [&'static str],
    /// Qualified names of functions that return a response.
    pub response_factories: &'static [&'static str],
    /// `(function, positional index)` of parameters that receive a response.
    pub response_params: &'static [(&'static str, usize)],
    /// Methods that return a response whatever their receiver.
    pub response_methods: &'static [&'static str],
    pub methods: &'static [CookieMethod],
}

impl FrameworkCookies {
    pub fn method(&self, name: &str) -> Option<&CookieMethod> {
        self.methods.iter().find(|method| method.name == name)
    }
}

/// Every framework the analysis knows.
pub static FRAMEWORKS: &[&FrameworkCookies] = &[&django::COOKIES];

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
    "mechanize.",
    "werkzeug.test.",
    "flask.testing.",
    "django.test.",
    "starlette.testclient.",
    "fastapi.testclient.",
    "rest_framework.test.",
    "selenium.",
    "playwright.",
    "pyppeteer.",
    "scrapy.",
    "webtest.",
];

/// Methods whose result is a client or test client.
static CLIENT_FACTORIES: &[&str] = &["test_client", "Session", "session", "Client"];

/// Names of receivers that are, by every convention, client-side objects.
static CLIENT_NAMES: &[&str] = &[
    "client",
    "test_client",
    "jar",
    "cookiejar",
    "cookie_jar",
    "cookies",
    "_cookies",
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
            (Receiver::Server(a), Receiver::Server(b)) => a.framework == b.framework,
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
            for framework in FRAMEWORKS {
                if framework.response_factories.contains(&callee.as_str()) {
                    return Receiver::Server(framework);
                }
            }
            classify_class_name(resolver, ctx, callee, method, depth + 1)
        }
        Origin::Instance(class) => classify_class(resolver, class, method, false, depth + 1),
        Origin::Super(class) => classify_class(resolver, class, method, true, depth + 1),
        Origin::Param {
            name,
            annotation,
            function,
            index,
        } => {
            if let Some(annotation) = annotation {
                let receiver = classify_class_name(resolver, ctx, annotation, method, depth + 1);
                if receiver != Receiver::Unknown {
                    return receiver;
                }
            }
            for framework in FRAMEWORKS {
                let by_position = index.is_some_and(|index| {
                    framework
                        .response_params
                        .iter()
                        .any(|(owner, at)| owner == &&**function && *at == index)
                });
                if by_position {
                    return Receiver::Server(framework);
                }
            }
            if is_client_name(name) {
                Receiver::NotServer
            } else {
                Receiver::Unknown
            }
        }
        Origin::MethodCall(_, called) => {
            for framework in FRAMEWORKS {
                if framework.response_methods.contains(&&**called) {
                    return Receiver::Server(framework);
                }
            }
            if CLIENT_FACTORIES.contains(&&**called) {
                return Receiver::NotServer;
            }
            // What a method returns is not its receiver: a test client's
            // `get()` returns a real response. Unknown, then.
            Receiver::Unknown
        }
        Origin::Attribute(receiver, attribute) => {
            if is_client_name(attribute) {
                return Receiver::NotServer;
            }
            match classify_at(resolver, ctx, receiver, method, depth + 1) {
                Receiver::NotServer if !matches!(**receiver, Origin::Instance(_)) => {
                    Receiver::NotServer
                }
                _ => Receiver::Unknown,
            }
        }
        Origin::Symbol(qualified) => {
            if is_client_side(qualified) {
                Receiver::NotServer
            } else {
                Receiver::Unknown
            }
        }
        Origin::Unknown => Receiver::Unknown,
    }
}

/// Classifies an instance of the class with this qualified name.
fn classify_class_name(
    resolver: &Resolver<'_>,
    ctx: Ctx<'_>,
    qualified: &str,
    method: &str,
    depth: usize,
) -> Receiver {
    for framework in FRAMEWORKS {
        if framework.response_classes.contains(&qualified) {
            return Receiver::Server(framework);
        }
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
            .is_some_and(<[_]>::is_empty);
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
