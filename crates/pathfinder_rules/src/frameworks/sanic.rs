//! Sanic, read from Sanic 25.12.1 (`sanic/response/types.py`):
//! `add_cookie(key, value, *, path="/", domain=None, secure=True, max_age=None,
//! expires=None, httponly=False, samesite="Lax", partitioned=False, ...)`.
//! Secure and SameSite default to safe values; HttpOnly does not.

use super::{AttributeParam, CookieMethod, Default, FrameworkCookies};

pub static COOKIES: FrameworkCookies = FrameworkCookies {
    name: "Sanic",
    rule: "PYTHON-SANIC-SEC-001",
    import_roots: &["sanic"],
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
