//! Bottle, read from Bottle 0.13.4 (`bottle.py`): `BaseResponse.set_cookie(name,
//! value, secret=None, digestmod=hashlib.sha256, **options)`, where the options
//! `secure`, `httponly` and `samesite` are all off unless given. The usual
//! receiver is the thread-local `bottle.response`.

use super::{AttributeParam, CookieMethod, Default, FrameworkCookies};

pub static COOKIES: FrameworkCookies = FrameworkCookies {
    name: "Bottle",
    rule: "PYTHON-BOTTLE-SEC-001",
    import_roots: &["bottle"],
    distributions: &["bottle"],
    response_classes: &[
        "bottle.BaseResponse",
        "bottle.HTTPResponse",
        "bottle.LocalResponse",
        "bottle.Response",
    ],
    response_factories: &[],
    response_symbols: &["bottle.response"],
    response_params: &[],
    response_decorators: &[],
    response_methods: &[],
    response_attributes: &[],
    methods: &[CookieMethod {
        name: "set_cookie",
        positional: &["name", "value", "secret", "digestmod"],
        key: "name",
        value: "value",
        max_age: Some("max_age"),
        expires: Some("expires"),
        attributes: &[
            AttributeParam {
                attribute: "secure",
                param: "secure",
                default: Default::Unsafe("Bottle default: no Secure attribute"),
                none_is_default: false,
            },
            AttributeParam {
                attribute: "httponly",
                param: "httponly",
                default: Default::Unsafe("Bottle default: no HttpOnly attribute"),
                none_is_default: false,
            },
            AttributeParam {
                attribute: "samesite",
                param: "samesite",
                default: Default::Unsafe("Bottle default: no SameSite attribute"),
                none_is_default: false,
            },
        ],
        none_value_deletes: false,
    }],
    mapping_cookies: None,
    cookie_classes: &[],
};
