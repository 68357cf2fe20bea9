//! Django's cookie API, read from Django 5.2 and 6.0 (`django/http/response.py`):
//! `HttpResponseBase.set_cookie(key, value="", max_age=None, expires=None,
//! path="/", domain=None, secure=False, httponly=False, samesite=None)` and
//! `set_signed_cookie(key, value, salt="", **kwargs)`, which passes its keywords
//! on to `set_cookie`. Django REST framework's `Response` derives from
//! `SimpleTemplateResponse` and inherits both.

use super::{AttributeParam, CookieMethod, Default, FrameworkCookies};

const ATTRIBUTES: &[AttributeParam] = &[
    AttributeParam {
        attribute: "secure",
        param: "secure",
        default: Default::Unsafe("Django default False"),
        none_is_default: false,
    },
    AttributeParam {
        attribute: "httponly",
        param: "httponly",
        default: Default::Unsafe("Django default False"),
        none_is_default: false,
    },
    AttributeParam {
        attribute: "samesite",
        param: "samesite",
        default: Default::Unsafe("Django default None: no SameSite attribute"),
        none_is_default: false,
    },
];

pub static COOKIES: FrameworkCookies = FrameworkCookies {
    name: "Django",
    rule: "PYTHON-DJANGO-SEC-070",
    import_roots: &["django", "rest_framework"],
    distributions: &["django", "djangorestframework", "wagtail"],
    response_classes: &[
        "django.http.HttpResponseBase",
        "django.http.HttpResponse",
        "django.http.StreamingHttpResponse",
        "django.http.FileResponse",
        "django.http.HttpResponseRedirect",
        "django.http.HttpResponsePermanentRedirect",
        "django.http.HttpResponseNotModified",
        "django.http.HttpResponseBadRequest",
        "django.http.HttpResponseNotFound",
        "django.http.HttpResponseForbidden",
        "django.http.HttpResponseNotAllowed",
        "django.http.HttpResponseGone",
        "django.http.HttpResponseServerError",
        "django.http.JsonResponse",
        "django.http.response.HttpResponseBase",
        "django.http.response.HttpResponse",
        "django.http.response.StreamingHttpResponse",
        "django.http.response.FileResponse",
        "django.http.response.HttpResponseRedirectBase",
        "django.http.response.HttpResponseRedirect",
        "django.http.response.HttpResponsePermanentRedirect",
        "django.http.response.HttpResponseNotModified",
        "django.http.response.HttpResponseBadRequest",
        "django.http.response.HttpResponseNotFound",
        "django.http.response.HttpResponseForbidden",
        "django.http.response.HttpResponseNotAllowed",
        "django.http.response.HttpResponseGone",
        "django.http.response.HttpResponseServerError",
        "django.http.response.JsonResponse",
        "django.template.response.SimpleTemplateResponse",
        "django.template.response.TemplateResponse",
        "rest_framework.response.Response",
    ],
    response_factories: &[
        "django.shortcuts.render",
        "django.shortcuts.redirect",
        "django.shortcuts.render_to_response",
    ],
    response_symbols: &[],
    response_decorators: &[],
    response_attributes: &[],
    mapping_cookies: None,
    cookie_classes: &[],
    response_params: &[
        ("process_response", 2),
        ("process_template_response", 2),
        ("finalize_response", 2),
    ],
    response_methods: &["get_response", "finalize_response"],
    methods: &[
        CookieMethod {
            name: "set_cookie",
            positional: &[
                "key", "value", "max_age", "expires", "path", "domain", "secure", "httponly",
                "samesite",
            ],
            key: "key",
            value: "value",
            max_age: Some("max_age"),
            expires: Some("expires"),
            attributes: ATTRIBUTES,
            none_value_deletes: false,
        },
        CookieMethod {
            name: "set_signed_cookie",
            positional: &["key", "value", "salt"],
            key: "key",
            value: "value",
            max_age: Some("max_age"),
            expires: Some("expires"),
            attributes: ATTRIBUTES,
            none_value_deletes: false,
        },
    ],
};
