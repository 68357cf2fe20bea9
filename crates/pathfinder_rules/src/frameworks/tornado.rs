//! Tornado, read from Tornado 6.6.1 (`tornado/web.py`):
//! `RequestHandler.set_cookie(name, value, domain=None, expires=None, path="/",
//! expires_days=None, *, max_age=None, httponly=False, secure=False,
//! samesite=None, **kwargs)` and `set_signed_cookie(name, value,
//! expires_days=30, version=None, **kwargs)`, which passes its keywords on;
//! `set_secure_cookie` is its older name. "Secure" there means signed: it sets
//! no Secure attribute.

use super::{AttributeParam, CookieMethod, Default, FrameworkCookies};

const ATTRIBUTES: &[AttributeParam] = &[
    AttributeParam {
        attribute: "secure",
        param: "secure",
        default: Default::Unsafe("Tornado default False"),
        none_is_default: false,
    },
    AttributeParam {
        attribute: "httponly",
        param: "httponly",
        default: Default::Unsafe("Tornado default False"),
        none_is_default: false,
    },
    AttributeParam {
        attribute: "samesite",
        param: "samesite",
        default: Default::Unsafe("Tornado default None: no SameSite attribute"),
        none_is_default: false,
    },
];

const SIGNED: &[&str] = &["name", "value", "expires_days", "version"];

pub static COOKIES: FrameworkCookies = FrameworkCookies {
    name: "Tornado",
    rule: "PYTHON-TORNADO-SEC-001",
    import_roots: &["tornado"],
    response_classes: &["tornado.web.RequestHandler"],
    response_factories: &[],
    response_symbols: &[],
    response_params: &[],
    response_decorators: &[],
    response_methods: &[],
    response_attributes: &[],
    methods: &[
        CookieMethod {
            name: "set_cookie",
            positional: &["name", "value", "domain", "expires", "path", "expires_days"],
            key: "name",
            value: "value",
            max_age: Some("max_age"),
            expires: Some("expires"),
            attributes: ATTRIBUTES,
            none_value_deletes: false,
        },
        CookieMethod {
            name: "set_signed_cookie",
            positional: SIGNED,
            key: "name",
            value: "value",
            max_age: Some("max_age"),
            expires: Some("expires"),
            attributes: ATTRIBUTES,
            none_value_deletes: false,
        },
        CookieMethod {
            name: "set_secure_cookie",
            positional: SIGNED,
            key: "name",
            value: "value",
            max_age: Some("max_age"),
            expires: Some("expires"),
            attributes: ATTRIBUTES,
            none_value_deletes: false,
        },
    ],
    mapping_cookies: None,
    cookie_classes: &[],
};
