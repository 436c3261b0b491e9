import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cmc.core.actors import SYSTEM
from cmc.resources import services
from cmc.resources.models import Resource

from .conftest import resource_input


@pytest.fixture
def published(welding):
    return services.import_resources(actor=SYSTEM, rows=[("r", resource_input())], publish=True)[0]


def test_the_search_page_lists_hits_and_facets_without_js(client, published):
    page = client.get("/resources/?q=welding&state=WA")
    text = page.content.decode()
    assert page.status_code == 200
    assert "1 resource for “welding”" in text
    assert f'href="{published.get_absolute_url()}">Welding safety course</a>' in text
    assert "<mark>welding</mark>" in text.lower()
    assert 'aria-current="true" class="current">Washington' in text
    # The chosen facet is kept by the next search, which HTMX or the browser sends from the form.
    assert '<input type="hidden" form="resource-search-form" name="state" value="WA">' in text


def test_the_search_page_has_the_uses_of_a_model_as_a_facet(client, welding):
    services.import_resources(actor=SYSTEM, rows=[("r", resource_input(
        kind="case-study", title="In action", uses=["certification"]))], publish=True)  # fmt: skip
    text = client.get("/resources/?use=certification").content.decode()
    assert '<h2 id="facet-use">Use of a model</h2>' in text
    assert 'aria-current="true" class="current">Certification, licensure and assessment development' in text  # fmt: skip
    assert '<input type="hidden" form="resource-search-form" name="use" value="certification">' in text  # fmt: skip
    page = client.get("/resources/?use=nope")
    assert page.status_code == 400
    assert "Use: &#x27;nope&#x27; is not a use of a model" in page.content.decode()


def test_htmx_gets_only_the_results(client, published):
    page = client.get("/resources/?q=welding", headers={"HX-Request": "true"})
    assert page.status_code == 200
    assert "<h1>" not in page.content.decode()


def test_a_bad_facet_value_on_the_page_is_named(client, published):
    page = client.get("/resources/?state=ZZ")
    assert page.status_code == 400
    assert "State: &#x27;ZZ&#x27; is not a U.S. state code" in page.content.decode()


def test_a_resource_page_shows_its_alignments(client, published):
    page = client.get(published.get_absolute_url())
    text = page.content.decode()
    assert page.status_code == 200
    assert 'href="/frameworks/welding/competencies/1.1/">1.1 Teamwork</a> (tier 1)' in text


def test_a_pending_resource_is_not_found_by_others(client, welding, owner):
    resource = services.submit_resource(actor=owner, data=resource_input())
    assert client.get(resource.get_absolute_url()).status_code == 404
    client.force_login(owner)
    page = client.get(resource.get_absolute_url())
    assert "This resource waits for a moderator" in page.content.decode()


def test_the_competency_and_framework_pages_list_aligned_resources(client, published):
    competency = client.get("/frameworks/welding/competencies/1.1/").content.decode()
    assert "Resources aligned to this competency" in competency
    assert "Welding safety course" in competency
    framework = client.get("/frameworks/welding/").content.decode()
    assert (
        'href="/resources/?framework=welding">Search the resources aligned to Welding Model</a>'
        in framework
    )


def test_submitting_on_the_page_shows_errors_beside_fields_and_in_a_summary(client, welding, owner):
    client.force_login(owner)
    page = client.post("/resources/submit/", {"kind": "curriculum", "title": "", "url": "ftp://x"})
    text = page.content.decode()
    assert page.status_code == 422
    assert "There is a problem; nothing was saved" in text
    assert '<a href="#id_title">Title: is required</a>' in text
    assert '<p class="error" id="id_url-error">&#x27;ftp://x&#x27; is not a web address' in text
    assert Resource.objects.count() == 0


def test_submitting_on_the_page_sends_it_to_moderation(client, welding, owner):
    client.force_login(owner)
    page = client.post(
        "/resources/submit/",
        {"kind": "guide", "title": "Crew guide", "url": "https://example.org/g",
         "industries": ["Energy"], "states": "WA; OR", "alignments": "welding:1:1.2"},
    )  # fmt: skip
    resource = Resource.objects.get()
    assert page.status_code == 302
    assert page["Location"] == resource.get_absolute_url()
    assert (resource.status, resource.submitted_by) == ("pending", owner)


def test_the_submit_page_needs_a_sign_in(client, welding):
    page = client.get("/resources/submit/")
    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/login/")


def test_the_moderation_page_and_decision_for_staff(client, welding, owner, staff):
    resource = services.submit_resource(actor=owner, data=resource_input())
    client.force_login(owner)
    assert client.get("/resources/moderation/").status_code == 302
    client.force_login(staff)
    assert "Welding safety course" in client.get("/resources/moderation/").content.decode()
    answer = client.post(
        f"/resources/{resource.identifier}/moderate/",
        {"decision": "rejected", "reason": "Duplicate of another resource."},
    )
    assert answer.status_code == 302
    resource.refresh_from_db()
    assert (resource.status, resource.reason, resource.decided_by) == (
        "rejected", "Duplicate of another resource.", staff,
    )  # fmt: skip
    client.force_login(owner)
    mine = client.get("/resources/mine/").content.decode()
    assert "Duplicate of another resource." in mine


def test_the_template_has_the_columns(client, db):
    answer = client.get("/resources/template.xlsx")
    sheet = load_workbook(io.BytesIO(answer.content)).worksheets[0]
    assert [c.value for c in next(sheet.iter_rows())] == [
        "kind", "title", "organization", "url", "description", "industries", "states",
        "audience", "format", "cost", "date", "uses", "alignments",
    ]  # fmt: skip
    assert client.get("/resources/template.csv").content.startswith(b"kind,title,")
    assert client.get("/resources/template.pdf").status_code == 404


def test_the_command_imports_a_file(tmp_path: Path, welding, staff):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = tmp_path / "r.csv"
    path.write_text("kind,title,alignments\nguide,A guide,welding:1:1.1\n")
    out = io.StringIO()
    call_command("import_resources", str(path), "--publish", "--as", "moderator", stdout=out)
    assert out.getvalue() == "r.csv: 1 resource(s) imported, published\n"
    assert Resource.objects.get().submitted_by == staff
    path.write_text("kind,title\nguide,\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"1 problem\(s\); nothing was written"):
        call_command("import_resources", str(path), stderr=err)
    assert err.getvalue() == "r.csv, row 2, title: is required\n"


def test_models_in_action_lists_the_shipped_case_studies_by_use(client, reference):
    from cmc.resources.reference import load

    loaded = load()
    assert loaded.summary == "models in action: 11 case studies, 11 changed"
    assert load().summary == "models in action: 11 case studies, 0 changed"
    page = client.get("/resources/models-in-action/").content.decode()
    assert '<h2 id="use-apprenticeship">Industry models and registered apprenticeship</h2>' in page
    assert "Grand Coulee Dam: a shorter power plant operator apprenticeship" in page
    cewd = Resource.objects.get(title__startswith="Center for Energy Workforce Development")
    detail = client.get(cewd.get_absolute_url()).content.decode()
    assert "Energy Industry Competency Model (CEWD Get Into Energy)" in detail
    assert "seed 003_046e57e73e8b9e95.txt" in detail


@pytest.mark.parametrize(("who", "status"), [("owner", 200), ("staff", 200), ("outsider", 403)])
def test_the_edit_page_is_for_the_submitter_and_staff(client, published, owner, staff, who, status):
    from cmc.factories import UserFactory

    Resource.objects.filter(pk=published.pk).update(submitted_by=owner)
    client.force_login({"owner": owner, "staff": staff, "outsider": UserFactory()}[who])
    page = client.get(f"/resources/{published.identifier}/edit/")
    assert page.status_code == status
    answer = client.post(
        f"/resources/{published.identifier}/edit/",
        {"kind": "guide", "title": "Renamed guide", "alignments": "welding:2"},
    )
    published.refresh_from_db()
    if status == 200:
        assert answer.status_code == 302
        assert (published.title, published.kind) == ("Renamed guide", "guide")
    else:
        assert answer.status_code == 403
        assert published.title == "Welding safety course"


def test_the_edit_form_shows_the_current_alignments(client, published, staff):
    client.force_login(staff)
    page = client.get(f"/resources/{published.identifier}/edit/").content.decode()
    assert 'id="id_alignments">\nwelding:1:1.1</textarea>' in page
    assert 'name="states" value="OR; WA"' in page


def test_a_dry_run_before_the_frameworks_load_reports_and_writes_nothing(db):
    from cmc.resources.reference import load

    assert load(dry_run=True).summary == "models in action: 11 case studies, 11 would change"
    assert Resource.objects.count() == 0


def test_a_missing_framework_stops_the_load_with_every_case_study_named(db):
    from cmc.core.errors import InvalidInput
    from cmc.resources.reference import load

    with pytest.raises(InvalidInput) as caught:
        load()
    assert (
        str(caught.value.problems[0]) == "case study 1, alignments: no framework 'building-blocks'"
    )
    assert len(caught.value.problems) == 13
    assert Resource.objects.count() == 0
