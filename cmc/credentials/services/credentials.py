"""Writing credentials and their alignments to frameworks (through the one alignment link)."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from cmc.core.actors import person
from cmc.core.errors import InvalidInput, Problem
from cmc.frameworks import panels
from cmc.frameworks.models import Alignment, Framework, Strength
from cmc.frameworks.services import align, remove_alignment

from ..models import Credential, CredentialKind
from ..search import index_credential, remove_credential
from ..selectors import SCHEME, may_change
from .common import (
    MAX_DESCRIPTION,
    refuse,
    require_person,
    sharing,
    text,
    unique_slug,
    web_address,
)

WHERE = "credential"
DETAIL = "The credential is not valid; nothing was written."
MAX_HOURS = 100_000
MAX_COST = Decimal("99999999.99")
TEXTS = {
    "issuer": 300,
    "accreditation_body": 300,
    "accreditation_standard": 200,
    "assessment_type": 200,
    "renewal": 300,
}
YES = {"yes", "true", "1", "on"}
NO = {"no", "false", "0"}


def _tristate(problems, data, field):
    """True, False, or None (the source does not say) from a form's yes/no/"" or JSON."""
    value = data.get(field)
    if value is None or isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in YES:
        return True
    if word in NO:
        return False
    if word in ("", "unknown", "not stated"):
        return None
    problems.append(Problem(WHERE, field, "must be yes, no or left empty"))
    return None


def _hours(problems, data):
    value = data.get("typical_hours")
    if value is None or str(value).strip() == "":
        return None
    try:
        hours = int(str(value).strip())
    except ValueError:
        hours = -1
    if not 0 <= hours <= MAX_HOURS:
        problems.append(Problem(WHERE, "typical_hours", f"must be a whole number 0 to {MAX_HOURS}"))
        return None
    return hours


def _cost(problems, data):
    value = data.get("typical_cost")
    if value is None or str(value).strip() == "":
        return None
    try:
        cost = Decimal(str(value).strip().lstrip("$").replace(",", ""))
    except InvalidOperation:
        cost = Decimal(-1)
    if not cost.is_finite() or not Decimal(0) <= cost <= MAX_COST:
        problems.append(
            Problem(WHERE, "typical_cost", "must be an amount in dollars from 0 to 99999999.99")
        )
        return None
    return cost.quantize(Decimal("0.01"))


def _fields(data: dict, problems: list, *, partial: bool) -> dict:
    """The credential's own fields from `data`, checked; only those given when `partial`."""
    given = (lambda name: name in data) if partial else (lambda name: True)
    fields = {}
    if given("name"):
        fields["name"] = text(problems, WHERE, data, "name", 300, required=True)
    if given("kind"):
        kind = data.get("kind") or ""
        if kind not in CredentialKind.values:
            allowed = ", ".join(CredentialKind.values)
            problems.append(Problem(WHERE, "kind", f"must be one of {allowed}"))
        fields["kind"] = kind
    for name, most in TEXTS.items():
        if given(name):
            fields[name] = text(problems, WHERE, data, name, most)
    for name in ("national_portability", "third_party_validation"):
        if given(name):
            fields[name] = _tristate(problems, data, name)
    if given("typical_hours"):
        fields["typical_hours"] = _hours(problems, data)
    if given("typical_cost"):
        fields["typical_cost"] = _cost(problems, data)
    if given("url"):
        fields["url"] = web_address(problems, WHERE, data, "url")
    if given("description"):
        fields["description"] = text(problems, WHERE, data, "description", MAX_DESCRIPTION)
    return fields


def create_credential(*, actor, data: dict) -> Credential:
    """A new credential owned by the actor, private unless `data` shares it; every field is
    checked first and nothing is written if one is wrong."""
    require_person(actor, "add a credential")
    problems: list[Problem] = []
    fields = _fields(data, problems, partial=False)
    fields.update(sharing(problems, WHERE, data, actor))
    slug = unique_slug(
        Credential, (data.get("slug") or "").strip(), fields["name"], problems, WHERE
    )
    refuse(problems, DETAIL)
    with transaction.atomic():
        credential = Credential.objects.create(slug=slug, owner=_person(actor), **fields)
        index_credential(credential)
    return credential


def update_credential(*, actor, credential: Credential, data: dict) -> Credential:
    """Change the fields given in `data`; the owner and the organization's editors may."""
    _require_change(actor, credential)
    problems: list[Problem] = []
    fields = _fields(data, problems, partial=True)
    if "visibility" in data or "organization" in data:
        merged = {
            "visibility": credential.visibility,
            "organization": credential.organization.slug if credential.organization else "",
            **{k: data[k] for k in ("visibility", "organization") if k in data},
        }
        fields.update(sharing(problems, WHERE, merged, actor))
    refuse(problems, DETAIL)
    with transaction.atomic():
        locked = Credential.objects.select_for_update().get(pk=credential.pk)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save()
        # The alignments carry the credential's name as their statement's text.
        _links(locked).update(text=locked.name)
        index_credential(locked)
    _panels_changed(locked)
    return locked


def delete_credential(*, actor, credential: Credential) -> None:
    """Delete a credential and its alignments; refused while a pathway stacks it."""
    _require_change(actor, credential)
    if credential.steps.exists():
        raise InvalidInput(
            [Problem(WHERE, "pathways", "a pathway stacks this credential; remove it there first")],
            detail="The credential was not deleted.",
        )
    frameworks = _aligned_frameworks(credential)
    with transaction.atomic():
        _links(credential).delete()
        remove_credential(credential.pk)
        credential.delete()
    for framework in frameworks:
        panels.changed(framework)


def align_credential(
    *,
    actor,
    credential: Credential,
    framework: Framework,
    tier=None,
    competency=None,
    strength: str = Strength.MAJOR,
    method: str = "",
):
    """Align the credential to a framework, one of its tiers or competencies (aligning again
    updates the strength). The actor must be able to change the credential and see the
    framework; the link is the frameworks app's one alignment."""
    _require_change(actor, credential)
    link = align(
        actor=actor,
        framework=framework,
        scheme=SCHEME,
        code=str(credential.identifier),
        text=credential.name,
        url=f"{settings.CMC_SITE_URL}{credential.get_absolute_url()}",
        strength=strength,
        method=method,
        tier=tier,
        competency=competency,
        statement_checked=True,
    )
    panels.changed(framework)
    return link


def remove_credential_alignment(*, actor, credential: Credential, alignment) -> None:
    """Remove one of the credential's alignments."""
    _require_change(actor, credential)
    if alignment.scheme != SCHEME or alignment.code != str(credential.identifier):
        raise PermissionDenied("That alignment is not this credential's.")
    framework = alignment.framework
    remove_alignment(actor=actor, alignment=alignment, statement_checked=True)
    panels.changed(framework)


def _require_change(actor, credential: Credential) -> None:
    if not may_change(credential, actor):
        raise PermissionDenied(f"You may not change the credential '{credential.slug}'.")


def _person(actor):
    return person(actor)


def _links(credential: Credential):
    return Alignment.objects.filter(scheme=SCHEME, code=str(credential.identifier))


def _aligned_frameworks(credential: Credential) -> list[Framework]:
    return list(
        Framework.objects.filter(
            alignments__scheme=SCHEME, alignments__code=str(credential.identifier)
        ).distinct()
    )


def _panels_changed(credential: Credential) -> None:
    # The competency and framework pages name the credential: their cached copies go stale.
    for framework in _aligned_frameworks(credential):
        panels.changed(framework)
