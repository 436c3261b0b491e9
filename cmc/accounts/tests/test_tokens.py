"""Bearer tokens on the API: a valid one acts for its user; one that is not valid is refused
(401) on every route, read or write, never read as anonymous nor handed to the session."""

import json
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from cmc.accounts.models import ApiToken
from cmc.accounts.services import create_api_token
from cmc.factories import UserFactory, welding_tree
from cmc.frameworks.models import Framework
from cmc.frameworks.services import save_framework_tree

pytestmark = pytest.mark.django_db

INVALID_TOKEN = {
    "detail": "The bearer token is not valid: it was revoked, mistyped, or its account is "
    "inactive. Create a new one on your profile page or with cmc token create USER.",
    "errors": [],
}
UNAUTHENTICATED = {
    "detail": "Sign in or send a bearer token (cmc token create USER).",
    "errors": [],
}


def every_operation() -> list[tuple[str, str]]:
    """(method, address) of every route of the API, its path parameters filled in."""
    from config.api import api

    values = {"integer": "1", "uuid": str(uuid.uuid4())}
    operations = []
    for path, item in api.get_openapi_schema()["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                schema = parameter["schema"]
                value = values.get(schema.get("format") or schema.get("type"), "welding")
                path = path.replace(f"{{{parameter['name']}}}", value)
            operations.append((method, path))
    return operations + [("get", "/api/v1/openapi.json"), ("get", "/api/v1/docs")]


def private_model(owner) -> Framework:
    save_framework_tree(tree=welding_tree(), where="test", actor=owner, visibility="private")
    return Framework.objects.get(slug="welding")


def bad_tokens(owner) -> dict[str, str]:
    revoked = create_api_token(user=owner, name="old")[1]
    ApiToken.objects.filter(name="old").delete()
    inactive_user = UserFactory(is_active=False)
    return {
        "revoked": revoked,
        "mistyped": "cmc_not-a-token",
        "empty": "",
        "inactive": create_api_token(user=inactive_user, name="t")[1],
    }


def test_the_api_has_the_routes_this_test_walks():
    assert len(every_operation()) == 107


@pytest.mark.parametrize("kind", ["revoked", "mistyped", "empty", "inactive"])
def test_a_token_that_is_not_valid_is_401_on_every_route(client, kind):
    owner = UserFactory()
    model = private_model(owner)
    token = bad_tokens(owner)[kind]
    before = (Framework.objects.count(), model.name, model.updated_at)

    answers = {
        (method, path): client.generic(
            method.upper(),
            path,
            "" if method == "get" else "{}",
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        for method, path in every_operation()
    }

    assert {key: answer.status_code for key, answer in answers.items()} == {
        key: 401 for key in answers
    }
    assert all(json.loads(answer.content) == INVALID_TOKEN for answer in answers.values())
    assert {answer["WWW-Authenticate"] for answer in answers.values()} == {
        'Bearer error="invalid_token"'
    }
    model.refresh_from_db()
    assert (Framework.objects.count(), model.name, model.updated_at) == before


def test_a_bad_token_beside_a_signed_in_session_is_401_not_a_csrf_failure():
    owner = UserFactory()
    model = private_model(owner)
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    bad = {"HTTP_AUTHORIZATION": "Bearer cmc_not-a-token"}

    read = client.get("/api/v1/frameworks/welding", **bad)
    write = client.patch(
        "/api/v1/frameworks/welding", {"name": "Taken"}, content_type="application/json", **bad
    )

    assert (read.status_code, read.json()) == (401, INVALID_TOKEN)
    assert (write.status_code, write.json()) == (401, INVALID_TOKEN)
    model.refresh_from_db()
    assert model.name == "Welding Model"


def test_a_valid_token_reads_and_writes_for_its_user(client):
    owner = UserFactory()
    private_model(owner)
    raw = create_api_token(user=owner, name="laptop")[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    started = timezone.now()

    read = client.get("/api/v1/frameworks/welding", **headers)
    write = client.patch(
        "/api/v1/frameworks/welding", {"name": "Ours"}, content_type="application/json", **headers
    )

    assert (read.status_code, read.json()["name"]) == (200, "Welding Model")
    assert (write.status_code, write.json()["name"]) == (200, "Ours")
    assert started <= ApiToken.objects.get(name="laptop").last_used_at <= timezone.now()
    assert client.get("/api/v1/frameworks/welding").status_code == 404  # anonymous: private


def test_without_the_edge_the_routes_still_refuse_a_bad_token(client, settings):
    """The routes' own checks hold too: a read does not fall back to anonymous, a write does
    not fall through to the session's CSRF check."""
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "cmc.accounts.middleware.BearerTokenMiddleware"
    ]
    owner = UserFactory()
    model = private_model(owner)
    client.force_login(owner)
    bad = {"HTTP_AUTHORIZATION": "Bearer cmc_not-a-token"}

    read = client.get("/api/v1/frameworks", **bad)
    write = client.patch(
        "/api/v1/frameworks/welding", {"name": "Taken"}, content_type="application/json", **bad
    )

    assert (read.status_code, read.json()) == (401, UNAUTHENTICATED)
    assert (write.status_code, write.json()) == (401, UNAUTHENTICATED)
    model.refresh_from_db()
    assert model.name == "Welding Model"


def test_pages_ignore_an_authorization_header(client):
    page = client.get("/frameworks/", HTTP_AUTHORIZATION="Bearer cmc_not-a-token")

    assert page.status_code == 200
    assert "<h1>Frameworks</h1>" in page.content.decode()
