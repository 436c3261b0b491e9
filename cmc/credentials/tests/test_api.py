"""The credentials API: reads for everyone, writes for signed-in people, errors that name
the field."""

import json

import pytest

from cmc.accounts.services import create_api_token
from cmc.core.actors import SYSTEM
from cmc.credentials import services
from cmc.credentials.models import Credential, Pathway
from cmc.frameworks.models import Alignment

from .conftest import MAY_CHANGE, ROLES


def bearer(user) -> dict:
    if not user.is_authenticated:
        return {}
    _, raw = create_api_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def public(who, welding):
    made = services.create_credential(
        actor=who["owner"],
        data={"name": "Welding Inspector", "kind": "certification", "visibility": "public",
              "url": "https://example.org/cwi"},
    )  # fmt: skip
    services.align_credential(
        actor=SYSTEM, credential=made, framework=welding,
        competency=welding.competencies.get(code="2.1"),
    )  # fmt: skip
    return made


def test_list_and_filter(client, public, credential):
    answer = client.get("/api/v1/credentials?kind=certification&framework=welding").json()
    assert answer["count"] == 1
    assert [c["slug"] for c in answer["items"]] == ["welding-inspector"]
    assert answer["items"][0]["url"] == "https://example.org/cwi"


def test_a_bad_filter_value_is_named(client, public):
    answer = client.get("/api/v1/credentials?kind=diploma")
    assert answer.status_code == 422
    assert [(e["where"], e["field"]) for e in answer.json()["errors"]] == [("query", "kind")]
    unknown = client.get("/api/v1/credentials?framework=nowhere")
    assert unknown.status_code == 422
    assert unknown.json() == {
        "detail": "The request is not valid; see errors.",
        "errors": [{"where": "query", "field": "framework",
                    "message": "'nowhere' is not a framework you can see"}],
    }  # fmt: skip


def test_alignments_in_three_shapes(client, public, welding):
    listed = client.get("/api/v1/credentials/welding-inspector/alignments").json()
    assert [(a["framework"], a["tier"], a["competency"], a["strength"], a["made_by"])
            for a in listed] == [("welding", 2, "2.1", "major", "system")]  # fmt: skip
    ob3 = client.get("/api/v1/credentials/welding-inspector/alignments?format=ob3")
    assert ob3["Content-Type"] == "application/json"
    assert [a["targetCode"] for a in ob3.json()["alignment"]] == ["2.1"]
    ctdl = client.get("/api/v1/credentials/welding-inspector/alignments?format=ctdl")
    assert ctdl["Content-Type"] == "application/ld+json"
    body = json.loads(ctdl.content)
    assert (
        body["ceterms:requires"][0]["ceterms:targetCompetency"][0]["ceterms:codedNotation"] == "2.1"
    )
    bad = client.get("/api/v1/credentials/welding-inspector/alignments?format=pdf")
    assert bad.status_code == 422


def test_a_private_credential_is_not_found_by_others(client, credential):
    answer = client.get("/api/v1/credentials/certified-welder")
    assert (answer.status_code, answer.json()) == (404, {"detail": "No such credential.",
                                                         "errors": []})  # fmt: skip


def test_create_with_a_bad_url_names_it(client, who):
    answer = client.post(
        "/api/v1/credentials", {"name": "X", "kind": "license", "url": "javascript:alert(1)"},
        content_type="application/json", **bearer(who["owner"]),
    )  # fmt: skip
    assert answer.status_code == 422
    assert answer.json() == {
        "detail": "The credential is not valid; nothing was written.",
        "errors": [{"where": "credential", "field": "url",
                    "message": "must be an http or https address"}],
    }  # fmt: skip
    assert Credential.objects.count() == 0


def test_create_needs_someone_signed_in(client, db):
    answer = client.post("/api/v1/credentials", {"name": "X", "kind": "license"},
                         content_type="application/json")  # fmt: skip
    assert answer.status_code == 401
    assert Credential.objects.count() == 0


def test_create_then_align(client, who, welding):
    made = client.post(
        "/api/v1/credentials", {"name": "Pipe welder", "kind": "certificate", "typical_hours": 40},
        content_type="application/json", **bearer(who["owner"]),
    )  # fmt: skip
    assert made.status_code == 201
    assert (made.json()["slug"], made.json()["typical_hours"]) == ("pipe-welder", 40)
    aligned = client.post(
        "/api/v1/credentials/pipe-welder/alignments",
        {"framework": "welding", "tier": 1, "strength": "minor"},
        content_type="application/json", **bearer(who["owner"]),
    )  # fmt: skip
    assert aligned.status_code == 201
    assert (aligned.json()["tier"], aligned.json()["competency"]) == (1, None)
    removed = client.delete(
        f"/api/v1/credentials/pipe-welder/alignments/{aligned.json()['identifier']}",
        **bearer(who["owner"]),
    )
    assert removed.status_code == 204
    assert Alignment.objects.count() == 0


@pytest.mark.parametrize("role", ROLES)
def test_who_may_patch(client, who, credential, role):
    answer = client.patch(
        "/api/v1/credentials/certified-welder", {"renewal": "Every 6 months"},
        content_type="application/json", **bearer(who[role]),
    )  # fmt: skip
    expected = 200 if role in MAY_CHANGE else {"anonymous": 401, "outsider": 404}.get(role, 403)
    assert answer.status_code == expected
    renewal = Credential.objects.get(pk=credential.pk).renewal
    assert renewal == ("Every 6 months" if role in MAY_CHANGE else "")


def test_pathways_and_coverage(client, who, public, welding):
    made = client.post(
        "/api/v1/pathways", {"name": "Inspector path", "framework": "welding",
                             "visibility": "public"},
        content_type="application/json", **bearer(who["owner"]),
    )  # fmt: skip
    assert made.status_code == 201
    step = client.post(
        "/api/v1/pathways/inspector-path/steps",
        {"stage": "Top", "credential": "welding-inspector", "tier_from": 2},
        content_type="application/json", **bearer(who["owner"]),
    )  # fmt: skip
    assert [(s["position"], s["credential"], s["tier_from"], s["tier_to"])
            for s in step.json()["steps"]] == [(1, "welding-inspector", 2, 2)]  # fmt: skip
    coverage = client.get("/api/v1/pathways/inspector-path/coverage").json()
    assert (coverage["covered"], coverage["competencies"], coverage["gaps"]) == (
        1, 3, ["1.1", "1.2"],
    )  # fmt: skip
    assert [t["status"] for t in coverage["tiers"]] == ["gap", "covered"]
    other = client.get("/api/v1/pathways/inspector-path/coverage?framework=nowhere")
    assert other.status_code == 404


def test_a_bad_step_is_a_422_naming_it(client, who, welding):
    services.create_pathway(actor=who["owner"], data={"name": "P", "framework": "welding"})
    answer = client.post("/api/v1/pathways/p/steps", {"tier_from": 9, "stage": "x"},
                         content_type="application/json", **bearer(who["owner"]))  # fmt: skip
    assert answer.json() == {
        "detail": "The step is not valid; nothing was written.",
        "errors": [{"where": "step", "field": "tier_from",
                    "message": "must be a tier of Welding Model"}],
    }  # fmt: skip
    assert Pathway.objects.get().steps.count() == 0


def test_changing_a_step(client, who, welding, public):
    pathway = services.create_pathway(
        actor=who["owner"], data={"name": "P", "framework": "welding"}
    )
    services.add_step(actor=who["owner"], pathway=pathway, data={"stage": "Start"})
    answer = client.put(
        "/api/v1/pathways/p/steps/1",
        {"stage": "Start", "credential": "welding-inspector", "education": "GED"},
        content_type="application/json", **bearer(who["owner"]),
    )  # fmt: skip
    assert answer.status_code == 200
    assert [(s["credential"], s["education"]) for s in answer.json()["steps"]] == [
        ("welding-inspector", "GED")
    ]
    missing = client.put("/api/v1/pathways/p/steps/5", {"stage": "x"},
                         content_type="application/json", **bearer(who["owner"]))  # fmt: skip
    assert (missing.status_code, missing.json()["detail"]) == (404, "No such step.")


@pytest.mark.parametrize("role", ROLES)
def test_who_may_delete(client, who, credential, role):
    answer = client.delete("/api/v1/credentials/certified-welder", **bearer(who[role]))
    expected = 204 if role in MAY_CHANGE else {"anonymous": 401, "outsider": 404}.get(role, 403)
    assert answer.status_code == expected
    assert Credential.objects.exists() == (role not in MAY_CHANGE)


def test_a_stacked_credential_is_not_deleted(client, who, credential, welding):
    pathway = services.create_pathway(
        actor=who["owner"], data={"name": "P", "framework": "welding"}
    )
    services.add_step(actor=who["owner"], pathway=pathway, data={"credential": "certified-welder"})
    answer = client.delete("/api/v1/credentials/certified-welder", **bearer(who["owner"]))
    assert answer.json() == {
        "detail": "The credential was not deleted.",
        "errors": [{"where": "credential", "field": "pathways",
                    "message": "a pathway stacks this credential; remove it there first"}],
    }  # fmt: skip
    assert Credential.objects.count() == 1
