//! Sanic, read from Sanic 25.12.1 (`sanic/response/types.py`):
//! `add_cookie(key, value, *, path="/", domain=None, secure=True, max_age=None,
//! expires=None, httponly=False, samesite="Lax", partitioned=False, ...)`.
//! Secure and SameSite default to safe values; HttpOnly does not.
//!
//! [`SESSION_INTERFACES`] was read from sanic_session 0.8.0
//! (`sanic_session/base.py` and one module per interface), with the cookie
//! jar of Sanic 23.12.1 (`sanic/cookies/response.py`), the last Sanic line
//! that still accepts the `response.cookies[name] = value` writes
//! sanic_session makes (Sanic 24.6.0 still does; 24.12.0 no longer does).

use super::{AttributeParam, ConfiguredCookie, CookieMethod, Default, FrameworkCookies};

/// What a cookie created by `response.cookies[name] = value` has when an
/// attribute is never set: Sanic 22.12 (`sanic/cookies.py`, `CookieJar.
/// __setitem__`) creates a bare `Cookie` with only `path="/"`, and the
/// legacy path of Sanic 23.12 creates it with `secure=False, samesite=None`
/// and no HttpOnly.
pub static MORSEL_MISSING: &str = "a Sanic `response.cookies[...]` cookie has none until set";

pub static COOKIES: FrameworkCookies = FrameworkCookies {
    name: "Sanic",
    rule: "PYTHON-SANIC-SEC-001",
    // A module that imports only sanic_session (a custom session interface)
    // still writes Sanic cookies.
    import_roots: &["sanic", "sanic_session"],
    distributions: &["sanic"],
    response_classes: &[
        "sanic.HTTPResponse",
        "sanic.response.HTTPResponse",
        "sanic.response.types.HTTPResponse",
        "sanic.response.JSONResponse",
        "sanic.response.ResponseStream",
    ],
    response_factories: &[
        "sanic.text",
        "sanic.json",
        "sanic.html",
        "sanic.redirect",
        "sanic.file",
        "sanic.raw",
        "sanic.empty",
        "sanic.response.text",
        "sanic.response.json",
        "sanic.response.html",
        "sanic.response.redirect",
        "sanic.response.file",
        "sanic.response.raw",
        "sanic.response.empty",
        "sanic.response.file_stream",
    ],
    response_symbols: &[],
    response_params: &[],
    response_decorators: &[],
    response_methods: &[],
    response_attributes: &[],
    methods: &[CookieMethod {
        name: "add_cookie",
        positional: &["key", "value"],
        key: "key",
        value: "value",
        max_age: Some("max_age"),
        expires: Some("expires"),
        attributes: &[
            AttributeParam {
                attribute: "secure",
                param: "secure",
                default: Default::Safe("Sanic default True"),
                none_is_default: false,
            },
            AttributeParam {
                attribute: "httponly",
                param: "httponly",
                default: Default::Unsafe("Sanic default False"),
                none_is_default: false,
            },
            AttributeParam {
                attribute: "samesite",
                param: "samesite",
                default: Default::Safe("Sanic default 'Lax'"),
                none_is_default: false,
            },
        ],
        none_value_deletes: false,
    }],
    mapping_cookies: None,
    cookie_classes: &[],
};

/// The cookie options of every sanic_session interface (0.8.0):
/// `httponly=True`, `samesite=None`, `secure=False`. Sanic 23.12 creates the
/// cookie with `secure=False, samesite=None`; sanic_session then sets
/// `httponly` as given, `samesite` only when it is not None and `Secure` only
/// when `secure` is truthy.
const INTERFACE_ATTRIBUTES: &[AttributeParam] = &[
    AttributeParam {
        attribute: "secure",
        param: "secure",
        default: Default::Unsafe("sanic_session default secure=False"),
        none_is_default: false,
    },
    AttributeParam {
        attribute: "httponly",
        param: "httponly",
        default: Default::Safe("sanic_session default httponly=True"),
        none_is_default: false,
    },
    AttributeParam {
        attribute: "samesite",
        param: "samesite",
        default: Default::Unsafe("sanic_session default samesite=None: no SameSite attribute"),
        none_is_default: false,
    },
];

/// An interface's signature: its positional parameters in order, all of
/// which may also be passed by keyword.
const fn interface(name: &'static str, positional: &'static [&'static str]) -> CookieMethod {
    CookieMethod {
        name,
        positional,
        key: "cookie_name",
        value: "",
        max_age: None,
        expires: None,
        attributes: INTERFACE_ATTRIBUTES,
        none_value_deletes: false,
    }
}

/// `InMemorySessionInterface(domain=None, expiry=2592000, httponly=True,
/// cookie_name="session", prefix="session:", sessioncookie=False,
/// samesite=None, session_name="session", secure=False)` (sanic_session
/// 0.8.0); `Session(app)` without an interface uses one built with no
/// arguments.
const IN_MEMORY: &[&str] = &[
    "domain",
    "expiry",
    "httponly",
    "cookie_name",
    "prefix",
    "sessioncookie",
    "samesite",
    "session_name",
    "secure",
];

/// `RedisSessionInterface(redis_getter, ...)`,
/// `AIORedisSessionInterface(redis, ...)` and
/// `MemcacheSessionInterface(memcache_connection, ...)` take their connection
/// first, then the in-memory interface's parameters.
const REDIS: &[&str] = &[
    "redis_getter",
    "domain",
    "expiry",
    "httponly",
    "cookie_name",
    "prefix",
    "sessioncookie",
    "samesite",
    "session_name",
    "secure",
];
const AIOREDIS: &[&str] = &[
    "redis",
    "domain",
    "expiry",
    "httponly",
    "cookie_name",
    "prefix",
    "sessioncookie",
    "samesite",
    "session_name",
    "secure",
];
const MEMCACHE: &[&str] = &[
    "memcache_connection",
    "domain",
    "expiry",
    "httponly",
    "cookie_name",
    "prefix",
    "sessioncookie",
    "samesite",
    "session_name",
    "secure",
];

/// `MongoDBSessionInterface(app, coll="session", domain=None,
/// expiry=2592000, httponly=True, cookie_name="session",
/// sessioncookie=False, samesite=None, session_name="session",
/// secure=False)`: no `prefix`.
const MONGODB: &[&str] = &[
    "app",
    "coll",
    "domain",
    "expiry",
    "httponly",
    "cookie_name",
    "sessioncookie",
    "samesite",
    "session_name",
    "secure",
];

/// The session interfaces of sanic_session 0.8.0, each exported from the
/// package and defined in its own module.
pub static SESSION_INTERFACES: &[ConfiguredCookie] = &[
    ConfiguredCookie {
        callables: &[
            "sanic_session.InMemorySessionInterface",
            "sanic_session.memory.InMemorySessionInterface",
        ],
        writer: "sanic_session's `InMemorySessionInterface`",
        cookie: "Session cookie",
        default_name: "session",
        signature: interface("InMemorySessionInterface", IN_MEMORY),
        wrappers: &[],
        wrapper_methods: &[],
        samesite_fix: "Lax",
    },
    ConfiguredCookie {
        callables: &[
            "sanic_session.RedisSessionInterface",
            "sanic_session.redis.RedisSessionInterface",
        ],
        writer: "sanic_session's `RedisSessionInterface`",
        cookie: "Session cookie",
        default_name: "session",
        signature: interface("RedisSessionInterface", REDIS),
        wrappers: &[],
        wrapper_methods: &[],
        samesite_fix: "Lax",
    },
    ConfiguredCookie {
        callables: &[
            "sanic_session.AIORedisSessionInterface",
            "sanic_session.aioredis.AIORedisSessionInterface",
        ],
        writer: "sanic_session's `AIORedisSessionInterface`",
        cookie: "Session cookie",
        default_name: "session",
        signature: interface("AIORedisSessionInterface", AIOREDIS),
        wrappers: &[],
        wrapper_methods: &[],
        samesite_fix: "Lax",
    },
    ConfiguredCookie {
        callables: &[
            "sanic_session.MemcacheSessionInterface",
            "sanic_session.memcache.MemcacheSessionInterface",
        ],
        writer: "sanic_session's `MemcacheSessionInterface`",
        cookie: "Session cookie",
        default_name: "session",
        signature: interface("MemcacheSessionInterface", MEMCACHE),
        wrappers: &[],
        wrapper_methods: &[],
        samesite_fix: "Lax",
    },
    ConfiguredCookie {
        callables: &[
            "sanic_session.MongoDBSessionInterface",
            "sanic_session.mongodb.MongoDBSessionInterface",
        ],
        writer: "sanic_session's `MongoDBSessionInterface`",
        cookie: "Session cookie",
        default_name: "session",
        signature: interface("MongoDBSessionInterface", MONGODB),
        wrappers: &[],
        wrapper_methods: &[],
        samesite_fix: "Lax",
    },
];

/// `sanic_session.Session(app=None, interface=None)` and
/// `Session.init_app(app, interface)`: without an interface the extension
/// builds `InMemorySessionInterface()`, whose defaults then decide.
pub static SESSION_EXTENSION: &str = "sanic_session.Session";

/// The interface [`SESSION_EXTENSION`] falls back to.
pub static DEFAULT_INTERFACE: &ConfiguredCookie = &SESSION_INTERFACES[0];
