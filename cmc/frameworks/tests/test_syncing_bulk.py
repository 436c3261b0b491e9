"""Saving a tree writes in bulk, per framework: statements grow with batches of rows, not with
competencies, and a save that changes a few rows writes only those rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cmc.core import bulk
from cmc.frameworks.models import Competency, KeyBehavior
from cmc.frameworks.services import save_framework_tree, syncing
from cmc.frameworks.trees import BehaviorNode, CompetencyNode, FrameworkTree, TierNode

pytestmark = pytest.mark.django_db

TABLES = ("frameworks_tier", "frameworks_competency", "frameworks_keybehavior")


def big_tree(competencies: int, behaviors: int) -> FrameworkTree:
    tiers = [TierNode(number=n, name=f"Tier {n}") for n in (1, 2, 3)]
    for c in range(competencies):
        tier = tiers[c % 3]
        tier.competencies.append(
            CompetencyNode(
                code=f"{tier.number}.{len(tier.competencies) + 1}",
                name=f"Competency {c}",
                definition=f"Definition {c}",
                behaviors=[BehaviorNode(text=f"Behavior {c}-{b}") for b in range(behaviors)],
            )
        )
    return FrameworkTree(name="Big Model", slug="big", tiers=tiers)


def writes(work, rows: list | None = None) -> list[tuple[str, str]]:
    """(statement, table) of each write `work` makes to the tiers, competencies and behaviors;
    `rows` gets the number of rows each INSERT's statement carries."""
    with CaptureQueriesContext(connection) as captured:
        work()
    found = []
    for query in captured.captured_queries:
        sql = query["sql"].lstrip().upper()
        # An executemany is logged as "N times: INSERT ..." ("? times" for rows given as they
        # come): one prepared statement, run N times.
        head = sql.split(None, 1)[0]
        sql = sql.split(" TIMES: ", 1)[1] if head.isdigit() or head == "?" else sql
        verb = sql.split(None, 1)[0]
        if verb not in ("INSERT", "UPDATE", "DELETE"):
            continue
        # The table written: INSERT INTO "t", UPDATE "t", DELETE FROM "t" (not one read from).
        target = sql.split(None, 3)[1 if verb == "UPDATE" else 2].strip('"').lower()
        table = target if target in TABLES else None
        if table:
            found.append((verb, table))
            if rows is not None and verb == "INSERT":
                rows.append((table, sql.count("), (") + 1))
    return found


def counts(c) -> tuple[int, int, int, int]:
    return (c.created, c.updated, c.deleted, c.unchanged)


def test_a_new_framework_is_written_in_batches_not_per_competency():
    report = None

    def save():
        nonlocal report
        report = save_framework_tree(tree=big_tree(120, 5), where="test")

    # New competencies and behaviors go in statements of many rows each: as many as the
    # database takes parameters for (bulk.BATCH at most); the statement of the full chunks is
    # run for several of them at once, a last shorter chunk has its own. (How many rows a
    # statement takes depends on the columns the rows give: syncing's own.)
    def statements(model, names, rows: int) -> list[int]:
        size = min(bulk.BATCH, bulk.Insert(model, names).rows_per_statement)
        runs = max(1, bulk.BATCH // size)  # full chunks run together, about a batch of rows
        full, rest = divmod(rows, size)
        return [size] * -(-full // runs) + [rest] * bool(rest)

    inserted: list[tuple[str, int]] = []
    competencies = statements(Competency, syncing._NEW_COMPETENCY, 120)
    behaviors = statements(KeyBehavior, syncing._NEW_BEHAVIOR, 600)
    assert writes(save, inserted) == [
        ("INSERT", "frameworks_tier"),
        *[("INSERT", "frameworks_competency")] * len(competencies),
        *[("INSERT", "frameworks_keybehavior")] * len(behaviors),
    ]
    assert inserted[1:] == [
        *[("frameworks_competency", n) for n in competencies],
        *[("frameworks_keybehavior", n) for n in behaviors],
    ]
    assert behaviors[0] > 50  # rows per statement, not per row
    assert (counts(report.competencies), counts(report.behaviors)) == (
        (120, 0, 0, 0),
        (600, 0, 0, 0),
    )
    assert KeyBehavior.objects.filter(competency__framework__slug="big").count() == 600


def test_saving_the_same_big_tree_again_writes_no_row():
    save_framework_tree(tree=big_tree(60, 4), where="test")
    report = None

    def save():
        nonlocal report
        report = save_framework_tree(tree=big_tree(60, 4), where="test")

    assert writes(save) == []
    assert (counts(report.tiers), counts(report.competencies), counts(report.behaviors)) == (
        (0, 0, 0, 3),
        (0, 0, 0, 60),
        (0, 0, 0, 240),
    )


@pytest.mark.parametrize("size", [30, 300])
def test_a_save_that_changes_two_rows_writes_only_those_rows(size):
    save_framework_tree(tree=big_tree(size, 4), where="test")
    tree = big_tree(size, 4)
    tree.tiers[1].competencies[0].name = "Renamed"
    tree.tiers[2].competencies[1].behaviors[2].text = "Rewritten"
    report = None

    def save():
        nonlocal report
        report = save_framework_tree(tree=tree, where="test")

    # Each changed row is moved out of the way of the values it takes, then written; the same
    # four statements whatever the framework's size.
    assert writes(save) == [
        ("UPDATE", "frameworks_competency"),
        ("UPDATE", "frameworks_competency"),
        ("UPDATE", "frameworks_keybehavior"),
        ("UPDATE", "frameworks_keybehavior"),
    ]
    assert (counts(report.competencies), counts(report.behaviors)) == (
        (0, 1, 0, size - 1),
        (0, 1, 0, size * 4 - 1),
    )
    assert Competency.objects.get(code="2.1").name == "Renamed"
    assert list(
        KeyBehavior.objects.filter(competency__code="3.2").values_list("position", "text")
    ) == [(1, "Behavior 5-0"), (2, "Behavior 5-1"), (3, "Rewritten"), (4, "Behavior 5-3")]
