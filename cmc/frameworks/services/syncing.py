"""Bringing a framework's rows to match a tree: items are matched by identifier, then by tier
number, code and position; what the tree no longer has is removed. Called inside the one
transaction of `saving.save_framework_tree`.

The key behaviors are reached through a source (`behaviors.Behaviors`): those the tree's
nodes hold, or those a file too big to hold put aside in its import's transaction
(`spooling`), read a batch of competencies at a time."""

import uuid
from collections.abc import Iterator

from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat

from cmc.core import bulk

from ..models import Competency, KeyBehavior, Tier
from ..trees import default_group
from .behaviors import BATCH, Behaviors, HeldBehaviors

# Positions and codes are moved out of the way first so that a reorder never trips the
# uniqueness constraints half-way. Tier numbers and positions move by less: they are smallints,
# which stop at 32767 on PostgreSQL.
_SHIFT = 1_000_000
_TIER_SHIFT = 1_000
# Key behaviors of the matched competencies read and compared at once, at most.
BEHAVIORS_PER_BATCH = 5000


def _match(nodes: list, existing: list, key) -> list:
    """The existing item each node updates: the one with the node's identifier, else the one
    with its key (tier number, competency code) that no other node claims; None for a new item."""
    by_identifier = {item.identifier: item for item in existing}
    by_key = {key(item): item for item in existing}
    found = [by_identifier.get(node.identifier) if node.identifier else None for node in nodes]
    taken = {item.pk for item in found if item is not None}
    for index, node in enumerate(nodes):
        candidate = by_key.get(key(node))
        if found[index] is None and candidate is not None and candidate.pk not in taken:
            found[index] = candidate
            taken.add(candidate.pk)
    return found


def sync_tiers(framework, tree, report) -> tuple[dict[int, Tier], list[int]]:
    """Create and update the tree's tiers; return them by number, and the removed tiers' ids.
    A tier that does not change is not written."""
    existing = list(framework.tiers.all())
    found = _match(tree.tiers, existing, key=lambda tier: tier.number)
    kept = {tier.pk for tier in found if tier is not None}
    result: dict[int, Tier] = {}
    changed, created = [], []
    for position, (node, tier) in enumerate(zip(tree.tiers, found, strict=True), start=1):
        values = {
            "number": node.number,
            "name": node.name,
            "group": node.group or default_group(node.number),
            "note": node.note if tree.complete or tier is None else tier.note,
            "position": position,
            "extensions": node.extensions if tree.complete or tier is None else tier.extensions,
        }  # the tabular format carries no tier notes: an incomplete tree keeps them
        if tier is None:
            tier = Tier(framework=framework, identifier=node.identifier or uuid.uuid4(), **values)
            created.append(tier)
        elif any(getattr(tier, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(tier, name, value)
            changed.append(tier)
        else:
            report.tiers.unchanged += 1
        result[node.number] = tier
    if changed:
        Tier.objects.filter(pk__in=[tier.pk for tier in changed]).update(
            position=F("position") + _TIER_SHIFT, number=F("number") + _TIER_SHIFT
        )
        Tier.objects.bulk_update(
            changed, ["number", "name", "group", "note", "position", "extensions"]
        )
    Tier.objects.bulk_create(created)
    report.tiers.updated += len(changed)
    report.tiers.created += len(created)
    return result, [tier.pk for tier in existing if tier.pk not in kept]


def sync_competencies(
    framework, tree, tiers: dict[int, Tier], report, behaviors: Behaviors | None = None
) -> None:
    """Create, update and remove the framework's competencies and key behaviors in bulk: one
    statement per batch of rows for the whole framework, and only the rows that change. The
    key behaviors are the nodes' own unless `behaviors` says where they are."""
    behaviors = behaviors or HeldBehaviors(tree)
    # What matching needs of each competency the framework has (its other values are read a
    # batch at a time as they are compared, in _write_competencies).
    existing = list(framework.competencies.values_list("pk", "identifier", "code", named=True))
    placed = [
        (tiers[tier_node.number], position, node)
        for tier_node in tree.tiers
        for position, node in enumerate(tier_node.competencies, start=1)
    ]
    found = _match([node for _, _, node in placed], existing, key=lambda c: c.code)
    # The plan: each competency of the tree, where it goes, and the id of the row it updates
    # (None for a new one); what matching read is let go before the key behaviors are.
    plan = [(*item, None if c is None else c.pk) for item, c in zip(placed, found, strict=True)]
    matched = {current for *_, current in plan if current is not None}
    stale = [c.pk for c in existing if c.pk not in matched]
    del existing, found, matched
    if stale:
        report.competencies.deleted = len(stale)
        report.behaviors.deleted += KeyBehavior.objects.filter(competency__in=stale).count()
        bulk.delete(Competency, stale, batch=BATCH)
    moved = _free_moved_behaviors(framework, plan, behaviors)
    competencies = _write_competencies(framework, tree, plan, report)
    _sync_behaviors(tree, plan, competencies, report, behaviors)
    report.behaviors.created -= moved
    report.behaviors.updated += moved


def _free_moved_behaviors(framework, plan, behaviors: Behaviors) -> int:
    """A behavior the tree puts under another competency keeps its identifier: its old row is
    removed first and written again where it now belongs. Returns how many moved. Where no
    competency of the tree is one the framework has (a new framework), the framework has no
    behaviors left to move (the stale competencies went with theirs)."""
    if all(current is None for *_, current in plan):
        return 0
    homes = {id(node): current for _, _, node, current in plan}
    moved = behaviors.moved(framework, homes)
    bulk.delete(KeyBehavior, moved, batch=BATCH)
    return len(moved)


def _write_competencies(framework, tree, plan, report) -> list[int]:
    """The plan's competencies, written: changed ones moved aside and then updated, new ones
    inserted as plain rows; unchanged ones are not written at all. Returns their ids, in the
    plan's order."""
    result = [current for *_, current in plan]
    created = result.count(None)
    matched = [item for item in plan if item[3] is not None]
    changed = []
    for start in range(0, len(matched), BATCH):
        changed += _changed_competencies(tree, matched[start : start + BATCH], report)
    if changed:
        # A code no tree can hold (codes never hold control characters) while they move.
        _shift(Competency, changed, code=Concat(Value("\x1f"), Cast("pk", CharField())))
        Competency.objects.bulk_update(
            changed,
            ["tier", "code", "name", "definition", "position", "extensions"],
            batch_size=BATCH,
        )
    if created:
        bulk.Insert(Competency, _NEW_COMPETENCY).write(_new_competencies(framework, plan))
        # The new rows' ids, found by their codes (unique within a framework).
        ids = dict(framework.competencies.values_list("code", "pk"))
        result = [ids[node.code] if pk is None else pk
                  for (_, _, node, _), pk in zip(plan, result, strict=True)]  # fmt: skip
    report.competencies.updated += len(changed)
    report.competencies.created += created
    return result


def _changed_competencies(tree, matched: list[tuple], report) -> list[Competency]:
    """The matched competencies of one batch whose row differs from the tree, as instances
    with the tree's values; those that do not are counted unchanged. What an incomplete tree
    (the tabular format) does not carry, its extensions, stays as it was."""
    rows = {
        row[0]: row
        for row in Competency.objects.filter(pk__in=[item[3] for item in matched]).values_list(
            "pk", "tier_id", "code", "name", "definition", "position", "extensions"
        )
    }
    changed = []
    for tier, position, node, current in matched:
        row = rows[current]
        extensions = node.extensions if tree.complete else row[6]
        if row[1:] != (tier.pk, node.code, node.name, node.definition, position, extensions):
            changed.append(
                Competency(
                    pk=current,
                    tier_id=tier.pk,
                    code=node.code,
                    name=node.name,
                    definition=node.definition,
                    position=position,
                    extensions=extensions,
                )
            )
        else:
            report.competencies.unchanged += 1
    return changed


_NEW_COMPETENCY = ("framework_id", "identifier", "tier_id", "code", "name", "definition",
                   "position", "extensions")  # fmt: skip


def _new_competencies(framework, plan):
    """The rows of the plan's new competencies."""
    for tier, position, node, current in plan:
        if current is None:
            yield (framework.pk, node.identifier or uuid.uuid4(), tier.pk, node.code, node.name,
                   node.definition, position, node.extensions)  # fmt: skip


def _sync_behaviors(tree, plan, competencies: list[int], report, behaviors: Behaviors) -> None:
    """Match each competency's behaviors to the rows it has (by identifier, else position)
    and write what differs, a batch of competencies at a time (a competency's rows depend on
    no other's): a framework's rows are never all held, as values or as instances. New rows
    are made as they are inserted, a batch at a time, after the stale and changed ones moved."""
    matched = [
        (node, competency)
        for (_, _, node, current), competency in zip(plan, competencies, strict=True)
        if current is not None
    ]
    # Per matched competency, the positions of its behaviors that are new; a competency that
    # is new itself has only new behaviors, and is not listed.
    new: dict[int, list[int]] = {}
    for batch in _batches(matched, behaviors):
        _sync_matched(tree, batch, new, report, behaviors)
    rows = _new_behaviors(plan, competencies, new, behaviors)
    report.behaviors.created += bulk.Insert(KeyBehavior, _NEW_BEHAVIOR).write(rows)


def _batches(matched: list[tuple], behaviors: Behaviors) -> Iterator[list[tuple]]:
    """The matched competencies in batches of at most BATCH competencies and about
    BEHAVIORS_PER_BATCH key behaviors."""
    batch, size = [], 0
    for item in matched:
        batch.append(item)
        size += behaviors.size(item[0])
        if len(batch) >= BATCH or size >= BEHAVIORS_PER_BATCH:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _sync_matched(tree, matched: list[tuple], new: dict[int, list[int]], report, behaviors) -> None:
    """One batch of matched competencies: their rows read as plain values, matched to the
    tree's behaviors, and the stale ones removed and the changed ones moved and updated."""
    rows: dict[int, list[tuple]] = {}
    for row in (
        KeyBehavior.objects.filter(competency_id__in=[competency for _, competency in matched])
        .order_by()
        .values_list("pk", "identifier", "competency_id", "position", "title", "text", "extensions")
    ):
        rows.setdefault(row[2], []).append(row)
    stale, update = [], []
    held = behaviors.of([node for node, _ in matched])
    for (_, competency), nodes in zip(matched, held, strict=True):
        existing = rows.pop(competency, [])
        by_identifier = {row[1]: row for row in existing}
        by_position = {row[3]: row for row in existing}
        keep = set()
        for position, behavior in enumerate(nodes, start=1):
            row = None
            if behavior.identifier:
                row = by_identifier.get(behavior.identifier)
            elif existing:
                row = by_position.get(position)
            if row is None or row[0] in keep:
                new.setdefault(competency, []).append(position)
                continue
            keep.add(row[0])
            extensions = behavior.extensions if tree.complete else row[6]
            if (row[4], row[5], row[3], row[6]) != (behavior.title, behavior.text, position,
                                                    extensions):  # fmt: skip
                update.append(
                    KeyBehavior(
                        pk=row[0],
                        title=behavior.title,
                        text=behavior.text,
                        position=position,
                        extensions=extensions,
                    )  # fmt: skip
                )
            else:
                report.behaviors.unchanged += 1
        stale.extend(row[0] for row in existing if row[0] not in keep)
    bulk.delete(KeyBehavior, stale, batch=BATCH)
    if update:
        _shift(KeyBehavior, update)
        KeyBehavior.objects.bulk_update(
            update, ["title", "text", "position", "extensions"], batch_size=BATCH
        )
    report.behaviors.deleted += len(stale)
    report.behaviors.updated += len(update)


_NEW_BEHAVIOR = ("competency_id", "identifier", "title", "text", "position", "extensions")


def _new_behaviors(plan, competencies: list[int], new: dict[int, list[int]], behaviors):
    """The rows of the new behaviors, in the plan's order: every behavior of a new competency,
    and those of a matched one found new."""
    nodes, homes, wanted = [], [], []
    for (_, _, node, current), competency in zip(plan, competencies, strict=True):
        if current is None or competency in new:
            nodes.append(node)
            homes.append(competency)
            wanted.append(None if current is None else set(new[competency]))
    for index, position, behavior in behaviors.each(nodes):
        if wanted[index] is None or position in wanted[index]:
            yield (
                homes[index],
                behavior.identifier or uuid.uuid4(),
                behavior.title,
                behavior.text,
                position,
                behavior.extensions,
            )


def _shift(model, items: list, **also) -> None:
    """Move the items' positions (and `also`) out of the way of the values they will take."""
    pks = [item.pk for item in items]
    for start in range(0, len(pks), BATCH):
        model.objects.filter(pk__in=pks[start : start + BATCH]).update(
            position=F("position") + _SHIFT, **also
        )
