"""A draft framework started from a commonality analysis: the chosen shared elements as
competencies of tier 4 (or 5), each aligned to its O*NET element as its lineage."""

from django.db import transaction

from cmc.core.actors import person
from cmc.core.errors import InvalidInput, Problem
from cmc.frameworks import services as framework_services
from cmc.frameworks.models import Kind, Status, Strength
from cmc.frameworks.trees import CompetencyNode, FrameworkTree, TierNode

from ..selectors import commonality, dataset
from .frameworks import SCHEME, element_url, set_occupations

TIER_NAMES = {
    4: "Industry-Wide Technical Competencies",
    5: "Industry-Sector Technical Competencies",
}


def start_framework_from_commonality(
    *, actor, codes, element_ids: list[str], name: str, tier: int = 4, min_importance: float = 3.0
):
    """Create a private draft framework owned by the actor, with the chosen elements of the
    occupations' commonality table as competencies on `tier` (4 or 5), each aligned (scheme
    "onet", exact) to its element; the framework names the occupations. Returns the framework."""
    if person(actor) is None:
        raise InvalidInput([Problem("framework", "owner", "sign in to start a framework")])
    table = commonality(codes, min_importance=min_importance)
    chosen = [row for row in table.rows if row.element_id in set(element_ids)]
    problems = []
    if tier not in TIER_NAMES:
        problems.append(Problem("framework", "tier", "must be 4 or 5"))
    if not chosen:
        problems.append(
            Problem("framework", "elements", "choose at least one element of the table")
        )
    if not (name or "").strip():
        problems.append(Problem("framework", "name", "give the new framework a name"))
    if problems:
        raise InvalidInput(problems)
    titles = ", ".join(o.title for o in table.occupations)
    tree = FrameworkTree(
        name=name.strip()[:200],
        kind=Kind.INDUSTRY,
        status=Status.DRAFT,
        description=f"Started from the competencies shared by {titles} (O*NET importance of at least {min_importance}).",
        tiers=[
            TierNode(
                number=tier,
                name=TIER_NAMES[tier],
                competencies=[
                    CompetencyNode(code=f"{tier}.{n}", name=row.name, definition=_definition(row))
                    for n, row in enumerate(chosen, 1)
                ],
            )
        ],
    )  # fmt: skip
    onet = dataset("onet")
    method = f"Commonality of {', '.join(o.code for o in table.occupations)} ({onet.release if onet else 'O*NET'})"
    with transaction.atomic():
        framework = framework_services.create_framework(tree=tree, actor=actor).framework
        competencies = {c.code: c for c in framework.competencies.all()}
        for n, row in enumerate(chosen, 1):
            framework_services.align(
                actor=actor, framework=framework, scheme=SCHEME, code=row.element_id, text=row.name,
                url=element_url(row.element_id), strength=Strength.EXACT, method=method,
                competency=competencies[f"{tier}.{n}"],
            )  # fmt: skip
        set_occupations(actor=actor, framework=framework, codes=[o.code for o in table.occupations])
    return framework


def _definition(row) -> str:
    return (
        f"{row.domain_label} element of O*NET ({row.element_id}), important in {row.important_in} "
        f"of the occupations (mean importance {row.mean_importance}, mean level {row.mean_level})."
    )
