"""Bringing a framework's rows to match a tree: items are matched by identifier, then by tier
number, code and position; what the tree no longer has is removed. Called inside the one
transaction of `saving.save_framework_tree`."""

import uuid

from django.db.models import F

from ..models import Competency, KeyBehavior, Tier
from ..trees import default_group

# Positions and codes are moved out of the way first so that a reorder never trips the
# uniqueness constraints half-way. Tier numbers and positions move by less: they are smallints,
# which stop at 32767 on PostgreSQL.
_SHIFT = 1_000_000
_TIER_SHIFT = 1_000


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
    """Create and update the tree's tiers; return them by number, and the removed tiers' ids."""
    existing = list(framework.tiers.all())
    found = _match(tree.tiers, existing, key=lambda tier: tier.number)
    kept = {tier.pk for tier in found if tier is not None}
    framework.tiers.update(position=F("position") + _TIER_SHIFT, number=F("number") + _TIER_SHIFT)
    result: dict[int, Tier] = {}
    for position, (node, tier) in enumerate(zip(tree.tiers, found, strict=True), start=1):
        values = {
            "number": node.number,
            "name": node.name,
            "group": node.group or default_group(node.number),
            "note": node.note,
            "position": position,
        }
        if tier is None:
            tier = Tier.objects.create(
                framework=framework, identifier=node.identifier or uuid.uuid4(), **values
            )
            report.tiers.created += 1
        else:
            if not tree.complete:
                values["note"] = tier.note  # the tabular format carries no tier notes
            _update(tier, values, report.tiers)
        result[node.number] = tier
    return result, [tier.pk for tier in existing if tier.pk not in kept]


def _update(obj, values: dict, counts) -> None:
    """Count the item as changed only if a value differs; save it either way, because its
    position was moved aside and must be put back."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    if changed:
        counts.updated += 1
    else:
        counts.unchanged += 1
    obj.save(update_fields=list(values))


def sync_competencies(framework, tree, tiers: dict[int, Tier], report) -> None:
    existing = list(framework.competencies.all())
    placed = [
        (tiers[tier_node.number], position, node)
        for tier_node in tree.tiers
        for position, node in enumerate(tier_node.competencies, start=1)
    ]
    found = _match([node for _, _, node in placed], existing, key=lambda c: c.code)
    plan = [(*item, current) for item, current in zip(placed, found, strict=True)]
    matched = {current.pk: current for current in found if current is not None}
    stale = [c.pk for c in existing if c.pk not in matched]
    if stale:
        report.competencies.deleted = len(stale)
        report.behaviors.deleted += KeyBehavior.objects.filter(competency__in=stale).count()
        Competency.objects.filter(pk__in=stale).delete()
    moved = _free_moved_behaviors(framework, plan)
    for competency in matched.values():
        competency.original_code = competency.code
        competency.position += _SHIFT
        # A code no tree can hold (codes never hold control characters), while they move.
        competency.code = f"\x1f{competency.pk}"
    Competency.objects.bulk_update(matched.values(), ["position", "code"])
    for tier, position, node, current in plan:
        competency = _write_competency(framework, tier, position, node, current, report)
        _sync_behaviors(competency, node.behaviors, report, fresh=current is None)
    report.behaviors.created -= moved
    report.behaviors.updated += moved


def _free_moved_behaviors(framework, plan) -> int:
    """A behavior the tree puts under another competency keeps its identifier: its old row is
    removed first and written again where it now belongs. Returns how many moved."""
    home = {
        behavior.identifier: current.pk if current else None
        for _, _, node, current in plan
        for behavior in node.behaviors
        if behavior.identifier
    }
    if not home:
        return 0
    moved = [
        pk
        for pk, identifier, competency_id in KeyBehavior.objects.filter(
            competency__framework=framework
        ).values_list("pk", "identifier", "competency_id")
        if identifier in home and home[identifier] != competency_id
    ]
    if moved:
        KeyBehavior.objects.filter(pk__in=moved).delete()
    return len(moved)


def _write_competency(framework, tier, position, node, current, report) -> Competency:
    values = {
        "tier": tier,
        "code": node.code,
        "name": node.name,
        "definition": node.definition,
        "position": position,
    }
    if current is None:
        report.competencies.created += 1
        return Competency.objects.create(
            framework=framework, identifier=node.identifier or uuid.uuid4(), **values
        )
    changed = (
        current.tier_id != tier.pk
        or current.original_code != node.code
        or current.name != node.name
        or current.definition != node.definition
        or current.position - _SHIFT != position
    )
    for name, value in values.items():
        setattr(current, name, value)
    current.save(update_fields=list(values))
    if changed:
        report.competencies.updated += 1
    else:
        report.competencies.unchanged += 1
    return current


def _new_behavior(competency, node, position: int) -> KeyBehavior:
    return KeyBehavior(
        competency=competency,
        identifier=node.identifier or uuid.uuid4(),
        title=node.title,
        text=node.text,
        position=position,
    )


def _sync_behaviors(competency, nodes, report, *, fresh: bool) -> None:
    if fresh:
        KeyBehavior.objects.bulk_create(
            _new_behavior(competency, node, position)
            for position, node in enumerate(nodes, start=1)
        )
        report.behaviors.created += len(nodes)
        return
    existing = list(competency.behaviors.all())
    by_identifier = {b.identifier: b for b in existing}
    by_position = {b.position: b for b in existing}
    keep, create, update = set(), [], []
    for position, node in enumerate(nodes, start=1):
        current = by_identifier.get(node.identifier) if node.identifier else None
        if current is None and node.identifier is None:
            current = by_position.get(position)
        if current is None or current.pk in keep:
            create.append(_new_behavior(competency, node, position))
            continue
        keep.add(current.pk)
        if (current.title, current.text, current.position) != (node.title, node.text, position):
            current.title, current.text, current.position = node.title, node.text, position
            update.append(current)
        else:
            report.behaviors.unchanged += 1
    stale = [b.pk for b in existing if b.pk not in keep]
    if stale:
        KeyBehavior.objects.filter(pk__in=stale).delete()
        report.behaviors.deleted += len(stale)
    if update:
        KeyBehavior.objects.filter(pk__in=[b.pk for b in update]).update(
            position=F("position") + _SHIFT
        )
        KeyBehavior.objects.bulk_update(update, ["title", "text", "position"])
        report.behaviors.updated += len(update)
    KeyBehavior.objects.bulk_create(create)
    report.behaviors.created += len(create)
