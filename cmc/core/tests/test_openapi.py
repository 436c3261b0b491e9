"""The committed OpenAPI document is the live one: a change to the API shows in review."""

from pathlib import Path

from django.conf import settings

from cmc.core.management.commands.export_openapi import openapi_text


def test_committed_openapi_matches_the_live_schema():
    committed = Path(settings.BASE_DIR) / "openapi.json"
    assert committed.exists(), "openapi.json is missing: run `cmc manage export_openapi`"
    assert committed.read_text(encoding="utf-8") == openapi_text(), (
        "The API changed: run `cmc manage export_openapi` and commit openapi.json"
    )


def test_live_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/frameworks/{slug}" in paths
    assert {"get", "patch", "delete"} <= set(paths["/api/v1/competencies/{identifier}"])
