"""The "build a model" API: derive, versions, status, diffs and item edits, with tokens."""

import json

import pytest
from django.test import Client

from cmc.accounts.models import ApiToken
from cmc.accounts.services import create_api_token
from cmc.core.actors import SYSTEM
from cmc.factories import UserFactory, welding_tree
from cmc.frameworks.models import (
    Competency,
    Framework,
    FrameworkSource,
    FrameworkVersion,
    KeyBehavior,
    LeftOut,
    Origin,
    StatusChange,
)
from cmc.frameworks.services import editing, publish_version, save_framework_tree

from .builders import MAY_EDIT, competency, state

pytestmark = pytest.mark.django_db

API = "/api/v1"
ROLES = ["owner", "org editor", "org viewer", "outsider", "anonymous"]
DENIED = {
    "detail": "You may not change the framework 'our-welding'.",
    "errors": [],
}
UNAUTHENTICATED = {
    "detail": "Sign in or send a bearer token (cmc token create USER).",
    "errors": [],
}
INVALID_TOKEN = {
    "detail": "The bearer token is not valid: it was revoked, mistyped, or its account is "
    "inactive. Create a new one on your profile page or with cmc token create USER.",
    "errors": [],
}


def auth(user) -> dict:
    if user is None or not user.is_authenticated:
        return {}
    _, raw = create_api_token(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def send(client, method: str, path: str, user=None, body=None):
    kwargs = auth(user)
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(API + path, **kwargs)


def refused_answer(role: str, not_found: str) -> tuple[int, dict]:
    """What a refused write answers: who may not see the model gets a 404."""
    if role == "anonymous":
        return 401, UNAUTHENTICATED
    if role == "outsider":
        return 404, {"detail": not_found, "errors": []}
    return 403, DENIED


# Derive


def test_derive_builds_a_private_draft_with_lineage(client, who):
    source = save_welding(who["owner"])
    user = who["outsider"]

    response = send(
        client,
        "post",
        "/frameworks/derive",
        user,
        {"sources": ["welding"], "name": "Otto's welding"},
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["slug"], body["name"], body["kind"], body["status"], body["visibility"]) == (
        "ottos-welding",
        "Otto's welding",
        "organization",
        "draft",
        "private",
    )
    assert body["based_on"] == "welding"
    assert [
        (c["code"], c["name"], len(c["behaviors"]))
        for t in body["tiers"]
        for c in t["competencies"]
    ] == [("1.1", "Teamwork", 2), ("1.2", "Integrity", 1), ("2.1", "Reading", 1)]
    derived = Framework.objects.get(slug="ottos-welding")
    assert derived.owner == user
    assert set(derived.competencies.values_list("origin", "source_framework")) == {
        (Origin.COPIED, source.pk)
    }


def test_derive_blends_several_sources_in_order(client, who):
    save_welding(who["owner"])
    save_framework_tree(
        tree=welding_tree(name="Cutting Model", slug="cutting"),
        where="test",
        actor=who["owner"],
        visibility="public",
    )

    response = send(
        client,
        "post",
        "/frameworks/derive",
        who["org viewer"],
        {"sources": ["cutting", "welding"], "name": "Both", "visibility": "public"},
    )

    assert response.status_code == 201
    assert (response.json()["based_on"], response.json()["visibility"]) == (None, "public")
    assert list(
        FrameworkSource.objects.filter(framework__slug="both")
        .order_by("position")
        .values_list("source__slug", flat=True)
    ) == ["cutting", "welding"]


def test_derive_from_a_framework_the_caller_may_not_see_is_refused_and_writes_nothing(client, who):
    save_framework_tree(tree=welding_tree(), where="test", actor=who["owner"])

    response = send(
        client,
        "post",
        "/frameworks/derive",
        who["outsider"],
        {"sources": ["welding"], "name": "Stolen"},
    )

    assert (response.status_code, response.json()) == (
        422,
        {
            "detail": "The request is not valid; nothing was written.",
            "errors": [
                {
                    "where": "new model",
                    "field": "sources",
                    "message": "there is no framework 'welding' you may use",
                }
            ],
        },
    )
    assert Framework.objects.count() == 1


def test_derive_without_sign_in_is_401(client, who):
    save_welding(who["owner"])

    response = send(
        client, "post", "/frameworks/derive", None, {"sources": ["welding"], "name": "X"}
    )

    assert (response.status_code, response.json()) == (401, UNAUTHENTICATED)
    assert Framework.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sources": [], "name": "X"}, "sources"),
        ({"sources": ["welding"], "name": "   "}, "name"),
        ({"sources": ["welding"], "name": "X", "visibility": "organization"}, "visibility"),
        ({"name": "X"}, "sources"),
    ],
)
def test_derive_refuses_bad_requests_with_the_field_named(client, who, body, field):
    save_welding(who["owner"])

    response = send(client, "post", "/frameworks/derive", who["owner"], body)

    assert response.status_code == 422
    assert response.json()["detail"] == "The request is not valid; see errors."
    assert [(e["where"], e["field"]) for e in response.json()["errors"]] == [
        ("body", f"payload.{field}")
    ]
    assert Framework.objects.count() == 1


def save_welding(owner) -> Framework:
    save_framework_tree(tree=welding_tree(), where="test", actor=owner, visibility="public")
    return Framework.objects.get(slug="welding")


# Versions


def test_publish_then_list_and_read_versions(client, who, ours):
    response = send(
        client, "post", "/frameworks/our-welding/versions", who["org editor"], {"note": " First "}
    )

    assert response.status_code == 201
    body = response.json()
    version = FrameworkVersion.objects.get(framework=ours)
    assert body == {
        "identifier": str(version.identifier),
        "number": 1,
        "note": "First",
        "status": "draft",
        "published_at": version.published_at.isoformat(),
        "published_by": "ed",
    }
    publish_version(framework=ours, actor=SYSTEM, note="By the system")

    listed = send(client, "get", "/frameworks/our-welding/versions", who["org viewer"])
    assert listed.status_code == 200
    assert [(v["number"], v["note"], v["published_by"]) for v in listed.json()] == [
        (2, "By the system", None),
        (1, "First", "ed"),
    ]

    one = send(client, "get", "/frameworks/our-welding/versions/1", who["org viewer"])
    assert one.status_code == 200
    assert one.json() == version.snapshot


def test_versions_of_a_model_someone_may_not_see_are_404(client, who, ours):
    publish_version(framework=ours, actor=who["owner"])

    for path in ("/frameworks/our-welding/versions", "/frameworks/our-welding/versions/1"):
        for user in (who["outsider"], None):
            response = send(client, "get", path, user)
            assert (response.status_code, response.json()["detail"]) == (404, "No such framework.")


def test_a_version_that_does_not_exist_is_404(client, who, ours):
    response = send(client, "get", "/frameworks/our-welding/versions/3", who["owner"])

    assert (response.status_code, response.json()["detail"]) == (
        404,
        "Our Welding has no version 3.",
    )


@pytest.mark.parametrize("role", ROLES)
def test_only_those_who_may_edit_publish(client, who, ours, role):
    before = state(ours)

    response = send(client, "post", "/frameworks/our-welding/versions", who[role], {"note": ""})

    if role in MAY_EDIT:
        assert response.status_code == 201
        assert FrameworkVersion.objects.filter(framework=ours).count() == 1
    else:
        assert (response.status_code, response.json()) == refused_answer(role, "No such framework.")
        assert state(ours) == before


# Status


def test_status_moves_through_the_allowed_transitions(client, who, ours):
    approved = send(
        client, "post", "/frameworks/our-welding/status", who["owner"], {"status": "approved"}
    )
    assert (approved.status_code, approved.json()["status"]) == (200, "approved")

    refused = send(
        client, "post", "/frameworks/our-welding/status", who["owner"], {"status": "approved"}
    )
    assert (refused.status_code, refused.json()) == (
        409,
        {"detail": "The framework is approved already.", "errors": []},
    )

    archived = send(
        client, "post", "/frameworks/our-welding/status", who["owner"], {"status": "archived"}
    )
    assert archived.json()["status"] == "archived"
    assert list(
        StatusChange.objects.filter(framework=ours)
        .order_by("id")
        .values_list("from_status", "to_status", "changed_by__username")
    ) == [("draft", "approved", "olga"), ("approved", "archived", "olga")]


def test_an_illegal_transition_is_409_and_changes_nothing(client, who, ours):
    before = state(ours)

    response = send(
        client, "post", "/frameworks/our-welding/status", who["owner"], {"status": "archived"}
    )

    assert (response.status_code, response.json()) == (
        409,
        {"detail": "A draft framework cannot become archived.", "errors": []},
    )
    assert state(ours) == before


def test_an_unknown_status_is_422(client, who, ours):
    response = send(
        client, "post", "/frameworks/our-welding/status", who["owner"], {"status": "published"}
    )

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["payload.status"]


@pytest.mark.parametrize("role", ROLES)
def test_only_those_who_may_edit_change_the_status(client, who, ours, role):
    before = state(ours)

    response = send(
        client, "post", "/frameworks/our-welding/status", who[role], {"status": "approved"}
    )

    if role in MAY_EDIT:
        assert (response.status_code, response.json()["status"]) == (200, "approved")
    else:
        assert (response.status_code, response.json()) == refused_answer(role, "No such framework.")
        assert state(ours) == before


# Diff


def test_diff_without_from_compares_with_the_source_then_the_latest_version(client, who, ours):
    editing.update_competency(
        actor=who["owner"],
        competency=competency(ours, "1.2"),
        name="Honesty",
        definition="",
        revision=1,
    )

    first = send(client, "get", "/frameworks/our-welding/diff", who["org viewer"])

    assert first.status_code == 200
    assert first.json() == {
        "before": "Welding Model (current)",
        "after": "Our Welding (current)",
        "summary": {"added": 0, "removed": 0, "moved": 0, "edited": 1},
        "changes": [
            {
                "kind": "competency",
                "change": "edited",
                "label": "Honesty",
                "place_before": "Tier 1",
                "place_after": "Tier 1",
                "fields": {
                    "name": [
                        {"op": "delete", "text": "Integrity"},
                        {"op": "insert", "text": "Honesty"},
                    ]
                },
            }
        ],
    }
    publish_version(framework=ours, actor=who["owner"])
    second = send(client, "get", "/frameworks/our-welding/diff", who["org viewer"])
    assert (second.json()["before"], second.json()["changes"]) == ("Our Welding version 1", [])


def test_diff_between_named_sides(client, who, ours):
    publish_version(framework=ours, actor=who["owner"])
    editing.add_behavior(actor=who["owner"], competency=competency(ours, "2.1"), text="Maps")
    publish_version(framework=ours, actor=who["owner"])

    response = send(client, "get", "/frameworks/our-welding/diff?from=2&to=1", who["owner"])

    assert response.status_code == 200
    assert (response.json()["before"], response.json()["after"]) == (
        "Our Welding version 2",
        "Our Welding version 1",
    )
    assert [
        (c["kind"], c["change"], c["label"], c["place_before"]) for c in response.json()["changes"]
    ] == [("behavior", "removed", "Maps", "Reading")]
    source = send(
        client, "get", "/frameworks/our-welding/diff?from=source:welding&to=2", who["owner"]
    )
    assert source.json()["summary"] == {"added": 1, "removed": 0, "moved": 0, "edited": 0}


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("?from=9", "Our Welding has no version 9."),
        ("?from=next", "'next' is not a version: use a number, 'draft' or 'source:SLUG'."),
        ("?from=source:energy", "Our Welding was not built from 'energy'."),
    ],
)
def test_diff_of_sides_that_do_not_exist_is_404(client, who, ours, query, detail):
    response = send(client, "get", "/frameworks/our-welding/diff" + query, who["owner"])

    assert (response.status_code, response.json()) == (404, {"detail": detail, "errors": []})


def test_diff_of_a_model_with_nothing_to_compare_is_404(client, who, ours):
    response = send(client, "get", "/frameworks/welding/diff", None)

    assert (response.status_code, response.json()["detail"]) == (
        404,
        "This framework has no version and no source to compare with.",
    )


def test_diff_of_a_model_someone_may_not_see_is_404(client, who, ours):
    for user in (who["outsider"], None):
        response = send(client, "get", "/frameworks/our-welding/diff", user)
        assert (response.status_code, response.json()["detail"]) == (404, "No such framework.")


# Editing items


def test_patch_competency_edits_it_and_returns_the_new_revision(client, who, ours):
    teamwork = competency(ours, "1.1")

    response = send(
        client,
        "patch",
        f"/competencies/{teamwork.identifier}",
        who["org editor"],
        {"name": " Crew work ", "definition": "Working with the crew.", "revision": 1},
    )

    assert response.status_code == 200
    assert response.json() == {
        "identifier": str(teamwork.identifier),
        "revision": 2,
        "origin": "edited",
    }
    assert (competency(ours, "1.1").name, competency(ours, "1.1").definition) == (
        "Crew work",
        "Working with the crew.",
    )


def test_patch_competency_from_a_stale_revision_is_409_with_both_texts(client, who, ours):
    teamwork = competency(ours, "1.1")
    editing.update_competency(
        actor=who["owner"], competency=teamwork, name="Theirs", definition="Their text.", revision=1
    )
    before = state(ours)

    response = send(
        client,
        "patch",
        f"/competencies/{teamwork.identifier}",
        who["org editor"],
        {"name": "Mine", "definition": "My text.", "revision": 1},
    )

    assert response.status_code == 409
    assert response.json() == {
        "detail": (
            "Competency 1.1 was changed by someone else while you were editing it. Both texts "
            "are shown: copy what you need from yours and save again."
        ),
        "errors": [
            {"where": "current", "field": "name", "message": "Theirs"},
            {"where": "current", "field": "definition", "message": "Their text."},
            {"where": "yours", "field": "name", "message": "Mine"},
            {"where": "yours", "field": "definition", "message": "My text."},
        ],
    }
    assert state(ours) == before


def test_patch_behavior_and_its_stale_revision(client, who, ours):
    behavior = competency(ours, "1.1").behaviors.get(position=1)
    path = f"/behaviors/{behavior.identifier}"

    saved = send(
        client, "patch", path, who["owner"], {"title": "Tools", "text": "Sharing", "revision": 1}
    )
    assert (saved.status_code, saved.json()["revision"], saved.json()["origin"]) == (
        200,
        2,
        "edited",
    )
    before = state(ours)

    stale = send(client, "patch", path, who["org editor"], {"text": "Mine", "revision": 1})

    assert stale.status_code == 409
    assert stale.json()["detail"].startswith("This key behavior was changed by someone else")
    assert stale.json()["errors"] == [  # the title left out would have stayed as it is
        {"where": "current", "field": "title", "message": "Tools"},
        {"where": "current", "field": "text", "message": "Sharing"},
        {"where": "yours", "field": "title", "message": "Tools"},
        {"where": "yours", "field": "text", "message": "Mine"},
    ]
    assert state(ours) == before


def test_patch_without_a_revision_is_422(client, who, ours):
    teamwork = competency(ours, "1.1")

    response = send(
        client, "patch", f"/competencies/{teamwork.identifier}", who["owner"], {"name": "X"}
    )

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["payload.revision"]


def test_delete_leaves_items_out_with_a_record(client, who, ours):
    behavior = competency(ours, "1.1").behaviors.get(position=2)
    reading = competency(ours, "2.1")

    first = send(client, "delete", f"/behaviors/{behavior.identifier}", who["owner"])
    second = send(client, "delete", f"/competencies/{reading.identifier}", who["org editor"])

    assert (first.status_code, first.content, second.status_code) == (204, b"", 204)
    assert list(LeftOut.objects.order_by("id").values_list("kind", "label")) == [
        ("behavior", "Asking for help early"),
        ("competency", "Reading"),
    ]
    assert not KeyBehavior.objects.filter(identifier=behavior.identifier).exists()
    assert not Competency.objects.filter(identifier=reading.identifier).exists()


def test_add_behavior_and_competency(client, who, ours):
    integrity = competency(ours, "1.2")

    behavior = send(
        client,
        "post",
        f"/competencies/{integrity.identifier}/behaviors",
        who["owner"],
        {"text": "Owning up", "title": "Owning"},
    )
    added = send(
        client,
        "post",
        "/frameworks/our-welding/tiers/2/competencies",
        who["org editor"],
        {"name": "Writing", "definition": "Putting it on paper."},
    )

    assert (behavior.status_code, behavior.json()["revision"], behavior.json()["origin"]) == (
        201,
        1,
        "added",
    )
    assert KeyBehavior.objects.get(identifier=behavior.json()["identifier"]).position == 2
    assert (added.status_code, added.json()["origin"]) == (201, "added")
    writing = Competency.objects.get(identifier=added.json()["identifier"])
    assert (writing.code, writing.name, writing.definition) == (
        "2.2",
        "Writing",
        "Putting it on paper.",
    )


def test_adding_to_a_tier_that_does_not_exist_is_404(client, who, ours):
    response = send(
        client, "post", "/frameworks/our-welding/tiers/7/competencies", who["owner"], {"name": "X"}
    )

    assert (response.status_code, response.json()["detail"]) == (404, "No tier 7.")
    assert ours.competencies.count() == 3


def test_an_unknown_item_is_404(client, who, ours):
    response = send(
        client,
        "patch",
        "/behaviors/00000000-0000-4000-8000-000000000000",
        who["owner"],
        {"text": "X", "revision": 1},
    )

    assert (response.status_code, response.json()["detail"]) == (404, "No such key behavior.")


def _patch_competency(framework):
    return (
        "patch",
        f"/competencies/{competency(framework, '1.1').identifier}",
        {
            "name": "New",
            "revision": 1,
        },
    )


def _delete_competency(framework):
    return "delete", f"/competencies/{competency(framework, '1.1').identifier}", None


def _patch_behavior(framework):
    behavior = competency(framework, "1.1").behaviors.get(position=1)
    return "patch", f"/behaviors/{behavior.identifier}", {"text": "New", "revision": 1}


def _delete_behavior(framework):
    behavior = competency(framework, "1.1").behaviors.get(position=1)
    return "delete", f"/behaviors/{behavior.identifier}", None


def _add_behavior(framework):
    return (
        "post",
        f"/competencies/{competency(framework, '1.1').identifier}/behaviors",
        {"text": "New"},
    )


def _add_competency(framework):
    return "post", "/frameworks/our-welding/tiers/1/competencies", {"name": "New"}


WRITES = {
    "patch competency": (_patch_competency, 200, "No such competency."),
    "delete competency": (_delete_competency, 204, "No such competency."),
    "patch behavior": (_patch_behavior, 200, "No such key behavior."),
    "delete behavior": (_delete_behavior, 204, "No such key behavior."),
    "add behavior": (_add_behavior, 201, "No such competency."),
    "add competency": (_add_competency, 201, "No such framework."),
}


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("role", ROLES)
def test_item_writes_are_allowed_only_to_those_who_may_edit(client, who, ours, write, role):
    request, succeeded, not_found = WRITES[write]
    method, path, body = request(ours)
    before = state(ours)

    response = send(client, method, path, who[role], body)

    if role in MAY_EDIT:
        assert response.status_code == succeeded
        assert state(ours) != before
    else:
        assert (response.status_code, response.json()) == refused_answer(role, not_found)
        assert state(ours) == before


def test_a_revoked_token_is_401(client, who, ours):
    headers = auth(who["owner"])
    ApiToken.objects.filter(user=who["owner"]).delete()
    before = state(ours)

    response = client.post(
        API + "/frameworks/our-welding/versions",
        data="{}",
        content_type="application/json",
        **headers,
    )

    assert (response.status_code, response.json()) == (401, INVALID_TOKEN)
    assert state(ours) == before


def test_a_signed_in_user_without_the_csrf_token_is_refused(who, ours):
    client = Client(enforce_csrf_checks=True)
    client.force_login(who["owner"])

    refused = client.post(
        API + "/frameworks/our-welding/versions", data="{}", content_type="application/json"
    )

    assert refused.status_code == 403
    assert not FrameworkVersion.objects.exists()


def test_reads_need_no_token_for_public_models(client, who):
    owner = UserFactory()
    save_welding(owner)
    publish_version(framework=Framework.objects.get(slug="welding"), actor=owner)

    response = client.get(API + "/frameworks/welding/versions")

    assert [v["number"] for v in response.json()] == [1]


# Where blended sources differ: listed, and chosen with the item's revision.


@pytest.fixture
def blended(client):
    """ "Both", blended from two welding models that name tier 1 and competency 1.1
    differently; its owner."""
    owner = UserFactory(username="bea")
    save_framework_tree(
        tree=welding_tree(slug="first"), where="t", actor=owner, visibility="public"
    )
    other = welding_tree(slug="second", name="Second Model")
    other.tiers[0].name = "Personal Skills"
    other.tiers[0].competencies[0].definition = "Working well with others."
    save_framework_tree(tree=other, where="t", actor=owner, visibility="public")
    made = send(client, "post", "/frameworks/derive", owner,
                {"sources": ["first", "second"], "name": "Both"})  # fmt: skip
    assert made.status_code == 201
    return owner


def test_the_places_where_blended_sources_differ_are_listed_in_the_models_order(client, blended):
    response = send(client, "get", "/frameworks/both/blend-choices", blended)

    assert response.status_code == 200
    tier, definition = response.json()
    teamwork = Competency.objects.get(framework__slug="both", code="1.1")
    assert {k: v for k, v in tier.items() if k != "id"} == {
        "item": "tier", "competency": None, "code": None, "tier": 1, "field": "name",
        "options": [{"source": "Welding Model", "value": "Personal Effectiveness"},
                    {"source": "Second Model", "value": "Personal Skills"}],
        "chosen": None, "revision": 1,
    }  # fmt: skip
    assert (definition["item"], definition["competency"], definition["code"]) == (
        "competency",
        str(teamwork.identifier),
        "1.1",
    )
    assert [o["value"] for o in definition["options"]] == [
        "Working with others.",
        "Working well with others.",
    ]


def test_choosing_a_reading_takes_it_and_a_stale_revision_is_a_conflict(client, blended):
    choices = send(client, "get", "/frameworks/both/blend-choices", blended).json()
    definition = next(c for c in choices if c["field"] == "definition")
    path = f"/frameworks/both/blend-choices/{definition['id']}"

    chosen = send(client, "post", path, blended, {"option": 1, "revision": 1})

    assert chosen.status_code == 200
    assert (chosen.json()["chosen"], chosen.json()["revision"]) == ("Working well with others.", 2)
    teamwork = Competency.objects.get(framework__slug="both", code="1.1")
    assert teamwork.definition == "Working well with others."
    again = send(client, "post", path, blended, {"option": 0, "revision": 1})
    assert again.status_code == 409
    assert again.json()["detail"].startswith("Competency 1.1 was changed by someone else")
    teamwork.refresh_from_db()
    assert teamwork.definition == "Working well with others."


def test_choices_refuse_what_is_not_offered_and_who_may_not_edit(client, blended):
    choices = send(client, "get", "/frameworks/both/blend-choices", blended).json()
    path = f"/frameworks/both/blend-choices/{choices[0]['id']}"
    before = state(Framework.objects.get(slug="both"))

    bad = send(client, "post", path, blended, {"option": 5, "revision": 1})
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        {"where": "choice", "field": "option", "message": "choose one of the readings shown"}
    ]
    negative = send(client, "post", path, blended, {"option": -1, "revision": 1})
    assert negative.status_code == 422
    stranger = send(client, "post", path, UserFactory(), {"option": 1, "revision": 1})
    assert stranger.status_code == 404  # the model is private: a stranger does not see it
    anonymous = send(client, "post", path, None, {"option": 1, "revision": 1})
    assert anonymous.status_code == 401
    elsewhere = send(client, "post", "/frameworks/first/blend-choices/" + str(choices[0]["id"]),
                     blended, {"option": 1, "revision": 1})  # fmt: skip
    assert elsewhere.status_code == 404
    assert elsewhere.json() == {"detail": "No such choice.", "errors": []}
    assert state(Framework.objects.get(slug="both")) == before


def test_get_gives_the_revision_a_partial_patch_sends_back(client, who, ours):
    teamwork = competency(ours, "1.1")
    behavior = teamwork.behaviors.get(position=1)

    read = send(client, "get", f"/competencies/{teamwork.identifier}", who["owner"]).json()
    renamed = send(
        client, "patch", f"/competencies/{teamwork.identifier}", who["owner"],
        {"name": "Working together", "revision": read["revision"]},
    )  # fmt: skip
    titled = send(
        client, "patch", f"/behaviors/{behavior.identifier}", who["owner"],
        {"title": "Tools", "revision": read["behaviors"][0]["revision"]},
    )  # fmt: skip

    assert (read["revision"], read["behaviors"][0]["revision"]) == (1, 1)
    assert (renamed.status_code, titled.status_code) == (200, 200)
    teamwork.refresh_from_db()
    behavior.refresh_from_db()
    assert (teamwork.name, teamwork.definition, teamwork.revision) == (
        "Working together", read["definition"], 2,
    )  # fmt: skip
    assert (behavior.title, behavior.text, behavior.revision) == (
        "Tools",
        read["behaviors"][0]["text"],
        2,
    )
    tree = send(client, "get", f"/frameworks/{ours.slug}", who["owner"]).json()
    first = tree["tiers"][0]["competencies"][0]
    assert (first["revision"], first["behaviors"][0]["revision"]) == (2, 2)
