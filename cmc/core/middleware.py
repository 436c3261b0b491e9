from django.http import HttpResponseBadRequest, JsonResponse

MESSAGE = "The request contains a NUL character."


class RejectNulMiddleware:
    """A NUL character in the path or query string is never meaningful here and cannot be stored
    by PostgreSQL: answer 400 at once (JSON on the API) instead of failing deeper down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "\x00" in query or "%00" in query:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": MESSAGE, "errors": []}, status=400)
            return HttpResponseBadRequest(MESSAGE)
        return self.get_response(request)
