from decimal import Decimal

import pytest
from django.http import Http404

from cmc.occupations import selectors

from .factories import (
    AlternateTitleFactory,
    EducationCategoryFactory,
    EducationRatingFactory,
    OccupationFactory,
    WageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def nurses():
    rn = OccupationFactory(
        code="29-1141.00", title="Registered Nurses", description="Assess patient health."
    )
    OccupationFactory(code="29-1141.01", title="Acute Care Nurses")
    AlternateTitleFactory(occupation=rn, title="Registered Nurse (RN)", short_title="RN")
    return rn


def test_find_occupation_by_onet_code(nurses):
    assert selectors.find_occupation("29-1141.00") == nurses
    assert selectors.find_occupation("29-1141.01").title == "Acute Care Nurses"


def test_find_occupation_by_soc_code_gives_its_00_occupation(nurses):
    assert selectors.find_occupation(" 29-1141 ") == nurses


def test_find_occupation_by_soc_code_without_00_gives_the_first_detailed_one(db):
    OccupationFactory(code="15-1299.08", title="Computer Systems Engineers/Architects")
    OccupationFactory(code="15-1299.01", title="Web Administrators")
    assert selectors.find_occupation("15-1299").code == "15-1299.01"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("29-1199.00", "No occupation has the code '29-1199.00'."),
        ("29-1199", "No occupation has the code '29-1199'."),
        (
            "nurse",
            "'nurse' is not an occupation code: give an O*NET-SOC code such as 29-1141.00 "
            "or a SOC code such as 29-1141.",
        ),
    ],
)
def test_find_occupation_unknown(nurses, code, message):
    with pytest.raises(Http404) as raised:
        selectors.find_occupation(code)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    "query", ["RN", "rn", "29-1141", "Registered Nurses", "registered", "nurse (rn)", "patient"]
)
def test_search_finds_registered_nurses_first(nurses, query):
    assert selectors.search_occupations(query)[0] == nurses


def test_search_ranks_and_limits(nurses):
    # A title that starts with the query before one that contains it; then by code.
    assert [o.code for o in selectors.search_occupations("acute")] == ["29-1141.01"]
    assert [o.code for o in selectors.search_occupations("nurse")] == ["29-1141.00", "29-1141.01"]
    assert [o.code for o in selectors.search_occupations("nurse", limit=1)] == ["29-1141.00"]
    assert selectors.search_occupations("   ") == []
    assert selectors.search_occupations("astronaut") == []


def test_wages_of_latest_national_year(db):
    WageFactory(soc_code="29-1141", year=2024, annual_median=80000)
    WageFactory(soc_code="29-1141", area="California", annual_median=130000)
    WageFactory(
        soc_code="29-1141",
        year=2025,
        title="Registered Nurses",
        employment=3300000,
        hourly_median=Decimal("45.00"),
        annual_median=93600,
        hourly_p90=None,
        annual_p90=239200,
        top_coded=["annual_p90"],
    )
    wages = selectors.wages_of("29-1141.00")
    assert wages == selectors.Wages(
        soc_code="29-1141",
        title="Registered Nurses",
        area="U.S.",
        year=2025,
        employment=3300000,
        hourly_mean=Decimal("30.00"),
        annual_mean=62400,
        hourly_median=Decimal("45.00"),
        annual_median=93600,
        hourly_p10=None,
        hourly_p25=None,
        hourly_p75=None,
        hourly_p90=None,
        annual_p10=None,
        annual_p25=None,
        annual_p75=None,
        annual_p90=239200,
        top_coded=("annual_p90",),
    )
    assert selectors.wages_of("29-1141") == wages
    assert selectors.wages_of("11-1011") is None


def test_occupation_summaries_in_constant_queries(nurses, django_assert_num_queries):
    other = OccupationFactory(code="47-2111.00", title="Electricians", job_zone=3)
    WageFactory(soc_code="29-1141", annual_median=93600, hourly_median=Decimal("45.00"))
    EducationCategoryFactory(category=2)
    bachelor = EducationCategoryFactory(category=6, description="Bachelor's Degree")
    EducationRatingFactory(occupation=nurses, category=2, percent=10.0)
    EducationRatingFactory(occupation=nurses, category=bachelor.category, percent=60.0)
    EducationRatingFactory(occupation=other, category=2, percent=70.0)
    with django_assert_num_queries(4):
        found = selectors.occupation_summaries(["29-1141", "47-2111.00", "11-1011.00", "bad"])
    assert found == {
        "29-1141": selectors.OccupationSummary(
            code="29-1141.00",
            title="Registered Nurses",
            job_zone=3,
            annual_median=93600,
            hourly_median=Decimal("45.00"),
            education="Bachelor's Degree",
        ),
        "47-2111.00": selectors.OccupationSummary(
            code="47-2111.00",
            title="Electricians",
            job_zone=3,
            annual_median=None,
            hourly_median=None,
            education="High School Diploma - or the equivalent (for example, GED)",
        ),
    }
