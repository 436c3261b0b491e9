"""Alignments: linking an outside statement (an O*NET element, an ESCO skill, a credential, a
resource...) to a framework, one of its tiers, competencies or key behaviors."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from cmc.core.actors import is_system, person
from cmc.core.errors import InvalidInput, Problem

from ..models import Alignment, Competency, Framework, KeyBehavior, Strength, Tier
from ..selectors import may_edit

MAX_CODE = 500
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
