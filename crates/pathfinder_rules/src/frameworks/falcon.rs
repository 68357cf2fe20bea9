//! Falcon, read from Falcon 4.4.0 (`falcon/response.py`):
//! `Response.set_cookie(name, value, expires=None, max_age=None, domain=None,
//! path=None, secure=None, http_only=True, same_site=None, partitioned=False)`.
//! `secure=None` follows `resp_options.secure_cookies_by_default`, True unless
//! the application turns it off; `same_site` has no default attribute. The
//! response is the `resp` parameter of responders and middleware.

use super::{AttributeParam, CookieMethod, Default, FrameworkCookies};

pub static COOKIES: FrameworkCookies = FrameworkCookies {
    name: "Falcon",
    rule: "PYTHON-FALCON-SEC-001",
    import_roots: &["falcon"],
    distributions: &["falcon"],
    response_classes: &[
        "falcon.Response",
        "falcon.response.Response",
        "falcon.asgi.Response",
    ],
    response_factories: &[],
    response_symbols: &[],
    response_params: &[
        ("on_*", 2),
        ("process_response", 2),
        ("process_resource", 2),
    ],
    response_decorators: &[],
    response_methods: &[],
    response_attributes: &[],
    methods: &[SET_COOKIE],
    mapping_cookies: None,
    cookie_classes: &[],
};

const POSITIONAL: &[&str] = &[
    "name",
    "value",
    "expires",
    "max_age",
    "domain",
    "path",
    "secure",
    "http_only",
    "same_site",
    "partitioned",
];

const HTTP_ONLY: AttributeParam = AttributeParam {
    attribute: "httponly",
    param: "http_only",
    default: Default::Safe("Falcon default True"),
    none_is_default: false,
};

const SAME_SITE: AttributeParam = AttributeParam {
    attribute: "samesite",
    param: "same_site",
    default: Default::Unsafe("Falcon default None: no SameSite attribute"),
    none_is_default: false,
};

/// `Response.set_cookie`, under the default `secure_cookies_by_default = True`.
const SET_COOKIE: CookieMethod = set_cookie(&[
    AttributeParam {
        attribute: "secure",
        param: "secure",
        default: Default::Safe("Falcon default: secure_cookies_by_default, True"),
        none_is_default: true,
    },
    HTTP_ONLY,
    SAME_SITE,
]);

/// `Response.set_cookie` in an application that sets
/// `resp_options.secure_cookies_by_default = False` (in the write's module or
/// where the application is set up): an absent or `None` `secure` then
/// writes no `Secure` attribute.
pub static SET_COOKIE_NOT_SECURE_BY_DEFAULT: CookieMethod = set_cookie(&[
    AttributeParam {
        attribute: "secure",
        param: "secure",
        default: Default::Unsafe("the application sets secure_cookies_by_default = False"),
        none_is_default: true,
    },
    HTTP_ONLY,
    SAME_SITE,
]);

const fn set_cookie(attributes: &'static [AttributeParam]) -> CookieMethod {
    CookieMethod {
        name: "set_cookie",
        positional: POSITIONAL,
        key: "name",
        value: "value",
        // Falcon skips a false `max_age` (`if max_age:`), so `max_age=0`
        // deletes nothing there.
        max_age: None,
        expires: Some("expires"),
        attributes,
        none_value_deletes: false,
    }
}
