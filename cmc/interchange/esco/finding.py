"""How ESCO concepts are found: the site-search collection (scoped by kind of concept, for
everyone: ESCO is public reference data) and the statement source that alignment pages search
(scheme "esco"; a statement's code is the concept's URI)."""

from cmc.core import search
from cmc.frameworks.models import Scheme
from cmc.frameworks.statements import Statement, StatementSource

from ..models import EscoConcept, EscoConceptKind, EscoKind

COLLECTION = "esco"
SCHEME = Scheme.ESCO
KIND_NAMES = {
    EscoKind.OCCUPATION: "occupation",
    EscoKind.SKILL: "skill",
    EscoKind.KNOWLEDGE: "knowledge",
    EscoKind.SKILL_GROUP: "skill_group",
    EscoKind.ISCO_GROUP: "isco_group",
}
# The kinds a person aligns to a competency.
STATEMENT_KINDS = (EscoKind.SKILL, EscoKind.KNOWLEDGE, EscoKind.OCCUPATION)
BODY_CHARACTERS = 2000


def visible(user):
    """Everyone sees every kind of ESCO concept."""
    return EscoConceptKind.objects.all()


def kind_labels(user, ids) -> dict[int, str]:
    return {pk: f"ESCO: {EscoKind(pk).label}" for pk in ids if pk in EscoKind.values}


ESCO = search.Collection(
    name=COLLECTION,
    kinds={
        "occupation": "ESCO occupation",
        "skill": "ESCO skill",
        "knowledge": "ESCO knowledge",
        "skill_group": "ESCO skill group",
        "isco_group": "ISCO group",
    },
    visible=visible,
    scope_labels=kind_labels,
    scope_param="esco",
    scope_heading="ESCO",
)


def register() -> None:
    """Called when the interchange app is ready: the collection and the statement source."""
    search.register(ESCO)
    from cmc.frameworks import statements

    statements.register(
        StatementSource(
            scheme=SCHEME,
            label="ESCO skills and occupations",
            search=statements_like,
            find=statement,
        )
    )


def index_concepts() -> int:
    """Replace every ESCO entry of the site search (one scope per kind); how many written."""
    written = 0
    for kind, name in KIND_NAMES.items():
        rows = EscoConcept.objects.filter(kind_id=kind).values_list(
            "pk", "key", "preferred_label", "alt_labels", "description", "code"
        )
        entries = [
            search.Entry(
                kind=name,
                object_id=pk,
                title=label,
                url=f"/esco/concepts/{key}/",
                body=f"{alt}\n{description}"[:BODY_CHARACTERS],
                context=f"ESCO {EscoKind(kind).label.lower()}" + (f" {code}" if code else ""),
            )
            for pk, key, label, alt, description, code in rows.iterator(chunk_size=2000)
        ]
        written += search.index(collection=COLLECTION, scope_id=int(kind), entries=entries)
    return written


def as_statement(concept: EscoConcept) -> Statement:
    return Statement(
        scheme=SCHEME,
        code=concept.uri,
        text=concept.preferred_label,
        url=concept.uri,
        kind=EscoKind(concept.kind_id).label.lower(),
        detail=concept.description[:500],
    )


def statements_like(query: str, limit: int) -> list[Statement]:
    """The skills, knowledge and occupations that best match the query."""
    from .selectors import matching

    return [as_statement(c) for c in matching(query, kinds=STATEMENT_KINDS)[:limit]]


def statement(code: str) -> Statement | None:
    """The concept with that URI (or URI's last segment) as a statement, or None."""
    found = (
        EscoConcept.objects.filter(uri=code).first() or EscoConcept.objects.filter(key=code).first()
    )
    return as_statement(found) if found else None
