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


def test_operation_ids_are_the_actions_names_each_used_once():
    from config.api import api

    operations = [
        operation
        for item in api.get_openapi_schema()["paths"].values()
        for operation in item.values()
    ]
    ids = [operation["operationId"] for operation in operations]
    assert len(ids) == len(set(ids)) == 105
    assert {"list_frameworks", "derive", "export", "upload_worksheet", "search"} <= set(ids)
    assert not [i for i in ids if i.startswith("cmc_")]  # no module paths in the contract


def test_every_schema_of_the_api_has_a_name_of_its_own():
    """Two schemas of one name are one component of the OpenAPI document: the second silently
    describes the first's answers."""
    from ninja import Schema as NinjaSchema

    import config.api  # noqa: F401  (every router, and so every schema, imported)

    def every(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from every(sub)

    names = [s.__name__ for s in set(every(NinjaSchema)) if s.__module__.startswith("cmc.")]
    assert sorted({n for n in names if names.count(n) > 1}) == []
