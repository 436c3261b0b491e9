"""ESCO's pages, API, crosswalk, site search and statement source, on a real-layout subset."""

from urllib.parse import quote

import pytest

from cmc.core import search
from cmc.core.actors import SYSTEM
from cmc.core.errors import InvalidInput
from cmc.factories import CompetencyFactory, FrameworkFactory
from cmc.frameworks import statements
from cmc.frameworks.models import Visibility
from cmc.frameworks.services import align
from cmc.interchange.esco import loading
from cmc.interchange.models import EscoCrosswalkMatch

from .esco_files import subset

pytestmark = pytest.mark.django_db
OCCUPATION = "http://data.europa.eu/esco/occupation/00030d09-2b3a-4efd-87cc-c4ea39d27c34"
SKILL = "http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab"
NOTES = [f"Crosswalk note line {n}" for n in range(1, 17)]
HEADER = "O*NET Id,O*NET Title,O*NET Description,ESCO or ISCO URI,ESCO or ISCO Title,ESCO or ISCO Description,Type of Match"  # fmt: skip


@pytest.fixture
def esco(tmp_path):
    return loading.import_esco(actor=SYSTEM, paths=[subset(tmp_path / "esco")], version="1.2.0")


def crosswalk_file(tmp_path, rows: list[str]):
    """A file in the layout of the published ESCO to O*NET-SOC crosswalk: 16 lines of notes,
    then the header row (none such file is in ../shared/data: this one is written here)."""
    path = tmp_path / "ONET_(Occupations)_0_updated.csv"
    path.write_text("\n".join([*NOTES, HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_the_start_page_says_when_nothing_is_loaded(client):
    response = client.get("/esco/")
    assert response.status_code == 200
    assert "No ESCO classification is loaded on this site yet." in response.content.decode()


def test_the_start_page_counts_searches_and_shows_both_tops(client, esco):
    page = client.get("/esco/").content.decode()
    assert "version 1.2.0" in page
    assert (
        "<li>Occupation: 40</li><li>Skill: 36</li><li>Knowledge: 6</li><li>ISCO group: 619</li>"
        in page
    )
    assert (
        '<a href="/esco/concepts/C0/"><span class="code">0</span> Armed forces occupations</a>'
        in page
    )
    found = client.get("/esco/", {"q": "musical staff"}).content.decode()
    assert "1 concept found." in found
    assert (
        '<a href="/esco/concepts/0005c151-5b5a-4a66-8aac-60e734beb1ab/">manage musical staff</a>'
        in found
    )
    partial = client.get("/esco/", {"q": "manage", "kind": "2"}, headers={"HX-Request": "true"})
    assert "<h1>" not in partial.content.decode()
    assert "concepts found." in partial.content.decode()


def test_a_concepts_page_shows_its_hierarchy_and_where_it_is_aligned(client, esco):
    private = FrameworkFactory(name="Secret Model", visibility=Visibility.PRIVATE)
    public = FrameworkFactory(name="Open Model")
    for framework in (private, public):
        competency = CompetencyFactory(tier__framework=framework)
        align(actor=SYSTEM, framework=framework, competency=competency, scheme="esco", code=SKILL)
    page = client.get("/esco/concepts/C01/").content.decode()
    assert '<li><a href="/esco/concepts/C0/">Armed forces occupations</a></li>' in page
    assert "Commissioned armed forces officers" in page  # narrower: C011
    skill = client.get("/esco/concepts/0005c151-5b5a-4a66-8aac-60e734beb1ab/").content.decode()
    assert "Open Model" in skill and "Secret Model" not in skill
    missing = client.get("/esco/concepts/nope/")
    assert missing.status_code == 404


def test_the_api_searches_and_reads_by_id_or_whole_uri(client, esco):
    listed = client.get("/api/v1/esco/concepts", {"q": "musical staff"}).json()
    assert [item["id"] for item in listed["items"]] == ["0005c151-5b5a-4a66-8aac-60e734beb1ab"]
    assert listed["facets"]["kind"] == [{"value": "2", "label": "Skill", "count": 1}]
    by_key = client.get("/api/v1/esco/concepts/C01").json()
    by_uri = client.get(
        f"/api/v1/esco/concepts/{quote('http://data.europa.eu/esco/isco/C01', safe='')}"
    ).json()
    assert by_key == by_uri
    assert (by_key["kind"], by_key["code"], [b["id"] for b in by_key["broader"]]) == (
        "ISCO group",
        "01",
        ["C0"],
    )
    missing = client.get("/api/v1/esco/concepts/nope")
    assert (missing.status_code, missing.json()) == (
        404,
        {"detail": "No ESCO concept 'nope' is loaded.", "errors": []},
    )
    refused = client.get("/api/v1/esco/concepts", {"kind": "9"})
    assert refused.status_code == 422


def test_the_crosswalk_links_occupations_to_onet_soc_codes(client, esco, tmp_path):
    path = crosswalk_file(
        tmp_path,
        [
            f'27-2012.02,Directors- Stage,"Interpret scripts",{OCCUPATION},technical director,"",exactMatch',
            "11-1011.00,Chief Executives,x,http://data.europa.eu/esco/occupation/not-loaded,x,x,closeMatch",
        ],
    )
    summary = loading.import_crosswalk(actor=SYSTEM, path=path)
    assert summary.lines() == [
        "Loaded the ESCO to O*NET-SOC crosswalk:",
        "  O*NET-SOC matches: 1 new, 0 changed, 0 unchanged",
        "  skipped 1 rows naming an ESCO concept that is not loaded",
    ]
    page = client.get("/esco/concepts/00030d09-2b3a-4efd-87cc-c4ea39d27c34/").content.decode()
    # The code links to the occupation's page.
    assert (
        '<li><a href="/occupations/27-2012.02/"><span class="code">27-2012.02</span> '
        'Directors- Stage</a> <span class="muted">(exactMatch)</span></li>' in page
    )
    again = loading.import_crosswalk(actor=SYSTEM, path=path)
    assert again.lines()[1] == "  O*NET-SOC matches: 0 new, 0 changed, 1 unchanged"


def test_a_broken_crosswalk_is_named_and_writes_nothing(esco, tmp_path):
    bad = crosswalk_file(tmp_path, [f"27-2012,Directors,x,{OCCUPATION},x,x,exactMatch"])
    with pytest.raises(InvalidInput) as refused:
        loading.import_crosswalk(actor=SYSTEM, path=bad)
    assert [str(p) for p in refused.value.problems] == [
        "ONET_(Occupations)_0_updated.csv, line 18, O*NET Id: must be an O*NET-SOC code such "
        "as 11-1011.00"
    ]
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        loading.import_crosswalk(actor=SYSTEM, path=other)
    assert [str(p) for p in refused.value.problems] == [
        "other.csv, line 1, O*NET Id: no header row with the columns 'O*NET Id' and 'ESCO or "
        "ISCO URI' in the first 40 lines: this is not the ESCO to O*NET-SOC crosswalk CSV"
    ]
    assert EscoCrosswalkMatch.objects.count() == 0


def test_esco_concepts_are_found_by_the_site_search_and_as_statements(client, esco):
    results = search.search("musical staff", user=None, collections=["esco"])
    # Labels weigh more than descriptions: the skill comes first.
    assert [(hit.title, hit.kind_label, hit.url) for hit in results.hits][:1] == [
        (
            "manage musical staff",
            "ESCO skill",
            "/esco/concepts/0005c151-5b5a-4a66-8aac-60e734beb1ab/",
        )
    ]
    page = client.get("/search/", {"q": "musical staff"}).content.decode()
    assert "manage musical staff" in page
    (statement,) = statements.search("esco", "musical staff")
    assert (statement.code, statement.text, statement.kind) == (
        SKILL,
        "manage musical staff",
        "skill",
    )
    assert statements.find("esco", SKILL) == statement
    assert statements.find("esco", "0005c151-5b5a-4a66-8aac-60e734beb1ab") == statement


def test_the_search_page_asks_a_fixed_number_of_queries(client, esco, django_assert_num_queries):
    # The release, kind counts, both tops, the page of concepts (with their kinds), its
    # count, and the four facets.
    with django_assert_num_queries(10):
        response = client.get("/esco/", {"q": "manage"})
    assert response.status_code == 200
