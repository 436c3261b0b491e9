import pytest

from cmc.core.actors import SYSTEM
from cmc.factories import UserFactory
from cmc.resources import services
from cmc.resources.models import Resource

from .conftest import resource_input

BODY = {
    "kind": "assessment",
    "title": "Weld inspection test",
    "url": "https://example.org/test",
    "states": ["WA"],
    "industries": ["Advanced Manufacturing"],
    "alignments": [{"framework": "welding", "tier": 1, "competency": "1.2"}],
}


@pytest.fixture
def published(welding):
    return services.import_resources(actor=SYSTEM, rows=[("r", resource_input())], publish=True)[0]


def test_search_answers_hits_snippets_facet_counts_and_total(client, published):
    answer = client.get("/api/v1/resources?q=hazards&kind=curriculum&state=WA&framework=welding")
    assert answer.status_code == 200
    data = answer.json()
    assert (data["total"], data["page"], data["pages"]) == (1, 1, 1)
    assert data["results"] == [
        {
            "identifier": published.identifier,
            "kind": "curriculum",
            "title": "Welding safety course",
            "organization": "Example College",
            "status": "published",
            "snippet": "Hands-on training in welding <mark>hazards</mark> and safe shop practice.",
            "page": published.get_absolute_url(),
        }
    ]
    assert data["facets"]["state"] == [
        {"value": "OR", "label": "Oregon", "count": 1},
        {"value": "WA", "label": "Washington", "count": 1},
    ]
    assert data["facets"]["framework"] == [
        {"value": "welding", "label": "Welding Model", "count": 1}
    ]


def test_a_bad_facet_value_is_a_422_naming_it(client, published):
    answer = client.get("/api/v1/resources?framework=nowhere&tier=x")
    assert answer.status_code == 422
    assert answer.json() == {
        "detail": "The search is not valid; see errors.",
        "errors": [
            {"where": "query", "field": "framework", "message": "no framework 'nowhere'"},
            {"where": "query", "field": "tier", "message": "'x' is not a whole number from 1 to 9"},
        ],
    }


def test_search_by_a_use_of_a_model_counts_every_use(client, welding):
    rows = [
        ("a", resource_input(kind="case-study", title="Planning", uses=["program-planning"])),
        (
            "b",
            resource_input(
                kind="case-study", title="Both", uses=["program-planning", "hr-services"]
            ),
        ),  # fmt: skip
    ]
    services.import_resources(actor=SYSTEM, rows=rows, publish=True)
    data = client.get("/api/v1/resources?use=hr-services").json()
    assert [hit["title"] for hit in data["results"]] == ["Both"]
    assert data["facets"]["use"] == [
        {"value": "hr-services", "label": "Human resource services to business", "count": 1},
        {
            "value": "program-planning",
            "label": "Workforce program planning and labor pool analysis",
            "count": 1,
        },  # fmt: skip
    ]
    everything = client.get("/api/v1/resources").json()["facets"]["use"]
    assert [(u["value"], u["count"]) for u in everything] == [("program-planning", 2), ("hr-services", 1)]  # fmt: skip
    bad = client.get("/api/v1/resources?use=teaching")
    assert bad.status_code == 422
    assert bad.json()["errors"] == [{
        "where": "query", "field": "use",
        "message": "'teaching' is not a use of a model (one of: communicate, career-guidance, "
        "career-paths, program-planning, curriculum, hr-services, certification, apprenticeship)",
    }]  # fmt: skip


def test_one_resource_with_its_alignments(client, published):
    data = client.get(f"/api/v1/resources/{published.identifier}").json()
    assert data["alignments"] == [
        {"framework": "welding", "framework_name": "Welding Model", "tier": 1,
         "competency": "1.1", "competency_name": "Teamwork"}
    ]  # fmt: skip
    assert (data["status"], data["states"]) == ("published", ["OR", "WA"])
    assert client.get("/api/v1/resources/nothing").json() == {
        "detail": "No such resource.",
        "errors": [],
    }


def test_anonymous_people_cannot_submit(client, welding):
    answer = client.post("/api/v1/resources", BODY, content_type="application/json")
    assert answer.status_code == 401
    assert Resource.objects.count() == 0


def test_a_signed_in_person_submits_and_it_waits(client, welding, owner):
    client.force_login(owner)
    answer = client.post("/api/v1/resources", BODY, content_type="application/json")
    assert answer.status_code == 201
    data = answer.json()
    assert (data["status"], data["submitted_by"], data["alignments"][0]["competency"]) == (
        "pending", "owner", "1.2",
    )  # fmt: skip


def test_a_bad_url_is_a_422_naming_it(client, welding, owner):
    client.force_login(owner)
    answer = client.post(
        "/api/v1/resources", {**BODY, "url": "javascript:alert(1)"}, content_type="application/json"
    )
    assert answer.status_code == 422
    assert answer.json() == {
        "detail": "The resource is not valid; nothing was written.",
        "errors": [{"where": "resource", "field": "url",
                    "message": "'javascript:alert(1)' is not a web address (http:// or https://)"}],
    }  # fmt: skip
    assert Resource.objects.count() == 0


@pytest.mark.parametrize(("who", "status"), [("owner", 200), ("outsider", 403), ("staff", 200)])
def test_patch_by_owner_or_staff(client, welding, owner, staff, who, status):
    resource = services.submit_resource(actor=owner, data=resource_input())
    services.moderate_resource(actor=staff, resource=resource, decision="published")
    client.force_login({"owner": owner, "outsider": UserFactory(), "staff": staff}[who])
    answer = client.patch(
        f"/api/v1/resources/{resource.identifier}", {"title": "Renamed"},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == status
    resource.refresh_from_db()
    assert resource.title == ("Renamed" if status == 200 else "Welding safety course")
    assert (
        resource.status == {"owner": "pending", "outsider": "published", "staff": "published"}[who]
    )
    if status == 200:
        assert answer.json()["alignments"][0]["competency"] == "1.1"  # kept: not sent


@pytest.mark.parametrize("who", ["owner", "outsider"])
def test_moderation_is_for_staff(client, welding, owner, who):
    resource = services.submit_resource(actor=owner, data=resource_input())
    client.force_login(owner if who == "owner" else UserFactory())
    answer = client.post(
        f"/api/v1/resources/{resource.identifier}/moderation", {"decision": "published"},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code in (403, 404)
    resource.refresh_from_db()
    assert resource.status == "pending"


def test_staff_moderate_through_the_api(client, welding, owner, staff):
    resource = services.submit_resource(actor=owner, data=resource_input())
    client.force_login(staff)
    answer = client.post(
        f"/api/v1/resources/{resource.identifier}/moderation",
        {"decision": "rejected", "reason": "Not competency-based."},
        content_type="application/json",
    )
    data = answer.json()
    assert (answer.status_code, data["status"], data["reason"], data["decided_by"]) == (
        200, "rejected", "Not competency-based.", "moderator",
    )  # fmt: skip
