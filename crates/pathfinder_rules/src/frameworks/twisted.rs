//! Twisted Web and Klein, read from Twisted 24.11.0 (`twisted/web/http.py`,
//! `Request.addCookie`; the same signature is declared by
//! `twisted/web/iweb.py`, `IRequest.addCookie`) and Klein 24.8.0, whose route
//! handlers receive that Twisted request as their `request` argument:
//!
//! `addCookie(k, v, expires=None, domain=None, path=None, max_age=None,
//! comment=None, secure=None, httpOnly=False, sameSite=None)`.
//!
//! Twisted writes `Secure` only when `secure` is truthy, `HttpOnly` only when
//! `httpOnly` is truthy and `SameSite` only when `sameSite` is given (it
//! accepts `lax` or `strict` in any case, as `str` or `bytes`, and raises on
//! anything else): all three defaults are unsafe.

use super::{AttributeParam, CookieMethod, Default, FrameworkCookies};

pub static COOKIES: FrameworkCookies = FrameworkCookies {
    name: "Twisted",
    rule: "PYTHON-TWISTED-SEC-001",
    // A Klein application imports only klein, and gets Twisted requests.
    import_roots: &["twisted", "klein"],
    distributions: &["twisted", "klein"],
    response_classes: &[
        "twisted.web.http.Request",
        "twisted.web.server.Request",
        "twisted.web.iweb.IRequest",
        "klein.Request",
        "klein._request.Request",
    ],
    response_factories: &[],
    response_symbols: &[],
    // `Resource.render(self, request)` and its `render_GET`, `render_POST`...
    response_params: &[("render", 1), ("render_*", 1)],
    response_decorators: &[],
    response_methods: &[],
    response_attributes: &[],
    methods: &[CookieMethod {
        name: "addCookie",
        positional: &[
            "k", "v", "expires", "domain", "path", "max_age", "comment", "secure", "httpOnly",
            "sameSite",
        ],
        key: "k",
        value: "v",
        max_age: Some("max_age"),
        expires: Some("expires"),
        attributes: &[
            AttributeParam {
                attribute: "secure",
                param: "secure",
                default: Default::Unsafe("Twisted default None: no Secure attribute"),
                none_is_default: false,
            },
            AttributeParam {
                attribute: "httponly",
                param: "httpOnly",
                default: Default::Unsafe("Twisted default False"),
                none_is_default: false,
            },
            AttributeParam {
                attribute: "samesite",
                param: "sameSite",
                default: Default::Unsafe("Twisted default None: no SameSite attribute"),
                none_is_default: false,
            },
        ],
        none_value_deletes: false,
    }],
    mapping_cookies: None,
    cookie_classes: &[],
};
