"""What every API router shares: the schema bases, the error schema, and the handlers that
turn the error vocabulary (`cmc.core.errors`) into JSON for people, never a 500."""

import json

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from ninja import NinjaAPI
from ninja import Schema as NinjaSchema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.responses import NinjaJSONEncoder
from pydantic import ConfigDict, field_validator, model_validator
from pydantic_core import PydanticCustomError, core_schema

from .errors import Conflict, EditConflict, InvalidInput

VALIDATION_DETAIL = "The request is not valid; see errors."
NUL_MESSAGE = "contains a NUL character; remove it"


class Schema(NinjaSchema):
    @field_validator("*", mode="before")
    @classmethod
    def clean_text(cls, value):
        # Text is trimmed before its length is checked, so a blank name is refused here as
        # it is by the importers.
        if isinstance(value, str):
            return value.strip()
        return value


def _refuse_nul(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("nul_character", NUL_MESSAGE)
    return value


def _guard_text(schema):
    """The core schema with every text in it, however deep (lists, nested objects, keys),
    refusing NUL, so that the error names the exact place (`payload.tiers.0.name`)."""
    if isinstance(schema, list):
        return [_guard_text(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if schema.get("type") == "str":
        return core_schema.no_info_after_validator_function(_refuse_nul, schema)
    return {
        key: value if key in ("metadata", "serialization") else _guard_text(value)
        for key, value in schema.items()
    }


class InSchema(Schema):
    """A request body: a JSON object, never a list or a bare value, and naming only fields
    the route knows (a misspelt or read-only field is refused, never silently ignored).
    No text in it may hold a NUL character: PostgreSQL cannot store one, it never means
    anything here, and dropping it silently would change what was sent (query parameters
    are refused the same way by `cmc.core.middleware.RejectNulMiddleware`)."""

    model_config = ConfigDict(extra="forbid")

    @classmethod
    def __get_pydantic_core_schema__(cls, source, handler):
        return _guard_text(handler(source))

    @model_validator(mode="wrap")
    @classmethod
    def must_be_object(cls, data, handler):
        if not isinstance(data, dict) and not isinstance(data, cls):
            raise ValueError("must be a JSON object")
        return handler(data)


class ErrorItem(Schema):
    where: str
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] = []


ERRORS = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


def shaped_json(data, *, status: int = 200) -> HttpResponse:
    """An answer already in its route's schema, sent as the API sends any answer, without
    validating it again node by node: for an answer of tens of thousands of nodes (a whole
    tree), where checking each costs more than making it. The route's tests check the answer
    against the schema instead."""
    return HttpResponse(
        json.dumps(data, cls=NinjaJSONEncoder),
        status=status,
        content_type="application/json; charset=utf-8",
    )


def file_responses(types: dict[str, str], what: str) -> dict:
    """The OpenAPI answer of a route that sends a file in one of `types` (format: MIME type)."""

    def schema(kind: str) -> dict:
        if kind == "application/json" or kind.endswith("+json"):
            return {"type": "object"}
        if kind.startswith(("text/", "image/svg")):
            return {"type": "string"}
        return {"type": "string", "format": "binary"}

    content = {
        kind.split(";")[0]: {"schema": schema(kind.split(";")[0])} for kind in types.values()
    }
    return {"responses": {200: {"description": what, "content": content}}}


def add_error_handlers(api: NinjaAPI) -> None:
    """Answer every error of the vocabulary, and ninja's own, with the error schema."""

    def error(request, status: int, detail: str, errors: list | None = None):
        return api.create_response(
            request, {"detail": detail, "errors": errors or []}, status=status
        )

    def on_validation(request, exc: ValidationError):
        errors = [
            {
                "where": str(item.get("loc", ["request"])[0]),
                "field": ".".join(str(part) for part in item.get("loc", [])[1:]) or "request",
                "message": str(item.get("msg", "is not valid")),
            }
            for item in exc.errors
        ]
        return error(request, 422, VALIDATION_DETAIL, errors)

    def on_invalid(request, exc: InvalidInput):
        errors = [{"where": p.where, "field": p.field, "message": p.message} for p in exc.problems]
        detail = exc.detail or (
            VALIDATION_DETAIL
            if request.method in ("GET", "HEAD")
            else "The request is not valid; nothing was written."
        )
        return error(request, 422, detail, errors)

    def on_edit_conflict(request, exc: EditConflict):
        # Both texts, as the message says: what the item says now, then what was sent.
        errors = [
            {"where": where, "field": name, "message": str(value)}
            for where, texts in (("current", exc.current), ("yours", exc.yours))
            for name, value in texts.items()
        ]
        return error(request, 409, str(exc), errors)

    handlers = {
        ValidationError: on_validation,
        InvalidInput: on_invalid,
        Http404: lambda request, exc: error(request, 404, str(exc) or "Not found."),
        PermissionDenied: lambda request, exc: error(
            request, 403, str(exc) or "You may not do that."
        ),
        AuthenticationError: lambda request, exc: error(
            request, 401, "Sign in or send a bearer token (cmc token create USER)."
        ),
        EditConflict: on_edit_conflict,
        Conflict: lambda request, exc: error(request, 409, str(exc)),
        HttpError: lambda request, exc: error(request, exc.status_code, str(exc)),
    }
    for kind, handler in handlers.items():
        api.add_exception_handler(kind, handler)
