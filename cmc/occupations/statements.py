"""O*NET's content model elements as statements a person can align to a framework's items."""

from cmc.frameworks import statements
from cmc.frameworks.models import Scheme

from .models import Domain, Element

SCHEME = Scheme.ONET
SHOWN = (Domain.SKILL, Domain.KNOWLEDGE, Domain.ABILITY, Domain.WORK_ACTIVITY)
LABELS = dict(Domain.choices)


def _statement(element: Element) -> statements.Statement:
    return statements.Statement(
        scheme=SCHEME,
        code=element.element_id,
        text=element.name,
        url=f"https://www.onetonline.org/find/descriptor/result/{element.element_id}",
        kind=LABELS.get(element.domain, ""),
        detail=element.description,
    )


def search_elements(query: str, limit: int) -> list[statements.Statement]:
    """Skills, knowledge, abilities and work activities whose name (then description) holds the
    query, names first."""
    query = (query or "").strip()
    if not query:
        return []
    rows = Element.objects.filter(domain__in=SHOWN)
    named = list(rows.filter(name__icontains=query).order_by("name")[:limit])
    described = list(
        rows.filter(description__icontains=query)
        .exclude(pk__in=[e.pk for e in named])
        .order_by("name")[: max(0, limit - len(named))]
    )
    return [_statement(e) for e in named + described]


def find_element(code: str) -> statements.Statement | None:
    element = Element.objects.filter(element_id=code).first()
    return _statement(element) if element else None


def register_source() -> None:
    statements.register(
        statements.StatementSource(
            scheme=SCHEME, label="O*NET skills, knowledge, abilities and work activities",
            search=search_elements, find=find_element,
        )
    )  # fmt: skip
