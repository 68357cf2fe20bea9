"""Middleware that records a visitor's consent choice."""


class ConsentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "consent" in request.GET:
            # Insecure: the consent cookie has no SameSite and no Secure flag.
            response.set_signed_cookie("consent", request.GET["consent"], salt="consent", httponly=True)
        return response
