"""Reads of credentials: lists with filters, one credential, where it is aligned."""

import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from cmc.frameworks.models import Alignment, Framework, Scheme
from cmc.frameworks.selectors import alignments_of_statement

from ..models import Credential, CredentialKind, Decision

SCHEME = Scheme.CREDENTIAL


def may_change(item, actor) -> bool:
    """Whether the actor may change a credential or pathway (owner, organization editor)."""
    return type(item).objects.editable_by(actor).filter(pk=item.pk).exists()


@dataclass
class CredentialFilters:
    kind: str = ""
    framework: str = ""
    endorsed: bool = False
    q: str = ""


def credential_list(*, user, filters: CredentialFilters) -> QuerySet[Credential]:
    """Visible credentials matching the filters: kind, aligned to a framework (by slug),
    endorsed (against a visible framework), words in the name, issuer or description."""
    rows = Credential.objects.visible_to(user)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.q:
        rows = rows.filter(
            Q(name__icontains=filters.q)
            | Q(issuer__icontains=filters.q)
            | Q(description__icontains=filters.q)
        )
    visible = Framework.objects.visible_to(user)
    if filters.framework:
        codes = Alignment.objects.filter(
            scheme=SCHEME, framework__in=visible.filter(slug=filters.framework)
        ).values_list("code", flat=True)
        rows = rows.filter(identifier__in=_uuids(codes))
    if filters.endorsed:
        rows = rows.filter(
            reviews__decision=Decision.ENDORSED, reviews__framework__in=visible
        ).distinct()
    return rows.order_by("-is_reference", "name")


def _uuids(codes) -> list[uuid.UUID]:
    """Alignment codes (text) as the credential identifiers (UUIDs) they name."""
    found = []
    for code in codes:
        try:
            found.append(uuid.UUID(str(code)))
        except ValueError:
            continue
    return found


def facet_counts(*, user) -> dict[str, list[tuple[str, str, int]]]:
    """How many visible credentials there are of each kind (value, label, count)."""
    labels = dict(CredentialKind.choices)
    rows = (
        Credential.objects.visible_to(user).values("kind").annotate(n=Count("id")).order_by("kind")
    )
    return {"kind": [(r["kind"], labels.get(r["kind"], r["kind"]), r["n"]) for r in rows]}


def visible_credential(*, user, slug: str) -> Credential:
    """One credential the user may see, or 404."""
    found = (
        Credential.objects.visible_to(user)
        .select_related("owner", "organization")
        .filter(slug=slug)
        .first()
    )
    if found is None:
        raise Http404("No such credential.")
    return found


def editable_credential(*, user, slug: str) -> Credential:
    """The credential the user may change; 403 if they may only read it, 404 if unseen."""
    credential = visible_credential(user=user, slug=slug)
    if not may_change(credential, user):
        raise PermissionDenied("You may read this credential but not change it.")
    return credential


def credential_alignments(*, credential: Credential, reader) -> list[Alignment]:
    """Where the credential is aligned, in the frameworks the reader may see."""
    return alignments_of_statement(scheme=SCHEME, code=str(credential.identifier), reader=reader)


def credential_choices(*, user) -> list[Credential]:
    """Every credential the user may stack in a pathway, by name."""
    return list(Credential.objects.visible_to(user).only("slug", "name", "kind").order_by("name"))


def credentials_aligned_to(*, framework: Framework, competency, reader) -> list[dict]:
    """The visible credentials aligned to a competency (or its key behaviors) of a framework
    the caller has found visible: each with the strength and what it is aligned to."""
    links = Alignment.objects.filter(
        scheme=SCHEME, framework=framework, competency__identifier=competency.identifier
    ).select_related("behavior")
    by_code = {link.code: link for link in links}
    if not by_code:
        return []
    credentials = Credential.objects.visible_to(reader).filter(identifier__in=_uuids(by_code))
    return [
        {"credential": c, "alignment": by_code[str(c.identifier)]}
        for c in credentials.order_by("name")
    ]
