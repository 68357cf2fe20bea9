//! Starlette and FastAPI, read from Starlette 0.50.0 (`starlette/responses.py`):
//! `Response.set_cookie(key, value="", max_age=None, expires=None, path="/",
//! domain=None, secure=False, httponly=False, samesite="lax",
//! partitioned=False)`. An absent `samesite` is Lax, which is safe. FastAPI
//! 0.165 re-exports these classes and injects a `response: Response` parameter.
//!
//! [`SESSION_COOKIES`] was read from Starlette 1.10.0
//! (`starlette/middleware/sessions.py`, `starlette/middleware/__init__.py`,
//! `starlette/applications.py`); FastAPI 0.165 adds no session middleware of
//! its own and re-exports `Middleware` as `fastapi.middleware.Middleware`.

use super::{AttributeParam, ConfiguredCookie, CookieMethod, Default, FrameworkCookies};

pub static COOKIES: FrameworkCookies = FrameworkCookies {
    name: "Starlette",
    rule: "PYTHON-FASTAPI-SEC-001",
    import_roots: &["starlette", "fastapi"],
    distributions: &["starlette", "fastapi"],
    response_classes: &[
        "starlette.responses.Response",
        "starlette.responses.HTMLResponse",
        "starlette.responses.PlainTextResponse",
        "starlette.responses.JSONResponse",
        "starlette.responses.RedirectResponse",
        "starlette.responses.StreamingResponse",
        "starlette.responses.FileResponse",
        "starlette.templating._TemplateResponse",
        "fastapi.Response",
        "fastapi.responses.Response",
        "fastapi.responses.HTMLResponse",
        "fastapi.responses.PlainTextResponse",
        "fastapi.responses.JSONResponse",
        "fastapi.responses.ORJSONResponse",
        "fastapi.responses.UJSONResponse",
        "fastapi.responses.RedirectResponse",
        "fastapi.responses.StreamingResponse",
        "fastapi.responses.FileResponse",
    ],
    response_factories: &[],
    response_symbols: &[],
    response_params: &[],
    response_decorators: &[],
    response_methods: &["TemplateResponse"],
    response_attributes: &[],
    methods: &[CookieMethod {
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
        attributes: &[
            AttributeParam {
                attribute: "secure",
                param: "secure",
                default: Default::Unsafe("Starlette default False"),
                none_is_default: false,
            },
            AttributeParam {
                attribute: "httponly",
                param: "httponly",
                default: Default::Unsafe("Starlette default False"),
                none_is_default: false,
            },
            AttributeParam {
                attribute: "samesite",
                param: "samesite",
                default: Default::Safe("Starlette default 'lax'"),
                none_is_default: false,
            },
        ],
        none_value_deletes: false,
    }],
    mapping_cookies: None,
    cookie_classes: &[],
};

/// Starlette's session middleware:
/// `SessionMiddleware(app, secret_key, session_cookie="session",
/// max_age=14 * 24 * 60 * 60, path="/", same_site="lax", https_only=False,
/// domain=None, partitioned=False)` (Starlette 1.10.0). Its cookie always has
/// `HttpOnly`; `Secure` only with `https_only=True`; `same_site` is written
/// as given. `Middleware(cls, *args, **kwargs)` and
/// `app.add_middleware(cls, *args, **kwargs)` call `cls(app, *args, **kwargs)`.
pub static SESSION_COOKIES: &[ConfiguredCookie] = &[ConfiguredCookie {
    callables: &["starlette.middleware.sessions.SessionMiddleware"],
    writer: "Starlette's `SessionMiddleware`",
    cookie: "Session cookie",
    default_name: "session",
    signature: CookieMethod {
        name: "SessionMiddleware",
        positional: &[
            "app",
            "secret_key",
            "session_cookie",
            "max_age",
            "path",
            "same_site",
            "https_only",
            "domain",
            "partitioned",
        ],
        key: "session_cookie",
        value: "",
        max_age: None,
        expires: None,
        attributes: &[
            AttributeParam {
                attribute: "secure",
                param: "https_only",
                default: Default::Unsafe("`https_only` defaults to False"),
                none_is_default: false,
            },
            AttributeParam {
                attribute: "samesite",
                param: "same_site",
                default: Default::Safe("`same_site` defaults to 'lax'"),
                none_is_default: false,
            },
        ],
        none_value_deletes: false,
    },
    wrappers: &[
        "starlette.middleware.Middleware",
        "fastapi.middleware.Middleware",
    ],
    wrapper_methods: &["add_middleware"],
    samesite_fix: "lax",
}];
