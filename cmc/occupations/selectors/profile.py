"""What an occupation's page and its API read show, as plain data."""

from dataclasses import dataclass, field

from cmc.frameworks.models import Framework, Scheme
from cmc.frameworks.selectors import aligned_codes, alignments_of_statement

from ..models import (
    Crosswalk,
    Domain,
    EducationCategory,
    EducationRating,
    ElementRating,
    JobZone,
    Occupation,
    RelatedOccupation,
    SocGroup,
    Task,
)
from .occupations import Wages, dataset, find_occupation, wages_of

SCHEME = Scheme.ONET
TOP = 10
SHOWN_DOMAINS = (Domain.SKILL, Domain.KNOWLEDGE, Domain.ABILITY, Domain.WORK_ACTIVITY)


@dataclass(frozen=True)
class RatedElement:
    element_id: str
    name: str
    description: str
    importance: float | None
    level: float | None
    aligned: int = 0  # in how many frameworks the reader may see it is aligned
    # Where: (framework slug, framework name, the competency's name or "") for each alignment.
    aligned_to: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class ElementGroup:
    domain: str
    label: str
    elements: list[RatedElement]


@dataclass(frozen=True)
class EducationShare:
    category: int
    label: str
    percent: float


@dataclass(frozen=True)
class LinkedFramework:
    slug: str
    name: str


@dataclass
class Profile:
    occupation: Occupation
    job_zone: JobZone | None
    tasks: list[Task]
    tasks_ranked: bool
    groups: list[ElementGroup]
    education: list[EducationShare]
    typical_education: str
    wages: Wages | None
    related: list[RelatedOccupation]
    frameworks: list[LinkedFramework]
    onet_release: str
    wage_source: str
    soc_path: list[SocGroup] = field(default_factory=list)
    programs: list[tuple[str, str]] = field(default_factory=list)
    entry_education: str = ""


def ordered_tasks(occupation: Occupation) -> tuple[list[Task], bool]:
    """Core tasks before supplemental ones, each ranked by importance where Task Ratings are
    loaded (else in O*NET's order); and whether they are ranked."""
    tasks = list(occupation.tasks.all())
    ranked = any(task.importance is not None for task in tasks)
    kind = {"Core": 0, "Supplemental": 1}
    tasks.sort(key=lambda t: (kind.get(t.task_type, 2), -(t.importance or 0), t.task_id))
    return tasks, ranked


def element_groups(occupation: Occupation, *, reader, top: int = TOP) -> list[ElementGroup]:
    """The most important skills, knowledge, abilities and work activities of an occupation
    (the domains loaded), each with where it is aligned in frameworks the reader may see."""
    rows = (
        ElementRating.objects.filter(occupation=occupation, domain__in=SHOWN_DOMAINS)
        .select_related("element")
        .order_by("domain", "-importance", "-level", "element_id")
    )
    by_domain: dict[str, list[ElementRating]] = {}
    for row in rows:
        chosen = by_domain.setdefault(row.domain, [])
        if len(chosen) < top:
            chosen.append(row)
    codes = [row.element_id for chosen in by_domain.values() for row in chosen]
    aligned = aligned_codes(scheme=SCHEME, codes=codes, reader=reader) if codes else {}
    # Only the few aligned elements are looked up, one query each.
    where = {code: _aligned_to(code, reader) for code in aligned}
    labels = dict(Domain.choices)
    return [
        ElementGroup(
            domain,
            labels[domain],
            [
                RatedElement(
                    r.element_id, r.element.name, r.element.description, r.importance,
                    r.level, aligned.get(r.element_id, 0), where.get(r.element_id, ()),
                )
                for r in by_domain[domain]
            ],
        )
        for domain in SHOWN_DOMAINS
        if domain in by_domain
    ]  # fmt: skip


def _aligned_to(code: str, reader) -> tuple[tuple[str, str, str], ...]:
    links = alignments_of_statement(scheme=SCHEME, code=code, reader=reader)
    return tuple(
        (link.framework.slug, link.framework.name, link.competency.name if link.competency else "")
        for link in links
    )


def education_shares(occupation: Occupation) -> list[EducationShare]:
    """The share of respondents at each required level of education (ETE "RL" scale)."""
    labels = dict(
        EducationCategory.objects.filter(scale_id="RL").values_list("category", "description")
    )
    rows = EducationRating.objects.filter(occupation=occupation, scale_id="RL").order_by("category")
    return [
        EducationShare(row.category, labels.get(row.category, str(row.category)), row.percent)
        for row in rows
        if row.percent
    ]


def frameworks_naming(code: str, *, reader) -> list[LinkedFramework]:
    """The frameworks the reader may see that name this occupation."""
    rows = (
        Framework.objects.visible_to(reader)
        .filter(occupation_links__code=code)
        .order_by("name")
        .values_list("slug", "name")
        .distinct()
    )
    return [LinkedFramework(slug, name) for slug, name in rows]


def soc_path(soc_code: str) -> list[SocGroup]:
    """The SOC 2018 groups above and at a detailed code, major group first (one query)."""
    codes = {soc_code, soc_code[:6] + "0", soc_code[:5] + "00", soc_code[:3] + "0000"}
    return list(SocGroup.objects.filter(code__in=codes).order_by("code"))


def programs_for(soc_code: str, *, limit: int = 20) -> tuple[list[tuple[str, str]], str]:
    """The CIP 2020 programs the TOP-CIP-SOC crosswalk links to a SOC code (code, title), and
    BLS's typical entry-level education for it, as the crosswalk gives them."""
    rows = Crosswalk.objects.filter(soc_code=soc_code).order_by("cip_code")
    programs = list(dict.fromkeys(rows.values_list("cip_code", "cip_title")))[:limit]
    entry = rows.exclude(entry_education="").values_list("entry_education", flat=True).first()
    return programs, entry or ""


def occupation_profile(code: str, *, reader) -> Profile:
    """Everything an occupation's page shows, for a reader (who decides which frameworks are
    listed); Http404 for an unknown code."""
    occupation = find_occupation(code)
    tasks, ranked = ordered_tasks(occupation)
    education = education_shares(occupation)
    onet = dataset("onet")
    wages = wages_of(occupation.code)
    programs, entry = programs_for(occupation.soc_code)
    return Profile(
        occupation=occupation,
        job_zone=JobZone.objects.filter(zone=occupation.job_zone).first(),
        tasks=tasks,
        tasks_ranked=ranked,
        groups=element_groups(occupation, reader=reader),
        education=education,
        typical_education=max(education, key=lambda e: e.percent).label if education else "",
        wages=wages,
        related=list(RelatedOccupation.objects.filter(occupation=occupation).order_by("rank")),
        frameworks=frameworks_naming(occupation.code, reader=reader),
        onet_release=onet.release if onet else "O*NET",
        wage_source=f"BLS Occupational Employment and Wage Statistics, May {wages.year}"
        if wages
        else "",
        soc_path=soc_path(occupation.soc_code),
        programs=programs,
        entry_education=entry,
    )
