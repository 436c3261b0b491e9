"""Competencies a blend found alike: merging them, keeping them apart, undoing either; and
renumbering a tier's codes after items were left out or merged."""

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from cmc.core.actors import person
from cmc.core.errors import Conflict

from ..models import Competency, Framework, KeyBehavior, LeftOut, LikelyDuplicate, Tier
from ..selectors import require_editable
from .blending import normalize
from .indexing import index_framework
from .items import behavior_content, kept_identifier, lineage_of, locked

Decision = LikelyDuplicate.Decision
_SHIFT = 1_000_000


def merge_duplicate(*, actor, duplicate: LikelyDuplicate, keep: str = "first") -> Competency:
    """Merge one competency of a likely duplicate into the other (`keep`: "first" or
    "second"). The kept one gains the other's sources in its lineage, the key behaviors it
    lacks (the same text is not repeated) and its definition if it has none; what it takes is
    recorded, so that the merge can be undone."""
    require_editable(framework=duplicate.framework, actor=actor)
    if duplicate.decision != Decision.OPEN:
        raise Conflict("These two competencies were already merged or kept apart.")
    pair = (duplicate.first_id, duplicate.second_id)
    if None in pair:
        raise Conflict("One of these competencies is no longer in the model.")
    kept_pk, gone_pk = pair if keep != "second" else pair[::-1]
    with transaction.atomic():
        kept, gone = locked(Competency, kept_pk), locked(Competency, gone_pk)
        absorbed = _absorb(kept, gone)
        absorbed["kept_was"] = "second" if keep == "second" else "first"
        gone.delete()
        LikelyDuplicate.objects.filter(pk=duplicate.pk).update(
            first=kept,
            second=None,
            decision=Decision.MERGED,
            absorbed=absorbed,
            decided_by=person(actor),
            decided_at=timezone.now(),
        )
        index_framework(framework=duplicate.framework)
    kept.refresh_from_db()
    return kept


def _absorb(kept: Competency, gone: Competency) -> dict:
    """Move what `gone` adds into `kept`; what was moved, as the undo needs it."""
    seen = {normalize(text) for text in kept.behaviors.values_list("text", flat=True)}
    position = kept.behaviors.aggregate(p=Max("position"))["p"] or 0
    moved, dropped = [], []
    for behavior in gone.behaviors.order_by("position"):
        if normalize(behavior.text) in seen:
            dropped.append({**behavior_content(behavior), "position": behavior.position})
            continue
        seen.add(normalize(behavior.text))
        position += 1
        moved.append({"identifier": str(behavior.identifier), "position": behavior.position})
        KeyBehavior.objects.filter(pk=behavior.pk).update(competency=kept, position=position)
    left_out = list(gone.left_out.values_list("pk", flat=True))
    LeftOut.objects.filter(pk__in=left_out).update(competency=kept)
    record = {
        "competency": {
            "identifier": str(gone.identifier),
            "code": gone.code,
            "name": gone.name,
            "definition": gone.definition,
            "position": gone.position,
            "origin": gone.origin,
            "merged_from": list(gone.merged_from or []),
            **{
                k: str(v) if k == "source_identifier" and v else v
                for k, v in lineage_of(gone).items()
            },
        },
        "kept": {"merged_from": list(kept.merged_from or []), "definition": kept.definition},
        "moved": moved,
        "dropped": dropped,
        "left_out": left_out,
    }
    also = [str(gone.source_identifier)] if gone.source_identifier else []
    kept.merged_from = list(dict.fromkeys([*(kept.merged_from or []), *also, *gone.merged_from]))
    kept.definition = kept.definition or gone.definition
    kept.revision += 1
    kept.save(update_fields=["merged_from", "definition", "revision"])
    return record


def keep_apart(*, actor, duplicate: LikelyDuplicate) -> None:
    """Say that the two competencies are not the same: they are no longer offered."""
    require_editable(framework=duplicate.framework, actor=actor)
    if duplicate.decision != Decision.OPEN:
        raise Conflict("These two competencies were already merged or kept apart.")
    LikelyDuplicate.objects.filter(pk=duplicate.pk).update(
        decision=Decision.APART, decided_by=person(actor), decided_at=timezone.now()
    )


def undo_duplicate(*, actor, duplicate: LikelyDuplicate) -> None:
    """Undo a merge (the merged competency comes back where it was, with its key behaviors
    and lineage) or a "not the same"; the pair is offered again."""
    require_editable(framework=duplicate.framework, actor=actor)
    if duplicate.decision == Decision.OPEN:
        raise Conflict("There is nothing to undo: these two competencies are still apart.")
    with transaction.atomic():
        if duplicate.decision == Decision.MERGED:
            if duplicate.first_id is None:
                raise Conflict("The competency they were merged into is no longer in the model.")
            kept = locked(Competency, duplicate.first_id)
            gone = _restore(kept, duplicate.tier, duplicate.absorbed)
            first, second = (
                (kept, gone) if duplicate.absorbed["kept_was"] == "first" else (gone, kept)
            )
        else:
            first, second = duplicate.first, duplicate.second
        LikelyDuplicate.objects.filter(pk=duplicate.pk).update(
            first=first,
            second=second,
            decision=Decision.OPEN,
            absorbed={},
            decided_by=None,
            decided_at=None,
        )
        index_framework(framework=duplicate.framework)


def _restore(kept: Competency, tier: Tier, record: dict) -> Competency:
    data = record["competency"]
    taken = set(tier.competencies.values_list("position", flat=True))
    if data["position"] in taken:
        later = tier.competencies.filter(position__gte=data["position"])
        later.update(position=F("position") + _SHIFT)
        later.update(position=F("position") - _SHIFT + 1)
    codes = set(kept.framework.competencies.values_list("code", flat=True))
    gone = Competency.objects.create(
        framework=kept.framework,
        tier=tier,
        identifier=kept_identifier(Competency, data["identifier"]),
        code=data["code"] if data["code"] not in codes else _free_code(tier, codes),
        name=data["name"],
        definition=data["definition"],
        position=data["position"],
        origin=data["origin"],
        merged_from=data["merged_from"],
        source_identifier=data["source_identifier"] or None,
        source_framework_id=data["source_framework_id"],
        source_version_id=data["source_version_id"],
    )
    for moved in record["moved"]:
        KeyBehavior.objects.filter(competency=kept, identifier=moved["identifier"]).update(
            competency=gone, position=moved["position"]
        )
    KeyBehavior.objects.bulk_create(
        KeyBehavior(
            competency=gone,
            identifier=kept_identifier(KeyBehavior, b["identifier"]),
            title=b["title"],
            text=b["text"],
            position=b["position"],
            origin=b["origin"],
            source_identifier=b["source_identifier"] or None,
            source_framework_id=b["source_framework_id"],
            source_version_id=b["source_version_id"],
            merged_from=b["merged_from"],
        )
        for b in record["dropped"]
    )
    LeftOut.objects.filter(pk__in=record["left_out"], competency=kept).update(competency=gone)
    kept.merged_from = record["kept"]["merged_from"]
    if not record["kept"]["definition"] and kept.definition == data["definition"]:
        kept.definition = ""
    kept.revision += 1
    kept.save(update_fields=["merged_from", "definition", "revision"])
    return gone


def _free_code(tier: Tier, codes: set[str]) -> str:
    n = 1
    while f"{tier.number}.{n}" in codes:
        n += 1
    return f"{tier.number}.{n}"


def renumber_codes(*, actor, framework: Framework, tier: Tier | None = None) -> int:
    """Give the competencies of every tier (or of one) the codes N.1, N.2, ... in their order,
    closing the gaps that leaving out or merging leaves. Identifiers, and so lineage, stay as
    they are; returns how many codes changed."""
    require_editable(framework=framework, actor=actor)
    tiers = [tier] if tier is not None else list(framework.tiers.order_by("position"))
    changes = {}
    for each in tiers:
        ordered = each.competencies.order_by("position").values_list("pk", "code")
        for n, (pk, code) in enumerate(ordered, start=1):
            if code != f"{each.number}.{n}":
                changes[pk] = f"{each.number}.{n}"
    if not changes:
        return 0
    try:
        with transaction.atomic():
            # Through codes no one uses, so that codes stay unique at every step.
            for pk in changes:
                Competency.objects.filter(pk=pk).update(code=f"~{pk}", revision=F("revision") + 1)
            for pk, code in changes.items():
                Competency.objects.filter(pk=pk).update(code=code)
            index_framework(framework=framework)
    except IntegrityError:
        raise Conflict(
            "Another competency of the model already has one of the new codes; "
            "rename its code first, then renumber."
        ) from None
    return len(changes)
