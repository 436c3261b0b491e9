"""Every read of occupations: finding one, searching, wages, summaries and an occupation's page.

Occupational data is public reference data: everyone may read it. What is private is which
frameworks name an occupation, decided by the frameworks' own visibility (see `linked`)."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.http import Http404

from ..models import (
    AlternateTitle,
    Dataset,
    EducationCategory,
    EducationRating,
    Occupation,
    Wage,
)

ONET_CODE = re.compile(r"^\d\d-\d{4}\.\d\d$")
SOC_CODE = re.compile(r"^\d\d-\d{4}$")
NATIONAL = "U.S."
EDUCATION_SCALE = "RL"


@dataclass(frozen=True)
class Wages:
    """BLS OEWS wages of one SOC code: None where BLS publishes no estimate; `top_coded` names
    the fields BLS gives as at or above its top code (the value is then the top code)."""

    soc_code: str
    title: str
    area: str
    year: int
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
    annual_only: bool = False
    hourly_only: bool = False
    top_coded: tuple[str, ...] = field(default=())


WAGE_FIELDS = (
    "employment", "hourly_mean", "annual_mean", "hourly_median", "annual_median",
    "hourly_p10", "hourly_p25", "hourly_p75", "hourly_p90",
    "annual_p10", "annual_p25", "annual_p75", "annual_p90",
)  # fmt: skip


@dataclass(frozen=True)
class OccupationSummary:
    code: str
    title: str
    job_zone: int | None
    annual_median: int | None
    hourly_median: Decimal | None
    education: str


def _not_found(code: str) -> Http404:
    if ONET_CODE.match(code) or SOC_CODE.match(code):
        return Http404(f"No occupation has the code '{code}'.")
    return Http404(
        f"'{code}' is not an occupation code: give an O*NET-SOC code such as 29-1141.00 "
        "or a SOC code such as 29-1141."
    )


def _resolve(codes) -> dict[str, Occupation]:
    """The occupation each code names (O*NET-SOC, or SOC: its .00 occupation, else its first
    detailed one), in one query; codes naming nothing are left out."""
    codes = [str(code).strip() for code in codes]
    onet = {c for c in codes if ONET_CODE.match(c)}
    soc = {c for c in codes if SOC_CODE.match(c)}
    if not onet and not soc:
        return {}
    rows = Occupation.objects.filter(Q(code__in=onet) | Q(soc_code__in=soc)).order_by("code")
    by_code, by_soc = {}, {}
    for row in rows:
        by_code[row.code] = row
        # The .00 occupation sorts first within its SOC code; the first one seen wins.
        by_soc.setdefault(row.soc_code, row)
    found = {}
    for code in codes:
        row = by_code.get(code) or (by_soc.get(code) if code in soc else None)
        if row is not None:
            found[code] = row
    return found


def find_occupation(code: str) -> Occupation:
    """The occupation an O*NET-SOC code ("29-1141.00") or SOC code ("29-1141": its .00
    occupation, else its first detailed one) names, or Http404 saying what was wrong."""
    code = (code or "").strip()
    found = _resolve([code]).get(code)
    if found is None:
        raise _not_found(code)
    return found


def search_occupations(query: str, *, limit: int = 20) -> list[Occupation]:
    """Occupations by code, title, alternate title (and its short form: "RN") or keyword of the
    description, best first: a code or an exact (short) title, then titles that start with the
    query, then titles, alternate titles and descriptions that contain every word."""
    query = " ".join((query or "").split())
    if not query:
        return []
    ranked: dict[int, Occupation] = {}

    def add(rows) -> None:
        for row in rows:
            if len(ranked) >= limit:
                return
            ranked.setdefault(row.pk, row)

    add(Occupation.objects.filter(Q(code__startswith=query) | Q(title__iexact=query))[:limit])
    add(_by_alternate(Q(short_title__iexact=query) | Q(title__iexact=query), limit))
    add(Occupation.objects.filter(title__istartswith=query)[:limit])
    words = query.split()
    add(Occupation.objects.filter(_every(words, "title"))[:limit])
    add(_by_alternate(_every(words, "title") | _every(words, "short_title"), limit))
    add(Occupation.objects.filter(_every(words, "description"))[:limit])
    return list(ranked.values())[:limit]


def _every(words: list[str], column: str) -> Q:
    condition = Q()
    for word in words:
        condition &= Q(**{f"{column}__icontains": word})
    return condition


def _by_alternate(condition: Q, limit: int) -> list[Occupation]:
    codes = list(
        AlternateTitle.objects.filter(condition)
        .order_by("occupation_id")
        .values_list("occupation_id", flat=True)
        .distinct()[:limit]
    )
    return list(Occupation.objects.filter(code__in=codes))


def _wages(row: Wage) -> Wages:
    return Wages(
        soc_code=row.soc_code,
        title=row.title,
        area=row.area,
        year=row.year,
        **{name: getattr(row, name) for name in WAGE_FIELDS},
        annual_only=row.annual_only,
        hourly_only=row.hourly_only,
        top_coded=tuple(row.top_coded),
    )


def _soc_of(code: str) -> str:
    return code.strip()[:7]


def wages_of(code: str) -> Wages | None:
    """The latest national OEWS wages of an occupation's SOC code (an O*NET-SOC code is read as
    its SOC code: OEWS publishes by SOC), or None when OEWS has none."""
    row = Wage.objects.filter(soc_code=_soc_of(code), area=NATIONAL).order_by("-year").first()
    return _wages(row) if row else None


def typical_education(codes) -> dict[str, str]:
    """For each O*NET-SOC code, the level of education most of its respondents require (the
    ETE "Required Level of Education" category with the largest share), in two queries."""
    labels = dict(
        EducationCategory.objects.filter(scale_id=EDUCATION_SCALE).values_list(
            "category", "description"
        )
    )
    best: dict[str, tuple[float, int]] = {}
    rows = EducationRating.objects.filter(occupation_id__in=list(codes), scale_id=EDUCATION_SCALE)
    for code, category, percent in rows.values_list("occupation_id", "category", "percent"):
        if percent is not None and (code not in best or percent > best[code][0]):
            best[code] = (percent, category)
    return {code: labels.get(category, "") for code, (_, category) in best.items()}


def occupation_summaries(codes) -> dict[str, OccupationSummary]:
    """A line about each code's occupation (title, job zone, median wages, typical education),
    keyed by the code as given, in a constant number of queries; unknown codes are left out."""
    found = _resolve(codes)
    if not found:
        return {}
    socs = {row.soc_code for row in found.values()}
    wages: dict[str, Wage] = {}
    for row in Wage.objects.filter(soc_code__in=socs, area=NATIONAL).order_by("year"):
        wages[row.soc_code] = row  # the latest year last
    education = typical_education({row.code for row in found.values()})
    summaries = {}
    for asked, row in found.items():
        wage = wages.get(row.soc_code)
        summaries[asked] = OccupationSummary(
            code=row.code,
            title=row.title,
            job_zone=row.job_zone,
            annual_median=wage.annual_median if wage else None,
            hourly_median=wage.hourly_median if wage else None,
            education=education.get(row.code, ""),
        )
    return summaries


def dataset(name: str) -> Dataset | None:
    """What was imported of a data set (onet, soc, oews), or None."""
    return Dataset.objects.filter(name=name).first()


@dataclass(frozen=True)
class WageRow:
    label: str
    hourly: str
    annual: str


def _money(wages: Wages, name: str, cents: bool) -> str:
    value = getattr(wages, name)
    if value is None:
        return "Not available"
    text = f"${value:,.2f}" if cents else f"${value:,}"
    return f"{text} or more" if name in wages.top_coded else text


def wage_table(wages: Wages | None) -> list[WageRow]:
    """The rows of a wage table for people: 10th to 90th percentile and the mean, hourly and
    annual, with BLS's "not available" and "or more" (top-coded) spelled out."""
    if wages is None:
        return []
    rows = [("10th", "p10"), ("25th", "p25"), ("Median", "median"), ("75th", "p75"), ("90th", "p90"), ("Mean", "mean")]  # fmt: skip
    return [
        WageRow(label, _money(wages, f"hourly_{key}", True), _money(wages, f"annual_{key}", False))
        for label, key in rows
    ]
