"""The occupations a framework names, and starting a framework's tiers from O*NET content."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max

from cmc.core.actors import person
from cmc.core.errors import InvalidInput, Problem
from cmc.frameworks import panels
from cmc.frameworks import services as framework_services
from cmc.frameworks.models import Alignment, Scheme, Strength, Tier
from cmc.frameworks.selectors import require_editable

from ..models import (
    Domain,
    EducationCategory,
    EducationRating,
    ElementRating,
    FrameworkOccupation,
)
from ..selectors import dataset, find_occupation
from ..selectors.occupations import _resolve

SCHEME = Scheme.ONET
# Which O*NET content starts which tier (shown on the page that offers it).
TIER_MAPPING = (
    (6, "knowledge", "the occupation's most important knowledge areas"),
    (7, "skills", "its most important skills, except resource management skills"),
    (8, "requirements", "its typical education, related work experience and training (O*NET ETE)"),
    (9, "management", "its resource management skills (time, money, materials, people)"),
)
MANAGEMENT_PREFIX = "2.B.5"
ETE_SCALES = {"RL": "2.D.1", "RW": "3.A.1", "PT": "3.A.2", "OJ": "3.A.3"}
ETE_NAMES = {
    "RL": "Required level of education",
    "RW": "Related work experience",
    "PT": "On-site or in-plant training",
    "OJ": "On-the-job training",
}


def element_url(element_id: str) -> str:
    return f"https://www.onetonline.org/find/descriptor/result/{element_id}"


def set_occupations(*, actor, framework, codes: list[str]) -> list[FrameworkOccupation]:
    """Make the framework name exactly these occupations (O*NET-SOC or SOC codes), in order;
    editors of the framework only. Unknown codes are refused, each named."""
    require_editable(framework=framework, actor=actor)
    codes = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    found = _resolve(codes)
    missing = [Problem("occupations", code, "is not the code of a loaded occupation") for code in codes if code not in found]  # fmt: skip
    if missing:
        raise InvalidInput(missing)
    with transaction.atomic():
        FrameworkOccupation.objects.filter(framework=framework).exclude(
            code__in=[o.code for o in found.values()]
        ).delete()
        for position, occupation in enumerate(found.values(), 1):
            FrameworkOccupation.objects.update_or_create(
                framework=framework,
                code=occupation.code,
                defaults={
                    "title": occupation.title,
                    "position": position,
                    "added_by": person(actor),
                },
            )
    panels.changed(framework)
    return list(FrameworkOccupation.objects.filter(framework=framework))


def add_occupation(*, actor, framework, code: str) -> FrameworkOccupation:
    """Name one more occupation (at the end); naming it again changes nothing."""
    require_editable(framework=framework, actor=actor)
    occupation = find_occupation(code)
    with transaction.atomic():
        last = FrameworkOccupation.objects.filter(framework=framework).aggregate(p=Max("position"))[
            "p"
        ]
        link, _ = FrameworkOccupation.objects.get_or_create(
            framework=framework,
            code=occupation.code,
            defaults={
                "title": occupation.title,
                "position": (last or 0) + 1,
                "added_by": person(actor),
            },
        )
    panels.changed(framework)
    return link


def remove_occupation(*, actor, framework, code: str) -> bool:
    """Stop naming an occupation; whether it was named."""
    require_editable(framework=framework, actor=actor)
    removed, _ = FrameworkOccupation.objects.filter(framework=framework, code=code).delete()
    panels.changed(framework)
    return bool(removed)


@dataclass
class Started:
    added: dict[int, list[str]] = field(default_factory=dict)  # tier number -> competency names
    skipped: list[str] = field(default_factory=list)  # already aligned on that tier

    @property
    def count(self) -> int:
        return sum(len(names) for names in self.added.values())


def start_tiers_from_occupation(
    *, actor, framework, code: str, top: int = 6, min_importance: float = 3.0
) -> Started:
    """Add draft competencies to tiers 6 to 9 from an occupation's O*NET content (see
    TIER_MAPPING), each aligned (scheme "onet", the element's id, strength exact) as its lineage;
    an element already aligned on that tier is skipped, so running it again adds nothing."""
    require_editable(framework=framework, actor=actor)
    occupation = find_occupation(code)
    tiers = {t.number: t for t in Tier.objects.filter(framework=framework, number__in=[6, 7, 8, 9])}
    missing = [n for n, *_ in TIER_MAPPING if n not in tiers]
    if missing:
        raise InvalidInput(
            [
                Problem(
                    "framework",
                    "tiers",
                    f"the model has no tier {n}; start from a model with tiers 6 to 9",
                )
                for n in missing
            ]
        )
    onet = dataset("onet")
    method = f"Started from O*NET {occupation.code} {occupation.title} ({onet.release if onet else 'O*NET'})"
    started = Started()
    with transaction.atomic():
        for number, items in _content(occupation, top, min_importance).items():
            for element_id, name, definition in items:
                _add(actor, framework, tiers[number], element_id, name, definition, method, started)
        if started.count:
            FrameworkOccupation.objects.get_or_create(
                framework=framework,
                code=occupation.code,
                defaults={"title": occupation.title, "added_by": person(actor)},
            )
    panels.changed(framework)
    return started


def _content(occupation, top: int, min_importance: float) -> dict[int, list[tuple[str, str, str]]]:
    ratings = (
        ElementRating.objects.filter(occupation=occupation, domain__in=[Domain.SKILL, Domain.KNOWLEDGE], importance__gte=min_importance)
        .select_related("element")
        .order_by("-importance", "-level", "element_id")
    )  # fmt: skip
    content: dict[int, list] = {6: [], 7: [], 8: [], 9: []}
    for rating in ratings:
        number = (
            6
            if rating.domain == Domain.KNOWLEDGE
            else (9 if rating.element_id.startswith(MANAGEMENT_PREFIX) else 7)
        )
        if len(content[number]) < top:
            content[number].append(
                (rating.element_id, rating.element.name, rating.element.description)
            )
    content[8] = _requirements(occupation)
    return content


def _requirements(occupation) -> list[tuple[str, str, str]]:
    labels = {
        (s, c): d
        for s, c, d in EducationCategory.objects.values_list("scale_id", "category", "description")
    }
    best: dict[str, tuple[float, int]] = {}
    for scale, category, percent in EducationRating.objects.filter(
        occupation=occupation
    ).values_list("scale_id", "category", "percent"):
        if percent is not None and (scale not in best or percent > best[scale][0]):
            best[scale] = (percent, category)
    items = []
    for scale, element_id in ETE_SCALES.items():
        if scale in best:
            percent, category = best[scale]
            label = labels.get((scale, category), str(category))
            items.append(
                (
                    element_id,
                    f"{ETE_NAMES[scale]}: {label}",
                    f"{percent:.0f}% of O*NET respondents for {occupation.title} name this {ETE_NAMES[scale].lower()}.",
                )
            )
    return items


def _add(actor, framework, tier, element_id, name, definition, method, started: Started) -> None:
    if (
        Alignment.objects.filter(
            framework=framework, tier=tier, scheme=SCHEME, code=element_id
        ).exists()
        or Alignment.objects.filter(
            framework=framework, competency__tier=tier, scheme=SCHEME, code=element_id
        ).exists()
    ):
        started.skipped.append(name)
        return
    competency = framework_services.add_competency(
        actor=actor, tier=tier, name=name[:300], definition=definition
    )
    framework_services.align(
        actor=actor, framework=framework, scheme=SCHEME, code=element_id, text=name,
        url=element_url(element_id), strength=Strength.EXACT, method=method, competency=competency,
    )  # fmt: skip
    started.added.setdefault(tier.number, []).append(name)
