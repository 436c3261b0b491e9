"""The JSON API under /api/v1: reads, writes with a token or a session, and its errors."""

import pytest
from django.test import Client

from cmc.accounts.models import Membership
from cmc.accounts.services import create_api_token
from cmc.core.models import SearchEntry
from cmc.factories import (
    FrameworkFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
    welding_tree,
)
from cmc.frameworks.models import Competency, Framework, KeyBehavior, Tier
from cmc.frameworks.services import save_framework_tree

pytestmark = pytest.mark.django_db
JSON = "application/json"
UNAUTHENTICATED = {
    "detail": "Sign in or send a bearer token (cmc token create USER).",
    "errors": [],
}
INVALID_TOKEN = {
    "detail": "The bearer token is not valid: it was revoked, mistyped, or its account is "
    "inactive. Create a new one on your profile page or with cmc token create USER.",
    "errors": [],
}
NO_FRAMEWORK = {"detail": "No such framework.", "errors": []}


def bearer(user) -> dict:
    _, raw = create_api_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def save(tree=None, visibility="public", actor=None) -> Framework:
    tree = tree or welding_tree()
    return save_framework_tree(
        tree=tree, where="test", visibility=visibility, actor=actor
    ).framework


def state() -> tuple:
    """Everything a refused write must leave as it was."""
    return (
        list(
            Framework.objects.order_by("pk").values_list(
                "slug", "name", "status", "visibility", "description", "updated_at"
            )
        ),
        Tier.objects.count(),
        Competency.objects.count(),
        KeyBehavior.objects.count(),
        SearchEntry.objects.count(),
    )


def invalid(*errors) -> dict:
    return {
        "detail": "The request is not valid; see errors.",
        "errors": [{"where": w, "field": f, "message": m} for w, f, m in errors],
    }


# Reads


@pytest.fixture
def five():
    FrameworkFactory(name="Alpha", kind="industry", industry="Energy")
    FrameworkFactory(name="Bravo", kind="industry", industry="Energy", status="draft")
    FrameworkFactory(name="Charlie", kind="industry", industry="Health")
    FrameworkFactory(name="Delta", kind="sector", industry="Energy")
    FrameworkFactory(name="Echo", kind="occupation")
    FrameworkFactory(name="Hidden", kind="industry", visibility="private", owner=UserFactory())


def names(body) -> list[str]:
    return [item["name"] for item in body["items"]]


def test_list_pages_through_the_visible_frameworks(client, five):
    body = client.get("/api/v1/frameworks?page_size=2&page=2").json()

    assert {k: body[k] for k in ("count", "page", "page_size")} == {
        "count": 5,
        "page": 2,
        "page_size": 2,
    }
    assert names(body) == ["Charlie", "Echo"]
    assert names(client.get("/api/v1/frameworks?page_size=2&page=3").json()) == ["Delta"]
    assert client.get("/api/v1/frameworks?page_size=2&page=4").json()["items"] == []
    default = client.get("/api/v1/frameworks").json()
    assert (default["page"], default["page_size"], names(default)) == (
        1,
        50,
        ["Alpha", "Bravo", "Charlie", "Echo", "Delta"],
    )


@pytest.mark.parametrize(
    "query, expected",
    [
        ("kind=industry", ["Alpha", "Bravo", "Charlie"]),
        ("status=draft", ["Bravo"]),
        ("industry=Energy", ["Alpha", "Bravo", "Delta"]),
        ("kind=industry&industry=Energy&status=approved", ["Alpha"]),
        ("q=ha", ["Alpha", "Charlie"]),
        ("kind=bogus", []),
    ],
)
def test_list_filters(client, five, query, expected):
    body = client.get(f"/api/v1/frameworks?{query}").json()

    assert names(body) == expected
    assert body["count"] == len(expected)


def test_list_items_say_what_each_framework_holds(client):
    framework = save()

    (item,) = client.get("/api/v1/frameworks").json()["items"]

    assert item == {
        "identifier": str(framework.identifier),
        "slug": "welding",
        "name": "Welding Model",
        "kind": "industry",
        "status": "draft",
        "industry": "Manufacturing",
        "naics": "",
        "version_label": "",
        "language": "en",
        "visibility": "public",
        "is_reference": False,
        "content_included": True,
        "competency_count": 3,
        "behavior_count": 4,
        "url": "/frameworks/welding/",
    }


def test_a_token_shows_its_owners_private_frameworks(client):
    owner = UserFactory()
    save(visibility="private", actor=owner)

    assert client.get("/api/v1/frameworks").json()["count"] == 0
    assert names(client.get("/api/v1/frameworks", **bearer(owner)).json()) == ["Welding Model"]
    assert client.get("/api/v1/frameworks/welding", **bearer(owner)).status_code == 200
    assert client.get("/api/v1/frameworks/welding").json() == NO_FRAMEWORK
    # A bad token is refused, never read as anonymous (see cmc/accounts/tests/test_tokens.py).
    bad = {"HTTP_AUTHORIZATION": "Bearer cmc_not-a-token"}
    assert client.get("/api/v1/frameworks", **bad).status_code == 401


@pytest.mark.parametrize(
    "query, error",
    [
        ("page=0", ("query", "page", "Input should be greater than or equal to 1")),
        ("page=100001", ("query", "page", "Input should be less than or equal to 100000")),
        ("page_size=0", ("query", "page_size", "Input should be greater than or equal to 1")),
        ("page_size=201", ("query", "page_size", "Input should be less than or equal to 200")),
        ("page=x", ("query", "page", "Input should be a valid integer, unable to parse string as an integer")),
        ("q=" + "x" * 201, ("query", "q", "String should have at most 200 characters")),
        ("kind=" + "x" * 21, ("query", "kind", "String should have at most 20 characters")),
    ],
)  # fmt: skip
def test_list_parameters_are_bounded(client, query, error):
    response = client.get(f"/api/v1/frameworks?{query}")

    assert response.status_code == 422
    assert response.json() == invalid(error)


def test_detail_is_the_whole_tree_in_order(client):
    framework = save()

    body = client.get("/api/v1/frameworks/welding").json()

    assert {k: body[k] for k in ("identifier", "slug", "name", "based_on", "url", "source")} == {
        "identifier": str(framework.identifier),
        "slug": "welding",
        "name": "Welding Model",
        "based_on": None,
        "url": "/frameworks/welding/",
        "source": {"citation": "", "url": "", "section": ""},
    }
    assert [
        (
            t["number"],
            t["name"],
            t["group"],
            [
                (c["code"], c["name"], c["definition"], [(b["position"], b["title"], b["text"]) for b in c["behaviors"]])
                for c in t["competencies"]
            ],
        )
        for t in body["tiers"]
    ] == [
        (1, "Personal Effectiveness", "foundational", [
            ("1.1", "Teamwork", "Working with others.", [
                (1, "", "Sharing tools with the crew"),
                (2, "Asking", "Asking for help early"),
            ]),
            ("1.2", "Integrity", "", [(1, "", "Reporting defects honestly")]),
        ]),
        (2, "Academic", "foundational", [
            ("2.1", "Reading", "", [(1, "", "Reading weld procedure specifications")]),
        ]),
    ]  # fmt: skip
    tier = framework.tiers.get(number=1)
    assert body["tiers"][0]["identifier"] == str(tier.identifier)


def test_one_competency(client):
    framework = save()
    competency = framework.competencies.get(code="1.1")
    behaviors = list(competency.behaviors.order_by("position"))

    body = client.get(f"/api/v1/competencies/{competency.identifier}").json()

    assert body == {
        "identifier": str(competency.identifier),
        "code": "1.1",
        "name": "Teamwork",
        "definition": "Working with others.",
        "revision": 1,
        "url": "/frameworks/welding/competencies/1.1/",
        "framework": {
            "identifier": str(framework.identifier),
            "slug": "welding",
            "name": "Welding Model",
        },
        "tier": {"number": 1, "name": "Personal Effectiveness", "group": "foundational"},
        "behaviors": [
            {
                "identifier": str(behaviors[0].identifier),
                "position": 1,
                "title": "",
                "text": "Sharing tools with the crew",
                "revision": 1,
            },
            {
                "identifier": str(behaviors[1].identifier),
                "position": 2,
                "title": "Asking",
                "text": "Asking for help early",
                "revision": 1,
            },
        ],
    }


def test_a_hidden_or_unknown_competency_is_404(client):
    framework = save(visibility="private", actor=UserFactory())
    hidden = framework.competencies.get(code="1.1").identifier

    for identifier in (hidden, "00000000-0000-0000-0000-000000000000"):
        response = client.get(f"/api/v1/competencies/{identifier}")
        assert response.status_code == 404
        assert response.json() == {"detail": "No such competency.", "errors": []}
    response = client.get("/api/v1/competencies/not-a-uuid")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "identifier"


def test_search(client):
    framework = save()
    save(welding_tree(slug="secret", name="Secret Welding"), "private", UserFactory())

    body = client.get("/api/v1/search?q=reading").json()

    assert body == {
        "query": "reading",
        "total": 2,
        "hits": [
            {
                "kind": "competency",
                "title": "2.1 Reading",
                "context": "Welding Model › Tier 2: Academic",
                "url": "/frameworks/welding/competencies/2.1/",
                "snippet": "2.1 <mark>Reading</mark>",
                "framework_id": framework.pk,
                "tier_number": 2,
            },
            {
                "kind": "behavior",
                "title": "",
                "context": "Welding Model › 2.1 Reading",
                "url": "/frameworks/welding/competencies/2.1/#behavior-1",
                "snippet": "<mark>Reading</mark> weld procedure specifications",
                "framework_id": framework.pk,
                "tier_number": 2,
            },
        ],
        "frameworks": [{"value": framework.pk, "label": "Welding Model", "count": 2}],
        "tiers": [{"value": 2, "label": "Tier 2", "count": 2}],
    }
    narrowed = client.get(f"/api/v1/search?q=weld&framework={framework.pk}&tier=2&limit=1")
    assert [hit["kind"] for hit in narrowed.json()["hits"]] == ["behavior"]
    assert narrowed.json()["total"] == 1


@pytest.mark.parametrize(
    "query, errors",
    [
        ("", [("query", "q", "Field required")]),
        ("q=" + "x" * 201, [("query", "q", "String should have at most 200 characters")]),
        ("q=a&limit=0", [("query", "limit", "Input should be greater than or equal to 1")]),
        ("q=a&limit=101", [("query", "limit", "Input should be less than or equal to 100")]),
        ("q=a&offset=-1", [("query", "offset", "Input should be greater than or equal to 0")]),
        ("q=a&offset=10001", [("query", "offset", "Input should be less than or equal to 10000")]),
        ("q=a&tier=0", [("query", "tier", "Input should be greater than or equal to 1")]),
        ("q=a&tier=100", [("query", "tier", "Input should be less than or equal to 99")]),
        ("q=a&framework=0", [("search", "framework", "there is no framework '0' you may see")]),
        ("q=a&framework=99999999999999999999", [("search", "framework", "there is no framework '99999999999999999999' you may see")]),
    ],
)  # fmt: skip
def test_search_parameters_are_bounded(client, query, errors):
    response = client.get(f"/api/v1/search?{query}")

    assert response.status_code == 422
    assert response.json() == invalid(*errors)


@pytest.mark.parametrize("q", ['"weld', "weld OR (NEAR", "*", "   ", "x" * 200])
def test_search_syntax_is_never_an_error(client, q):
    save()

    response = client.get("/api/v1/search", {"q": q})

    assert response.status_code == 200
    assert response.json()["query"] == q.strip()


def test_a_nul_in_the_path_is_refused_as_json(client):
    save()

    response = client.get("/api/v1/frameworks/weld%00ing")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The address contains a NUL character; remove it.",
        "errors": [],
    }


@pytest.mark.parametrize(
    "url, field",
    [
        ("/api/v1/search?q=weld%00", "q"),
        ("/api/v1/frameworks?q=%00", "q"),
        ("/api/v1/frameworks?kind=industry&industry=Con%00struction", "industry"),
        ("/api/v1/frameworks/welding/export?format=json%00", "format"),
    ],
)
def test_a_nul_in_a_query_parameter_is_422_naming_it(client, url, field):
    save()

    response = client.get(url)

    assert response.status_code == 422
    assert response.json() == invalid(("query", field, "contains a NUL character; remove it"))


# Writes


NEW = {
    "name": "Pipe Fitting",
    "kind": "industry",
    "industry": "Construction",
    "tiers": [
        {
            "number": 1,
            "name": "Personal Effectiveness",
            "competencies": [
                {
                    "code": "1.1",
                    "name": "Teamwork",
                    "behaviors": [
                        {"text": "Shares tools"},
                        {"title": "Asks", "text": "Asks early"},
                    ],
                }
            ],
        }
    ],
}


def test_create_with_a_token(client):
    user = UserFactory()

    response = client.post("/api/v1/frameworks", NEW, content_type=JSON, **bearer(user))

    assert response.status_code == 201
    body = response.json()
    assert (body["slug"], body["name"], body["visibility"], body["status"]) == (
        "pipe-fitting",
        "Pipe Fitting",
        "private",
        "draft",
    )
    assert [b["text"] for b in body["tiers"][0]["competencies"][0]["behaviors"]] == [
        "Shares tools",
        "Asks early",
    ]
    framework = Framework.objects.get(slug="pipe-fitting")
    assert framework.owner == user
    assert (
        SearchEntry.objects.filter(collection="frameworks", scope_id=framework.pk).count() == 5
    )  # the framework, its tier, competency and behaviors
    assert client.get("/api/v1/frameworks/pipe-fitting").status_code == 404  # private


def logged_in_with_csrf(user) -> tuple[Client, dict]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/search/")  # any page sets the CSRF cookie
    return client, {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


def test_create_with_a_session_needs_the_csrf_token():
    user = UserFactory()
    client, csrf = logged_in_with_csrf(user)
    before = state()

    refused = client.post("/api/v1/frameworks", NEW, content_type=JSON)

    assert refused.status_code == 403
    assert refused.json() == {"detail": "CSRF check Failed", "errors": []}
    assert state() == before

    created = client.post("/api/v1/frameworks", NEW, content_type=JSON, **csrf)

    assert created.status_code == 201
    assert Framework.objects.get(slug="pipe-fitting").owner == user


@pytest.mark.parametrize(
    "headers, answer",
    [
        ({}, UNAUTHENTICATED),
        ({"HTTP_AUTHORIZATION": "Bearer cmc_wrong"}, INVALID_TOKEN),
        ({"HTTP_AUTHORIZATION": "Basic dXNlcjpwdw=="}, UNAUTHENTICATED),
    ],
)
def test_writes_without_credentials_are_401(client, headers, answer):
    save()
    before = state()

    responses = [
        client.post("/api/v1/frameworks", NEW, content_type=JSON, **headers),
        client.patch("/api/v1/frameworks/welding", {"name": "X"}, content_type=JSON, **headers),
        client.delete("/api/v1/frameworks/welding", **headers),
    ]

    assert [r.status_code for r in responses] == [401, 401, 401]
    assert [r.json() for r in responses] == [answer] * 3
    assert state() == before


def test_a_token_of_an_inactive_user_is_refused(client):
    user = UserFactory()
    headers = bearer(user)
    user.is_active = False
    user.save()

    response = client.post("/api/v1/frameworks", NEW, content_type=JSON, **headers)

    assert response.status_code == 401
    assert not Framework.objects.exists()


def test_a_taken_slug_is_409_and_overwrites_nothing(client):
    user = UserFactory()
    save(actor=user)
    before = state()

    response = client.post(
        "/api/v1/frameworks", {**NEW, "slug": "welding"}, content_type=JSON, **bearer(user)
    )

    assert response.status_code == 409
    assert response.json() == {
        "detail": "The slug 'welding' is already used; choose another.",
        "errors": [],
    }
    assert state() == before


@pytest.mark.parametrize(
    "payload, errors",
    [
        ({}, [("body", "payload.name", "Field required")]),
        ({"name": "   "}, [("body", "payload.name", "String should have at least 1 character")]),
        ({"name": "\x00"}, [("body", "payload.name", "contains a NUL character; remove it")]),
        ({"name": "x" * 201}, [("body", "payload.name", "String should have at most 200 characters")]),
        ({"name": "A", "slug": "Not A Slug"}, [("body", "payload.slug", "String should match pattern '^[a-z0-9]+(?:-[a-z0-9]+)*$'")]),
        ({"name": "A", "kind": "guild"}, [("body", "payload.kind", "Input should be 'building_blocks', 'industry', 'sector', 'occupation' or 'organization'")]),
        ({"name": "A", "visibility": "organization"}, [("body", "payload.visibility", "Input should be 'private' or 'public'")]),
        ({"name": "A", "tiers": [{"number": 0, "name": "T"}]}, [("body", "payload.tiers.0.number", "Input should be greater than or equal to 1")]),
        ([1, 2], [("body", "payload", "Value error, must be a JSON object")]),
    ],
)  # fmt: skip
def test_invalid_input_is_422_with_every_error_located(client, payload, errors):
    save()
    before = state()

    response = client.post(
        "/api/v1/frameworks", payload, content_type=JSON, **bearer(UserFactory())
    )

    assert response.status_code == 422
    assert response.json() == invalid(*errors)
    assert state() == before


def test_an_invalid_tree_is_422_and_nothing_is_written(client):
    payload = {
        "name": "Doubles",
        "tiers": [
            {
                "number": 1,
                "name": "T",
                "competencies": [{"code": "1.1", "name": "A"}, {"code": "1.1", "name": "B"}],
            }
        ],
    }

    response = client.post(
        "/api/v1/frameworks", payload, content_type=JSON, **bearer(UserFactory())
    )

    assert response.status_code == 422
    assert response.json() == {
        "detail": "The request is not valid; nothing was written.",
        "errors": [
            {
                "where": "framework, competency 1.1",
                "field": "competency code",
                "message": "'1.1' is used twice (first at framework, competency 1.1); "
                "codes are unique within a framework",
            }
        ],
    }
    assert state() == ([], 0, 0, 0, 0)


def test_a_body_that_is_not_json_is_400(client):
    response = client.post(
        "/api/v1/frameworks", "{not json", content_type=JSON, **bearer(UserFactory())
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "Cannot parse request body", "errors": []}
    assert not Framework.objects.exists()


def test_nul_characters_in_the_body_are_refused_where_they_are(client):
    payload = {
        "name": "Pipe\x00 Fitting",
        "description": "Line\x00one",
        "tiers": [
            {
                "number": 1,
                "name": "Tier\x00",
                "competencies": [
                    {"code": "1.1", "name": "Team\x00work", "behaviors": [{"text": "Sha\x00res"}]}
                ],
            }
        ],
    }

    response = client.post(
        "/api/v1/frameworks", payload, content_type=JSON, **bearer(UserFactory())
    )

    assert response.status_code == 422
    assert response.json() == invalid(
        *[
            ("body", f"payload.{field}", "contains a NUL character; remove it")
            for field in [
                "name",
                "description",
                "tiers.0.name",
                "tiers.0.competencies.0.name",
                "tiers.0.competencies.0.behaviors.0.text",
            ]
        ]
    )
    assert state() == ([], 0, 0, 0, 0)


# Who may change and delete


@pytest.fixture
def people():
    organization = OrganizationFactory()
    return {
        "organization": organization,
        "owner": UserFactory(),
        "org owner": MembershipFactory(organization=organization, role=Membership.Role.OWNER).user,
        "org editor": MembershipFactory(
            organization=organization, role=Membership.Role.EDITOR
        ).user,
        "org member": MembershipFactory(
            organization=organization, role=Membership.Role.VIEWER
        ).user,
        "outsider": MembershipFactory(role=Membership.Role.OWNER).user,
        "anonymous": None,
    }


@pytest.fixture
def shared(people):
    framework = save(visibility="private", actor=people["owner"])
    Framework.objects.filter(pk=framework.pk).update(
        organization=people["organization"], visibility="organization"
    )
    return framework


def headers_for(people, who) -> dict:
    return {} if people[who] is None else bearer(people[who])


PATCH_STATUS = {
    "owner": 200,
    "org owner": 200,
    "org editor": 200,
    "org member": 403,
    "outsider": 404,
    "anonymous": 401,
}


@pytest.mark.parametrize("who", list(PATCH_STATUS))
def test_who_may_change_a_shared_framework(client, people, shared, who):
    before = state()

    response = client.patch(
        "/api/v1/frameworks/welding",
        {"name": "Welding, revised", "status": "approved"},
        content_type=JSON,
        **headers_for(people, who),
    )

    assert response.status_code == PATCH_STATUS[who]
    framework = Framework.objects.get(pk=shared.pk)
    if PATCH_STATUS[who] == 200:
        assert (response.json()["name"], response.json()["status"]) == (
            "Welding, revised",
            "approved",
        )
        assert (framework.name, framework.status) == ("Welding, revised", "approved")
        assert SearchEntry.objects.get(kind="framework").title == "Welding, revised"
        return
    assert state() == before
    assert (
        response.json()
        == {
            403: {"detail": "You may not change the framework 'welding'.", "errors": []},
            404: NO_FRAMEWORK,
            401: UNAUTHENTICATED,
        }[PATCH_STATUS[who]]
    )


# Deleting a model, and who may see it, are for its owner and the owners of its organization.
DELETE_STATUS = {
    "owner": 204,
    "org owner": 204,
    "org editor": 403,
    "org member": 403,
    "outsider": 404,
    "anonymous": 401,
}
NOT_YOURS = "You may not change the framework 'welding'."


def not_managed(action: str) -> str:
    return (
        f"You may change the content of the framework 'welding' but not {action}: "
        "ask its owner or an owner of its organization."
    )


REFUSED = {
    "org editor": not_managed("delete it"),
    "org member": NOT_YOURS,
    "outsider": "No such framework.",
    "anonymous": UNAUTHENTICATED["detail"],
}


@pytest.mark.parametrize("who", list(DELETE_STATUS))
def test_who_may_delete_a_shared_framework(client, people, shared, who):
    before = state()

    response = client.delete("/api/v1/frameworks/welding", **headers_for(people, who))

    assert response.status_code == DELETE_STATUS[who]
    if DELETE_STATUS[who] == 204:
        assert response.content == b""
        assert state() == ([], 0, 0, 0, 0)
    else:
        assert response.json() == {"detail": REFUSED[who], "errors": []}
        assert state() == before


@pytest.mark.parametrize("who", list(DELETE_STATUS))
def test_who_may_make_a_shared_framework_public(client, people, shared, who):
    before = visibility_of(shared)

    response = client.patch(
        "/api/v1/frameworks/welding",
        {"visibility": "public"},
        content_type=JSON,
        **headers_for(people, who),
    )

    if DELETE_STATUS[who] == 204:
        assert (response.status_code, response.json()["visibility"]) == (200, "public")
        assert visibility_of(shared) == ("public", people["organization"].pk)
        return
    assert response.status_code == DELETE_STATUS[who]
    detail = not_managed("change who may see it") if who == "org editor" else REFUSED[who]
    assert response.json() == {"detail": detail, "errors": []}
    assert visibility_of(shared) == before == ("organization", people["organization"].pk)


def visibility_of(framework: Framework) -> tuple:
    return Framework.objects.filter(pk=framework.pk).values_list("visibility", "organization").get()


def test_a_public_framework_of_someone_else_is_403_not_404(client, people):
    save(actor=people["owner"])
    before = state()

    patch = client.patch(
        "/api/v1/frameworks/welding",
        {"name": "Mine now"},
        content_type=JSON,
        **bearer(people["outsider"]),
    )
    delete = client.delete("/api/v1/frameworks/welding", **bearer(people["outsider"]))

    assert (patch.status_code, delete.status_code) == (403, 403)
    assert (
        patch.json()
        == delete.json()
        == {
            "detail": "You may not change the framework 'welding'.",
            "errors": [],
        }
    )
    assert state() == before


@pytest.mark.parametrize(
    "payload, errors",
    [
        ({"name": ""}, [("body", "payload.name", "String should have at least 1 character")]),
        ({"status": "done"}, [("body", "payload.status", "Input should be 'draft', 'approved' or 'archived'")]),
        ({"naics": "12a"}, [("body", "payload.naics", "String should match pattern '^[0-9]*$'")]),
        ({"visibility": "organization"}, [("body", "payload.visibility", "Input should be 'private' or 'public'")]),
    ],
)  # fmt: skip
def test_an_invalid_change_is_422_and_changes_nothing(client, people, payload, errors):
    save(actor=people["owner"])
    before = state()

    response = client.patch(
        "/api/v1/frameworks/welding", payload, content_type=JSON, **bearer(people["owner"])
    )

    assert response.status_code == 422
    assert response.json() == invalid(*errors)
    assert state() == before


def test_a_session_change_needs_the_csrf_token(people):
    save(actor=people["owner"])
    client, csrf = logged_in_with_csrf(people["owner"])
    before = state()

    refused = client.patch("/api/v1/frameworks/welding", {"name": "New"}, content_type=JSON)
    refused_delete = client.delete("/api/v1/frameworks/welding")

    assert (refused.status_code, refused_delete.status_code) == (403, 403)
    assert state() == before
    changed = client.patch("/api/v1/frameworks/welding", {"name": "New"}, content_type=JSON, **csrf)
    assert changed.status_code == 200
    assert client.delete("/api/v1/frameworks/welding", **csrf).status_code == 204
    assert not Framework.objects.exists()


def test_a_field_the_route_does_not_know_is_refused_and_nothing_changes(client):
    from cmc.accounts.services import create_api_token
    from cmc.factories import UserFactory
    from cmc.frameworks.services import create_framework

    owner = UserFactory()
    create_framework(tree=welding_tree(slug="strict"), actor=owner)
    _, secret = create_api_token(user=owner, name="t")
    answer = client.patch(
        "/api/v1/frameworks/strict",
        {"slug": "renamed", "name": "New name"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "payload.slug"
    assert Framework.objects.get(slug="strict").name == "Welding Model"


@pytest.mark.django_db
def test_search_narrows_to_a_framework_by_its_slug_and_finds_what_tiers_say(client, reference):
    narrowed = client.get("/api/v1/search?q=soft+skills&framework=building-blocks").json()
    assert [(h["kind"], h["title"]) for h in narrowed["hits"]][:1] == [
        ("tier", "Tier 1: Personal Effectiveness Competencies")
    ]
    unknown = client.get("/api/v1/search?q=weld&framework=nope")
    assert (unknown.status_code, unknown.json()["errors"]) == (
        422,
        [
            {
                "where": "search",
                "field": "framework",
                "message": "there is no framework 'nope' you may see",
            }
        ],
    )
