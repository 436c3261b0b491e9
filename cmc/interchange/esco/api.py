"""The ESCO API: search concepts and read one, with everything around it. Open to everyone."""

from ninja import Field, Query, Router, Schema

from cmc.accounts.auth import current_user
from cmc.core.api import ERRORS

from . import selectors

router = Router(tags=["esco"])


class ConceptQuery(Schema):
    q: str = Field("", max_length=200, description="words that every label must hold")
    kind: int | None = Field(
        None,
        ge=1,
        le=5,
        description="1 occupation, 2 skill, 3 knowledge, 4 skill group, 5 ISCO group",
    )
    skill_type: str = Field("", max_length=40)
    reuse_level: str = Field("", max_length=40)
    collection: str = Field("", max_length=30)
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


class ConceptSummaryOut(Schema):
    id: str = Field(description="the URI's last segment; the concept's address here")
    uri: str
    kind: str
    preferred_label: str
    code: str
    skill_type: str
    reuse_level: str
    url: str


class EscoFacetOut(Schema):
    value: str
    label: str
    count: int


class ConceptPageOut(Schema):
    total: int
    items: list[ConceptSummaryOut]
    facets: dict[str, list[EscoFacetOut]]


class EscoLinkOut(Schema):
    id: str
    preferred_label: str
    relation: str


class OnetOut(Schema):
    code: str
    title: str
    match_type: str
    url: str


class AlignedOut(Schema):
    identifier: str
    framework: str
    competency: str | None
    target: str
    strength: str


class ConceptOut(ConceptSummaryOut):
    alt_labels: list[str]
    description: str
    definition: str
    scope_note: str
    status: str
    isco_group: str
    broader: list[EscoLinkOut]
    narrower: list[EscoLinkOut]
    related: list[EscoLinkOut]
    skills: list[EscoLinkOut]
    occupations: list[EscoLinkOut]
    collections: list[str]
    onet: list[OnetOut]
    alignments: list[AlignedOut]


def _summary(concept) -> dict:
    return {
        "id": concept.key,
        "uri": concept.uri,
        "kind": concept.kind.label,
        "preferred_label": concept.preferred_label,
        "code": concept.code,
        "skill_type": concept.skill_type,
        "reuse_level": concept.reuse_level,
        "url": concept.get_absolute_url(),
    }


def _link(concept, relation: str = "") -> dict:
    return {"id": concept.key, "preferred_label": concept.preferred_label, "relation": relation}


@router.get(
    "/esco/concepts", response={200: ConceptPageOut, **ERRORS}, summary="Search ESCO concepts"
)
def list_esco_concepts(request, filters: Query[ConceptQuery]):
    """ESCO skills, knowledge, occupations and groups whose labels hold every word of `q`,
    best first, with counts by kind, skill type, reuse level and collection."""
    wanted = filters.dict()
    limit, offset = wanted.pop("limit"), wanted.pop("offset")
    found = selectors.search_concepts(selectors.Filters(**wanted), limit=limit, offset=offset)
    return {
        "total": found.total,
        "items": [_summary(c) for c in found.concepts],
        "facets": {name: [vars(f) for f in facets] for name, facets in found.facets.items()},
    }


@router.get(
    "/esco/concepts/{path:concept_id}",
    response={200: ConceptOut, **ERRORS},
    summary="One ESCO concept",
)
def get_esco_concept(request, concept_id: str):
    """One concept by its id (the URI's last segment) or its whole URI, url-encoded: labels,
    hierarchy, related skills, occupation-skill links, collections, O*NET-SOC matches and
    where it is aligned in frameworks the caller may see."""
    page = selectors.concept_page(selectors.concept(concept_id), reader=current_user(request))
    concept = page.concept
    return {
        **_summary(concept),
        "alt_labels": concept.alt_label_list,
        "description": concept.description,
        "definition": concept.definition,
        "scope_note": concept.scope_note,
        "status": concept.status,
        "isco_group": concept.isco_group,
        "broader": [_link(c) for c in page.broader],
        "narrower": [_link(c) for c in page.narrower],
        "related": [_link(link.concept, link.relation) for link in page.related],
        "skills": [_link(link.concept, link.relation) for link in page.needs],
        "occupations": [_link(link.concept, link.relation) for link in page.needed_by],
        "collections": page.collections,
        "onet": [vars(m) for m in page.onet],
        "alignments": [
            {
                "identifier": str(link.identifier),
                "framework": link.framework.slug,
                "competency": link.competency.code if link.competency else None,
                "target": link.target_label,
                "strength": link.strength,
            }
            for link in page.alignments
        ],
    }
