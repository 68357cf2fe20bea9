//! Litestar, read from Litestar 2.25.0: `Response.set_cookie(key, value=None,
//! max_age=None, expires=None, path="/", domain=None, secure=False,
//! httponly=False, samesite="lax")` (`litestar/response/base.py`) and the
//! `Cookie` dataclass (`litestar/datastructures/cookie.py`: key, path="/",
//! value=None, max_age=None, expires=None, domain=None, secure=None,
//! httponly=None, samesite="lax"), whose instances go in `cookies=[...]`.

use super::{AttributeParam, CookieMethod, Default, FrameworkCookies};

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
