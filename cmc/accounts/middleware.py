from cmc.core.middleware import api_error, is_api

from .auth import INVALID_TOKEN, bearer_token, token_user


class BearerTokenMiddleware:
    """Refuse a bearer token that is not valid on every API route, read or write, before the
    route reads anything: the request then never passes for anonymous (public data) or for the
    session (a CSRF failure), and the client learns that its token is the trouble."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_api(request) and bearer_token(request) is not None and token_user(request) is None:
            response = api_error(401, INVALID_TOKEN)
            response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
            return response
        return self.get_response(request)
