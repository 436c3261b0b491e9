"""The CASE 1.1 provider: the read endpoints of 1EdTech's REST binding under /ims/case/v1p1/.
Public frameworks for everyone; a client with a bearer token (or a signed-in session) sees what
its user may see. Errors are the spec's imsx_StatusInfo payloads, never a page."""

import json
from functools import wraps

from django.http import Http404, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from cmc.accounts.auth import bearer_token, token_user

from . import selectors
from .formats import case

MAX_LIMIT = 1000
DEFINITION_SETS = {"CFConcepts": "CFConceptSet", "CFSubjects": "CFSubjectSet",
                   "CFItemTypes": "CFItemTypeSet"}  # fmt: skip


def status_info(status: int, minor: str, description: str) -> JsonResponse:
    """The spec's error payload (imsx_StatusInfo)."""
    body = {
        "imsx_codeMajor": "failure",
        "imsx_severity": "error",
        "imsx_description": description,
        "imsx_codeMinor": {
            "imsx_codeMinorField": [
                {"imsx_codeMinorFieldName": "sourcedId", "imsx_codeMinorFieldValue": minor}
            ]
        },
    }
    return JsonResponse(body, status=status)


def endpoint(view):
    """A GET endpoint: the client's reader (401 for a bearer token that is not valid), and any
    refusal as imsx_StatusInfo."""

    @require_GET
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if bearer_token(request) is not None:
            reader = token_user(request)
            if reader is None:
                response = status_info(401, "unauthorisedrequest", "The bearer token is not valid.")
                response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
                return response
        else:
            reader = request.user
        if "identifier" in kwargs:  # UUIDs are written in lower case; a client may not
            kwargs["identifier"] = kwargs["identifier"].lower()
        try:
            response = view(request, reader, *args, **kwargs)
        except Http404 as error:
            text = str(error)
            minor = "invalid_uuid" if "is not a UUID" in text else "unknownobject"
            return status_info(404, minor, text or "Unknown object.")
        patch_vary_headers(response, ["Authorization", "Cookie"])
        return response

    return wrapped


def _json(data, request, reader, *, etag: str = "", changed=None) -> HttpResponse:
    body = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode()
    tag = f'"{etag}"' if etag else ""
    if tag and request.headers.get("If-None-Match") == tag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/json")
    if tag:
        response["ETag"] = tag
    if changed is not None:
        response["Last-Modified"] = http_date(changed.timestamp())
    signed_in = reader is not None and getattr(reader, "is_authenticated", False)
    if signed_in:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=60)
    return response


@endpoint
def documents(request, reader):
    """getAllCFDocuments: limit, offset, sort (a field of CFDocument) and orderBy (asc, desc)."""
    try:
        limit = int(request.GET.get("limit", "100"))
        offset = int(request.GET.get("offset", "0"))
    except ValueError:
        return status_info(
            400, "invalid_selection_field", "limit and offset must be whole numbers."
        )
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        return status_info(400, "invalid_selection_field",
                           f"limit must be 1 to {MAX_LIMIT} and offset 0 or more.")  # fmt: skip
    sort = request.GET.get("sort", "title")
    order = request.GET.get("orderBy", "asc")
    if sort not in selectors.SORTS:
        return status_info(
            400, "invalid_sort_field", f"sort must be one of {', '.join(selectors.SORTS)}."
        )
    if order not in ("asc", "desc"):
        return status_info(400, "invalid_selection_field", "orderBy must be asc or desc.")
    found, total = selectors.documents(reader=reader, sort=sort, descending=order == "desc",
                                       limit=limit, offset=offset)  # fmt: skip
    response = _json({"CFDocuments": found}, request, reader)
    response["X-Total-Count"] = str(total)
    return response


@endpoint
def document(request, reader, identifier: str):
    framework = selectors.framework_of(identifier=identifier, reader=reader)
    made = selectors.package(framework=framework, reader=reader)
    return _json(made.parsed()["CFDocument"], request, reader, etag=made.etag + "d",
                 changed=framework.updated_at)  # fmt: skip


@endpoint
def package(request, reader, identifier: str):
    framework = selectors.framework_of(identifier=identifier, reader=reader)
    made = selectors.package(framework=framework, reader=reader)
    return _json(made.data, request, reader, etag=made.etag, changed=framework.updated_at)


@endpoint
def item(request, reader, identifier: str):
    """getCFItem: the item with its document's link (CFDocumentURI)."""
    framework = selectors.item_framework(identifier=identifier, reader=reader)
    made = selectors.package(framework=framework, reader=reader)
    parsed = made.parsed()
    found = next((i for i in parsed["CFItems"] if i["identifier"] == identifier), None)
    if found is None:
        raise Http404(f"No CASE item with the identifier {identifier}.")
    found["CFDocumentURI"] = case.link_of(parsed["CFDocument"])
    return _json(found, request, reader, etag=made.etag + "i", changed=framework.updated_at)


@endpoint
def item_associations(request, reader, identifier: str):
    """getCFItemAssociations: the item and every association it is an end of."""
    framework = selectors.item_framework(identifier=identifier, reader=reader)
    made = selectors.package(framework=framework, reader=reader)
    parsed = made.parsed()
    found = next((i for i in parsed["CFItems"] if i["identifier"] == identifier), None)
    if found is None:
        raise Http404(f"No CASE item with the identifier {identifier}.")
    links = [
        a for a in parsed["CFAssociations"]
        if identifier in (a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"])
    ]  # fmt: skip
    body = {"CFItem": case.link_of(found), "CFAssociations": links}
    return _json(body, request, reader, etag=made.etag + "a", changed=framework.updated_at)


@endpoint
def association(request, reader, identifier: str):
    def finder(parsed):
        found = next((a for a in parsed["CFAssociations"] if a["identifier"] == identifier), None)
        if found is not None:
            found["CFDocumentURI"] = case.link_of(parsed["CFDocument"])
        return found

    _, found = selectors.find_in_packages(identifier=identifier, reader=reader, finder=finder)
    return _json(found, request, reader)


def _definition(kind: str):
    """getCFConcept, getCFSubject, getCFLicense, getCFItemType, getCFAssociationGrouping."""

    @endpoint
    def view(request, reader, identifier: str):
        def finder(parsed):
            entries = parsed.get("CFDefinitions", {}).get(kind, [])
            return next((d for d in entries if d.get("identifier") == identifier), None)

        _, found = selectors.find_in_packages(identifier=identifier, reader=reader, finder=finder)
        body = {kind: [found]} if kind in DEFINITION_SETS else found
        return _json(body, request, reader)

    view.__name__ = view.__qualname__ = f"get_{kind}"
    return view


concepts = _definition("CFConcepts")
subjects = _definition("CFSubjects")
licenses = _definition("CFLicenses")
item_types = _definition("CFItemTypes")
groupings = _definition("CFAssociationGroupings")


@endpoint
def definitions(request, reader, identifier: str):
    """The definitions (concepts, subjects, licences, item types, association groupings) of the
    document with this identifier, as its package carries them."""
    framework = selectors.framework_of(identifier=identifier, reader=reader)
    made = selectors.package(framework=framework, reader=reader)
    return _json(made.parsed()["CFDefinitions"], request, reader, etag=made.etag + "f",
                 changed=framework.updated_at)  # fmt: skip


def not_found(request, rest: str = ""):
    return status_info(404, "unknownobject", "No such CASE endpoint.")
