"""A framework's tree a part at a time, as plain rows: what the API sends of a model too big
to send whole. A part is a run of competencies in the model's order (by tier, then within
it), each with its key behaviors, and the tiers it reaches; the next part starts after a
cursor that names the last competency sent by its place."""

import re
from dataclasses import dataclass

from django.db.models import Count, Q

from cmc.core.errors import InvalidInput, Problem

from ..models import Competency, Framework, KeyBehavior, Tier

TIER_FIELDS = ("identifier", "number", "name", "group", "note")
COMPETENCY_FIELDS = ("identifier", "code", "name", "definition", "revision")
BEHAVIOR_FIELDS = ("identifier", "position", "title", "text", "revision")
_CURSOR = re.compile(r"(\d{1,5})\.(\d{1,9})")


@dataclass(frozen=True)
class TreePart:
    """Tiers (dicts of TIER_FIELDS), each with its `competencies` in this part (dicts of
    COMPETENCY_FIELDS, each with its `behaviors`, dicts of BEHAVIOR_FIELDS), and the cursor
    the next part starts after, or "" when this part holds the rest. Key behaviors'
    identifiers are text."""

    tiers: list[dict]
    cursor: str


def tree_part(framework: Framework, *, tier: int | None, cursor: str, limit: int) -> TreePart:
    """Up to `limit` competencies of the framework (of tier `tier` only, if given) after
    `cursor` (from an earlier part; "" from the start), in four queries. The part holds the
    tiers its competencies are in, and the empty tiers that fall within it: parts taken in
    turn hold every tier, and a tier whose competencies run over two parts is in both, with
    some of them in each. InvalidInput names a tier the framework lacks or a cursor that is
    not one."""
    after = _read_cursor(cursor)
    tiers = list(
        Tier.objects.filter(framework=framework)
        .order_by("position")
        .annotate(competency_count=Count("competencies"))
        .values("id", "position", "competency_count", *TIER_FIELDS)
    )
    if tier is not None:
        tiers = [row for row in tiers if row["number"] == tier] or _no_tier(tiers, tier)
    rows = Competency.objects.filter(tier__in=[row["id"] for row in tiers])
    if after:
        rows = rows.filter(
            Q(tier__position__gt=after[0]) | Q(tier__position=after[0], position__gt=after[1])
        )
    competencies = list(
        rows.order_by("tier__position", "position").values(
            "id", "tier_id", "position", "tier__position", *COMPETENCY_FIELDS
        )[: limit + 1]
    )
    more = len(competencies) > limit
    competencies = competencies[:limit]
    _attach_behaviors(competencies)
    last = competencies[-1] if competencies else None
    lowest = after[0] if after else -1
    highest = last["tier__position"] if more else 1 << 30
    return TreePart(
        tiers=_gathered(tiers, competencies, lowest, highest, every=tier is not None),
        cursor=f"{last['tier__position']}.{last['position']}" if more else "",
    )


def _read_cursor(cursor: str) -> tuple[int, int] | None:
    if not cursor:
        return None
    found = _CURSOR.fullmatch(cursor)
    if found is None:
        raise InvalidInput(
            [
                Problem(
                    "query",
                    "cursor",
                    f"{cursor!r} is not a cursor of this API: pass on the address in `next` "
                    "as it is, or leave the cursor out to start from the beginning",
                )
            ]
        )
    return int(found[1]), int(found[2])


def _no_tier(tiers: list[dict], number: int):
    numbers = ", ".join(str(row["number"]) for row in tiers) or "none"
    raise InvalidInput(
        [Problem("query", "tier", f"this framework has no tier {number} (its tiers: {numbers})")]
    )


def _attach_behaviors(competencies: list[dict]) -> None:
    by_competency = {row["id"]: row for row in competencies}
    for row in competencies:
        row["behaviors"] = []
    if not competencies:
        return
    behaviors = (
        KeyBehavior.objects.filter(competency_id__in=list(by_competency))
        .order_by("competency_id", "position")
        .values_list("competency_id", *BEHAVIOR_FIELDS)
    )
    # Tuples, and identifiers as text: a part may hold tens of thousands of key behaviors.
    for competency_id, identifier, *rest in behaviors:
        behavior = dict(zip(BEHAVIOR_FIELDS, (str(identifier), *rest), strict=True))
        by_competency[competency_id]["behaviors"].append(behavior)


def _gathered(
    tiers: list[dict], competencies: list[dict], lowest: int, highest: int, *, every: bool
) -> list[dict]:
    """The tiers of a part, each with its competencies in it: `every` one, or those that have
    some in it and the empty ones whose place falls after the previous part (`lowest`, the
    position of the tier it ended in) and up to where this one ends (`highest`)."""
    by_tier: dict[int, list[dict]] = {}
    for row in competencies:
        by_tier.setdefault(row["tier_id"], []).append(
            {field: row[field] for field in (*COMPETENCY_FIELDS, "behaviors")}
        )
    return [
        {**{field: row[field] for field in TIER_FIELDS}, "competencies": by_tier.get(row["id"], [])}
        for row in tiers
        if every
        or row["id"] in by_tier
        or (not row["competency_count"] and lowest < row["position"] <= highest)
    ]
