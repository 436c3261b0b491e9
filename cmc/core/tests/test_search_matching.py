"""The match of one collection as a subquery (`match_sql`) and marked snippets (`snippet`): the
same cases pass on SQLite (FTS5) and PostgreSQL (tsvector)."""

import pytest
from django.db import connection

from cmc.core.search import Collection, Entry, index, match_sql, register, snippet, unregister
from cmc.frameworks.models import Framework

pytestmark = pytest.mark.django_db

NOTES = Collection(
    name="test-notes",
    kinds={"note": "Note", "memo": "Memo"},
    visible=lambda user: Framework.objects.all(),
    scope_labels=lambda user, ids: {},
    scope_param="test-note",
    scope_heading="Notes",
)


@pytest.fixture
def notes():
    register(NOTES)
    index(
        collection="test-notes",
        scope_id=1,
        entries=[
            Entry(kind="note", object_id=11, title="Welding hazards", url="/n/11"),
            Entry(kind="memo", object_id=12, title="Shop rules", url="/n/12", body="Welding gloves hazards"),
            Entry(kind="note", object_id=13, title="Teamwork", url="/n/13"),
        ],
    )  # fmt: skip
    yield
    unregister("test-notes")


def matched(query: str, **kwargs) -> list[int]:
    sql, params = match_sql(query, collection="test-notes", **kwargs)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT object_id FROM ({sql}) m ORDER BY score DESC, object_id", params)
        return [row[0] for row in cursor.fetchall()]


def test_the_match_ranks_title_words_first_and_keeps_to_its_collection(notes):
    assert matched("hazard weld") == [11, 12]
    assert matched("teamwork") == [13]


def test_the_match_narrows_to_kinds(notes):
    assert matched("welding", kinds=["memo"]) == [12]


def test_no_words_no_match(notes):
    assert match_sql("the and of", collection="test-notes") is None


def test_a_snippet_is_escaped_then_marked():
    assert str(snippet("Use <b>welding</b> gloves", "weld")) == (
        "Use &lt;b&gt;<mark>welding</mark>&lt;/b&gt; gloves"
    )
