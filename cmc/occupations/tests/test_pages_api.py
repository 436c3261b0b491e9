import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from cmc.accounts.models import Membership
from cmc.factories import FrameworkFactory, MembershipFactory, TierFactory, UserFactory
from cmc.frameworks.models import Alignment, Competency, Framework, Visibility
from cmc.occupations.models import FrameworkOccupation
from cmc.occupations.services import import_oews, import_onet

from .conftest import OEWS

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(onet_text_subset):
    import_onet(directory=onet_text_subset)
    import_oews(path=OEWS)


def test_search_page_finds_by_code_and_title(client, loaded):
    page = client.get(reverse("occupations:index"), {"q": "chief"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "3 occupations for “chief”" in text
    assert 'href="/occupations/11-1011.00/">Chief Executives</a>' in text
    assert "Chief Sustainability Officers" in text


def test_occupation_page_shows_wages_tasks_skills_and_sources(client, loaded):
    page = client.get(reverse("occupations:occupation", kwargs={"code": "11-1011"}))
    assert page.status_code == 200
    text = page.content.decode()
    assert "<h1>Chief Executives</h1>" in text
    assert "Job Zone Five: Extensive Preparation Needed" in text
    assert '<tr><th scope="row">Median</th><td>$102.88</td><td>$213,990</td></tr>' in text
    assert "204,350 employed" in text
    assert "BLS Occupational Employment and Wage Statistics, May 2025" in text
    assert "O*NET 29.3 Database, May 2025 Release" in text
    assert "Top skills" in text and "Top knowledge" in text
    assert text.index("Core") < text.index("Supplemental")


def test_unknown_occupation_is_a_404_with_its_message(client, loaded):
    page = client.get("/occupations/99-9999.00/")
    assert page.status_code == 404
    assert "<p>No occupation has the code &#x27;99-9999.00&#x27;.</p>" in page.content.decode()
    nurse = client.get("/occupations/nurse/")
    assert nurse.status_code == 404
    assert (
        "&#x27;nurse&#x27; is not an occupation code: give an O*NET-SOC code such as 29-1141.00"
        in nurse.content.decode()
    )


def test_api_search_and_read(client, loaded):
    found = client.get("/api/v1/occupations", {"q": "11-1011"}).json()
    assert [o["code"] for o in found] == ["11-1011.00", "11-1011.03"]
    one = client.get("/api/v1/occupations/11-1011.00").json()
    assert one["title"] == "Chief Executives"
    assert one["wages"]["annual_median"] == 213990
    assert one["wages"]["source"] == "BLS Occupational Employment and Wage Statistics, May 2025"
    assert one["tasks"][0]["task_type"] == "Core"
    assert [g["domain"] for g in one["elements"]] == ["skill", "knowledge"]
    missing = client.get("/api/v1/occupations/99-9999.00")
    assert (missing.status_code, missing.json()["detail"]) == (
        404,
        "No occupation has the code '99-9999.00'.",
    )


def test_api_commonality(client, loaded):
    answer = client.get(
        "/api/v1/occupations/commonality", {"codes": "11-1011.00,11-1021.00", "min_importance": 4.0}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert [o["code"] for o in body["occupations"]] == ["11-1011.00", "11-1021.00"]
    first = body["elements"][0]
    assert first["important_in"] == 2
    assert first["rated_in"] == 2
    assert all(
        a["important_in"] >= b["important_in"]
        for a, b in zip(body["elements"], body["elements"][1:], strict=False)
    )
    bad = client.get("/api/v1/occupations/commonality", {"codes": "11-1011.00,12-3456.00"})
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        {
            "where": "codes",
            "field": "12-3456.00",
            "message": "is not the code of a loaded occupation",
        }
    ]


def test_commonality_page_and_xlsx(client, loaded):
    page = client.get(reverse("occupations:commonality"), {"codes": "11-1011.00 11-1021.00"})
    assert page.status_code == 200
    assert "across 2 occupations" in page.content.decode()
    download = client.get(
        reverse("occupations:commonality_xlsx"),
        {"codes": "11-1011.00 11-1021.00", "min_importance": "3.5"},
    )
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(download.content))
    sheet = book["Commonality"]
    assert [c.value for c in sheet[1]] == [
        "Element ID",
        "Element",
        "Domain",
        "Important in",
        "Rated in",
        "Mean importance",
        "Mean level",
        "Important for",
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold is True
    assert sheet.column_dimensions["B"].width == 44
    assert book["Occupations"]["B2"].value == "Chief Executives"


def test_start_a_draft_framework_from_commonality(client, loaded):
    user = UserFactory()
    client.force_login(user)
    answer = client.post(
        reverse("occupations:commonality"),
        {
            "codes": "11-1011.00 11-1021.00",
            "min_importance": "3.0",
            "element": ["2.A.1.a", "2.C.1.a"],
            "name": "Executive Model",
            "tier": "4",
        },
    )
    framework = Framework.objects.get(name="Executive Model")
    assert answer.status_code == 302
    assert (framework.owner, framework.visibility, framework.status) == (
        user,
        Visibility.PRIVATE,
        "draft",
    )
    assert list(
        Competency.objects.filter(framework=framework)
        .values_list("tier__number", "name")
        .order_by("code")
    ) == [
        (4, "Administration and Management"),
        (4, "Reading Comprehension"),
    ]
    links = Alignment.objects.filter(framework=framework).order_by("code")
    assert [(a.scheme, a.code, a.strength) for a in links] == [
        ("onet", "2.A.1.a", "exact"),
        ("onet", "2.C.1.a", "exact"),
    ]
    assert list(
        FrameworkOccupation.objects.filter(framework=framework).values_list("code", flat=True)
    ) == ["11-1011.00", "11-1021.00"]


@pytest.fixture
def model_with_tiers():
    owner = UserFactory()
    framework = FrameworkFactory(
        owner=owner,
        visibility=Visibility.ORGANIZATION if False else Visibility.PUBLIC,
        status="draft",
    )
    for number in (6, 7, 8, 9):
        TierFactory(framework=framework, number=number, position=number)
    return framework


def test_start_tiers_from_an_occupation(loaded, model_with_tiers):
    from cmc.occupations.services import start_tiers_from_occupation

    framework = model_with_tiers
    started = start_tiers_from_occupation(
        actor=framework.owner, framework=framework, code="11-1011.00", top=2
    )
    assert started.added[6] == ["Administration and Management", "Personnel and Human Resources"]
    assert len(started.added[7]) == 2
    assert started.added[8][0].startswith("Required level of education: ")
    assert started.added[9][0] in (
        "Management of Financial Resources",
        "Management of Personnel Resources",
        "Time Management",
        "Management of Material Resources",
    )
    alignment = Alignment.objects.get(framework=framework, code="2.C.1.a")
    assert (
        alignment.method
        == "Started from O*NET 11-1011.00 Chief Executives (O*NET 29.3 Database, May 2025 Release)"
    )
    again = start_tiers_from_occupation(
        actor=framework.owner, framework=framework, code="11-1011.00", top=2
    )
    assert again.count == 0
    assert FrameworkOccupation.objects.filter(framework=framework, code="11-1011.00").exists()


@pytest.mark.parametrize("who", ["owner", "member", "outsider", "anonymous"])
def test_only_editors_set_a_frameworks_occupations(client, loaded, model_with_tiers, who):
    framework = model_with_tiers
    if who == "owner":
        client.force_login(framework.owner)
    elif who == "member":
        member = MembershipFactory(role=Membership.Role.VIEWER).user
        client.force_login(member)
    elif who == "outsider":
        client.force_login(UserFactory())
    answer = client.put(
        f"/api/v1/frameworks/{framework.slug}/occupations",
        {"codes": ["11-1011"]},
        content_type="application/json",
    )
    if who == "owner":
        assert answer.status_code == 200
        assert answer.json() == [
            {
                "code": "11-1011.00",
                "title": "Chief Executives",
                "annual_median": 213990,
                "job_zone": 5,
            }
        ]
    else:
        assert answer.status_code in (401, 403)
        assert FrameworkOccupation.objects.count() == 0


def test_framework_page_lists_its_occupations(client, loaded, model_with_tiers):
    framework = model_with_tiers
    FrameworkOccupation.objects.create(
        framework=framework, code="11-1011.00", title="Chief Executives"
    )
    page = client.get(reverse("frameworks:detail", kwargs={"slug": framework.slug}))
    assert 'href="/occupations/11-1011.00/">Chief Executives</a>' in page.content.decode()
    listed = client.get(f"/api/v1/frameworks/{framework.slug}/occupations").json()
    assert listed[0]["code"] == "11-1011.00"
    occupation = client.get("/occupations/11-1011.00/").content.decode()
    assert f'href="/frameworks/{framework.slug}/">{framework.name}</a>' in occupation


def test_editor_adds_and_starts_on_the_page(client, loaded, model_with_tiers):
    framework = model_with_tiers
    client.force_login(framework.owner)
    url = reverse("occupations:framework", kwargs={"slug": framework.slug})
    assert client.post(url, {"action": "add", "code": "11-1021"}).status_code == 302
    assert client.post(url, {"action": "start", "code": "11-1021.00"}).status_code == 302
    assert Alignment.objects.filter(framework=framework, scheme="onet").count() > 0
    bad = client.post(url, {"action": "add", "code": "nope"})
    assert bad.status_code == 422
    assert "is not an occupation code" in bad.content.decode()


def test_statement_source_finds_onet_elements(loaded):
    from cmc.frameworks import statements

    found = statements.search("onet", "reading", limit=5)
    assert [(s.code, s.text, s.kind) for s in found] == [
        ("2.A.1.a", "Reading Comprehension", "Skills")
    ]
    assert statements.find("onet", "2.C.1.a").text == "Administration and Management"


def test_site_search_finds_occupations(loaded):
    from cmc.core.search import search

    results = search("Chief Executives", user=None)
    assert any(hit.url == "/occupations/11-1011.00/" for hit in results.hits)


@pytest.mark.parametrize(
    ("who", "sees"), [("owner", True), ("outsider", False), ("anonymous", False)]
)
def test_occupation_page_names_only_frameworks_the_reader_may_see(client, loaded, who, sees):
    owner = UserFactory()
    private = FrameworkFactory(
        owner=owner, visibility=Visibility.PRIVATE, name="Private Exec Model"
    )
    tier = TierFactory(framework=private, number=7, position=7)
    competency = Competency.objects.create(
        framework=private, tier=tier, code="7.1", name="Reading at work", position=1
    )
    Alignment.objects.create(
        framework=private,
        competency=competency,
        scheme="onet",
        code="2.C.1.a",
        text="Reading Comprehension",
        strength="exact",
    )
    FrameworkOccupation.objects.create(
        framework=private, code="11-1011.00", title="Chief Executives"
    )
    if who == "owner":
        client.force_login(owner)
    elif who == "outsider":
        client.force_login(UserFactory())
    text = client.get("/occupations/11-1011.00/").content.decode()
    assert (
        f'<a href="/frameworks/{private.slug}/">Private Exec Model</a>: Reading at work' in text
    ) is sees
    assert (
        f'<li><a href="/frameworks/{private.slug}/">Private Exec Model</a></li>' in text
    ) is sees
    body = client.get("/api/v1/occupations/11-1011.00").json()
    assert [f["slug"] for f in body["frameworks"]] == ([private.slug] if sees else [])


def test_occupation_page_queries_do_not_grow_with_tasks(
    client, loaded, django_assert_max_num_queries
):
    with django_assert_max_num_queries(16):
        assert client.get("/occupations/11-1011.00/").status_code == 200


def test_search_answers_htmx_with_the_results_only(client, loaded):
    page = client.get(
        reverse("occupations:index"), {"q": "11-1021"}, headers={"HX-Request": "true"}
    )
    text = page.content.decode()
    assert "<h1>" not in text
    assert '<a href="/occupations/11-1021.00/">General and Operations Managers</a>' in text


def test_commonality_draft_needs_a_signed_in_person_and_a_valid_tier(client, loaded):
    form = {"codes": "11-1011.00", "element": ["2.A.1.a"], "name": "Model", "tier": "9"}
    anonymous = client.post(reverse("occupations:commonality"), form)
    assert (anonymous.status_code, anonymous["Location"]) == (
        302,
        "/accounts/login/?next=/occupations/commonality/",
    )
    client.force_login(UserFactory())
    refused = client.post(reverse("occupations:commonality"), form)
    assert refused.status_code == 422
    assert "framework, tier: must be 4 or 5" in refused.content.decode()
    assert not Framework.objects.filter(name="Model").exists()


def test_start_tiers_command(loaded, model_with_tiers, capsys):
    from django.core.management import call_command

    call_command("start_tiers", model_with_tiers.slug, "11-1011", "--top", "1")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "tier 6: Administration and Management"
    assert out[-1].endswith("competencies added, 0 already there")
    assert Competency.objects.filter(framework=model_with_tiers, tier__number=6).count() == 1


def test_occupation_shows_its_soc_groups_and_programs(client, loaded):
    from cmc.occupations.services import import_soc

    from .conftest import SOC

    import_soc(directory=SOC)
    text = client.get("/occupations/11-1011.00/").content.decode()
    assert "<li>11-0000 Management Occupations</li><li>11-1000 Top Executives</li>" in text
    body = client.get("/api/v1/occupations/11-1011.00").json()
    assert [g["code"] for g in body["soc_groups"]] == ["11-0000", "11-1000", "11-1010", "11-1011"]
    assert body["entry_education"] == "Bachelor's degree"
    assert {
        "cip_code": "52.0201",
        "title": "Business Administration and Management, General",
    } in body["programs"]


def test_search_entries_lead_to_the_occupation_page(client, loaded):
    from cmc.core.models import SearchEntry
    from cmc.occupations.search import PAGE

    assert PAGE.format(code="29-1141.00") == reverse(
        "occupations:occupation", kwargs={"code": "29-1141.00"}
    )
    entry = SearchEntry.objects.filter(collection="occupations").first()
    assert entry is not None and client.get(entry.url).status_code == 200


def test_start_tiers_on_a_model_that_combines_tiers_6_to_8(loaded, capsys):
    """The CEWD energy model's tier 6 stands for tiers 6 to 8 and it has no tier 9: knowledge,
    skills and requirements go on tier 6, management is left out, and each is said."""
    from cmc.frameworks.reference import load_reference

    load_reference()
    call_command("start_tiers", "energy-cewd", "11-1011.00", "--top", "2")
    out = capsys.readouterr().out
    assert "tier 6: Administration and Management, Personnel and Human Resources" in out
    assert "The model has no tier 7: its most important skills" in out
    assert "went on tier 6." in out
    assert "The model has no tier 9: its resource management skills" in out
    assert "were not added." in out
    added = Alignment.objects.filter(framework__slug="energy-cewd", code="2.C.1.a")
    assert added.get().competency.tier.number == 6


def test_start_tiers_refuses_a_model_without_occupation_tiers(loaded, capsys):
    framework = FrameworkFactory(slug="foundations", visibility=Visibility.PUBLIC)
    for number in (1, 2, 3):
        TierFactory(framework=framework, number=number, position=number)
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("start_tiers", "foundations", "11-1011.00")
    assert "the model has no tier from 6 up" in capsys.readouterr().err
    assert not Competency.objects.filter(framework=framework).exists()
