//! Flask and Werkzeug, read from Werkzeug 3.1.9 (`werkzeug/sansio/response.py`)
//! and Flask 3.1.3: `Response.set_cookie(key, value="", max_age=None,
//! expires=None, path="/", domain=None, secure=False, httponly=False,
//! samesite=None, partitioned=False)`. Flask's `Response` derives from
//! Werkzeug's, and `make_response`, `redirect`, `jsonify` and `send_file`
//! return one.

use super::{AttributeParam, CookieMethod, Default, FrameworkCookies};

/// Werkzeug's attributes and defaults, shared with Quart.
pub(crate) const WERKZEUG_ATTRIBUTES: &[AttributeParam] = &[
    AttributeParam {
        attribute: "secure",
        param: "secure",
        default: Default::Unsafe("Werkzeug default False"),
        none_is_default: false,
    },
    AttributeParam {
        attribute: "httponly",
        param: "httponly",
        default: Default::Unsafe("Werkzeug default False"),
        none_is_default: false,
    },
    AttributeParam {
        attribute: "samesite",
        param: "samesite",
        default: Default::Unsafe("Werkzeug default None: no SameSite attribute"),
        none_is_default: false,
    },
];

/// Werkzeug's `set_cookie`, shared with Quart.
pub(crate) const WERKZEUG_SET_COOKIE: CookieMethod = CookieMethod {
    name: "set_cookie",
    positional: &[
        "key",
        "value",
        "max_age",
        "expires",
        "path",
        "domain",
        "secure",
        "httponly",
        "samesite",
        "partitioned",
    ],
    key: "key",
    value: "value",
    max_age: Some("max_age"),
    expires: Some("expires"),
    attributes: WERKZEUG_ATTRIBUTES,
    none_value_deletes: false,
};

pub static COOKIES: FrameworkCookies = FrameworkCookies {
    name: "Flask",
    rule: "PYTHON-FLASK-AUDIT-009",
    import_roots: &["flask", "werkzeug"],
    distributions: &["flask"],
    response_classes: &[
        "flask.Response",
        "flask.wrappers.Response",
        "werkzeug.Response",
        "werkzeug.wrappers.Response",
        "werkzeug.wrappers.response.Response",
        "werkzeug.sansio.response.Response",
    ],
    response_factories: &[
        "flask.make_response",
        "flask.helpers.make_response",
        "flask.redirect",
        "flask.helpers.redirect",
        "flask.jsonify",
        "flask.json.jsonify",
        "flask.send_file",
        "flask.helpers.send_file",
        "flask.send_from_directory",
        "flask.helpers.send_from_directory",
        "werkzeug.utils.redirect",
        "werkzeug.utils.send_file",
        "werkzeug.utils.send_from_directory",
    ],
    response_symbols: &[],
    response_params: &[],
    response_decorators: &[
        ("after_this_request", 0),
        ("after_request", 0),
        ("after_app_request", 0),
    ],
    response_methods: &[
        "make_response",
        "make_default_options_response",
        "process_response",
    ],
    response_attributes: &[],
    methods: &[WERKZEUG_SET_COOKIE],
    mapping_cookies: None,
    cookie_classes: &[],
};
