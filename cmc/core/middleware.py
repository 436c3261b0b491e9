"""What every request and response passes through: NUL characters refused at the edge, the
Content-Security-Policy, and private caching of pages made for a signed-in user."""

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.cache import patch_cache_control

from .api import NUL_MESSAGE, VALIDATION_DETAIL

NUL = "\x00"
API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def api_error(status: int, detail: str, errors: list | None = None) -> JsonResponse:
    """An answer in the API's error schema, for refusals made before the API's own handlers."""
    return JsonResponse({"detail": detail, "errors": errors or []}, status=status)


def _nul_field(data) -> str | None:
    """The name of the first field of a QueryDict whose name or value holds a NUL, or None."""
    for name, values in data.lists():
        if NUL in name or any(NUL in value for value in values):
            return name.replace(NUL, "\u2400")  # the NUL shown as a visible symbol
    return None


class RejectNulMiddleware:
    """A NUL character is never meaningful here and PostgreSQL cannot store it: refuse it in the
    address, in any query parameter and in any field of a page's form, naming the field, before
    anything reads the request. The API answers 422 in its error schema (its JSON bodies are
    refused field by field by `cmc.core.api.InSchema`); pages answer 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path:
            return self._refuse(request, "path", None)
        if (field := _nul_field(request.GET)) is not None:
            return self._refuse(request, "query", field)
        # Files are data of their own and may hold any byte; only the form's fields are text.
        if request.method == "POST" and not is_api(request):
            field = _nul_field(request.POST)
            if field is not None:
                return self._refuse(request, "form", field)
        return self.get_response(request)

    @staticmethod
    def _refuse(request, where: str, field: str | None):
        if is_api(request):
            if field is None:
                return api_error(400, "The address contains a NUL character; remove it.")
            return api_error(
                422, VALIDATION_DETAIL, [{"where": where, "field": field, "message": NUL_MESSAGE}]
            )
        place = "The address" if field is None else f"The field '{field}'"
        return HttpResponseBadRequest(
            f"{place} contains a NUL character; remove it and try again.",
            content_type="text/plain; charset=utf-8",
        )


def content_security_policy(policy: dict[str, list[str]]) -> str:
    """The header's value for a policy given as Django 6's SECURE_CSP setting gives it."""
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


class SecurityHeadersMiddleware:
    """Send the Content-Security-Policy of `settings.SECURE_CSP` with every response (Django
    5.2 has none of its own; Django 6 reads the same setting), and mark what a signed-in user is
    shown `Cache-Control: private`, so that no shared cache hands it to someone else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "SECURE_CSP", None)
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = content_security_policy(policy)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True)
        return response
