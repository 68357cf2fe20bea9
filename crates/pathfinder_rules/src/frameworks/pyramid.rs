//! Pyramid and WebOb, read from WebOb 1.8.11 (`webob/response.py`):
//! `Response.set_cookie(name, value='', max_age=None, path='/', domain=None,
//! secure=False, httponly=False, comment=None, expires=None, overwrite=False,
//! samesite=None)`. Pyramid's `Response`, its HTTP exceptions and
//! `request.response` are WebOb responses.

use super::{AttributeParam, CookieMethod, Default, FrameworkCookies};

pub static COOKIES: FrameworkCookies = FrameworkCookies {
    name: "WebOb",
    rule: "PYTHON-PYRAMID-SEC-001",
    import_roots: &["pyramid", "webob"],
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
