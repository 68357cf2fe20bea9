//! Pyramid and WebOb, read from WebOb 1.8.11 (`webob/response.py`):
//! `Response.set_cookie(name, value='', max_age=None, path='/', domain=None,
//! secure=False, httponly=False, comment=None, expires=None, overwrite=False,
//! samesite=None)`. Pyramid's `Response`, its HTTP exceptions and
//! `request.response` are WebOb responses.
//!
//! [`CONFIGURED_COOKIES`] was read from Pyramid 2.1
//! (`pyramid/authentication.py`, `pyramid/session.py`).

use super::{AttributeParam, ConfiguredCookie, CookieMethod, Default, FrameworkCookies};

pub static COOKIES: FrameworkCookies = FrameworkCookies {
    name: "WebOb",
    rule: "PYTHON-PYRAMID-SEC-001",
    import_roots: &["pyramid", "webob"],
    distributions: &["pyramid", "webob"],
    response_classes: &[
        "webob.Response",
        "webob.response.Response",
        "pyramid.response.Response",
        "pyramid.httpexceptions.HTTPFound",
        "pyramid.httpexceptions.HTTPSeeOther",
        "pyramid.httpexceptions.HTTPOk",
        "pyramid.httpexceptions.HTTPTemporaryRedirect",
        "pyramid.httpexceptions.HTTPMovedPermanently",
        "webob.exc.HTTPFound",
        "webob.exc.HTTPSeeOther",
        "webob.exc.HTTPOk",
    ],
    response_factories: &["pyramid.renderers.render_to_response"],
    response_symbols: &[],
    response_params: &[],
    response_decorators: &[],
    response_methods: &[],
    response_attributes: &["response"],
    methods: &[CookieMethod {
        name: "set_cookie",
        positional: &[
            "name",
            "value",
            "max_age",
            "path",
            "domain",
            "secure",
            "httponly",
            "comment",
            "expires",
            "overwrite",
            "samesite",
        ],
        key: "name",
        value: "value",
        max_age: Some("max_age"),
        expires: Some("expires"),
        attributes: &[
            AttributeParam {
                attribute: "secure",
                param: "secure",
                default: Default::Unsafe("WebOb default False"),
                none_is_default: false,
            },
            AttributeParam {
                attribute: "httponly",
                param: "httponly",
                default: Default::Unsafe("WebOb default False"),
                none_is_default: false,
            },
            AttributeParam {
                attribute: "samesite",
                param: "samesite",
                default: Default::Unsafe("WebOb default None: no SameSite attribute"),
                none_is_default: false,
            },
        ],
        none_value_deletes: true,
    }],
    mapping_cookies: None,
    cookie_classes: &[],
};

/// The attributes of the auth ticket cookie (Pyramid 2.1): `secure=False`,
/// `http_only=False`, `samesite='Lax'`; `samesite=None` drops the attribute.
const AUTH_TKT_ATTRIBUTES: &[AttributeParam] = &[
    AttributeParam {
        attribute: "secure",
        param: "secure",
        default: Default::Unsafe("Pyramid default secure=False"),
        none_is_default: false,
    },
    AttributeParam {
        attribute: "httponly",
        param: "http_only",
        default: Default::Unsafe("Pyramid default http_only=False"),
        none_is_default: false,
    },
    AttributeParam {
        attribute: "samesite",
        param: "samesite",
        default: Default::Safe("Pyramid default samesite='Lax'"),
        none_is_default: false,
    },
];

/// The attributes of the cookie session factories' cookie (Pyramid 2.1):
/// `secure=False`, `httponly=False`, `samesite='Lax'`.
const SESSION_ATTRIBUTES: &[AttributeParam] = &[
    AttributeParam {
        attribute: "secure",
        param: "secure",
        default: Default::Unsafe("Pyramid default secure=False"),
        none_is_default: false,
    },
    AttributeParam {
        attribute: "httponly",
        param: "httponly",
        default: Default::Unsafe("Pyramid default httponly=False"),
        none_is_default: false,
    },
    AttributeParam {
        attribute: "samesite",
        param: "samesite",
        default: Default::Safe("Pyramid default samesite='Lax'"),
        none_is_default: false,
    },
];

/// Cookies Pyramid writes from configuration (Pyramid 2.1):
///
/// - `AuthTktAuthenticationPolicy(secret, callback=None,
///   cookie_name='auth_tkt', secure=False, include_ip=False, timeout=None,
///   reissue_time=None, max_age=None, path="/", http_only=False,
///   wild_domain=True, debug=False, hashalg='sha512', parent_domain=False,
///   domain=None, samesite='Lax')`;
/// - `AuthTktCookieHelper(secret, cookie_name='auth_tkt', secure=False,
///   include_ip=False, timeout=None, reissue_time=None, max_age=None,
///   http_only=False, path="/", wild_domain=True, hashalg='sha512',
///   parent_domain=False, domain=None, samesite='Lax')`, which the 2.0
///   security policies use directly;
/// - `SignedCookieSessionFactory(secret, cookie_name='session', max_age=None,
///   path='/', domain=None, secure=False, httponly=False, samesite='Lax',
///   ...)` and `BaseCookieSessionFactory(serializer, cookie_name='session',
///   max_age=None, path='/', domain=None, secure=False, httponly=False,
///   samesite='Lax', ...)`, whatever they are then given to
///   (`config.set_session_factory(...)`, `Configurator(session_factory=...)`).
pub static CONFIGURED_COOKIES: &[ConfiguredCookie] = &[
    ConfiguredCookie {
        callables: &["pyramid.authentication.AuthTktAuthenticationPolicy"],
        writer: "Pyramid's `AuthTktAuthenticationPolicy`",
        cookie: "Authentication cookie",
        default_name: "auth_tkt",
        signature: CookieMethod {
            name: "AuthTktAuthenticationPolicy",
            positional: &[
                "secret",
                "callback",
                "cookie_name",
                "secure",
                "include_ip",
                "timeout",
                "reissue_time",
                "max_age",
                "path",
                "http_only",
                "wild_domain",
                "debug",
                "hashalg",
                "parent_domain",
                "domain",
                "samesite",
            ],
            key: "cookie_name",
            value: "",
            max_age: None,
            expires: None,
            attributes: AUTH_TKT_ATTRIBUTES,
            none_value_deletes: false,
        },
        wrappers: &[],
        wrapper_methods: &[],
        samesite_fix: "Lax",
    },
    ConfiguredCookie {
        callables: &["pyramid.authentication.AuthTktCookieHelper"],
        writer: "Pyramid's `AuthTktCookieHelper`",
        cookie: "Authentication cookie",
        default_name: "auth_tkt",
        signature: CookieMethod {
            name: "AuthTktCookieHelper",
            positional: &[
                "secret",
                "cookie_name",
                "secure",
                "include_ip",
                "timeout",
                "reissue_time",
                "max_age",
                "http_only",
                "path",
                "wild_domain",
                "hashalg",
                "parent_domain",
                "domain",
                "samesite",
            ],
            key: "cookie_name",
            value: "",
            max_age: None,
            expires: None,
            attributes: AUTH_TKT_ATTRIBUTES,
            none_value_deletes: false,
        },
        wrappers: &[],
        wrapper_methods: &[],
        samesite_fix: "Lax",
    },
    ConfiguredCookie {
        callables: &["pyramid.session.SignedCookieSessionFactory"],
        writer: "Pyramid's `SignedCookieSessionFactory`",
        cookie: "Session cookie",
        default_name: "session",
        signature: CookieMethod {
            name: "SignedCookieSessionFactory",
            positional: &[
                "secret",
                "cookie_name",
                "max_age",
                "path",
                "domain",
                "secure",
                "httponly",
                "samesite",
            ],
            key: "cookie_name",
            value: "",
            max_age: None,
            expires: None,
            attributes: SESSION_ATTRIBUTES,
            none_value_deletes: false,
        },
        wrappers: &[],
        wrapper_methods: &[],
        samesite_fix: "Lax",
    },
    ConfiguredCookie {
        callables: &["pyramid.session.BaseCookieSessionFactory"],
        writer: "Pyramid's `BaseCookieSessionFactory`",
        cookie: "Session cookie",
        default_name: "session",
        signature: CookieMethod {
            name: "BaseCookieSessionFactory",
            positional: &[
                "serializer",
                "cookie_name",
                "max_age",
                "path",
                "domain",
                "secure",
                "httponly",
                "samesite",
            ],
            key: "cookie_name",
            value: "",
            max_age: None,
            expires: None,
            attributes: SESSION_ATTRIBUTES,
            none_value_deletes: false,
        },
        wrappers: &[],
        wrapper_methods: &[],
        samesite_fix: "Lax",
    },
];
