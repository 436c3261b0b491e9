"""Writing stackable pathways: the pathway, and its ordered steps."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cmc.core.actors import person
from cmc.core.errors import Problem
from cmc.frameworks import panels
from cmc.frameworks.models import Framework

from ..models import Credential, Pathway, Step
from ..search import index_pathway
from ..selectors import may_change
from .common import MAX_DESCRIPTION, refuse, require_person, sharing, text, unique_slug

WHERE = "pathway"
DETAIL = "The pathway is not valid; nothing was written."
STEP_DETAIL = "The step is not valid; nothing was written."


def _framework(problems, data, actor) -> Framework | None:
    slug = (data.get("framework") or "").strip()
    found = Framework.objects.visible_to(actor).filter(slug=slug).first() if slug else None
    if found is None:
        message = "is required" if not slug else f"'{slug}' is not a framework you can see"
        problems.append(Problem(WHERE, "framework", message))
    return found


def create_pathway(*, actor, data: dict) -> Pathway:
    """A new pathway on a framework the actor can see, owned by the actor."""
    require_person(actor, "build a pathway")
    problems: list[Problem] = []
    name = text(problems, WHERE, data, "name", 300, required=True)
    description = text(problems, WHERE, data, "description", MAX_DESCRIPTION)
    framework = _framework(problems, data, actor)
    shared = sharing(problems, WHERE, data, actor)
    slug = unique_slug(Pathway, (data.get("slug") or "").strip(), name, problems, WHERE)
    refuse(problems, DETAIL)
    with transaction.atomic():
        pathway = Pathway.objects.create(
            slug=slug,
            name=name,
            description=description,
            framework=framework,
            owner=person(actor),
            **shared,
        )
        index_pathway(pathway)
    panels.changed(framework)  # the framework's page lists its pathways
    return pathway


def update_pathway(*, actor, pathway: Pathway, data: dict) -> Pathway:
    """Change the name, description, framework or sharing given in `data`."""
    _require_change(actor, pathway)
    problems: list[Problem] = []
    fields: dict = {}
    if "name" in data:
        fields["name"] = text(problems, WHERE, data, "name", 300, required=True)
    if "description" in data:
        fields["description"] = text(problems, WHERE, data, "description", MAX_DESCRIPTION)
    if "framework" in data:
        fields["framework"] = _framework(problems, data, actor)
    if "visibility" in data or "organization" in data:
        merged = {
            "visibility": pathway.visibility,
            "organization": pathway.organization.slug if pathway.organization else "",
            **{k: data[k] for k in ("visibility", "organization") if k in data},
        }
        fields.update(sharing(problems, WHERE, merged, actor))
    refuse(problems, DETAIL)
    with transaction.atomic():
        locked = Pathway.objects.select_for_update().get(pk=pathway.pk)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save()
        index_pathway(locked)
    panels.changed(pathway.framework)
    panels.changed(locked.framework)
    return locked


def _tier(problems, data, field, framework: Framework):
    value = data.get(field)
    if value is None or str(value).strip() == "":
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        number = 0
    if not framework.tiers.filter(number=number).exists():
        problems.append(Problem("step", field, f"must be a tier of {framework.name}"))
        return None
    return number


def _step_fields(actor, pathway: Pathway, data: dict) -> dict:
    problems: list[Problem] = []
    slug = (data.get("credential") or "").strip()
    credential = None
    if slug:
        credential = Credential.objects.visible_to(actor).filter(slug=slug).first()
        if credential is None:
            problems.append(
                Problem("step", "credential", f"'{slug}' is not a credential you can see")
            )
    fields = {
        "credential": credential,
        "stage": text(problems, "step", data, "stage", 200),
        "tier_from": _tier(problems, data, "tier_from", pathway.framework),
        "tier_to": _tier(problems, data, "tier_to", pathway.framework),
        "education": text(problems, "step", data, "education", 300),
        "career": text(problems, "step", data, "career", 300),
        "note": text(problems, "step", data, "note", 5000),
    }
    if fields["tier_from"] and fields["tier_to"] and fields["tier_from"] > fields["tier_to"]:
        problems.append(Problem("step", "tier_to", "must not be below the first tier"))
    if fields["tier_to"] is None:
        fields["tier_to"] = fields["tier_from"]
    if not slug and not fields["stage"] and not problems:
        problems.append(Problem("step", "credential", "choose a credential or name the stage"))
    refuse(problems, STEP_DETAIL)
    return fields


def add_step(*, actor, pathway: Pathway, data: dict) -> Step:
    """A step on top of the pathway's stack."""
    _require_change(actor, pathway)
    fields = _step_fields(actor, pathway, data)
    with transaction.atomic():
        Pathway.objects.select_for_update().get(pk=pathway.pk)
        top = pathway.steps.aggregate(top=Max("position"))["top"] or 0
        step = Step.objects.create(pathway=pathway, position=top + 1, **fields)
        _touch(pathway)
    return step


def update_step(*, actor, step: Step, data: dict) -> Step:
    """Change a step's credential, stage, tiers, or the education and career beside it."""
    _require_change(actor, step.pathway)
    fields = _step_fields(actor, step.pathway, data)
    with transaction.atomic():
        Step.objects.filter(pk=step.pk).update(**fields)
        _touch(step.pathway)
    step.refresh_from_db()
    return step


def remove_step(*, actor, step: Step) -> None:
    """Take a step out; the steps above it move down one."""
    pathway = step.pathway
    _require_change(actor, pathway)
    with transaction.atomic():
        Pathway.objects.select_for_update().get(pk=pathway.pk)
        step.delete()
        for position, remaining in enumerate(pathway.steps.order_by("position"), start=1):
            if remaining.position != position:
                Step.objects.filter(pk=remaining.pk).update(position=position)
        _touch(pathway)


def move_step(*, actor, step: Step, offset: int) -> None:
    """Move a step one place down (-1) or up (+1) the stack; at an end nothing moves."""
    pathway = step.pathway
    _require_change(actor, pathway)
    with transaction.atomic():
        Pathway.objects.select_for_update().get(pk=pathway.pk)
        step.refresh_from_db()
        other = pathway.steps.filter(position=step.position + offset).first()
        if other is None:
            return
        # Through a free position: (pathway, position) is unique at every statement.
        mine, theirs = step.position, other.position
        Step.objects.filter(pk=step.pk).update(position=0)
        Step.objects.filter(pk=other.pk).update(position=mine)
        Step.objects.filter(pk=step.pk).update(position=theirs)
        _touch(pathway)


def _touch(pathway: Pathway) -> None:
    Pathway.objects.filter(pk=pathway.pk).update(updated_at=timezone.now())
    panels.changed(pathway.framework)  # its page counts the pathway's steps


def _require_change(actor, pathway: Pathway) -> None:
    if not may_change(pathway, actor):
        raise PermissionDenied(f"You may not change the pathway '{pathway.slug}'.")
