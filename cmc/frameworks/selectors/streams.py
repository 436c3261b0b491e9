"""A framework's draft read as its files write it out: the framework's fields and tiers, then
its competencies, each with its key behaviors, as plain values in the order of the file, the key
behaviors from one query read a chunk at a time. What the exports of the exchange formats read:
a model of 100,000 key behaviors is written as it is read, never held whole."""

from collections.abc import Iterator

from django.db.models import CharField, Count
from django.db.models.functions import Cast

from cmc.core import bulk

from ..models import Framework, KeyBehavior
from ..trees import BehaviorNode, CompetencyNode, FrameworkTree, TreeStream
from .trees import EVERY_READER, head_of, tier_node, tier_rows, whole_row


def draft_stream(
    framework: Framework, *, reader=EVERY_READER, extensions: bool = True
) -> TreeStream:
    """The framework's draft as a stream (see trees.TreeStream) holding what draft_tree holds,
    without the lineage (no file written from a stream carries it), and without the items'
    extensions unless `extensions` (the tabular format carries none). One statement per level.
    The caller has checked that `reader` may see the framework."""
    framework = whole_row(framework)
    head = head_of(framework, reader)
    extra = ("extensions",) if extensions else ()
    tiers = tier_rows(framework)
    competencies: dict[int, list[dict]] = {tier["pk"]: [] for tier in tiers}
    rows = framework.competencies.order_by("tier__position", "position").annotate(uid=_TEXT_ID)
    for row in rows.values("pk", "tier_id", "uid", "code", "name", "definition", *extra):
        competencies[row["tier_id"]].append(row)
    behaviors = (
        KeyBehavior.objects.filter(competency__framework=framework)
        .order_by("competency__tier__position", "competency__position", "position")
        .annotate(uid=_TEXT_ID)
        .values_list("competency_id", "uid", "title", "text", *extra)
        .iterator(chunk_size=bulk.BATCH)
    )
    return TreeStream(
        head=head,
        tiers=_tiers(tiers, competencies, _Behaviors(behaviors, extensions)),
        shape=lambda: _shape(framework, tiers, competencies),
    )


# Items' identifiers read as text, not made UUIDs row by row: every file writes them as text.
_TEXT_ID = Cast("identifier", output_field=CharField())


def uuid_text(value: str) -> str:
    """An identifier read as text in its usual form (SQLite keeps the 32 digits alone,
    PostgreSQL gives the dashes too)."""
    if len(value) != 32:
        return value
    return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"


def shown_tree(framework: Framework, *, reader=EVERY_READER) -> FrameworkTree:
    """The framework's draft as its readable documents show it: draft_stream's tree, held
    whole but without what no document shows (the lineage, the extensions), read a chunk of
    key behaviors at a time: half the memory of draft_tree's for a model of 30,000 of them.
    The caller has checked that `reader` may see the framework."""
    stream = draft_stream(framework, reader=reader, extensions=False)
    tree = stream.head
    with bulk.collecting_later():
        for tier, competencies in stream.tiers:
            tier.competencies = list(competencies)
            tree.tiers.append(tier)
    return tree


def _tiers(tiers: list[dict], competencies: dict[int, list[dict]], behaviors: "_Behaviors"):
    for row in tiers:
        yield tier_node(row, []), _competencies(competencies[row["pk"]], behaviors)


def _competencies(rows: list[dict], behaviors: "_Behaviors") -> Iterator[CompetencyNode]:
    for row in rows:
        yield CompetencyNode(
            identifier=uuid_text(row["uid"]), code=row["code"], name=row["name"],
            definition=row["definition"], extensions=row.get("extensions", {}),
            behaviors=behaviors.of(row["pk"]),
        )  # fmt: skip


class _Behaviors:
    """The key behaviors in the order of the file, handed out competency by competency: each
    competency's are next in line when it asks (the competencies are read in the same order)."""

    def __init__(self, rows: Iterator[tuple], extensions: bool):
        self.rows, self.extensions = rows, extensions
        self.next = next(rows, None)

    def of(self, competency: int) -> list[BehaviorNode]:
        found, row, rows, extensions = [], self.next, self.rows, self.extensions
        while row is not None and row[0] == competency:
            # text, title, identifier: positional, for 100,000 of them
            node = BehaviorNode(row[3], row[2], uuid_text(row[1]))
            if extensions:
                node.extensions = row[4]
            found.append(node)
            row = next(rows, None)
        self.next = row
        return found


def _shape(framework: Framework, tiers: list[dict], competencies: dict[int, list[dict]]):
    counts = dict(
        KeyBehavior.objects.filter(competency__framework=framework)
        .values("competency_id")
        .annotate(n=Count("pk"))
        .values_list("competency_id", "n")
    )
    return [[counts.get(c["pk"], 0) for c in competencies[tier["pk"]]] for tier in tiers]
