//! CherryPy, read from CherryPy 18.10.0.
//!
//! `cherrypy.response.cookie` (`cherrypy/_cprequest.py`, `Response.cookie`)
//! is a `http.cookies.SimpleCookie`: `cookie[name] = value` creates a morsel
//! with no attributes, and only `cookie[name]["secure"]`,
//! `["httponly"]` and `["samesite"]` assignments add them.
//!
//! The session tool (`cherrypy/lib/sessions.py`, `init()` and
//! `set_response_cookie()`) writes the `session_id` cookie with
//! `secure=False` and `httponly=False` unless `tools.sessions.secure` /
//! `tools.sessions.httponly` are configured; it has no SameSite option.

use super::{AttributeParam, Default};

/// The qualified names under which the response's cookie jar is reached.
pub static RESPONSE_JARS: &[&str] = &[
    "cherrypy.response.cookie",
    "cherrypy.serving.response.cookie",
];

/// What a morsel of the jar has when an attribute is never set.
pub static MORSEL_MISSING: &str = "a CherryPy morsel has none until set";

/// The configuration key that turns the session tool on.
pub static SESSIONS_ON: &str = "tools.sessions.on";

/// The session tool's cookie attributes: configuration key and default.
pub static SESSION_ATTRIBUTES: &[(&str, AttributeParam)] = &[
    (
        "tools.sessions.secure",
        AttributeParam {
            attribute: "secure",
            param: "tools.sessions.secure",
            default: Default::Unsafe("CherryPy default secure=False"),
            none_is_default: false,
        },
    ),
    (
        "tools.sessions.httponly",
        AttributeParam {
            attribute: "httponly",
            param: "tools.sessions.httponly",
            default: Default::Unsafe("CherryPy default httponly=False"),
            none_is_default: false,
        },
    ),
];

/// Whether `path` is part of a copy of CherryPy itself (a project that
/// vendors it, as `lib/cherrypy/`): the library's own session code writes
/// its cookie in parts that only the configuration decides.
pub fn is_cherrypy_itself(path: &std::path::Path) -> bool {
    path.ancestors().skip(1).any(|dir| {
        dir.file_name().is_some_and(|name| name == "cherrypy")
            && dir.join("_cprequest.py").is_file()
    })
}
