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
    notes: list[str] = field(default_factory=list)  # where content went, or why it did not

    def summary(self) -> str:
        """One line a page or command shows: what was added where, and the notes."""
        tiers = ", ".join(str(n) for n in sorted(self.added)) or "none"
        line = (
            f"{self.count} draft competencies added (tiers {tiers}); "
            f"{len(self.skipped)} already there."
        )
        return " ".join([line, *self.notes])

    @property
    def count(self) -> int:
        return sum(len(names) for names in self.added.values())


def start_tiers_from_occupation(
    *, actor, framework, code: str, top: int = 6, min_importance: float = 3.0
) -> Started:
    """Add draft competencies to tiers 6 to 9 from an occupation's O*NET content (see
    TIER_MAPPING; a model that combines tiers takes them as _placing says), each aligned (scheme "onet", the element's id, strength exact) as its lineage;
    an element already aligned on that tier is skipped, so running it again adds nothing."""
    require_editable(framework=framework, actor=actor)
    occupation = find_occupation(code)
    present = {t.number: t for t in Tier.objects.filter(framework=framework, number__gte=6)}
    started = Started()
    tiers = _placing(present, started)
    onet = dataset("onet")
    method = f"Started from O*NET {occupation.code} {occupation.title} ({onet.release if onet else 'O*NET'})"
    with transaction.atomic():
        for number, items in _content(occupation, top, min_importance).items():
            if number not in tiers:
                continue
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


def _placing(present: dict, started: Started) -> dict:
    """The tier each part of TIER_MAPPING goes to. A model that combines tiers (the CEWD energy
    model's tier 6 stands for tiers 6 to 8) takes a missing tier's content on the nearest tier
    below it from 6 up; content with no such tier (management, on a model without tier 9) is
    left out, and said so. A model with no tier from 6 up is refused."""
    if not present:
        raise InvalidInput([Problem("framework", "tiers", "the model has no tier from 6 up (the "
                                    "occupation-related tiers); add tier 6 first")])  # fmt: skip
    placing = {}
    for number, _, what in TIER_MAPPING:
        below = [n for n in present if 6 <= n <= number and (number < 9 or n == 9)]
        if not below:
            started.notes.append(f"The model has no tier {number}: {what} were not added.")
            continue
        placing[number] = present[max(below)]
        if max(below) != number:
            started.notes.append(
                f"The model has no tier {number}: {what} went on tier {max(below)}."
            )
    return placing


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
