"""Edits to a framework's tree, one item at a time, as the "Build a model" flow makes them.

Every edit names the revision of the item it started from (optimistic locking): if someone else
changed the item since, nothing is written and EditConflict carries both texts."""

from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.db.models import F, Max

from cmc.core.errors import Conflict, EditConflict, InvalidInput, Problem

from ..models import (
    BlendChoice,
    Competency,
    Framework,
    KeyBehavior,
    LeftOut,
    Origin,
    Tier,
)
from ..selectors import require_editable
from .indexing import index_framework
from .items import behavior_content, kept_identifier, lineage_of, locked

MAX_TEXT = 10_000


def _check(obj, revision: int, fields: dict, label: str) -> None:
    if obj.revision != revision:
        raise EditConflict(
            f"{label} was changed by someone else while you were editing it. Both texts are "
            "shown: copy what you need from yours and save again.",
            current={name: getattr(obj, name) for name in fields},
            yours=fields,
        )


def _text(value: str, where: str, name: str, *, required: bool = True, limit: int = MAX_TEXT):
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        raise InvalidInput([Problem(where, name, "is empty; write it or leave the item out")])
    if len(value) > limit:
        raise InvalidInput([Problem(where, name, f"is longer than {limit:,} characters")])
    return value


def _done(framework: Framework) -> None:
    index_framework(framework=framework)


def rename_tier(*, actor, tier: Tier, name: str, revision: int) -> Tier:
    """Give a tier another name."""
    require_editable(framework=tier.framework, actor=actor)
    name = _text(name, f"tier {tier.number}", "tier name", limit=200)
    with transaction.atomic():
        tier = locked(Tier, tier.pk)
        _check(tier, revision, {"name": name}, f"Tier {tier.number}'s name")
        tier.name, tier.revision = name, tier.revision + 1
        tier.save(update_fields=["name", "revision"])
        _done(tier.framework)
    return tier


def _edited(item) -> str:
    return Origin.EDITED if item.origin == Origin.COPIED else item.origin


def update_competency(
    *, actor, competency: Competency, name: str, definition: str, revision: int
) -> Competency:
    """Change a competency's name and definition; a copied one becomes edited."""
    require_editable(framework=competency.framework, actor=actor)
    where = f"competency {competency.code}"
    name = _text(name, where, "competency name", limit=300)
    definition = _text(definition, where, "definition", required=False)
    with transaction.atomic():
        competency = locked(Competency, competency.pk)
        fields = {"name": name, "definition": definition}
        _check(competency, revision, fields, f"Competency {competency.code}")
        if (competency.name, competency.definition) != (name, definition):
            competency.name, competency.definition = name, definition
            competency.origin = _edited(competency)
            competency.revision += 1
            competency.save(update_fields=["name", "definition", "origin", "revision"])
            _done(competency.framework)
    return competency


def update_behavior(*, actor, behavior: KeyBehavior, title: str, text: str, revision: int):
    """Change a key behavior's title and text; a copied one becomes edited."""
    framework = behavior.competency.framework
    require_editable(framework=framework, actor=actor)
    where = f"competency {behavior.competency.code}, behavior {behavior.position}"
    text = _text(text, where, "behavior text")
    title = _text(title, where, "behavior title", required=False, limit=300)
    with transaction.atomic():
        behavior = locked(KeyBehavior, behavior.pk)
        _check(behavior, revision, {"title": title, "text": text}, "This key behavior")
        if (behavior.title, behavior.text) != (title, text):
            behavior.title, behavior.text = title, text
            behavior.origin = _edited(behavior)
            behavior.revision += 1
            behavior.save(update_fields=["title", "text", "origin", "revision"])
            _done(framework)
    return behavior


def _adding_to(model, pk: int) -> None:
    """Lock the parent row of an add (a tier, a competency) until it commits, so that adds to
    it wait for each other and each reads the codes and positions the one before wrote. A no-key
    lock: rows that point to the parent (left-out records) may still be written meanwhile."""
    model.objects.select_for_update(no_key=True).filter(pk=pk).exists()


@contextmanager
def _added(what: str):
    """A code or position taken at the same moment by a write that takes no such lock (a
    whole-model import) is a Conflict, never a 500."""
    try:
        yield
    except IntegrityError:
        raise Conflict(f"{what} changed as you added to it; reload it and add again.") from None


def add_competency(*, actor, tier: Tier, name: str, definition: str = "") -> Competency:
    """A new competency at the end of a tier, with the next free code (tier.n)."""
    framework = tier.framework
    require_editable(framework=framework, actor=actor)
    name = _text(name, f"tier {tier.number}", "competency name", limit=300)
    definition = _text(definition, f"tier {tier.number}", "definition", required=False)
    with _added(f"Tier {tier.number}"), transaction.atomic():
        _adding_to(Tier, tier.pk)
        codes = set(framework.competencies.values_list("code", flat=True))
        n = tier.competencies.count() + 1
        while f"{tier.number}.{n}" in codes:
            n += 1
        last = tier.competencies.aggregate(p=Max("position"))["p"] or 0
        competency = Competency.objects.create(
            framework=framework,
            tier=tier,
            code=f"{tier.number}.{n}",
            name=name,
            definition=definition,
            position=last + 1,
            origin=Origin.ADDED,
        )
        _done(framework)
    return competency


def add_behavior(*, actor, competency: Competency, text: str, title: str = "") -> KeyBehavior:
    """A new key behavior at the end of a competency's list."""
    framework = competency.framework
    require_editable(framework=framework, actor=actor)
    where = f"competency {competency.code}"
    text = _text(text, where, "behavior text")
    title = _text(title, where, "behavior title", required=False, limit=300)
    with _added(f"Competency {competency.code}"), transaction.atomic():
        behavior = KeyBehavior.objects.create(
            competency=competency,
            title=title,
            text=text,
            position=_next_position(competency),
            origin=Origin.ADDED,
        )
        _done(framework)
    return behavior


def _next_position(competency: Competency) -> int:
    """After the competency's last key behavior, the competency locked (see _adding_to)."""
    _adding_to(Competency, competency.pk)
    return (competency.behaviors.aggregate(p=Max("position"))["p"] or 0) + 1


def leave_out_behavior(*, actor, behavior: KeyBehavior) -> LeftOut:
    """Take a key behavior out of the model, keeping a record that can put it back."""
    competency = behavior.competency
    require_editable(framework=competency.framework, actor=actor)
    with transaction.atomic():
        # Record what the behavior says now, not what a copy loaded before an edit says.
        behavior = locked(KeyBehavior, behavior.pk)
        before = (
            competency.behaviors.filter(position__lt=behavior.position)
            .order_by("-position")
            .first()
        )
        record = LeftOut.objects.create(
            framework=competency.framework,
            kind=LeftOut.ItemKind.BEHAVIOR,
            competency=competency,
            tier_number=competency.tier.number,
            label=behavior.text,
            # Where it stood (after which behavior), to be put back in its place.
            content={**behavior_content(behavior), "after": before and str(before.identifier)},
            **lineage_of(behavior),
        )
        behavior.delete()
        _done(competency.framework)
    return record


def restore_behavior(*, actor, record: LeftOut) -> KeyBehavior:
    """Put a left-out key behavior back in its place: after the behavior it followed when it
    was left out (first if it was first), or at the end if that one is gone."""
    competency = record.competency
    require_editable(framework=record.framework, actor=actor)
    content = record.content
    with _added(f"Competency {competency.code}"), transaction.atomic():
        behavior = KeyBehavior.objects.create(
            competency=competency,
            identifier=kept_identifier(KeyBehavior, content.get("identifier")),
            title=content.get("title", ""),
            text=content["text"],
            position=_place_for(competency, content),
            origin=content.get("origin", Origin.COPIED),
            merged_from=content.get("merged_from", []),
            **lineage_of(record),
        )
        record.delete()
        _done(record.framework)
    return behavior


def _place_for(competency: Competency, content: dict) -> int:
    """The position a behavior put back takes, the ones after it moved down to make room."""
    position = _next_position(competency)
    if "after" not in content:  # left out before places were kept
        return position
    after = content["after"]
    if after is None:
        position = 1
    else:
        before = competency.behaviors.filter(identifier=after).first()
        if before is None:
            return position
        position = before.position + 1
    later = competency.behaviors.filter(position__gte=position)
    later.update(position=F("position") + 1_000_000)
    later.update(position=F("position") - 999_999)
    return position


def include_all_behaviors(*, actor, competency: Competency) -> int:
    """Put back every left-out key behavior of a competency, each in its place; returns how
    many. The last left out comes back first, so that each finds the one it followed."""
    records = list(competency.left_out.filter(kind=LeftOut.ItemKind.BEHAVIOR).order_by("-id"))
    with transaction.atomic():
        for record in records:
            restore_behavior(actor=actor, record=record)
    return len(records)


def leave_out_competency(*, actor, competency: Competency) -> LeftOut:
    """Take a competency and its key behaviors out of the model, keeping a record."""
    framework = competency.framework
    require_editable(framework=framework, actor=actor)
    with transaction.atomic():
        competency = locked(Competency, competency.pk)
        behaviors = [behavior_content(b) for b in competency.behaviors.order_by("position")]
        # Behaviors already left out of it go with it, to be offered again when it comes back.
        earlier = [r.content for r in competency.left_out.order_by("pk")]
        record = LeftOut.objects.create(
            framework=framework,
            kind=LeftOut.ItemKind.COMPETENCY,
            tier_number=competency.tier.number,
            label=competency.name,
            content={
                "name": competency.name,
                "definition": competency.definition,
                "identifier": str(competency.identifier),
                "origin": competency.origin,
                "merged_from": list(competency.merged_from or []),
                "behaviors": behaviors,
                "left_out_behaviors": earlier,
            },
            **lineage_of(competency),
        )
        competency.delete()
        _done(framework)
    return record


def restore_competency(*, actor, record: LeftOut) -> Competency:
    """Put a left-out competency back at the end of its tier, with its key behaviors."""
    framework = record.framework
    require_editable(framework=framework, actor=actor)
    tier = framework.tiers.filter(number=record.tier_number).first()
    if tier is None:
        raise Conflict(f"Tier {record.tier_number} is no longer in the model.")
    content = record.content
    with transaction.atomic():
        competency = add_competency(
            actor=actor, tier=tier, name=content["name"], definition=content.get("definition", "")
        )
        Competency.objects.filter(pk=competency.pk).update(
            identifier=kept_identifier(Competency, content.get("identifier")),
            origin=content.get("origin", Origin.COPIED),
            merged_from=content.get("merged_from", []),
            **lineage_of(record),
        )
        competency.refresh_from_db()
        KeyBehavior.objects.bulk_create(
            KeyBehavior(
                competency=competency,
                identifier=kept_identifier(KeyBehavior, b.get("identifier")),
                title=b.get("title", ""),
                text=b["text"],
                position=n,
                origin=b.get("origin", Origin.COPIED),
                source_identifier=b.get("source_identifier") or None,
                source_framework_id=b.get("source_framework_id"),
                source_version_id=b.get("source_version_id"),
                merged_from=b.get("merged_from", []),
            )
            for n, b in enumerate(content.get("behaviors", []), start=1)
        )
        LeftOut.objects.bulk_create(
            LeftOut(
                framework=framework,
                kind=LeftOut.ItemKind.BEHAVIOR,
                competency=competency,
                tier_number=tier.number,
                label=b["text"],
                content=b,
                source_identifier=b.get("source_identifier") or None,
                source_framework_id=b.get("source_framework_id"),
                source_version_id=b.get("source_version_id"),
            )
            for b in content.get("left_out_behaviors", [])
        )
        record.delete()
        _done(framework)
    return competency


def move_competency(*, actor, competency: Competency, offset: int) -> None:
    """Swap a competency with its neighbour above (-1) or below (+1) in its tier."""
    _move(actor, competency, competency.tier.competencies.all(), offset, competency.framework)


def move_behavior(*, actor, behavior: KeyBehavior, offset: int) -> None:
    """Swap a key behavior with its neighbour above (-1) or below (+1)."""
    competency = behavior.competency
    _move(actor, behavior, competency.behaviors.all(), offset, competency.framework)


def _move(actor, item, siblings, offset: int, framework: Framework) -> None:
    require_editable(framework=framework, actor=actor)
    ordered = list(siblings.order_by("position"))
    index = next(i for i, sibling in enumerate(ordered) if sibling.pk == item.pk)
    other_index = index + (1 if offset > 0 else -1)
    if not 0 <= other_index < len(ordered):
        return
    # Positions as stored now: the item passed in may be a copy loaded before another move.
    item, other = ordered[index], ordered[other_index]
    model = type(item)
    with transaction.atomic():
        # Through a free position, so that the uniqueness of positions holds at every step.
        model.objects.filter(pk=item.pk).update(position=F("position") + 1_000_000)
        model.objects.filter(pk=other.pk).update(position=item.position)
        model.objects.filter(pk=item.pk).update(position=other.position)
        _done(framework)


def resolve_blend_choice(
    *, actor, choice: BlendChoice, option: int, revision: int
) -> Competency | Tier:
    """Take one source's reading of a field where blended sources disagreed: a competency's
    name or definition, or a tier's name. `revision` is the item's as the chooser saw it: a
    change by someone else since is a conflict, not overwritten."""
    item = choice.competency or choice.tier
    require_editable(framework=item.framework, actor=actor)
    if not 0 <= option < len(choice.options):
        raise InvalidInput([Problem("choice", "option", "choose one of the readings shown")])
    value = choice.options[option]["value"]
    with transaction.atomic():
        item = locked(type(item), item.pk)
        label = f"Competency {item.code}" if choice.competency_id else f"Tier {item.number}"
        _check(item, revision, {choice.field: value}, label)
        setattr(item, choice.field, value)
        item.revision += 1
        item.save(update_fields=[choice.field, "revision"])
        choice.chosen = value
        choice.save(update_fields=["chosen"])
        _done(item.framework)
    return item


def set_build_step(*, actor, framework: Framework, tier_number: int) -> None:
    """Remember where the "Build a model" flow was left, so that it resumes there."""
    require_editable(framework=framework, actor=actor)
    Framework.objects.filter(pk=framework.pk).update(build_step=tier_number)
