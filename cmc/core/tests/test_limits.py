"""Requests too large to read are refused by the app, with a message: JSON on the API (414 for a
request line too long, 413 for a body), never the app server's bare HTML page."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cmc.accounts.services import create_api_token
from cmc.core.middleware import MAX_REQUEST_LINE
from cmc.factories import UserFactory

pytestmark = pytest.mark.django_db

JSON = "application/json"
FIVE_MB = 5 * 1024 * 1024
# "GET " + the address + " HTTP/1.1": a query string `q=` this long makes a line this long.
SEARCH = "/api/v1/frameworks?q="


def line_of(path: str) -> int:
    return len(f"GET {path} HTTP/1.1")


def query_making(path: str, length: int) -> str:
    return path + "a" * (length - line_of(path))


@pytest.fixture
def auth():
    token = create_api_token(user=UserFactory(username="olga"), name="tests")[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def too_long(length: int) -> str:
    return (
        f"The request line (method and address) is {length:,} characters long; at most 8,190 "
        "are read. Shorten the query string, or send the data in the request body."
    )


def test_a_request_line_too_long_is_a_414_in_json_on_the_api(client):
    response = client.get(query_making(SEARCH, 9000))

    assert (response.status_code, response["Content-Type"]) == (414, JSON)
    assert response.json() == {"detail": too_long(9000), "errors": []}


def test_a_request_line_too_long_is_a_414_in_words_on_a_page(client):
    response = client.get(query_making("/search/?q=", MAX_REQUEST_LINE + 1))

    assert response.status_code == 414
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == too_long(MAX_REQUEST_LINE + 1)


def test_a_request_line_at_the_limit_reaches_the_route(client):
    response = client.get(query_making(SEARCH, MAX_REQUEST_LINE))

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"where": "query", "field": "q", "message": "String should have at most 200 characters"}
    ]


def test_a_json_body_too_long_is_a_413_before_it_is_read(client, auth):
    body = json.dumps({"name": "x" * FIVE_MB})

    response = client.post("/api/v1/frameworks", body, content_type=JSON, **auth)

    assert (response.status_code, response["Content-Type"]) == (413, JSON)
    assert response.json() == {
        "detail": f"The request body is {len(body):,} bytes long; at most 5,242,880 are read "
        "here. Send a smaller one.",
        "errors": [],
    }


def test_a_json_body_at_the_limit_is_read(client, auth):
    body = json.dumps({"name": "Welding"})
    body += " " * (FIVE_MB - len(body))  # JSON may have that much space after its value

    response = client.post("/api/v1/frameworks", body, content_type=JSON, **auth)

    assert (response.status_code, response.json()["name"]) == (201, "Welding")


def test_form_fields_too_long_beside_a_file_are_a_413(client, auth):
    """Within a length that may be read (a file's), the other fields of a form are read
    only up to Django's limit on them."""
    response = client.post(
        "/api/v1/frameworks/no-such-model/worksheets/employer",
        {"file": SimpleUploadedFile("employer.xlsx", b"PK"), "note": "n" * (FIVE_MB + 1)},
        **auth,
    )

    assert (response.status_code, response["Content-Type"]) == (413, JSON)
    assert response.json() == {
        "detail": "The fields of the form, beside its files, are longer than 5,242,880 bytes "
        "in all. Send shorter ones.",
        "errors": [],
    }


def test_an_upload_longer_than_any_file_taken_is_a_413_before_it_is_read(client, auth, settings):
    settings.CMC_MAX_IMPORT_BYTES = 1000
    limit = 1000 + 1024 * 1024

    response = client.post(
        "/api/v1/frameworks/no-such-model/worksheets/employer",
        {"file": SimpleUploadedFile("employer.xlsx", b"x" * limit)},
        **auth,
    )

    assert response.status_code == 413
    size = int(response.wsgi_request.META["CONTENT_LENGTH"])
    assert response.json() == {
        "detail": f"The request body is {size:,} bytes long; at most {limit:,} are read here. "
        "Send a smaller one.",
        "errors": [],
    }
