"""Views of the demo shop: some cookie writes are safe, some are not."""
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from .cookies import CART_COOKIE, COOKIE_FLAGS, THEME_IS_SECRET


def add_to_cart(request, product_id):
    response = JsonResponse({"added": product_id})
    # Safe: every flag comes from the shared dict.
    response.set_cookie(CART_COOKIE, request.session.session_key, **COOKIE_FLAGS)
    return response


def login_done(request):
    response = redirect("/account/")
    # Insecure: no protection at all (medium: the value "1" is a flag).
    response.set_cookie("remember_me", "1", max_age=30 * 24 * 3600)
    return response


def choose_theme(request, theme):
    response = render(request, "shop/theme.html", {"theme": theme})
    # Insecure: httponly is switched off through a project constant, and
    # samesite='None' lets the cookie travel with cross-site requests.
    response.set_cookie("theme", theme, secure=True, httponly=THEME_IS_SECRET, samesite="None")
    return response


def track_campaign(request):
    response = HttpResponse(status=204)
    # Insecure: flags passed positionally, secure left at False.
    response.set_cookie("campaign", request.GET.get("c", ""), 3600, None, "/", None, False, True, "Lax")
    return response


def language(request, code):
    response = HttpResponse("ok")
    # Safe: secure follows the deployment, the others are set.
    response.set_cookie("lang", code, secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Strict")
    return response


def logout(request):
    response = redirect("/")
    # Not reported: this write deletes the cookie.
    response.set_cookie("remember_me", "", max_age=0)
    return response
