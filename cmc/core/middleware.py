from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse

MESSAGE = "The request contains a NUL character."
# The longest request line read (method, address, protocol), as app servers commonly allow; the
# app server reads longer ones, so that it is the app that refuses them (JSON on the API).
MAX_REQUEST_LINE = 8190
# What a multipart upload carries beside its file: the other fields and the part boundaries.
FORM_SLACK = 1024 * 1024


def refusal(request, status: int, detail: str) -> HttpResponse:
    """The API's error body on /api/, plain text elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail, "errors": []}, status=status)
    return HttpResponse(detail, status=status, content_type="text/plain; charset=utf-8")


class RejectNulMiddleware:
    """A NUL character in the path or query string is never meaningful here and cannot be stored
    by PostgreSQL: answer 400 at once (JSON on the API) instead of failing deeper down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "\x00" in query or "%00" in query:
            return refusal(request, 400, MESSAGE)
        return self.get_response(request)


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
        if request.path.startswith("/api/"):
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
        if isinstance(exception, RequestDataTooBig) and request.path.startswith("/api/"):
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
