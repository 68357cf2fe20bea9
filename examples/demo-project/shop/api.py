"""A REST endpoint built with Django REST framework."""
from rest_framework.response import Response
from rest_framework.views import APIView


class TokenView(APIView):
    def post(self, request):
        response = Response({"ok": True})
        # Insecure: the API token cookie is readable from JavaScript.
        response.set_cookie(
            "api_token",
            request.data.get("token"),
            secure=True,
            httponly=False,
            samesite="Strict",
        )
        return response
