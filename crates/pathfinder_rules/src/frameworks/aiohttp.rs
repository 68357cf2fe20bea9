//! aiohttp, read from aiohttp 3.14.5 (`aiohttp/web_response.py`):
//! `StreamResponse.set_cookie(name, value, *, expires=None, domain=None,
//! max_age=None, path="/", secure=None, httponly=None, version=None,
//! samesite=None, partitioned=None)`. `Response`, `json_response()` and the
//! HTTP exceptions (which are responses) inherit it.

use super::{AttributeParam, CookieMethod, Default, FrameworkCookies};

pub static COOKIES: FrameworkCookies = FrameworkCookies {
    name: "aiohttp",
    rule: "PYTHON-AIOHTTP-SEC-001",
    import_roots: &["aiohttp"],
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
