//! Litestar, read from Litestar 2.25.0: `Response.set_cookie(key, value=None,
//! max_age=None, expires=None, path="/", domain=None, secure=False,
//! httponly=False, samesite="lax")` (`litestar/response/base.py`) and the
//! `Cookie` dataclass (`litestar/datastructures/cookie.py`: key, path="/",
//! value=None, max_age=None, expires=None, domain=None, secure=None,
//! httponly=None, samesite="lax"), whose instances go in `cookies=[...]`.
//!
//! [`SESSION_CONFIGS`] was read from Litestar 2.25.0
//! (`litestar/middleware/session/client_side.py` and `server_side.py`).

use super::{AttributeParam, ConfiguredCookie, CookieMethod, Default, FrameworkCookies};

const ATTRIBUTES: &[AttributeParam] = &[
    AttributeParam {
        attribute: "secure",
        param: "secure",
        default: Default::Unsafe("Litestar default False"),
        none_is_default: false,
    },
    AttributeParam {
        attribute: "httponly",
        param: "httponly",
        default: Default::Unsafe("Litestar default False"),
        none_is_default: false,
    },
    AttributeParam {
        attribute: "samesite",
        param: "samesite",
        default: Default::Safe("Litestar default 'lax'"),
        none_is_default: false,
    },
];

const COOKIE: CookieMethod = CookieMethod {
    name: "Cookie",
    positional: &[
        "key", "path", "value", "max_age", "expires", "domain", "secure", "httponly", "samesite",
    ],
    key: "key",
    value: "value",
    max_age: Some("max_age"),
    expires: Some("expires"),
    attributes: ATTRIBUTES,
    none_value_deletes: false,
};

pub static COOKIES: FrameworkCookies = FrameworkCookies {
    name: "Litestar",
    rule: "PYTHON-LITESTAR-SEC-001",
    import_roots: &["litestar"],
    distributions: &["litestar"],
    response_classes: &[
        "litestar.Response",
        "litestar.response.Response",
        "litestar.response.base.Response",
        "litestar.response.Redirect",
        "litestar.response.Template",
        "litestar.response.File",
        "litestar.response.Stream",
    ],
    response_factories: &[],
    response_symbols: &[],
    response_params: &[],
    response_decorators: &[],
    response_methods: &[],
    response_attributes: &[],
    methods: &[CookieMethod {
        name: "set_cookie",
        positional: &[
            "key", "value", "max_age", "expires", "path", "domain", "secure", "httponly",
            "samesite",
        ],
        key: "key",
        value: "value",
        max_age: Some("max_age"),
        expires: Some("expires"),
        attributes: ATTRIBUTES,
        none_value_deletes: false,
    }],
    mapping_cookies: Some(&COOKIE),
    cookie_classes: &[
        ("litestar.datastructures.Cookie", COOKIE),
        ("litestar.datastructures.cookie.Cookie", COOKIE),
    ],
};

/// The cookie fields of both session configurations (Litestar 2.25.0):
/// `secure=False`, `httponly=True`, `samesite="lax"`.
const SESSION_ATTRIBUTES: &[AttributeParam] = &[
    AttributeParam {
        attribute: "secure",
        param: "secure",
        default: Default::Unsafe("Litestar default secure=False"),
        none_is_default: false,
    },
    AttributeParam {
        attribute: "httponly",
        param: "httponly",
        default: Default::Safe("Litestar default httponly=True"),
        none_is_default: false,
    },
    AttributeParam {
        attribute: "samesite",
        param: "samesite",
        default: Default::Safe("Litestar default samesite='lax'"),
        none_is_default: false,
    },
];

/// Litestar's session middleware configurations, dataclasses whose fields
/// bind in declaration order (Litestar 2.25.0):
/// `CookieBackendConfig(secret, key="session", max_age=14 days, scopes=...,
/// path="/", domain=None, secure=False, httponly=True, samesite="lax",
/// exclude=None, exclude_opt_key="skip_session")` and
/// `ServerSideSessionConfig(session_id_bytes=32, renew_on_access=False,
/// key="session", max_age=14 days, scopes=..., path="/", domain=None,
/// secure=False, httponly=True, samesite="lax", exclude=None,
/// exclude_opt_key="skip_session", store="sessions")`.
pub static SESSION_CONFIGS: &[ConfiguredCookie] = &[
    ConfiguredCookie {
        callables: &["litestar.middleware.session.client_side.CookieBackendConfig"],
        writer: "Litestar's `CookieBackendConfig`",
        cookie: "Session cookie",
        default_name: "session",
        signature: CookieMethod {
            name: "CookieBackendConfig",
            positional: &[
                "secret",
                "key",
                "max_age",
                "scopes",
                "path",
                "domain",
                "secure",
                "httponly",
                "samesite",
                "exclude",
                "exclude_opt_key",
            ],
            key: "key",
            value: "",
            max_age: None,
            expires: None,
            attributes: SESSION_ATTRIBUTES,
            none_value_deletes: false,
        },
        wrappers: &[],
        wrapper_methods: &[],
        samesite_fix: "lax",
    },
    ConfiguredCookie {
        callables: &["litestar.middleware.session.server_side.ServerSideSessionConfig"],
        writer: "Litestar's `ServerSideSessionConfig`",
        cookie: "Session cookie",
        default_name: "session",
        signature: CookieMethod {
            name: "ServerSideSessionConfig",
            positional: &[
                "session_id_bytes",
                "renew_on_access",
                "key",
                "max_age",
                "scopes",
                "path",
                "domain",
                "secure",
                "httponly",
                "samesite",
                "exclude",
                "exclude_opt_key",
                "store",
            ],
            key: "key",
            value: "",
            max_age: None,
            expires: None,
            attributes: SESSION_ATTRIBUTES,
            none_value_deletes: false,
        },
        wrappers: &[],
        wrapper_methods: &[],
        samesite_fix: "lax",
    },
];
