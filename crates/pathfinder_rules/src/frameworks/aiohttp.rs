//! aiohttp, read from aiohttp 3.14.5 (`aiohttp/web_response.py`):
//! `StreamResponse.set_cookie(name, value, *, expires=None, domain=None,
//! max_age=None, path="/", secure=None, httponly=None, version=None,
//! samesite=None, partitioned=None)`. `Response`, `json_response()` and the
//! HTTP exceptions (which are responses) inherit it.
//!
//! [`SESSION_STORAGES`] was read from aiohttp_session 2.12.1
//! (`aiohttp_session/__init__.py` and its `*_storage.py` modules), whose
//! storages pass their cookie options to this `set_cookie`.

use super::{AttributeParam, ConfiguredCookie, CookieMethod, Default, FrameworkCookies};

pub static COOKIES: FrameworkCookies = FrameworkCookies {
    name: "aiohttp",
    rule: "PYTHON-AIOHTTP-SEC-001",
    import_roots: &["aiohttp"],
    distributions: &["aiohttp"],
    response_classes: &[
        "aiohttp.web.StreamResponse",
        "aiohttp.web.Response",
        "aiohttp.web.FileResponse",
        "aiohttp.web_response.StreamResponse",
        "aiohttp.web_response.Response",
        "aiohttp.web.HTTPFound",
        "aiohttp.web.HTTPSeeOther",
        "aiohttp.web.HTTPTemporaryRedirect",
        "aiohttp.web.HTTPMovedPermanently",
        "aiohttp.web.HTTPOk",
        "aiohttp.web.HTTPNoContent",
    ],
    response_factories: &[
        "aiohttp.web.json_response",
        "aiohttp.web_response.json_response",
    ],
    response_symbols: &[],
    response_params: &[],
    response_decorators: &[],
    response_methods: &[],
    response_attributes: &[],
    methods: &[CookieMethod {
        name: "set_cookie",
        positional: &["name", "value"],
        key: "name",
        value: "value",
        max_age: Some("max_age"),
        expires: Some("expires"),
        attributes: &[
            AttributeParam {
                attribute: "secure",
                param: "secure",
                default: Default::Unsafe("aiohttp default None: no Secure attribute"),
                none_is_default: false,
            },
            AttributeParam {
                attribute: "httponly",
                param: "httponly",
                default: Default::Unsafe("aiohttp default None: no HttpOnly attribute"),
                none_is_default: false,
            },
            AttributeParam {
                attribute: "samesite",
                param: "samesite",
                default: Default::Unsafe("aiohttp default None: no SameSite attribute"),
                none_is_default: false,
            },
        ],
        none_value_deletes: false,
    }],
    mapping_cookies: None,
    cookie_classes: &[],
};

/// The cookie options every aiohttp_session storage takes as keywords
/// (aiohttp_session 2.12.1, `AbstractStorage.__init__`): `secure=None` and
/// `samesite=None` are passed on to aiohttp, which then writes neither
/// attribute; `httponly=True`.
const STORAGE_ATTRIBUTES: &[AttributeParam] = &[
    AttributeParam {
        attribute: "secure",
        param: "secure",
        default: Default::Unsafe("aiohttp_session default secure=None: no Secure attribute"),
        none_is_default: false,
    },
    AttributeParam {
        attribute: "httponly",
        param: "httponly",
        default: Default::Safe("aiohttp_session default httponly=True"),
        none_is_default: false,
    },
    AttributeParam {
        attribute: "samesite",
        param: "samesite",
        default: Default::Unsafe("aiohttp_session default samesite=None: no SameSite attribute"),
        none_is_default: false,
    },
];

/// A storage's signature: at most one positional parameter (the secret or
/// the connection), then keyword-only options.
const fn storage(name: &'static str, positional: &'static [&'static str]) -> CookieMethod {
    CookieMethod {
        name,
        positional,
        key: "cookie_name",
        value: "",
        max_age: None,
        expires: None,
        attributes: STORAGE_ATTRIBUTES,
        none_value_deletes: false,
    }
}

/// The session storages of aiohttp_session 2.12.1, each of which writes the
/// session cookie (`AIOHTTP_SESSION` unless `cookie_name` says otherwise):
/// `EncryptedCookieStorage(secret_key, *, ...)`,
/// `NaClCookieStorage(secret_key, *, ...)`, `RedisStorage(redis_pool, *, ...)`,
/// `MemcachedStorage(memcached_conn, *, ...)` and `SimpleCookieStorage(*, ...)`.
pub static SESSION_STORAGES: &[ConfiguredCookie] = &[
    ConfiguredCookie {
        callables: &["aiohttp_session.cookie_storage.EncryptedCookieStorage"],
        writer: "aiohttp_session's `EncryptedCookieStorage`",
        cookie: "Session cookie",
        default_name: "AIOHTTP_SESSION",
        signature: storage("EncryptedCookieStorage", &["secret_key"]),
        wrappers: &[],
        wrapper_methods: &[],
        samesite_fix: "Lax",
    },
    ConfiguredCookie {
        callables: &["aiohttp_session.nacl_storage.NaClCookieStorage"],
        writer: "aiohttp_session's `NaClCookieStorage`",
        cookie: "Session cookie",
        default_name: "AIOHTTP_SESSION",
        signature: storage("NaClCookieStorage", &["secret_key"]),
        wrappers: &[],
        wrapper_methods: &[],
        samesite_fix: "Lax",
    },
    ConfiguredCookie {
        callables: &["aiohttp_session.redis_storage.RedisStorage"],
        writer: "aiohttp_session's `RedisStorage`",
        cookie: "Session cookie",
        default_name: "AIOHTTP_SESSION",
        signature: storage("RedisStorage", &["redis_pool"]),
        wrappers: &[],
        wrapper_methods: &[],
        samesite_fix: "Lax",
    },
    ConfiguredCookie {
        callables: &["aiohttp_session.memcached_storage.MemcachedStorage"],
        writer: "aiohttp_session's `MemcachedStorage`",
        cookie: "Session cookie",
        default_name: "AIOHTTP_SESSION",
        signature: storage("MemcachedStorage", &["memcached_conn"]),
        wrappers: &[],
        wrapper_methods: &[],
        samesite_fix: "Lax",
    },
    ConfiguredCookie {
        callables: &["aiohttp_session.SimpleCookieStorage"],
        writer: "aiohttp_session's `SimpleCookieStorage`",
        cookie: "Session cookie",
        default_name: "AIOHTTP_SESSION",
        signature: storage("SimpleCookieStorage", &[]),
        wrappers: &[],
        wrapper_methods: &[],
        samesite_fix: "Lax",
    },
];
