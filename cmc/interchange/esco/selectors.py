"""Reads of ESCO: what is loaded, the search with its facets, one concept with everything
around it, the tops of both hierarchies. ESCO is public: everyone may read all of it; the
alignments shown beside a concept are those in frameworks the reader may see."""

from dataclasses import dataclass, field
from urllib.parse import unquote

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.db.models.functions import Length
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from cmc.frameworks.models import Scheme
from cmc.frameworks.selectors import alignments_of_statement

from ..models import (
    EscoBroader,
    EscoCollection,
    EscoConcept,
    EscoCrosswalkMatch,
    EscoKind,
    EscoMember,
    EscoOccupationSkill,
    EscoPillar,
    EscoRelease,
    EscoSkillRelation,
)

MAX_WORDS = 8


@dataclass
class Filters:
    q: str = ""
    kind: int | None = None
    skill_type: str = ""
    reuse_level: str = ""
    collection: str = ""


@dataclass
class Facet:
    value: str
    label: str
    count: int


@dataclass
class Found:
    concepts: list[EscoConcept]
    total: int
    facets: dict[str, list[Facet]] = field(default_factory=dict)


def release() -> EscoRelease | None:
    """The ESCO version loaded, or None when nothing is."""
    return EscoRelease.objects.first()


def kind_counts() -> list[Facet]:
    """How many concepts of each kind are loaded."""
    rows = EscoConcept.objects.values("kind").annotate(n=Count("pk")).order_by("kind")
    return [Facet(str(r["kind"]), EscoKind(r["kind"]).label, r["n"]) for r in rows]


def matching(query: str, *, kinds=None) -> QuerySet[EscoConcept]:
    """Concepts whose labels hold every word of the query, best first: the preferred label
    itself, then labels that start with the query, then the shortest."""
    rows = EscoConcept.objects.select_related("kind")
    if kinds:
        rows = rows.filter(kind_id__in=[int(k) for k in kinds])
    words = query.lower().split()[:MAX_WORDS]
    for word in words:
        rows = rows.filter(search_text__contains=word)
    if not words:
        return rows.order_by("preferred_label")
    text = " ".join(words)
    rank = Case(
        When(preferred_label__iexact=text, then=Value(0)),
        When(preferred_label__istartswith=text, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return rows.annotate(rank=rank, length=Length("preferred_label")).order_by(
        "rank", "length", "preferred_label"
    )


def search_concepts(filters: Filters, *, limit: int = 20, offset: int = 0) -> Found:
    """One page of concepts matching the words and the filters, how many match in all, and
    the facets (kind, skill type, reuse level, collection) over the words alone."""
    matched = matching(filters.q)
    rows = matched
    if filters.kind:
        rows = rows.filter(kind_id=filters.kind)
    for name in ("skill_type", "reuse_level"):
        if getattr(filters, name):
            rows = rows.filter(**{name: getattr(filters, name)})
    if filters.collection:
        rows = rows.filter(memberships__collection=filters.collection)
    return Found(
        concepts=list(rows[offset : offset + limit]),
        total=rows.count(),
        facets=_facets(matched),
    )


def _facets(rows: QuerySet[EscoConcept]) -> dict[str, list[Facet]]:
    plain = rows.order_by()
    kinds = plain.values("kind").annotate(n=Count("pk")).order_by("kind")
    collections = (
        EscoMember.objects.filter(concept__in=plain.values("pk"))
        .values("collection")
        .annotate(n=Count("pk"))
        .order_by("collection")
    )
    names = dict(EscoCollection.choices)
    return {
        "kind": [Facet(str(r["kind"]), EscoKind(r["kind"]).label, r["n"]) for r in kinds],
        "skill_type": _values(plain, "skill_type"),
        "reuse_level": _values(plain, "reuse_level"),
        "collection": [
            Facet(r["collection"], names.get(r["collection"], r["collection"]), r["n"])
            for r in collections
        ],
    }


def _values(rows, column: str) -> list[Facet]:
    counted = rows.exclude(**{column: ""}).values(column).annotate(n=Count("pk")).order_by(column)
    return [Facet(r[column], r[column], r["n"]) for r in counted]


def concept(identifier: str) -> EscoConcept:
    """A concept by its key (the URI's last segment) or its whole URI, or 404."""
    identifier = unquote(identifier).strip()
    if identifier.startswith(("http:/", "https:/")) and "//" not in identifier:
        # A path segment's "//" may arrive as "/" through proxies and routers.
        identifier = identifier.replace(":/", "://", 1)
    found = (
        EscoConcept.objects.filter(uri=identifier).first()
        if "/" in identifier
        else EscoConcept.objects.filter(key=identifier).first()
    )
    if found is None:
        raise Http404(f"No ESCO concept '{identifier}' is loaded.")
    return found


@dataclass
class Link:
    concept: EscoConcept
    relation: str = ""


@dataclass
class OnetMatch:
    code: str
    title: str
    match_type: str
    url: str


@dataclass
class ConceptPage:
    concept: EscoConcept
    kind: str
    trail: list[EscoConcept]
    broader: list[EscoConcept]
    narrower: list[EscoConcept]
    related: list[Link]
    needs: list[Link]  # an occupation's skills, essential first
    needed_by: list[Link]  # the occupations needing a skill
    collections: list[str]
    onet: list[OnetMatch]
    alignments: list


def concept_page(found: EscoConcept, *, reader) -> ConceptPage:
    """Everything a concept's page and API answer show: its place in its hierarchy, related
    skills, occupation-skill links, collections, O*NET-SOC matches and where it is aligned in
    frameworks the reader may see."""
    broader = list(EscoConcept.objects.filter(narrower_links__concept=found))
    names = dict(EscoCollection.choices)
    return ConceptPage(
        concept=found,
        kind=EscoKind(found.kind_id).label,
        trail=_trail(found),
        broader=broader,
        narrower=list(EscoConcept.objects.filter(broader_links__broader=found)),
        related=_related(found),
        needs=[
            Link(link.skill, link.relation_type)
            for link in EscoOccupationSkill.objects.filter(occupation=found)
            .select_related("skill")
            .order_by("relation_type", "skill__preferred_label")
        ],
        needed_by=[
            Link(link.occupation, link.relation_type)
            for link in EscoOccupationSkill.objects.filter(skill=found)
            .select_related("occupation")
            .order_by("relation_type", "occupation__preferred_label")
        ],
        collections=[
            names.get(c, c)
            for c in EscoMember.objects.filter(concept=found)
            .order_by("collection")
            .values_list("collection", flat=True)
        ],
        onet=[_onet(m) for m in EscoCrosswalkMatch.objects.filter(occupation=found)],
        alignments=alignments_of_statement(scheme=Scheme.ESCO, code=found.uri, reader=reader),
    )


def _trail(found: EscoConcept) -> list[EscoConcept]:
    """The chain of first broader concepts up to a top, top first (a few queries: ESCO's
    hierarchies are at most a handful of levels deep)."""
    trail, seen, current = [], {found.pk}, found
    while True:
        link = (
            EscoBroader.objects.filter(concept=current)
            .select_related("broader")
            .order_by("broader__preferred_label")
            .first()
        )
        if link is None or link.broader_id in seen:
            return list(reversed(trail))
        current = link.broader
        seen.add(current.pk)
        trail.append(current)


def _related(found: EscoConcept) -> list[Link]:
    outgoing = [
        Link(link.related, link.relation_type)
        for link in EscoSkillRelation.objects.filter(skill=found).select_related("related")
    ]
    incoming = [
        Link(link.skill, link.relation_type)
        for link in EscoSkillRelation.objects.filter(related=found).select_related("skill")
    ]
    return sorted(
        outgoing + incoming, key=lambda link: (link.relation, link.concept.preferred_label)
    )


def _onet(match: EscoCrosswalkMatch) -> OnetMatch:
    try:
        url = reverse("occupations:occupation", kwargs={"code": match.onet_code})
    except NoReverseMatch:
        # No occupation pages in this installation: the code is shown without a link.
        url = ""
    return OnetMatch(match.onet_code, match.onet_title, match.match_type, url)


def tops(pillar: str) -> list[EscoConcept]:
    """The top concepts of a pillar's hierarchy: skill groups (or ISCO groups) with nothing
    broader."""
    kind = EscoKind.SKILL_GROUP if pillar == EscoPillar.SKILL else EscoKind.ISCO_GROUP
    return list(
        EscoConcept.objects.filter(kind_id=kind)
        .exclude(broader_links__pillar=pillar)
        .order_by("code", "preferred_label")
    )
