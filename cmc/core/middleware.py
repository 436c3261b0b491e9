"""What every request and response passes through: requests too large to read and NUL
characters refused at the edge, the Content-Security-Policy, and private caching of pages made
for a signed-in user."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.cache import patch_cache_control

from .api import NUL_MESSAGE, VALIDATION_DETAIL

NUL = "\x00"
API_PREFIX = "/api/"
# The longest request line read (method, address, protocol), as app servers commonly allow; the
# app server reads longer ones, so that it is the app that refuses them (JSON on the API).
MAX_REQUEST_LINE = 8190
# What a multipart upload carries beside its file: the other fields and the part boundaries.
FORM_SLACK = 1024 * 1024


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def api_error(status: int, detail: str, errors: list | None = None) -> JsonResponse:
    """An answer in the API's error schema, for refusals made before the API's own handlers."""
    return JsonResponse({"detail": detail, "errors": errors or []}, status=status)


def refusal(request, status: int, detail: str) -> HttpResponse:
    """The API's error body on /api/, plain text elsewhere."""
    if is_api(request):
        return api_error(status, detail)
    return HttpResponse(detail, status=status, content_type="text/plain; charset=utf-8")


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


class RequestLimitsMiddleware:
    """Requests too large to read, refused by the app with a message (JSON on the API) rather
    than by the app server with a bare page: a request line longer than MAX_REQUEST_LINE (414,
    anywhere), and on the API a body longer than the route may read (413): a file upload up to
    CMC_MAX_IMPORT_BYTES, any other body up to DATA_UPLOAD_MAX_MEMORY_SIZE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        line = request_line_length(request)
        if line > MAX_REQUEST_LINE:
            return refusal(
                request,
                414,
                f"The request line (method and address) is {line:,} characters long; at most "
                f"{MAX_REQUEST_LINE:,} are read. Shorten the query string, or send the data in "
                "the request body.",
            )
        if is_api(request):
            size, limit = content_length(request), body_limit(request)
            if size > limit:
                return refusal(
                    request,
                    413,
                    f"The request body is {size:,} bytes long; at most {limit:,} are read here. "
                    "Send a smaller one.",
                )
        return self.get_response(request)

    def process_exception(self, request, exception):
        # Within a body of a length that may be read, the fields of a form beside its files.
        if isinstance(exception, RequestDataTooBig) and is_api(request):
            return refusal(
                request,
                413,
                "The fields of the form, beside its files, are longer than "
                f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes in all. Send shorter ones.",
            )
        return None


def request_line_length(request) -> int:
    """The request line as the client sent it (the app server's RAW_URI; else rebuilt)."""
    address = request.META.get("RAW_URI") or request.get_full_path()
    protocol = request.META.get("SERVER_PROTOCOL", "HTTP/1.1")
    return len(request.method or "") + len(address) + len(protocol) + 2


def content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def body_limit(request) -> int:
    if request.content_type == "multipart/form-data":
        return settings.CMC_MAX_IMPORT_BYTES + FORM_SLACK
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE
