"""`cmc import` of a CSV or XLSX file reads it once, putting its key behaviors aside in the
import's transaction (frameworks.services.spooling): it writes what an import of the same
file held whole writes, names the same problems, and leaves nothing behind."""

import uuid
from pathlib import Path

import pytest
from django.db import connection, transaction

from cmc.core.errors import InvalidInput, Problem
from cmc.core.models import SearchEntry
from cmc.factories import loaded, welding_tree
from cmc.frameworks.models import Competency, Framework, KeyBehavior, Tier
from cmc.frameworks.selectors import tree_of
from cmc.frameworks.services import import_trees, save_framework_tree, spooling, syncing
from cmc.frameworks.trees import BehaviorNode, CompetencyNode, FrameworkTree
from cmc.interchange import formats, native
from cmc.interchange.formats import tabular

from .conftest import big_tree

pytestmark = pytest.mark.django_db

HEADER = ",".join([*tabular.REQUIRED, "behavior identifier"])


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    """Batches of a few rows, so that small files take every path a big one takes: the spool
    written and read back in several statements, a competency read a part at a time, matched
    competencies compared in several batches."""
    monkeypatch.setattr(spooling, "ROWS", 3)
    monkeypatch.setattr(spooling, "BATCH", 2)
    monkeypatch.setattr(syncing, "BEHAVIORS_PER_BATCH", 4)


def held(path: Path) -> list:
    """The import of a file held whole, as the upload's task writes it."""
    trees, problems = formats.read_file(path)
    if problems:
        raise InvalidInput(problems)
    return import_trees(trees=trees, where=path.name)


def spooled(path: Path) -> list:
    return native.import_file(path=path)


def row_counts() -> tuple[int, ...]:
    models = (Framework, Tier, Competency, KeyBehavior, SearchEntry)
    return tuple(model.objects.count() for model in models)


def spool_tables() -> list:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_temp_master WHERE name LIKE 'cmc_spool%'")
        else:
            cursor.execute("SELECT tablename FROM pg_tables WHERE tablename LIKE 'cmc_spool%'")
        return cursor.fetchall()


class _Undone(Exception):
    pass


def outcome(way, path: Path) -> dict:
    """What importing the file `way` reports and leaves (undone afterwards): the report's
    lines, each framework's items (an identifier the framework had before or the file gives,
    else "new") and its search entries."""
    known = {str(i) for m in (Tier, Competency, KeyBehavior) for i in m.objects.values_list(
        "identifier", flat=True)} | set(path.read_bytes().decode("utf-8", "replace").split(","))  # fmt: skip

    def kept(identifier) -> object:
        return identifier if str(identifier) in known else "new"

    found: dict = {}
    try:
        with transaction.atomic():
            reports = way(path)
            found["lines"] = [line for report in reports for line in report.lines()]
            for report in reports:
                tree = tree_of(loaded(report.framework.slug))
                found[tree.slug] = [
                    (t.number, t.name, t.group, kept(t.identifier), [
                        (c.code, c.name, c.definition, kept(c.identifier),
                         [(b.title, b.text, kept(b.identifier)) for b in c.behaviors])
                        for c in t.competencies
                    ])
                    for t in tree.tiers
                ]  # fmt: skip
                found[f"{tree.slug} entries"] = sorted(
                    SearchEntry.objects.filter(scope_id=report.framework.pk).values_list(
                        "kind", "facet", "title", "body", "context", "url"
                    )
                )
            raise _Undone
    except _Undone:
        pass
    return found


def csv_file(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def exported(tmp_path: Path, tree: FrameworkTree, fmt: str = "csv") -> Path:
    path = tmp_path / f"{tree.slug}.{fmt}"
    path.write_bytes(formats.write(tree, fmt))
    return path


def test_a_new_framework_is_written_as_from_a_file_held_whole(tmp_path):
    path = exported(tmp_path, welding_tree())

    found = outcome(spooled, path)

    assert found == outcome(held, path)
    assert found["lines"] == [
        "Welding Model (welding) was created",
        "  tiers: 2 new, 0 changed, 0 removed, 0 unchanged",
        "  competencies: 3 new, 0 changed, 0 removed, 0 unchanged",
        "  key behaviors: 4 new, 0 changed, 0 removed, 0 unchanged",
    ]
    assert spool_tables() == []


def test_a_competencys_rows_scattered_over_the_file_keep_their_order(tmp_path):
    path = csv_file(
        tmp_path / "scattered.csv",
        "Shop,2,Academic,2.1,Reading,,,Reads specifications,",
        "Shop,1,Personal,1.1,Teamwork,Working together,,Shares tools,",
        "Shop,2,Academic,2.1,,,,Reads drawings,",
        "Shop,1,Personal,1.2,Integrity,,,Reports defects,",
        *[f"Shop,1,Personal,1.1,,,Step {n},Helps with task {n}," for n in range(1, 8)],  # fmt: skip
        "Shop,2,Academic,2.1,,,,Reads manuals,",
    )

    found = outcome(spooled, path)

    assert found == outcome(held, path)
    tiers = found["shop"]
    assert [(t[0], [(c[0], [b[1] for b in c[4]]) for c in t[4]]) for t in tiers] == [
        (2, [("2.1", ["Reads specifications", "Reads drawings", "Reads manuals"])]),
        (1, [
            ("1.1", ["Shares tools", *[f"Helps with task {n}" for n in range(1, 8)]]),
            ("1.2", ["Reports defects"]),
        ]),
    ]  # fmt: skip


def test_two_frameworks_of_one_file_are_written_as_from_a_file_held_whole(tmp_path):
    path = csv_file(
        tmp_path / "two.csv",
        "Shop,1,Personal,1.1,Teamwork,,,Shares tools,",
        "Yard,1,Base,1.1,Safety,,,Wears a helmet,",
        "Shop,1,Personal,1.1,,,,Asks for help,",
        "Yard,1,Base,1.2,Care,,,Checks the crane,",
    )

    found = outcome(spooled, path)

    assert found == outcome(held, path)
    assert [len(found[slug][0][4]) for slug in ("shop", "yard")] == [1, 2]


def changed_copy(tree: FrameworkTree) -> FrameworkTree:
    """The tree with a key behavior rewritten, one removed, one added, one moved to another
    competency (keeping its identifier), a competency renamed, one added and one removed."""
    first, second, third = tree.tiers[0].competencies[:3]
    first.behaviors[0].text = "Rewritten"
    del first.behaviors[1]
    first.behaviors.append(BehaviorNode(text="Added"))
    second.behaviors.append(third.behaviors.pop(0))
    second.name = "Renamed"
    tree.tiers[1].competencies.append(CompetencyNode(code="2.9", name="New", behaviors=[
        BehaviorNode(text="Fresh")]))  # fmt: skip
    del tree.tiers[2].competencies[0]
    return tree


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_reimport_writes_only_what_changed_keeping_identifiers(tmp_path, fmt):
    save_framework_tree(tree=big_tree(15, 3), where="test")
    tree = changed_copy(tree_of(loaded("big")))
    path = exported(tmp_path, tree, fmt)

    found = outcome(spooled, path)

    assert found == outcome(held, path)
    # Changed: 1.2 renamed, 3.2 and 3.3 moved up; the key behavior rewritten, the one after
    # the removed one, the one moved to 1.2 and the two left in 1.3, all moved up.
    assert found["lines"] == [
        "Big Model (big) was updated",
        "  tiers: 0 new, 0 changed, 0 removed, 5 unchanged",
        "  competencies: 1 new, 3 changed, 1 removed, 11 unchanged",
        "  key behaviors: 2 new, 5 changed, 4 removed, 36 unchanged",
    ]
    kept = {b[2] for t in found["big"] for c in t[4] for b in c[4]} - {"new"}
    given = {b.identifier for t in tree.tiers for c in t.competencies for b in c.behaviors}
    assert kept == given - {None}
    assert len(kept) == 45 - 3 - 1  # 3.1's went with it, and the one removed from 1.1


def test_a_reimport_without_identifiers_matches_by_code_and_position(tmp_path):
    save_framework_tree(tree=big_tree(15, 3), where="test")
    tree = changed_copy(tree_of(loaded("big")))
    for tier in tree.tiers:
        tier.identifier = None
        for competency in tier.competencies:
            competency.identifier = None
            for behavior in competency.behaviors:
                behavior.identifier = None
    path = exported(tmp_path, tree)

    found = outcome(spooled, path)

    assert found == outcome(held, path)
    # By position: 1.1's first is rewritten and its other two take the texts after them, 1.3's
    # two take the texts before them and its last goes; 1.2's fourth and 2.9's are new; 3.1's
    # three go with it.
    assert found["lines"][1:] == [
        "  tiers: 0 new, 0 changed, 0 removed, 5 unchanged",
        "  competencies: 1 new, 3 changed, 1 removed, 11 unchanged",
        "  key behaviors: 2 new, 5 changed, 4 removed, 36 unchanged",
    ]


def test_the_same_file_again_writes_no_row(tmp_path):
    save_framework_tree(tree=big_tree(15, 3), where="test")
    path = exported(tmp_path, tree_of(loaded("big")))

    assert outcome(spooled, path)["lines"] == [
        "Big Model (big) was unchanged",
        "  tiers: 0 new, 0 changed, 0 removed, 5 unchanged",
        "  competencies: 0 new, 0 changed, 0 removed, 15 unchanged",
        "  key behaviors: 0 new, 0 changed, 0 removed, 45 unchanged",
    ]


def test_a_dry_run_reports_and_writes_nothing(tmp_path):
    save_framework_tree(tree=big_tree(15, 3), where="test")
    path = exported(tmp_path, changed_copy(tree_of(loaded("big"))))
    before, counts = tree_of(loaded("big")), row_counts()

    [report] = native.import_file(path=path, dry_run=True)

    assert report.lines()[0] == "Big Model (big) would be updated"
    assert report.lines()[1:] == outcome(spooled, path)["lines"][1:]
    assert (tree_of(loaded("big")), row_counts()) == (before, counts)
    assert spool_tables() == []


def problems(way, path: Path) -> list[Problem]:
    before = row_counts()
    with pytest.raises(InvalidInput) as caught:
        way(path)
    assert row_counts() == before
    assert spool_tables() == []
    return caught.value.problems


def test_a_problem_in_the_last_row_writes_nothing(tmp_path):
    rows = [f"Shop,1,Personal,1.{n // 4 + 1},Skill {n // 4},,,Does thing {n}," for n in range(40)]
    path = csv_file(tmp_path / "model.csv", *rows, "Shop,x,Personal,1.1,,,,Does more,")

    assert problems(spooled, path) == [
        Problem("model.csv, row 42", "tier number", "'x' is not a whole number; use 1 to 99")
    ]
    assert problems(held, path) == problems(spooled, path)


def test_a_long_title_in_the_last_row_is_named_as_when_the_file_is_held_whole(tmp_path):
    rows = [f"Shop,1,Personal,1.{n // 4 + 1},Skill {n // 4},,,Does thing {n}," for n in range(9)]
    path = csv_file(tmp_path / "model.csv", *rows, f"Shop,1,Personal,1.1,,,{'t' * 301},Does,")

    assert problems(spooled, path) == [
        Problem("model.csv, row 11", "behavior title", "is longer than 300 characters")
    ]
    assert problems(held, path) == problems(spooled, path)


def test_an_identifier_given_to_two_key_behaviors_is_named_at_the_second(tmp_path):
    twice = uuid.uuid4()
    path = csv_file(
        tmp_path / "model.csv",
        f"Shop,1,Personal,1.1,Teamwork,,,Shares tools,{twice}",
        "Shop,1,Personal,1.1,,,,Asks for help,",
        "Shop,1,Personal,1.2,Integrity,,,Reports defects,",
        f"Shop,1,Personal,1.2,,,,Owns mistakes,{twice}",
        f"Shop,1,Personal,1.3,Care,,,Checks twice,{twice}",
    )

    message = f"'{twice}' is used twice (first at model.csv, row 2); leave it empty for a new item"
    assert problems(spooled, path) == [
        Problem("model.csv, row 5", "behavior identifier", message),
        Problem("model.csv, row 6", "behavior identifier", message),
    ]
    assert problems(held, path) == problems(spooled, path)


@pytest.mark.parametrize("slug", ["other", "big"], ids=["a new framework", "an update"])
def test_an_identifier_of_another_frameworks_key_behavior_is_refused_at_its_row(tmp_path, slug):
    save_framework_tree(tree=big_tree(3, 2), where="test")
    save_framework_tree(tree=welding_tree(), where="test")
    theirs = KeyBehavior.objects.filter(competency__framework__slug="welding").first().identifier
    name = "Big Model" if slug == "big" else "Other"
    path = csv_file(
        tmp_path / "model.csv",
        f"{name},1,Tier 1,1.1,Competency 0,,,Shares tools,",
        f"{name},1,Tier 1,1.1,,,,Borrowed,{theirs}",
    )

    assert problems(spooled, path) == [
        Problem(
            "model.csv, row 3",
            "behavior identifier",
            f"'{theirs}' belongs to a behavior of the framework 'welding'; "
            "leave it empty to make a new behavior",
        )
    ]
    assert problems(held, path) == problems(spooled, path)


def test_the_frameworks_read_into_a_spool_hold_no_key_behavior(tmp_path):
    path = exported(tmp_path, welding_tree())

    with transaction.atomic(), spooling.spooled() as spool:
        [tree], found = formats.read_file(path, spool=spool)

    assert found == []
    assert [c.behaviors for t in tree.tiers for c in t.competencies] == [[], [], []]
    assert sorted(spool.counts.values()) == [1, 1, 2]
    assert spool_tables() == []


def test_a_json_document_is_never_read_into_a_spool(tmp_path):
    path = exported(tmp_path, welding_tree(), "json")

    with transaction.atomic(), spooling.spooled() as spool, pytest.raises(ValueError):
        formats.read_file(path, spool=spool)
    [report] = native.import_file(path=path)
    assert report.lines()[3] == "  key behaviors: 4 new, 0 changed, 0 removed, 0 unchanged"
