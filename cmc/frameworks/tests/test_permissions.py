"""Who may do what with a model someone built: every page, API route and export of the
"Build a model" flow, for the owner, an owner, an editor and a viewer of the organization it is
shared with, an outsider and an anonymous visitor, on a shared model and on a private one.
Editors change a model's content; who may see it, and deleting it, are for its owner and the
owners of its organization.

Every request that is refused, and every read, must leave the database as it was."""

import io
import re
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import resolve
from django.utils.html import escape
from openpyxl import load_workbook

from cmc.accounts.models import Membership
from cmc.accounts.services import create_api_token
from cmc.analysis import services as analysis_services
from cmc.analysis import sheetfiles, worksheets
from cmc.analysis.models import WorksheetEntry, WorksheetUpload
from cmc.factories import MembershipFactory, loaded
from cmc.frameworks import statements
from cmc.frameworks.models import Alignment, BlendChoice, Framework
from cmc.frameworks.reference import load_reference
from cmc.frameworks.services import align, derive_framework, publishing
from cmc.frameworks.statements import Statement, StatementSource
from cmc.frameworks.tests.builders import people, state
from cmc.interchange import exports

pytestmark = pytest.mark.django_db

ACTORS = ["owner", "org owner", "org editor", "org viewer", "outsider", "anonymous"]
# Who sees and who may change each model. The private model names the organization too, so
# that it is its visibility, not the organization, that keeps the members out.
SEES = {
    "shared": {"owner", "org owner", "org editor", "org viewer"},
    "private": {"owner"},
}
EDITS = {"shared": {"owner", "org owner", "org editor"}, "private": {"owner"}}
MANAGES = {"shared": {"owner", "org owner"}, "private": {"owner"}}
JSON = "application/json"
UPLOAD_KIND = "employer"


def filled_worksheet(framework: Framework, code: str) -> bytes:
    """The model's employer worksheet with one importance filled in, as a workshop returns it."""
    book = load_workbook(io.BytesIO(sheetfiles.render(loaded(framework.slug), UPLOAD_KIND, "xlsx")))
    sheet = book.active
    row = next(r for r in sheet.iter_rows(min_col=1, max_col=3) if r[0].value == code)
    row[2].value = "5"
    about = next(r for r in sheet.iter_rows(min_col=1, max_col=2) if r[0].value == "Employer")
    about[1].value = "Welders Guild"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# The statements the alignment routes pick from, as an app would register them.
MATRIX_SKILLS = [Statement("matrix", "m1", "Welding joints"), Statement("matrix", "m2", "Reading drawings")]  # fmt: skip
MATRIX = StatementSource(
    scheme="matrix",
    label="Matrix skills",
    search=lambda query, limit: MATRIX_SKILLS[:limit],
    find=lambda code: next((s for s in MATRIX_SKILLS if s.code == code), None),
)


def build_model(who: dict, name: str, visibility: str) -> dict:
    """A model derived from the Building Blocks, with one published version and one
    worksheet the owner brought back; what the routes below need to name its parts."""
    source = Framework.objects.get(slug="building-blocks")
    framework = derive_framework(actor=who["owner"], sources=[source], name=name)
    Framework.objects.filter(pk=framework.pk).update(
        organization=who["organization"], visibility=visibility
    )
    framework.refresh_from_db()
    # Teamwork (3.1) is the tier 1-3 competency the Building Blocks give key behaviors.
    competency = framework.competencies.get(name="Teamwork")
    behavior = competency.behaviors.order_by("position").first()
    # As a blend would record it, had a second source defined Teamwork otherwise.
    choice = BlendChoice.objects.create(
        competency=competency,
        field="definition",
        options=[
            {"source": "Building Blocks", "value": competency.definition},
            {"source": "Another model", "value": "Working as one crew."},
        ],
    )
    publishing.publish_version(framework=framework, actor=who["owner"], note="First")
    worksheet = filled_worksheet(framework, competency.code)
    upload = analysis_services.upload(
        framework=framework,
        actor=who["owner"],
        kind=UPLOAD_KIND,
        name="employer.xlsx",
        data=worksheet,
    )
    link = align(
        actor=who["owner"],
        framework=framework,
        competency=competency,
        scheme="matrix",
        code="m2",
        text="Reading drawings",
    )
    return {
        "alignment": link.identifier,
        "slug": framework.slug,
        "code": competency.code,
        "card": f"card-{competency.pk}",
        "competency": competency.identifier,
        "revision": competency.revision,
        "behavior": behavior.identifier,
        "behavior revision": behavior.revision,
        "upload": upload.identifier,
        "worksheet": worksheet,
        "choice": choice.pk,
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The reference frameworks, the people and both models, made once for this module in a
    transaction that is rolled back at its end; each test runs in a savepoint inside it."""
    statements.register(MATRIX)
    with django_db_blocker.unblock(), transaction.atomic():
        load_reference()
        who = people()
        who["org owner"] = MembershipFactory(
            organization=who["organization"], role=Membership.Role.OWNER, user__username="oona"
        ).user
        shared = build_model(who, "Shared Model", "organization")
        private = build_model(who, "Private Model", "private")
        tokens = {
            actor: create_api_token(user=who[actor], name="tests")[1]
            for actor in ACTORS
            if actor != "anonymous"
        }
        yield {"who": who, "tokens": tokens, "shared": shared, "private": private}
        transaction.set_rollback(True)
    statements._sources.pop("matrix")


def snapshot(slug: str) -> dict:
    """Everything a request could change: the model's tree, versions, status, left-out records
    and worksheets, and which frameworks exist at all."""
    framework = Framework.objects.filter(slug=slug).first()
    return {
        "frameworks": sorted(Framework.objects.values_list("slug", flat=True)),
        "model": state(framework) if framework else None,
        "sharing": list(
            Framework.objects.filter(slug=slug).values_list(
                "description", "visibility", "organization", "owner"
            )
        ),
        "uploads": list(
            WorksheetUpload.objects.filter(framework__slug=slug)
            .order_by("id")
            .values_list("identifier", "kind", "uploaded_by__username", "entry_count")
        ),
        "entries": WorksheetEntry.objects.filter(upload__framework__slug=slug).count(),
        "alignments": list(
            Alignment.objects.filter(framework__slug=slug)
            .order_by("id")
            .values_list("scheme", "code", "text", "strength", "made_by__username")
        ),
    }


# The routes. `access` says who may use a route (see expected_status); `ok` is the status of an
# allowed request; `writes` marks the requests that change something when allowed.


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    access: str
    ok: int
    writes: bool = False
    body: dict = field(default_factory=dict)
    missing: str = "No such framework."

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")

    def __str__(self) -> str:
        # Two PATCHes of a framework differ by what they change.
        fields = f" {','.join(self.body)}" if self.method == "patch" else ""
        return f"{self.method} {self.path}{fields}"


def page(path, access="read", ok=200, **extra) -> Route:
    return Route("post" if extra.get("writes") else "get", "/frameworks/{slug}/" + path, access, ok, **extra)  # fmt: skip


def api(method, path, access="read", ok=200, **extra) -> Route:
    return Route(method, "/api/v1/" + path, access, ok, **extra)


WORKSHEET_FILES = [("credential", "xlsx"), ("curriculum", "docx"), ("employer", "xlsx"), ("gap", "docx")]  # fmt: skip

ROUTES = [
    page(""),
    page("tiers/1/"),
    page("competencies/{code}/"),
    *[page(f"download.{fmt}") for fmt in exports.CONTENT_TYPES],
    page("versions/"),
    *[page(f"versions/1/download.{fmt}") for fmt in ("pdf", "json")],
    page("diff/"),
    page("worksheets/"),
    *[page(f"worksheets/{kind}.{fmt}") for kind, fmt in WORKSHEET_FILES],
    page("worksheets/uploads/{upload}/", access="upload"),
    page("worksheets/results/"),
    page("worksheets/results/gap.xlsx"),
    page("build/", access="edit", ok=302),
    page("build/tiers/1/", access="edit"),
    page("build/tiers/1/change", access="edit", ok=302, writes=True,
         body={"action": "add-competency", "name": "Welding safety"}),
    page("build/competencies/{code}/change", access="edit", ok=302, writes=True,
         body={"action": "edit", "name": "Teamwork", "definition": "Working as one crew.",
               "revision": "{revision}"}),
    page("versions/publish", access="edit", ok=302, writes=True, body={"note": "Second"}),
    page("status", access="edit", ok=302, writes=True, body={"status": "approved"}),
    page("sharing", access="manage", ok=302, writes=True,
         body={"visibility": "public", "organization": ""}),
    page("worksheets/", access="upload page", ok=302, writes=True, body={"kind": UPLOAD_KIND}),
    page("competencies/{code}/align", access="edit"),
    page("competencies/{code}/align", access="edit", ok=302, writes=True,
         body={"scheme": "matrix", "code": "m1", "strength": "exact"}),
    page("alignments/{alignment}/remove", access="edit", ok=302, writes=True),
    *[page(f"alignments.{fmt}") for fmt in ("csv", "xlsx")],
    Route("post", "/frameworks/build/", "derive page", 302, writes=True,
          body={"sources": "{slug}", "name": "A copy"}),
    api("get", "frameworks/{slug}"),
    api("get", "frameworks/{slug}?tier=1&limit=1"),
    api("get", "frameworks/{slug}/summary"),
    api("get", "competencies/{competency}", missing="No such competency."),
    *[api("get", f"frameworks/{{slug}}/export?format={fmt}") for fmt in exports.CONTENT_TYPES],
    api("get", "frameworks/{slug}/versions"),
    api("get", "frameworks/{slug}/versions/1"),
    *[api("get", f"frameworks/{{slug}}/versions/1/export?format={fmt}") for fmt in ("pdf", "xlsx")],
    api("get", "frameworks/{slug}/diff"),
    api("get", "frameworks/{slug}/alignments"),
    api("post", "frameworks/{slug}/alignments", access="write", ok=201, writes=True,
        body={"scheme": "matrix", "code": "m1", "competency": "{code}", "strength": "exact"}),
    api("delete", "alignments/{alignment}", access="write", ok=204, writes=True,
        missing="No such alignment."),
    api("get", "frameworks/{slug}/blend-choices"),
    api("post", "frameworks/{slug}/blend-choices/{choice}", access="write", writes=True,
        body={"option": 1, "revision": "{revision}"}),
    *[api("get", f"frameworks/{{slug}}/worksheets/{kind}?format={fmt}")
      for kind, fmt in WORKSHEET_FILES],
    api("get", "frameworks/{slug}/worksheets/results"),
    api("get", "frameworks/{slug}/worksheets/gap-report"),
    api("get", "frameworks/{slug}/worksheet-uploads", access="uploads"),
    api("get", "frameworks/{slug}/worksheet-uploads/{upload}", access="upload"),
    api("patch", "frameworks/{slug}", access="write", writes=True, body={"name": "Renamed"}),
    api("patch", "frameworks/{slug}", access="manage", writes=True, body={"visibility": "public"}),
    api("delete", "frameworks/{slug}", access="manage", ok=204, writes=True),
    api("post", "frameworks/derive", access="derive", ok=201, writes=True,
        body={"sources": ["{slug}"], "name": "A copy"},
        missing="there is no framework '{slug}' you may use"),
    api("post", "frameworks/{slug}/versions", access="write", ok=201, writes=True,
        body={"note": "Second"}),
    api("post", "frameworks/{slug}/status", access="write", writes=True,
        body={"status": "approved"}),
    api("post", "frameworks/{slug}/sharing", access="manage", writes=True,
        body={"visibility": "public"}),
    api("patch", "competencies/{competency}", access="write", writes=True,
        body={"name": "Teamwork", "definition": "Working as one crew.", "revision": "{revision}"},
        missing="No such competency."),
    api("delete", "competencies/{competency}", access="write", ok=204, writes=True,
        missing="No such competency."),
    api("post", "competencies/{competency}/behaviors", access="write", ok=201, writes=True,
        body={"text": "Checking in with the crew"}, missing="No such competency."),
    api("post", "frameworks/{slug}/tiers/1/competencies", access="write", ok=201, writes=True,
        body={"name": "Welding safety"}),
    api("patch", "behaviors/{behavior}", access="write", writes=True,
        body={"text": "Sharing the load", "revision": "{behavior revision}"},
        missing="No such key behavior."),
    api("delete", "behaviors/{behavior}", access="write", ok=204, writes=True,
        missing="No such key behavior."),
    api("post", f"frameworks/{{slug}}/worksheets/{UPLOAD_KIND}", access="upload api", ok=201,
        writes=True),
]  # fmt: skip


# Who may: anyone who sees the model may read it, derive a model of their own from it and bring
# back a filled-in worksheet; only those who may edit it change it or see others' uploads, and
# only those who may manage it change who sees it or delete it.
SEEING = {"read", "uploads", "upload page", "derive page", "derive", "upload api"}


def allowed(route: Route, actor: str, model: str) -> bool:
    if actor == "anonymous" and route.access not in ("read", "uploads", "upload"):
        return False
    if route.access == "manage":
        return actor in MANAGES[model]
    return actor in (SEES if route.access in SEEING else EDITS)[model]


def expected_status(route: Route, actor: str, model: str) -> int:
    """The status of a request: `route.ok` when allowed, else how it is refused."""
    if allowed(route, actor, model):
        return route.ok
    anonymous, sees = actor == "anonymous", actor in SEES[model]
    if not route.api and route.access in ("edit", "manage"):  # pages behind login_required
        return 302 if anonymous else 403 if sees else 404
    if route.access in ("derive page", "derive"):  # one refusal on every door: no such source
        return (302 if route.access == "derive page" else 401) if anonymous else 422
    if route.api and route.method != "get":
        return 401 if anonymous else 403 if sees else 404
    return 404


def fill(value, names: dict):
    """A body value with the model's names put in; "{revision}" alone stays a number."""
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return names[value[1:-1]]
    if isinstance(value, str):
        return value.format(**names)
    if isinstance(value, list):
        return [fill(v, names) for v in value]
    return value


def send(client, world, route: Route, actor: str, model: str):
    names = world[model]
    path = route.path.format(**names)
    body = {k: fill(v, names) for k, v in route.body.items()}
    headers = {}
    if actor != "anonymous":
        if route.api:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {world['tokens'][actor]}"
        else:
            client.force_login(world["who"][actor])
    if route.access in ("upload page", "upload api"):
        body["file"] = SimpleUploadedFile("employer.xlsx", names["worksheet"])
        return client.post(path, body, **headers)
    if route.api and route.method in ("post", "patch"):
        return getattr(client, route.method)(path, body, content_type=JSON, **headers)
    if route.method == "post":
        return client.post(path, body, **headers)
    return getattr(client, route.method)(path, **headers)


CASES = [
    pytest.param(route, actor, model, id=f"{model}-{actor}-{route}")
    for model in ("shared", "private")
    for route in ROUTES
    for actor in ACTORS
]


@pytest.mark.parametrize("route, actor, model", CASES)
def test_who_may_use_each_route(client, world, route, actor, model):
    slug = world[model]["slug"]
    before = snapshot(slug)

    response = send(client, world, route, actor, model)

    assert response.status_code == expected_status(route, actor, model), response.content[:300]
    if route.writes and allowed(route, actor, model):
        assert snapshot(slug) != before
    else:
        assert snapshot(slug) == before
    check_answer(response, route, actor, model, world)


@pytest.mark.parametrize("actor", ["owner", "org owner", "org editor"])
def test_the_sharing_form_is_offered_only_to_those_who_may_use_it(client, world, actor):
    slug = world["shared"]["slug"]
    client.force_login(world["who"][actor])

    page = client.get(f"/frameworks/{slug}/versions/").content.decode()

    forms = re.findall(r'<form method="post" action="/frameworks/[^/]+/([a-z/]+)"', page)
    if actor in MANAGES["shared"]:
        assert forms == ["versions/publish", "status", "sharing"]
        assert '<option value="welders-guild" selected>Welders Guild</option>' in page
    else:
        assert forms == ["versions/publish", "status"]
        assert (
            "Who may see the model is decided by its owner and the owners of Welders Guild; as "
            "its editor you change its content, publish versions and move its status."
        ) in page


def check_answer(response, route: Route, actor: str, model: str, world) -> None:
    """What the refused and the allowed see, beyond the status."""
    status = response.status_code
    slug = world[model]["slug"]
    if route.api:
        check_api_answer(response, route, actor, model, slug)
    elif status == 404:
        assert b"<h1>Page not found</h1>" in response.content
    elif status == 403:
        assert escape(refusal(route, actor, model, slug)).encode() in response.content
    elif status == 302 and actor == "anonymous":
        assert response["Location"] == f"/accounts/login/?next={response.request['PATH_INFO']}"
    elif status == 422:  # the same refusal as the API's and the command line's, as a sentence
        assert f"There is no framework &#x27;{slug}&#x27; you may use.".encode() in response.content
    elif status == 302:
        assert response["Location"] == allowed_location(route, world[model])
    elif "download." in route.path:
        fmt = route.path.rsplit(".", 1)[1]
        assert response["Content-Type"] == exports.CONTENT_TYPES[fmt]
    elif "worksheets/" in route.path and route.path.endswith(("xlsx", "docx")):
        fmt = route.path.rsplit(".", 1)[1]
        assert response["Content-Type"] == worksheets.CONTENT_TYPES[fmt]


def refusal(route: Route, actor: str, model: str, slug: str) -> str:
    """Why a request is refused (403): an editor may not manage the model; anyone else who
    sees it may not change it at all."""
    if route.path.endswith(("/remove", "alignments/{alignment}")):
        return "You may not remove this alignment."
    if actor in EDITS[model]:
        action = "delete it" if route.method == "delete" else "change who may see it"
        return (
            f"You may change the content of the framework '{slug}' but not {action}: "
            "ask its owner or an owner of its organization."
        )
    if route.api:
        return f"You may not change the framework '{slug}'."
    return "You may read this framework but not change it."


def allowed_location(route: Route, names: dict) -> str:
    base = f"/frameworks/{names['slug']}/"
    if route.access == "derive page":
        return f"/frameworks/{Framework.objects.get(name='A copy').slug}/build/"
    return {
        "build/": base + "build/tiers/1/",
        "build/tiers/1/change": base + "build/tiers/1/#tier-1",
        "build/competencies/{code}/change": base + f"build/tiers/3/#{names['card']}",
        "versions/publish": base + "versions/",
        "status": base + "versions/",
        "sharing": base + "versions/",
        # A kept worksheet is shown on its own page.
        "worksheets/": base
        + f"worksheets/uploads/{WorksheetUpload.objects.latest('id').identifier}/",
        "competencies/{code}/align": base + f"competencies/{names['code']}/",
        "alignments/{alignment}/remove": base + f"competencies/{names['code']}/",
    }[route.path.removeprefix("/frameworks/{slug}/")]


def check_api_answer(response, route: Route, actor: str, model: str, slug: str) -> None:
    status = response.status_code
    if status == 401:
        assert response.json() == {
            "detail": "Sign in or send a bearer token (cmc token create USER).",
            "errors": [],
        }
    elif status == 403:
        assert response.json() == {"detail": refusal(route, actor, model, slug), "errors": []}
    elif status == 404:
        missing = route.missing.format(slug=slug)
        if route.access == "upload" and actor in SEES[model]:
            missing = "No such upload."
        assert response.json() == {"detail": missing, "errors": []}
    elif status == 422 and route.access == "derive":
        assert response.json()["errors"] == [
            {"where": "new model", "field": "sources", "message": route.missing.format(slug=slug)}
        ]
    elif route.access == "uploads":  # a viewer sees only their own uploads: none here
        expected = ["olga"] if actor in EDITS[model] else []
        assert [upload["uploaded_by"] for upload in response.json()] == expected
    elif "export?format=" in route.path:
        fmt = route.path.rsplit("=", 1)[1]
        assert response["Content-Type"] == exports.CONTENT_TYPES[fmt]


API_PATHS_ELSEWHERE = {("get", "/api/v1/frameworks"), ("post", "/api/v1/frameworks"), ("get", "/api/v1/search"),
                       ("get", "/api/v1/esco/concepts"), ("get", "/api/v1/esco/concepts/{concept_id}"),
                       ("post", "/api/v1/imports/{fmt}"),
                       ("get", "/api/v1/imports/status/{identifier}")}  # fmt: skip
# (An import's status is its uploader's alone: tested in cmc/interchange/tests/test_import_own.py.)
# A big model's download made in the background is its reader's alone, while they may see the
# model: its page, file and API routes are tested in cmc/interchange/tests/test_downloads.py.
API_PATHS_ELSEWHERE |= {
    ("get", "/api/v1/downloads/{identifier}"), ("get", "/api/v1/downloads/{identifier}/file"),
}  # fmt: skip
PAGES_ELSEWHERE = {"prepared", "prepared_file"}
# Likely duplicates of a blend and renumbering: who may use them is tested in test_duplicates,
# on a blend that has pairs and gaps (the models of this matrix have neither).
API_PATHS_ELSEWHERE |= {
    ("get", "/api/v1/frameworks/{slug}/blend-choices/duplicates"),
    *[("post", f"/api/v1/frameworks/{{slug}}/blend-choices/duplicates/{{pair_id}}/{action}")
      for action in ("merge", "keep-apart", "undo")],
    ("post", "/api/v1/frameworks/{slug}/renumber"),
}  # fmt: skip
# The validation surveys' routes: their permission matrix is in cmc/review/tests/test_surveys_api.py.
API_PATHS_ELSEWHERE |= {
    ("get", "/api/v1/frameworks/{slug}/surveys"), ("post", "/api/v1/frameworks/{slug}/surveys"),
    ("get", "/api/v1/surveys/{survey_id}/results"), ("post", "/api/v1/surveys/{survey_id}/close"),
    ("get", "/api/v1/survey-responses/{token}"), ("put", "/api/v1/survey-responses/{token}"),
}  # fmt: skip


def openapi_path(route: Route) -> str:
    """The route's path as the OpenAPI document writes it."""
    path = re.sub(
        r"\{(competency|behavior|upload|alignment)\}", "{identifier}", route.path.split("?")[0]
    )
    path = path.replace("{choice}", "{choice_id}")
    path = re.sub(r"/(tiers|versions)/1\b", r"/\1/{number}", path)
    return re.sub(f"/worksheets/({'|'.join(worksheets.KINDS)})$", "/worksheets/{kind}", path)


def test_every_route_of_the_flow_is_in_the_matrix():
    """A new page or API route of a model joins the matrix, or this fails."""
    from cmc.analysis.urls import urlpatterns as analysis_pages
    from cmc.frameworks.urls import urlpatterns as framework_pages
    from cmc.interchange.urls import urlpatterns as interchange_pages
    from config.api import api as ninja

    urlpatterns = [*framework_pages, *interchange_pages, *analysis_pages]

    schema = ninja.get_openapi_schema()["paths"]
    # The routes of a model's flow; the other apps' routes (occupations, lattices, resources,
    # credentials, review, surveys, ESCO) have their own permission tests in their apps.
    flow = {"build a model", "frameworks", "exports and worksheets", "alignments"}
    every_api = {
        (method, path)
        for path, item in schema.items()
        for method, operation in item.items()
        if flow & set(operation.get("tags", []))
    }
    assert {(r.method, openapi_path(r)) for r in ROUTES if r.api} == every_api - API_PATHS_ELSEWHERE
    uuid = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
    names = {"slug": "a-model", "code": "3.1", "alignment": uuid, "upload": uuid}
    pages = {resolve(r.path.format(**names)).url_name for r in ROUTES if not r.api}
    assert pages == {p.name for p in urlpatterns} - {"index"} - PAGES_ELSEWHERE
