"""NUL characters are refused at the edge, the field named: 422 on the API (query parameters
and every text of a body, however deep), 400 on pages (query and form fields)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cmc.accounts.models import Organization
from cmc.accounts.services import create_api_token
from cmc.factories import UserFactory, welding_tree
from cmc.frameworks.models import Framework
from cmc.frameworks.services import save_framework_tree

pytestmark = pytest.mark.django_db
NUL_ERROR = "contains a NUL character; remove it"


def invalid(*errors) -> dict:
    return {
        "detail": "The request is not valid; see errors.",
        "errors": [{"where": w, "field": f, "message": NUL_ERROR} for w, f in errors],
    }


@pytest.fixture
def owner():
    user = UserFactory()
    save_framework_tree(tree=welding_tree(), where="test", actor=user, visibility="public")
    return user


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=user, name='t')[1]}"}


@pytest.mark.parametrize(
    "body, fields",
    [
        ({"sources": ["welding", "weld\x00ing"], "name": "Ours"}, ["sources.1"]),
        ({"sources": ["\x00"], "name": "Ours\x00"}, ["sources.0", "name"]),
    ],
)
def test_derive_refuses_a_nul_in_its_sources_naming_the_item(client, owner, body, fields):
    response = client.post(
        "/api/v1/frameworks/derive",
        json.dumps(body),
        content_type="application/json",
        **bearer(owner),
    )

    assert (response.status_code, response.json()) == (
        422,
        invalid(*[("body", f"payload.{field}") for field in fields]),
    )
    assert list(Framework.objects.values_list("slug", flat=True)) == ["welding"]


def test_a_nul_in_the_name_of_a_query_parameter_is_named_visibly(client):
    response = client.get("/api/v1/frameworks?q%00=x")

    assert (response.status_code, response.json()) == (422, invalid(("query", "q\u2400")))


def test_a_page_form_with_a_nul_is_refused_and_nothing_is_written(client):
    client.force_login(UserFactory())

    response = client.post("/accounts/organizations/", {"name": "Gulf\x00 Coast"})

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "The field 'name' contains a NUL character; remove it and try again."
    )
    assert not Organization.objects.exists()


def test_a_field_name_is_never_read_as_markup(client):
    response = client.get("/search/?<script>x</script>=%00")

    assert (response.status_code, response["Content-Type"]) == (400, "text/plain; charset=utf-8")


def test_files_may_hold_any_byte(client):
    client.force_login(UserFactory())

    response = client.post(
        "/accounts/organizations/",
        {"name": "Gulf Coast", "logo": SimpleUploadedFile("logo.bin", b"\x00\x01\x00")},
    )

    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/organizations/gulf-coast/",
    )
