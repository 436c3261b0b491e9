"""Core migration 0003 on a database that holds entries, on both engines: the entries of
frameworks keep their words and are found through the registry afterwards; the engine's index
keeps following the table (SQLite's triggers are back); and the way back keeps them too."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cmc.core import search
from cmc.core.actors import SYSTEM
from cmc.core.models import SearchEntry
from cmc.factories import FrameworkFactory

BEFORE = [("core", "0002_search_folds_accents_on_postgresql")]
AFTER = [("core", "0003_search_entries_belong_to_registered_collections")]


def migrate(targets):
    """Migrate core to `targets`; the models of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def found(query: str) -> list[tuple]:
    return sorted(
        (h.collection, h.kind, h.scope_id, h.facet, h.title, str(h.snippet))
        for h in search.search(query, user=SYSTEM).hits
    )


def check_the_fts_index():
    """SQLite: FTS5 compares its index with the table and raises if they differ (PostgreSQL's
    tsvector is a generated column of the table: it cannot differ)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO core_search_fts(core_search_fts) VALUES ('integrity-check')"
            )


@pytest.mark.django_db(transaction=True)
def test_entries_written_before_the_registry_are_found_after_it_and_back():
    welding = FrameworkFactory(name="Welding Model", slug="welding")
    try:
        old = migrate(BEFORE).get_model("core", "SearchEntry")
        old.objects.bulk_create(
            [
                old(kind="framework", framework_id=welding.pk, object_id=welding.pk,
                    title="Welding Model", body="Arc welding", url="/frameworks/welding/"),
                old(kind="competency", framework_id=welding.pk, tier_number=2, object_id=7,
                    title="2.1 Reading", body="Reading weld symbols", url="/c/2.1/"),
            ]
        )  # fmt: skip

        migrate(AFTER)

        assert found("weld") == [
            ("frameworks", "competency", welding.pk, 2, "2.1 Reading",
             "Reading <mark>weld</mark> symbols"),
            ("frameworks", "framework", welding.pk, None, "Welding Model",
             "Arc <mark>welding</mark>"),
        ]  # fmt: skip
        check_the_fts_index()
        # The index follows the table again: replaced entries are gone, new ones are found.
        search.index(
            collection="frameworks",
            scope_id=welding.pk,
            entries=[search.Entry(kind="framework", object_id=welding.pk, title="Pipe Model", url="/p/")],
        )  # fmt: skip
        assert found("weld") == []
        assert [title for *_, title, _ in found("pipe")] == ["Pipe Model"]
        SearchEntry.objects.filter(title="Pipe Model").update(title="Tube Model")
        assert (found("pipe"), [title for *_, title, _ in found("tube")]) == ([], ["Tube Model"])
        SearchEntry.objects.create(
            collection="notes", scope_id=1, kind="note", object_id=1, title="Tube note", url="/n/"
        )
        check_the_fts_index()

        # Back: the frameworks' entries keep their framework; other collections' have none.
        old = migrate(BEFORE).get_model("core", "SearchEntry")
        assert list(old.objects.values_list("kind", "framework_id", "tier_number", "title")) == [
            ("framework", welding.pk, None, "Tube Model")
        ]
        check_the_fts_index()
    finally:
        latest()
