//! Quart, read from Quart 0.22.0: its `Response` derives from Werkzeug's
//! sans-IO response, so `set_cookie` has Werkzeug's signature and defaults.
//! `make_response` is a coroutine; `await make_response(...)` is understood.

use super::FrameworkCookies;
use super::flask::WERKZEUG_SET_COOKIE;

pub static COOKIES: FrameworkCookies = FrameworkCookies {
    name: "Quart",
    rule: "PYTHON-QUART-SEC-001",
    import_roots: &["quart"],
    distributions: &["quart"],
    response_classes: &[
        "quart.Response",
        "quart.wrappers.Response",
        "quart.wrappers.response.Response",
    ],
    response_factories: &[
        "quart.make_response",
        "quart.helpers.make_response",
        "quart.redirect",
        "quart.helpers.redirect",
        "quart.jsonify",
        "quart.json.jsonify",
        "quart.send_file",
        "quart.helpers.send_file",
        "quart.send_from_directory",
    ],
    response_symbols: &[],
    response_params: &[],
    response_decorators: &[
        ("after_this_request", 0),
        ("after_request", 0),
        ("after_app_request", 0),
        ("after_websocket", 0),
    ],
    response_methods: &["make_response"],
    response_attributes: &[],
    methods: &[WERKZEUG_SET_COOKIE],
    mapping_cookies: None,
    cookie_classes: &[],
};
