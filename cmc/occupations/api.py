"""The occupations routes of the JSON API: search, an occupation with its wages, commonality,
and the occupations a framework names. Thin doors onto the same selectors and services as the
pages and the command line."""

from decimal import Decimal

from ninja import Query, Router

from cmc.accounts.auth import current_user, write_auth
from cmc.core.api import ERRORS, WRITE_ERRORS, InSchema, Schema
from cmc.frameworks.selectors import editable_framework, visible_framework

from . import selectors, services

router = Router(tags=["occupations"])


class OccupationItem(Schema):
    code: str
    soc_code: str
    title: str
    job_zone: int | None


class SearchQuery(Schema):
    q: str = ""
    limit: int = 20


@router.get(
    "/occupations", response={200: list[OccupationItem], **ERRORS}, summary="Find occupations"
)
def search_occupations_api(request, query: Query[SearchQuery]):
    """By title, alternate title ("RN"), O*NET-SOC or SOC code, or a word of the description."""
    return selectors.search_occupations(query.q[:200], limit=max(1, min(query.limit, 100)))


class SharedOut(Schema):
    element_id: str
    name: str
    domain: str
    important_in: int
    rated_in: int
    mean_importance: float | None
    mean_level: float | None
    important_for: list[str]


class CommonalityOut(Schema):
    occupations: list[OccupationItem]
    min_importance: float
    elements: list[SharedOut]


class CommonalityQuery(Schema):
    codes: str
    min_importance: float = 3.0


# Declared before /occupations/{code}: "commonality" is not a code.
@router.get(
    "/occupations/commonality",
    response={200: CommonalityOut, **ERRORS},
    summary="What several occupations share",
)
def occupations_commonality(request, query: Query[CommonalityQuery]):
    """Skills, knowledge, abilities and work activities of the occupations (`codes`, comma
    separated): in how many each is important (importance >= min_importance), mean importance
    and level; most shared first."""
    table = selectors.commonality(query.codes, min_importance=query.min_importance)
    return {
        "occupations": table.occupations,
        "min_importance": table.min_importance,
        "elements": [
            {**row.__dict__, "important_for": list(row.important_for)} for row in table.rows
        ],
    }


class WagesOut(Schema):
    soc_code: str
    title: str
    area: str
    year: int
    source: str
    employment: int | None
    hourly_mean: Decimal | None
    annual_mean: int | None
    hourly_median: Decimal | None
    annual_median: int | None
    hourly_p10: Decimal | None
    hourly_p25: Decimal | None
    hourly_p75: Decimal | None
    hourly_p90: Decimal | None
    annual_p10: int | None
    annual_p25: int | None
    annual_p75: int | None
    annual_p90: int | None
    annual_only: bool
    hourly_only: bool
    top_coded: list[str]


class TaskOut(Schema):
    task_id: int
    text: str
    task_type: str
    importance: float | None


class ElementOut(Schema):
    element_id: str
    name: str
    importance: float | None
    level: float | None
    aligned: int


class ElementGroupOut(Schema):
    domain: str
    label: str
    elements: list[ElementOut]


class RelatedOut(Schema):
    code: str
    title: str
    tier: str


class EducationOut(Schema):
    category: int
    label: str
    percent: float


class OccupationFrameworkRef(Schema):
    slug: str
    name: str


class SocGroupOut(Schema):
    code: str
    level: str
    title: str


class ProgramOut(Schema):
    cip_code: str
    title: str


class OccupationOut(OccupationItem):
    description: str
    soc_groups: list[SocGroupOut]
    programs: list[ProgramOut]
    entry_education: str
    job_zone_name: str
    tasks: list[TaskOut]
    tasks_ranked: bool
    elements: list[ElementGroupOut]
    education: list[EducationOut]
    typical_education: str
    wages: WagesOut | None
    related: list[RelatedOut]
    frameworks: list[OccupationFrameworkRef]
    source: str


@router.get(
    "/occupations/{code}", response={200: OccupationOut, **ERRORS}, summary="One occupation"
)
def get_occupation(request, code: str):
    """An occupation by O*NET-SOC code (29-1141.00) or SOC code (29-1141), with everything its
    page shows: tasks, skills, knowledge (abilities and work activities where loaded),
    education, national wages, related occupations and the frameworks you may see that name it."""
    profile = selectors.occupation_profile(code, reader=current_user(request))
    occupation = profile.occupation
    wages = None
    if profile.wages:
        wages = {
            **profile.wages.__dict__,
            "top_coded": list(profile.wages.top_coded),
            "source": profile.wage_source,
        }
    return {
        "code": occupation.code,
        "soc_code": occupation.soc_code,
        "title": occupation.title,
        "job_zone": occupation.job_zone,
        "description": occupation.description,
        "soc_groups": profile.soc_path,
        "programs": [{"cip_code": code, "title": title} for code, title in profile.programs],
        "entry_education": profile.entry_education,
        "job_zone_name": profile.job_zone.name if profile.job_zone else "",
        "tasks": profile.tasks,
        "tasks_ranked": profile.tasks_ranked,
        "elements": profile.groups,
        "education": profile.education,
        "typical_education": profile.typical_education,
        "wages": wages,
        "related": [
            {"code": r.related_code, "title": r.related_title, "tier": r.tier}
            for r in profile.related
        ],
        "frameworks": profile.frameworks,
        "source": profile.onet_release,
    }


class NamedOccupation(Schema):
    code: str
    title: str
    annual_median: int | None = None
    job_zone: int | None = None


class OccupationsIn(InSchema):
    codes: list[str]


def _named(framework) -> list[dict]:
    return [
        {
            "code": link["code"],
            "title": link["title"],
            "annual_median": link["summary"].annual_median if link["summary"] else None,
            "job_zone": link["summary"].job_zone if link["summary"] else None,
        }
        for link in selectors.occupations_of(framework=framework)
    ]


@router.get(
    "/frameworks/{slug}/occupations",
    response={200: list[NamedOccupation], **ERRORS},
    summary="The occupations a framework names",
)
def framework_occupations_list(request, slug: str):
    return _named(visible_framework(user=current_user(request), slug=slug))


@router.put(
    "/frameworks/{slug}/occupations",
    response={200: list[NamedOccupation], **WRITE_ERRORS},
    auth=write_auth,
    summary="Set the occupations a framework names",
)
def framework_occupations_set(request, slug: str, payload: OccupationsIn):
    """Replace the list with these O*NET-SOC (or SOC) codes, in order; editors only."""
    framework = editable_framework(user=request.auth, slug=slug)
    services.set_occupations(actor=request.auth, framework=framework, codes=payload.codes)
    return _named(framework)


class StartIn(InSchema):
    code: str
    top: int = 6
    min_importance: float = 3.0


class StartedOut(Schema):
    added: dict[int, list[str]]
    skipped: list[str]
    notes: list[str]


@router.post(
    "/frameworks/{slug}/occupations/start",
    response={200: StartedOut, **WRITE_ERRORS},
    auth=write_auth,
    summary="Start tiers 6 to 9 from an occupation's O*NET content",
)
def framework_start_from_occupation(request, slug: str, payload: StartIn):
    """Draft competencies on tiers 6 (knowledge), 7 (skills), 8 (education, experience,
    training) and 9 (resource management skills), each aligned to its O*NET element. A model
    that combines tiers (the energy model's tier 6 stands for tiers 6 to 8) takes a missing
    tier's content on the nearest tier below it; `notes` says where content went or why it
    was left out."""
    framework = editable_framework(user=request.auth, slug=slug)
    started = services.start_tiers_from_occupation(
        actor=request.auth, framework=framework, code=payload.code,
        top=max(1, min(payload.top, 20)), min_importance=payload.min_importance,
    )  # fmt: skip
    return {"added": started.added, "skipped": started.skipped, "notes": started.notes}
