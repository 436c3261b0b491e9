"""Reads of alignments: what is linked to a framework's items, and where a statement is linked."""

import uuid
from collections import defaultdict

from django.db.models import Count, F
from django.http import Http404

from ..models import Alignment, Framework


def _rows():
    return Alignment.objects.select_related("framework", "tier", "competency", "behavior")


def alignments_for(*, framework: Framework, scheme: str = "") -> list[Alignment]:
    """Every alignment to a framework the caller has already found visible, in the order of
    its items; only one scheme's if `scheme` is given."""
    rows = _rows().filter(framework=framework)
    if scheme:
        rows = rows.filter(scheme=scheme)
    # A link to the whole item comes before links to its parts on both databases (SQLite
    # sorts an empty position first, PostgreSQL last, unless told).
    first = [
        F(name).asc(nulls_first=True)
        for name in ("tier__position", "competency__position", "behavior__position")
    ]
    return list(rows.order_by(*first, "code"))


def alignments_for_item(*, framework: Framework, item) -> list[Alignment]:
    """The alignments to one competency of a framework the caller has found visible, and to its
    key behaviors: what the competency's page lists."""
    return list(
        _rows()
        .filter(framework=framework, competency__identifier=item.identifier)
        .order_by(F("behavior__position").asc(nulls_first=True), "scheme", "code")
    )


def alignments_by_item(*, framework: Framework) -> dict[uuid.UUID, list[Alignment]]:
    """A framework's alignments keyed by the identifier of the item each points at (a key
    behavior, competency or tier; the framework itself for links to the whole model): what an
    export writes beside each item."""
    found: dict[uuid.UUID, list[Alignment]] = defaultdict(list)
    for link in alignments_for(framework=framework):
        item = link.behavior or link.competency or link.tier or link.framework
        found[item.identifier].append(link)
    return dict(found)


def alignments_of_statement(*, scheme: str, code: str, reader) -> list[Alignment]:
    """Where a statement is aligned, in the frameworks the reader may see."""
    visible = Framework.objects.visible_to(reader)
    return list(
        _rows()
        .filter(scheme=scheme, code=code, framework__in=visible)
        .order_by("framework__name", "tier__position", "competency__position")
    )


def aligned_codes(*, scheme: str, codes, reader) -> dict[str, int]:
    """For each of `codes`, in how many visible frameworks it is aligned (one query)."""
    visible = Framework.objects.visible_to(reader)
    rows = (
        Alignment.objects.filter(scheme=scheme, code__in=list(codes), framework__in=visible)
        .values("code")
        .annotate(n=Count("framework", distinct=True))
    )
    return {row["code"]: row["n"] for row in rows}


def alignment_list(
    *, framework: Framework, scheme: str = "", competency: str = ""
) -> list[Alignment]:
    """The alignments to a framework the caller has found visible, in the order of its items;
    only one scheme's, or only those to one competency (by code) and its key behaviors, if
    asked."""
    rows = alignments_for(framework=framework, scheme=scheme)
    if competency:
        rows = [link for link in rows if link.competency and link.competency.code == competency]
    return rows


def visible_alignment(*, user, identifier) -> Alignment:
    """One alignment, by identifier, in a framework the user may see; 404 otherwise."""
    found = (
        _rows()
        .filter(identifier=identifier, framework__in=Framework.objects.visible_to(user))
        .first()
    )
    if found is None:
        raise Http404("No such alignment.")
    return found
