"""Tests are skipped by default, so this insecure helper is not reported."""
from django.http import HttpResponse


def make_response():
    response = HttpResponse("test")
    response.set_cookie("test_only", "1")
    return response
