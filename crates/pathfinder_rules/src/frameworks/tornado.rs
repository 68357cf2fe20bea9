//! Tornado, read from Tornado 6.6.1 (`tornado/web.py`):
//! `RequestHandler.set_cookie(name, value, domain=None, expires=None, path="/",
//! expires_days=None, *, max_age=None, httponly=False, secure=False,
//! samesite=None, **kwargs)` and `set_signed_cookie(name, value,
//! expires_days=30, version=None, **kwargs)`, which passes its keywords on;
//! `set_secure_cookie` is its older name. "Secure" there means signed: it sets
//! no Secure attribute.
//!
//! [`XSRF_COOKIE`] was read from the same file: `Application(handlers=None,
//! default_host=None, transforms=None, **settings)` and
//! `RequestHandler.xsrf_token`, which writes the XSRF cookie with
//! `self.set_cookie(name, token, **settings.get("xsrf_cookie_kwargs", {}))`.

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
    distributions: &["tornado"],
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

/// The XSRF cookie a Tornado application writes when its settings enable
/// `xsrf_cookies` (Tornado 6.6.1).
#[derive(Debug)]
pub struct XsrfCookie {
    /// Qualified names of the application class.
    pub application_classes: &'static [&'static str],
    /// The application constructor's positional parameters, `self` excluded;
    /// every other keyword is a setting.
    pub positional: &'static [&'static str],
    /// The setting that turns the XSRF protection, and with it the cookie, on.
    pub enable: &'static str,
    /// The setting whose dict is passed to `set_cookie` as keywords.
    pub kwargs: &'static str,
    /// The setting naming the cookie, and the name it defaults to.
    pub name_setting: &'static str,
    pub default_name: &'static str,
    /// The attributes judged, with `set_cookie`'s defaults. HttpOnly is not
    /// among them: the token is meant to be read by the page's scripts
    /// (Tornado's guide reads `_xsrf` with `document.cookie` for AJAX), and
    /// it is in every form anyway.
    pub attributes: &'static [AttributeParam],
}

pub static XSRF_COOKIE: XsrfCookie = XsrfCookie {
    application_classes: &["tornado.web.Application"],
    positional: &["handlers", "default_host", "transforms"],
    enable: "xsrf_cookies",
    kwargs: "xsrf_cookie_kwargs",
    name_setting: "xsrf_cookie_name",
    default_name: "_xsrf",
    attributes: &[
        AttributeParam {
            attribute: "secure",
            param: "secure",
            default: Default::Unsafe("Tornado default False"),
            none_is_default: false,
        },
        AttributeParam {
            attribute: "samesite",
            param: "samesite",
            default: Default::Unsafe("Tornado default None: no SameSite attribute"),
            none_is_default: false,
        },
    ],
};
