"""Alignments: linking an outside statement (an O*NET element, an ESCO skill, a credential, a
resource...) to a framework, one of its tiers, competencies or key behaviors."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction

from cmc.core.actors import is_system, person
from cmc.core.errors import InvalidInput, Problem

from .. import statements
from ..models import Alignment, Competency, Framework, KeyBehavior, Strength, Tier
from ..selectors import may_edit, require_editable

MAX_CODE = 500
# The strengths a person picks from, for the doors (which never import models).
STRENGTHS = Strength.choices
MAX_URL = 1000


def _clean(scheme: str, code: str, text: str, url: str, strength: str, score) -> dict:
    problems = []
    scheme, code = (scheme or "").strip(), (code or "").strip()
    text, url = (text or "").replace("\x00", "").strip(), (url or "").strip()
    if not scheme or len(scheme) > 40:
        problems.append(Problem("alignment", "scheme", "must be 1 to 40 characters"))
    if not code or len(code) > MAX_CODE:
        problems.append(Problem("alignment", "code", f"must be 1 to {MAX_CODE} characters"))
    if url and (len(url) > MAX_URL or not url.startswith(("http://", "https://"))):
        problems.append(Problem("alignment", "url", "must be an http or https address"))
    if strength not in Strength.values:
        allowed = ", ".join(Strength.values)
        problems.append(Problem("alignment", "strength", f"must be one of {allowed}"))
    if score is not None and not 0 <= score <= 1:
        problems.append(Problem("alignment", "score", "must be between 0 and 1"))
    if problems:
        raise InvalidInput(problems)
    return {"scheme": scheme, "code": code, "text": text, "url": url, "strength": strength}


def _target(framework, tier, competency, behavior) -> dict:
    if behavior is not None:
        competency = behavior.competency
    if competency is not None:
        tier = competency.tier
    for item in (tier, competency):
        if item is not None and item.framework_id != framework.pk:
            raise InvalidInput([Problem("alignment", "target", "is not in this framework")])
    return {"tier": tier, "competency": competency, "behavior": behavior}


def align(
    *,
    actor,
    framework: Framework,
    scheme: str,
    code: str,
    text: str = "",
    url: str = "",
    strength: str = Strength.MAJOR,
    score: float | None = None,
    method: str = "",
    tier: Tier | None = None,
    competency: Competency | None = None,
    behavior: KeyBehavior | None = None,
    statement_checked: bool = False,
) -> Alignment:
    """Link a statement to the framework (or one of its items); aligning the same statement to
    the same item again updates the link. The actor must be able to change the framework, or,
    where the calling app has checked that the actor speaks for the statement (its credential,
    its resource: `statement_checked`), to see it."""
    _require(actor, framework, statement_checked)
    fields = _clean(scheme, code, text, url, strength, score)
    target = _target(framework, tier, competency, behavior)
    with transaction.atomic():
        link, _ = Alignment.objects.select_for_update().update_or_create(
            framework=framework,
            **target,
            scheme=fields.pop("scheme"),
            code=fields.pop("code"),
            defaults={**fields, "score": score, "method": method, "made_by": person(actor)},
        )
    return link


def remove_alignment(*, actor, alignment: Alignment, statement_checked: bool = False) -> None:
    """Remove a link: its maker, an editor of the framework, or (`statement_checked`) whoever
    speaks for the statement may."""
    maker = alignment.made_by_id is not None and alignment.made_by_id == getattr(actor, "pk", 0)
    if not (maker or statement_checked or may_edit(framework=alignment.framework, actor=actor)):
        raise PermissionDenied("You may not remove this alignment.")
    alignment.delete()


def _require(actor, framework: Framework, statement_checked: bool) -> None:
    if is_system(actor) or may_edit(framework=framework, actor=actor):
        return
    signed_in = person(actor) is not None
    if (
        statement_checked
        and signed_in
        and Framework.objects.visible_to(actor).filter(pk=framework.pk).exists()
    ):
        return
    raise PermissionDenied(f"You may not align statements to the framework '{framework.slug}'.")


def align_statement(
    *,
    actor,
    framework: Framework,
    scheme: str,
    code: str,
    competency: str,
    behavior: str = "",
    strength: str = Strength.MAJOR,
    text: str = "",
    url: str = "",
) -> Alignment:
    """What a person does on the alignment page or through the API: pick a statement of a
    scheme, a competency (by code) or one of its key behaviors (by identifier), and a strength.
    A statement of a registered source must be one it knows, and its text and address are
    the source's; a statement of another scheme needs its text."""
    require_editable(framework=framework, actor=actor)
    problems = []
    found = statements.find(scheme, code) if statements.source(scheme) else None
    if statements.source(scheme) and found is None:
        label = statements.source(scheme).label
        problems.append(Problem("alignment", "code", f"{label} has no statement '{code}'"))
    elif found is None and not (text or "").strip():
        problems.append(Problem("alignment", "text", "give the statement's text"))
    target = _competency_target(framework, competency, behavior, problems)
    if problems:
        raise InvalidInput(problems)
    if found is not None:
        code, text, url = found.code, found.text, found.url
    return align(
        actor=actor,
        framework=framework,
        scheme=scheme,
        code=code,
        text=text,
        url=url,
        strength=strength,
        **target,
    )


def _competency_target(framework, code: str, behavior: str, problems: list) -> dict:
    competency = Competency.objects.filter(framework=framework, code=(code or "").strip()).first()
    if competency is None:
        problems.append(
            Problem("alignment", "competency", f"no competency '{code}' in this framework")
        )
        return {}
    if not behavior:
        return {"competency": competency}
    found = KeyBehavior.objects.filter(competency=competency, identifier=_uuid(behavior)).first()
    if found is None:
        problems.append(
            Problem("alignment", "behavior", f"is not a key behavior of competency {code}")
        )
        return {}
    return {"behavior": found}


def _uuid(value: str):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
