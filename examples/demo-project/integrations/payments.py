"""Calls to a payment provider: client-side cookies, never reported."""
import http.cookiejar

import requests


def provider_session(token):
    session = requests.Session()
    session.cookies.set("provider_token", token)
    jar = http.cookiejar.CookieJar()
    cookie = http.cookiejar.Cookie(0, "k", "v", None, False, "example.com", True, False, "/", True, True, None, False, None, None, {})
    jar.set_cookie(cookie)
    return session, jar
