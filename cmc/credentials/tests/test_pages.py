"""The credentials pages: what a person sees and can do, and what they may not."""

import pytest

from cmc.core.actors import SYSTEM
from cmc.credentials import services
from cmc.credentials.models import Credential, Review, Score
from cmc.frameworks.models import Alignment


@pytest.fixture
def public(who, welding):
    made = services.create_credential(
        actor=who["owner"],
        data={"name": "Welding Inspector", "kind": "certification", "visibility": "public",
              "issuer": "AWS"},
    )  # fmt: skip
    services.align_credential(
        actor=SYSTEM, credential=made, framework=welding,
        competency=welding.competencies.get(code="1.1"),
    )  # fmt: skip
    return made


def test_the_list_filters_with_htmx(client, public):
    page = client.get("/credentials/")
    assert page.status_code == 200
    assert "Welding Inspector" in page.content.decode()
    partial = client.get("/credentials/?kind=license", HTTP_HX_REQUEST="true")
    assert "<h1>" not in partial.content.decode()
    assert "0 credentials." in partial.content.decode()


def test_a_credential_page_shows_its_facts_and_downloads(client, public):
    page = client.get("/credentials/welding-inspector/").content.decode()
    assert "Certification issued by AWS." in page
    assert "1.1 Teamwork" in page
    assert 'href="/credentials/welding-inspector/alignments.ob3.json"' in page
    download = client.get("/credentials/welding-inspector/alignments.ctdl.json")
    assert download["Content-Disposition"] == (
        'attachment; filename="welding-inspector-alignments-ctdl.json"'
    )
    assert client.get("/credentials/welding-inspector/alignments.pdf.json").status_code == 404


def test_the_competency_page_lists_aligned_credentials(client, public):
    page = client.get("/frameworks/welding/competencies/1.1/").content.decode()
    assert "Credentials aligned to Teamwork" in page
    assert '<a href="/credentials/welding-inspector/">Welding Inspector</a>' in page


def test_the_form_shows_an_error_summary_and_keeps_nothing(client, who):
    client.force_login(who["owner"])
    page = client.post("/credentials/new", {"name": "X", "kind": "license", "url": "nope"})
    assert page.status_code == 422
    html = page.content.decode()
    assert "There is a problem; nothing was saved" in html
    assert '<a href="#id_url">Web address: must be an http or https address</a>' in html
    assert Credential.objects.count() == 0


def test_adding_a_credential(client, who):
    client.force_login(who["owner"])
    answer = client.post("/credentials/new", {"name": "Rigger", "kind": "license",
                                              "typical_hours": "12", "visibility": "private"})  # fmt: skip
    assert answer["Location"] == "/credentials/rigger/"
    assert Credential.objects.get().typical_hours == 12


def test_signing_in_comes_first(client, db):
    assert client.get("/credentials/new")["Location"] == "/accounts/login/?next=/credentials/new"


@pytest.mark.parametrize(("role", "status"), [("owner", 200), ("org editor", 200),
                                              ("org viewer", 403), ("outsider", 404)])  # fmt: skip
def test_who_may_open_the_edit_page(client, who, credential, role, status):
    client.force_login(who[role])
    assert client.get("/credentials/certified-welder/edit").status_code == status


def test_aligning_on_the_page(client, who, credential, welding):
    client.force_login(who["owner"])
    picked = client.get("/credentials/certified-welder/alignments/?framework=welding",
                        HTTP_HX_REQUEST="true").content.decode()  # fmt: skip
    assert '<option value="competency:1.2">1.2 Integrity</option>' in picked
    answer = client.post("/credentials/certified-welder/alignments/",
                         {"framework": "welding", "target": "competency:1.2",
                          "strength": "exact"})  # fmt: skip
    assert answer.status_code == 302
    link = Alignment.objects.get()
    assert (link.competency.code, link.strength, link.made_by) == ("1.2", "exact", who["owner"])
    missing = client.post("/credentials/certified-welder/alignments/", {"target": ""})
    assert missing.status_code == 422
    assert "Framework: choose a framework first" in missing.content.decode()
    client.post("/credentials/certified-welder/alignments/remove",
                {"alignment": str(link.identifier)})  # fmt: skip
    assert Alignment.objects.count() == 0


def test_a_review_on_the_pages(client, who, credential, welding):
    client.force_login(who["org editor"])
    opened = client.post("/endorsements/bodies/welders-guild/",
                         {"action": "open-review", "credential": "certified-welder",
                          "framework": "welding"})  # fmt: skip
    review = Review.objects.get()
    assert opened["Location"] == f"/endorsements/reviews/{review.identifier}/"
    criterion = review.body.endorsement_criteria.get(name="National portability")
    client.force_login(who["org viewer"])
    empty = client.post(f"/endorsements/reviews/{review.identifier}/score",
                        {"criterion": criterion.pk, "rating": "met", "evidence": ""})  # fmt: skip
    assert empty.status_code == 422
    assert "Evidence: is required" in empty.content.decode()
    client.post(f"/endorsements/reviews/{review.identifier}/score",
                {"criterion": criterion.pk, "rating": "met", "evidence": "All states."})  # fmt: skip
    assert Score.objects.get().reviewer == who["org viewer"]
    refused = client.post(f"/endorsements/reviews/{review.identifier}/decide",
                          {"decision": "endorsed", "summary": "Yes"})  # fmt: skip
    assert refused.status_code == 403
    client.force_login(who["owner"])
    client.post(f"/endorsements/reviews/{review.identifier}/decide",
                {"decision": "endorsed", "summary": "Portable."})  # fmt: skip
    page = client.get(f"/endorsements/reviews/{review.identifier}/").content.decode()
    assert "Decided by olga. Endorsed. Portable." in page
    assert "Scored by vic. National portability: met. All states." in page


def test_a_review_is_for_the_body_s_members_only(client, who, credential, welding):
    review = services.open_review(actor=who["owner"], body=who["organization"],
                                  credential=credential, framework=welding)  # fmt: skip
    client.force_login(who["outsider"])
    assert client.get(f"/endorsements/reviews/{review.identifier}/").status_code == 404
    assert client.get("/endorsements/bodies/welders-guild/").status_code == 404


def test_the_pathway_builder_and_coverage(client, who, public, welding):
    client.force_login(who["owner"])
    made = client.post("/pathways/new", {"name": "Inspector path", "framework": "welding",
                                         "visibility": "public"})  # fmt: skip
    assert made["Location"] == "/pathways/inspector-path/"
    client.post("/pathways/inspector-path/steps", {"stage": "Start", "tier_from": "1"})
    client.post("/pathways/inspector-path/steps",
                {"credential": "welding-inspector", "tier_from": "1", "tier_to": "2"})  # fmt: skip
    step = client.get("/pathways/inspector-path/").context["steps"][0]
    moved = client.post(f"/pathways/inspector-path/steps/{step.pk}", {"action": "up"},
                        HTTP_HX_REQUEST="true")  # fmt: skip
    assert moved.templates[0].name == "credentials/_steps.html"
    assert [s.stage for s in moved.context["steps"]] == ["", "Start"]
    client.logout()
    coverage = client.get("/pathways/inspector-path/coverage/").content.decode()
    assert "1 of 3 competencies covered, 2 gaps" in coverage
    assert '<desc id="coverage-pyramid-desc">' in coverage
    svg = client.get("/pathways/inspector-path/coverage.svg?framework=welding")
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"Covered: 1 of 3 competencies" in svg.content
    png = client.get("/pathways/inspector-path/coverage.png")
    assert png.content[:4] == b"\x89PNG"


def test_a_reader_cannot_reorder(client, who, welding):
    pathway = services.create_pathway(actor=who["owner"], data={"name": "P", "framework": "welding",
                                                                "visibility": "public"})  # fmt: skip
    step = services.add_step(actor=who["owner"], pathway=pathway, data={"stage": "A"})
    client.force_login(who["outsider"])
    assert client.post(f"/pathways/p/steps/{step.pk}", {"action": "remove"}).status_code == 403
    assert pathway.steps.count() == 1


def test_the_framework_page_shows_endorsed_credentials_with_why(client, who, public, welding):
    review = services.open_review(actor=who["owner"], body=who["organization"],
                                  credential=public, framework=welding)  # fmt: skip
    services.decide(actor=who["owner"], review=review, decision="endorsed",
                    summary="Meets all four criteria.")  # fmt: skip
    page = client.get("/frameworks/welding/").content.decode()
    assert "Endorsed credentials" in page
    assert "endorsed by Welders Guild" in page
    assert "Meets all four criteria." in page
    listing = client.get("/endorsements/").content.decode()
    assert "Meets all four criteria." in listing


def test_deleting_on_the_page(client, who, credential):
    client.force_login(who["org viewer"])
    assert client.post("/credentials/certified-welder/delete").status_code == 403
    client.force_login(who["owner"])
    assert client.post("/credentials/certified-welder/delete")["Location"] == "/credentials/"
    assert Credential.objects.count() == 0
