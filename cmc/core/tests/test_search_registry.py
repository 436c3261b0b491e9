"""The search registry: a collection that core knows nothing about (notes scoped to auth groups,
registered here as an app would in its ready()) is indexed, found with its own visibility rule
and faceted beside the frameworks, on both engines."""

from dataclasses import replace

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import ImproperlyConfigured

from cmc.core import search
from cmc.core.actors import SYSTEM
from cmc.core.models import SearchEntry
from cmc.factories import UserFactory, welding_tree
from cmc.frameworks.services import save_framework_tree

pytestmark = pytest.mark.django_db


def groups_of(user):
    """The notes rule: a user sees the notes of the groups they belong to; nobody sees none."""
    if user is None or not user.is_authenticated:
        return Group.objects.none()
    return Group.objects.filter(user=user)


NOTES = search.Collection(
    name="notes",
    kinds={"note": "Note", "memo": "Memo"},
    visible=groups_of,
    scope_labels=lambda user, ids: dict(Group.objects.filter(pk__in=ids).values_list("pk", "name")),
    scope_param="group",
    scope_heading="Groups",
    facet_param="level",
    facet_heading="Levels",
    facet_label="Level {}",
)


@pytest.fixture
def notes():
    search.register(NOTES)
    welders, painters = Group.objects.create(name="Welders"), Group.objects.create(name="Painters")
    search.index(
        collection="notes",
        scope_id=welders.pk,
        entries=[
            search.Entry(kind="note", object_id=1, title="Weld bay rota", url="/notes/1/", facet=1),
            search.Entry(kind="memo", object_id=2, title="Gas", body="Weld gas order", url="/n/2/"),
        ],
    )
    search.index(
        collection="notes",
        scope_id=painters.pk,
        entries=[search.Entry(kind="note", object_id=3, title="Weld primer", url="/notes/3/")],
    )
    welder = UserFactory()
    welder.groups.add(welders)
    yield {"welders": welders.pk, "painters": painters.pk, "welder": welder}
    search.unregister("notes")


@pytest.fixture
def welding():
    return save_framework_tree(
        tree=welding_tree(), where="test", visibility="public", actor=SYSTEM
    ).framework


def found(results) -> list[tuple[str, str, str]]:
    return sorted((h.collection, h.kind_label, h.url) for h in results.hits)


def test_a_registered_collection_is_found_by_its_own_visibility_rule(notes, welding):
    welder = search.search("weld", user=notes["welder"])

    assert found(welder) == [
        ("frameworks", "Framework", "/frameworks/welding/"),
        ("frameworks", "Key behavior", "/frameworks/welding/competencies/2.1/#behavior-1"),
        ("notes", "Memo", "/n/2/"),
        ("notes", "Note", "/notes/1/"),
    ]
    assert welder.total == 4
    assert welder.scope_counts == {"frameworks": {welding.pk: 2}, "notes": {notes["welders"]: 2}}
    assert welder.facet_counts == {"frameworks": {2: 1}, "notes": {1: 1}}


@pytest.mark.parametrize("who", ["anonymous", "nobody", "outsider"])
def test_those_outside_every_group_find_no_note(notes, welding, who):
    user = {"anonymous": AnonymousUser(), "nobody": None, "outsider": UserFactory()}[who]

    results = search.search("weld", user=user)

    assert {h.collection for h in results.hits} == {"frameworks"}
    assert results.scope_counts == {"frameworks": {welding.pk: 2}}


def test_the_system_finds_every_note_without_asking_the_rule(notes):
    results = search.search("weld", user=SYSTEM, collections=["notes"])

    assert found(results) == [
        ("notes", "Memo", "/n/2/"),
        ("notes", "Note", "/notes/1/"),
        ("notes", "Note", "/notes/3/"),
    ]
    assert results.scope_counts == {"notes": {notes["welders"]: 2, notes["painters"]: 1}}


def test_collections_scope_and_facet_narrow_the_search(notes, welding):
    only_notes = search.search("weld", user=notes["welder"], collections=["notes"])
    assert found(only_notes) == [("notes", "Memo", "/n/2/"), ("notes", "Note", "/notes/1/")]

    in_group = search.search("weld", user=notes["welder"], scope=("notes", notes["welders"]))
    assert (found(in_group), in_group.total) == (
        [("notes", "Memo", "/n/2/"), ("notes", "Note", "/notes/1/")],
        2,
    )
    # The facet numbers are counted within the scope asked for; the scopes over everything.
    assert in_group.facet_counts == {"notes": {1: 1}}
    assert in_group.scope_counts == {"frameworks": {welding.pk: 2}, "notes": {notes["welders"]: 2}}

    level = search.search("weld", user=notes["welder"], facet=("notes", 1))
    assert (found(level), level.total) == ([("notes", "Note", "/notes/1/")], 1)

    hidden = search.search("weld", user=notes["welder"], scope=("notes", notes["painters"]))
    assert (hidden.hits, hidden.total) == ([], 0)
    elsewhere = search.search(
        "weld", user=notes["welder"], collections=["frameworks"], scope=("notes", notes["welders"])
    )
    assert (elsewhere.hits, elsewhere.total) == ([], 0)
    assert elsewhere.scope_counts == {"frameworks": {welding.pk: 2}}


def test_the_search_page_lists_the_collection_with_its_own_labels(client, notes, welding):
    client.force_login(notes["welder"])

    page = client.get("/search/?q=weld&level=1").content.decode()

    assert '<h2 id="hits-heading">1 result for “weld”</h2>' in page
    assert '<span class="badge">Note</span>' in page
    assert '<a href="/notes/1/">Weld bay rota</a>' in page
    assert "<h2>Groups</h2>" in page
    groups = f'<a href="?q=weld&amp;group={notes["welders"]}">Welders</a> '
    assert groups + '<span class="count">2</span>' in page
    assert "<h2>Levels</h2>" in page
    level = '<a href="?q=weld&amp;level=1" aria-current="true">Level 1</a> '
    assert level + '<span class="count">1</span>' in page
    assert '<input type="hidden" name="level" value="1">' in page
    assert "Painters" not in page


def test_the_search_page_refuses_a_bad_filter_of_a_collection(client, notes):
    page = client.get("/search/?q=weld&level=100").content.decode()

    assert "The search could not be run: Ensure this value is less than or equal to 99." in page


def test_an_unregistered_kind_is_refused_and_nothing_is_written(notes):
    before = list(SearchEntry.objects.order_by("id").values_list("kind", "title"))

    with pytest.raises(ValueError) as refused:
        search.index(
            collection="notes",
            scope_id=notes["welders"],
            entries=[
                search.Entry(kind="note", object_id=9, title="Kept?", url="/notes/9/"),
                search.Entry(kind="letter", object_id=8, title="Dear", url="/notes/8/"),
            ],
        )

    assert str(refused.value) == (
        "search: 'letter' is not a kind of the collection 'notes' (its kinds: note, memo); "
        "register the kind first"
    )
    assert list(SearchEntry.objects.order_by("id").values_list("kind", "title")) == before


def group_rows(kind: str, name: str) -> search.Rows:
    """Entries the database makes from an app's own rows: here, a note for each group named."""
    return search.Rows(
        kind,
        "SELECT 2, id, 'Roster of ' || name, 'Weld shifts', name, "
        "'/groups/' || CAST(id AS TEXT) || '/' FROM auth_group WHERE name = %s",
        [name],
    )


def test_entries_the_database_makes_from_rows_are_found_beside_the_others(notes):
    written = search.index(
        collection="notes",
        scope_id=notes["welders"],
        entries=[search.Entry(kind="note", object_id=1, title="Weld bay rota", url="/notes/1/")],
        rows=[group_rows("memo", "Welders")],
    )

    welders = notes["welders"]
    assert written == 2
    assert list(SearchEntry.objects.filter(collection="notes", scope_id=welders)
                .order_by("id").values_list("kind", "facet", "object_id", "title", "body",
                                            "context", "url")) == [
        ("note", None, 1, "Weld bay rota", "", "", "/notes/1/"),
        ("memo", 2, welders, "Roster of Welders", "Weld shifts", "Welders", f"/groups/{welders}/"),
    ]  # fmt: skip
    # The engine's own index follows the rows the database made, as it follows the others.
    assert ("notes", "Memo", f"/groups/{welders}/") in found(search.search("shifts", user=SYSTEM))


def test_rows_of_an_unregistered_kind_are_refused_before_anything_is_written(notes):
    before = list(SearchEntry.objects.order_by("id").values_list("kind", "title"))

    with pytest.raises(ValueError) as refused:
        search.index(collection="notes", scope_id=notes["welders"],
                     rows=[group_rows("memo", "Welders"), group_rows("letter", "Painters")])  # fmt: skip

    assert str(refused.value) == (
        "search: 'letter' is not a kind of the collection 'notes' (its kinds: note, memo); "
        "register the kind first"
    )
    assert list(SearchEntry.objects.order_by("id").values_list("kind", "title")) == before


def test_removing_a_scope_removes_its_entries_only(notes):
    assert search.remove(collection="notes", scope_id=notes["welders"]) == 2

    assert found(search.search("weld", user=SYSTEM)) == [("notes", "Note", "/notes/3/")]


def test_an_unknown_collection_is_named_with_those_registered(notes):
    with pytest.raises(LookupError) as unknown:
        search.search("weld", user=SYSTEM, collections=["zeppelins"])

    # Every app registers its own collections: the message names each of them.
    registered = ", ".join(sorted(c.name for c in search.collections()))
    assert "notes" in registered.split(", ")
    assert str(unknown.value) == (
        f"search: no collection 'zeppelins' is registered (registered: {registered})"
    )


def test_a_collection_cannot_take_a_name_or_a_filter_that_is_taken(notes):
    assert search.register(NOTES) is NOTES  # the same again (apps made ready twice)
    with pytest.raises(ImproperlyConfigured) as twice:
        search.register(replace(NOTES, scope_param="team", facet_param=""))
    assert str(twice.value) == "search: a collection 'notes' is registered already"

    clash = search.Collection(
        name="memos",
        kinds={"memo": "Memo"},
        visible=groups_of,
        scope_labels=NOTES.scope_labels,
        scope_param="framework",
        scope_heading="Memos",
        facet_param="level",
    )
    with pytest.raises(ImproperlyConfigured) as taken:
        search.register(clash)
    assert str(taken.value) == (
        "search: the collection 'memos' asks for the filter parameter(s) framework, level, "
        "which another collection uses; choose other names"
    )
    # Nothing was registered: the apps' own collections and notes, no memos.
    names = [c.name for c in search.collections()]
    assert "notes" in names and "memos" not in names
