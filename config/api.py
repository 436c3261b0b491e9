"""The JSON API: one NinjaAPI, one router per app; errors are JSON for people, never a 500."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from cmc.frameworks.api import router as frameworks_router
from cmc.frameworks.api_build import router as build_router
from cmc.frameworks.api_exports import router as exports_router
from cmc.frameworks.editing import EditConflict
from cmc.frameworks.services import Conflict, InvalidInput

api = NinjaAPI(
    title="Competency Model Clearinghouse API",
    version="1",
    description=(
        "Frameworks (competency models), their tiers, competencies and key behaviors. "
        "Reads are open for public content; writes need a bearer token (`cmc token create`) "
        "or a signed-in session with its CSRF token."
    ),
    urls_namespace="api",
)
api.add_router("", build_router)
api.add_router("", frameworks_router)
api.add_router("", exports_router)


def _error(request, status: int, detail: str, errors: list | None = None):
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


@api.exception_handler(ValidationError)
def on_validation(request, exc: ValidationError):
    errors = [
        {
            "where": str(error.get("loc", ["request"])[0]),
            "field": ".".join(str(part) for part in error.get("loc", [])[1:]) or "request",
            "message": str(error.get("msg", "is not valid")),
        }
        for error in exc.errors
    ]
    return _error(request, 422, "The request is not valid; see errors.", errors)


@api.exception_handler(InvalidInput)
def on_invalid(request, exc: InvalidInput):
    errors = [{"where": p.where, "field": p.field, "message": p.message} for p in exc.problems]
    return _error(request, 422, "The framework is not valid; nothing was written.", errors)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, str(exc) or "Not found.")


@api.exception_handler(PermissionDenied)
def on_denied(request, exc):
    return _error(request, 403, str(exc) or "You may not do that.")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return _error(request, 401, "Sign in or send a bearer token (cmc token create USER).")


@api.exception_handler(EditConflict)
def on_edit_conflict(request, exc: EditConflict):
    # Both texts, as the message says: what the item says now, then what was sent.
    errors = [
        {"where": where, "field": name, "message": str(value)}
        for where, texts in (("current", exc.current), ("yours", exc.yours))
        for name, value in texts.items()
    ]
    return _error(request, 409, str(exc), errors)


@api.exception_handler(Conflict)
def on_conflict(request, exc):
    return _error(request, 409, str(exc))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return _error(request, exc.status_code, str(exc))
