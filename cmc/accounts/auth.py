"""API authentication: a bearer token, or the signed-in session (with its CSRF check).

A request that bears a token acts for the token's user and for no one else: a token that is not
valid is refused (401), never read as "anonymous" or passed on to the session."""

from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from .models import ApiToken, hash_token

INVALID_TOKEN = (
    "The bearer token is not valid: it was revoked, mistyped, or its account is inactive. "
    "Create a new one on your profile page or with cmc token create USER."
)


def bearer_token(request) -> str | None:
    """The token of an `Authorization: Bearer ...` header ('' if empty), or None without one."""
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def token_user(request):
    """The active user whose token the request bears, or None; looked up once per request."""
    if not hasattr(request, "_cmc_token_user"):
        request._cmc_token_user = _user_of(bearer_token(request))
    return request._cmc_token_user


def _user_of(token: str | None):
    if not token:
        return None
    found = ApiToken.objects.select_related("user").filter(key_hash=hash_token(token)).first()
    if found is None or not found.user.is_active:
        return None
    ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    return found.user


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = token_user(request)
        if user is None:
            # Refused here rather than falling through to the session, whose CSRF check
            # would answer for a token it never saw.
            raise AuthenticationError()
        request.user = user
        return user


def current_user(request):
    """The user a read request acts for: the bearer token's if it bears one, else the session's."""
    if bearer_token(request) is None:
        return request.user
    user = token_user(request)
    if user is None:
        raise AuthenticationError()
    return user


write_auth = [TokenAuth(), django_auth]
