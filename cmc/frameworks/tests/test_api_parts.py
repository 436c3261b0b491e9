"""GET /api/v1/frameworks/{slug} for models of any size: whole and as it always was for a small
one, in parts with a `next` address for a big one, one tier with `?tier=`; and
GET /api/v1/frameworks/{slug}/summary, the framework with its tiers counted."""

import json

import pytest
from ninja.responses import NinjaJSONEncoder

from cmc.factories import UserFactory, welding_tree
from cmc.frameworks.api.browse import full
from cmc.frameworks.api.schemas import FrameworkOut, FrameworkTreeOut
from cmc.frameworks.selectors import framework_tree
from cmc.frameworks.services import derive_framework, publish_version, save_framework_tree

from .builders import generated_tree, welding

pytestmark = pytest.mark.django_db


def save(tree, visibility="public", actor=None):
    return save_framework_tree(
        tree=tree, where="test", visibility=visibility, actor=actor
    ).framework


def as_before(slug: str, reader) -> dict:
    """The answer as the route made it when it always sent the whole tree: the loaded tree,
    validated by its schema and written by the API's encoder."""
    made = FrameworkOut.model_validate(full(framework_tree(user=reader, slug=slug), reader))
    return json.loads(json.dumps(made.model_dump(), cls=NinjaJSONEncoder))


def test_a_small_model_is_answered_whole_as_it_always_was(client):
    save(welding_tree())

    body = client.get("/api/v1/frameworks/welding").json()

    assert body == as_before("welding", None)
    assert "next" not in body


def test_the_reference_model_is_answered_as_it_always_was(client, reference):
    assert client.get("/api/v1/frameworks/building-blocks").json() == as_before(
        "building-blocks", None
    )


def test_a_derived_model_names_its_published_source_as_it_always_did(client):
    owner = UserFactory()
    source = welding(owner)
    publish_version(framework=source, actor=owner, note="first")
    derived = derive_framework(actor=owner, sources=[source], name="Our Welding")
    client.force_login(owner)

    body = client.get(f"/api/v1/frameworks/{derived.slug}").json()

    assert body == as_before(derived.slug, owner)
    assert body["built_from"][0]["slug"] == "welding"
    assert body["built_from"][0]["version"] == 1
    assert body["built_from"][0]["version_name"] == "1"


@pytest.fixture
def big():
    """670 competencies of two key behaviors: tier 2 and tier 5 are empty."""
    return save(
        generated_tree("big", {1: (100, 2), 2: (0, 0), 3: (450, 2), 4: (120, 2), 5: (0, 0)})
    )


def outline(body: dict) -> list[tuple[int, list[str]]]:
    return [(t["number"], [c["code"] for c in t["competencies"]]) for t in body["tiers"]]


def codes(tier: int, first: int, last: int) -> list[str]:
    return [f"{tier}.{c}" for c in range(first, last + 1)]


def test_a_big_model_comes_in_parts_that_hold_every_tier(client, big):
    first = client.get("/api/v1/frameworks/big").json()
    second = client.get(first["next"]).json()

    assert first["next"] == "/api/v1/frameworks/big?cursor=3.400"
    assert outline(first) == [(1, codes(1, 1, 100)), (2, []), (3, codes(3, 1, 400))]
    assert outline(second) == [(3, codes(3, 401, 450)), (4, codes(4, 1, 120)), (5, [])]
    assert "next" not in second
    assert second["name"] == first["name"] == "Model big"
    assert first["tiers"][0]["competencies"][0]["behaviors"] == [
        {
            "identifier": first["tiers"][0]["competencies"][0]["behaviors"][0]["identifier"],
            "position": 1,
            "title": "",
            "text": "Behaves as 1.1.1",
            "revision": 1,
        },
        {
            "identifier": first["tiers"][0]["competencies"][0]["behaviors"][1]["identifier"],
            "position": 2,
            "title": "",
            "text": "Behaves as 1.1.2",
            "revision": 1,
        },
    ]
    # Each part is in the route's schema, as the whole tree always was.
    for body in (first, second):
        made = FrameworkTreeOut.model_validate(body).model_dump(mode="json", exclude_unset=True)
        assert made == body


def test_the_parts_put_together_are_the_whole_tree(client, big):
    whole = client.get("/api/v1/frameworks/big?limit=1000").json()
    parts, address = [], "/api/v1/frameworks/big?limit=150"
    while address:
        body = client.get(address).json()
        parts.append(body)
        address = body.get("next")

    merged: dict[int, dict] = {}
    for body in parts:
        for tier in body["tiers"]:
            merged.setdefault(tier["number"], {**tier, "competencies": []})
            merged[tier["number"]]["competencies"] += tier["competencies"]

    assert "next" not in whole
    assert len(parts) == 5  # 670 competencies, 150 a part
    assert parts[0]["next"] == "/api/v1/frameworks/big?limit=150&cursor=3.50"
    assert list(merged.values()) == whole["tiers"]
    assert sum(len(t["competencies"]) for t in whole["tiers"]) == 670


def test_one_tier_comes_alone_and_in_parts_when_big(client, big):
    first = client.get("/api/v1/frameworks/big?tier=3&limit=200").json()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()

    assert first["next"] == "/api/v1/frameworks/big?tier=3&limit=200&cursor=3.200"
    assert [outline(body) for body in (first, second, third)] == [
        [(3, codes(3, 1, 200))],
        [(3, codes(3, 201, 400))],
        [(3, codes(3, 401, 450))],
    ]
    assert "next" not in third
    assert outline(client.get("/api/v1/frameworks/big?tier=2").json()) == [(2, [])]
    assert outline(client.get("/api/v1/frameworks/big?tier=4").json()) == [(4, codes(4, 1, 120))]


@pytest.mark.parametrize(
    "query, field, message",
    [
        ("tier=7", "tier", "this framework has no tier 7 (its tiers: 1, 2, 3, 4, 5)"),
        ("tier=0", "tier", "Input should be greater than or equal to 1"),
        (
            "tier=abc",
            "tier",
            "Input should be a valid integer, unable to parse string as an integer",
        ),
        ("limit=0", "limit", "Input should be greater than or equal to 1"),
        ("limit=1001", "limit", "Input should be less than or equal to 1000"),
        (
            "cursor=3-400",
            "cursor",
            "'3-400' is not a cursor of this API: pass on the address in `next` as it is, or "
            "leave the cursor out to start from the beginning",
        ),
    ],
)
def test_a_bad_tier_limit_or_cursor_is_422_naming_it(client, big, query, field, message):
    response = client.get(f"/api/v1/frameworks/big?{query}")

    assert response.status_code == 422
    assert response.json() == {
        "detail": "The request is not valid; see errors.",
        "errors": [{"where": "query", "field": field, "message": message}],
    }


def test_a_cursor_past_the_end_gives_an_empty_last_part(client, big):
    body = client.get("/api/v1/frameworks/big?cursor=9.1").json()

    assert outline(body) == []
    assert "next" not in body


def test_the_summary_counts_each_tier_without_its_content(client):
    framework = save(welding_tree())

    response = client.get("/api/v1/frameworks/welding/summary")

    body = response.json()
    assert response.status_code == 200
    whole = client.get("/api/v1/frameworks/welding").json()
    assert {
        k: v for k, v in body.items() if k not in ("tiers", "competency_count", "behavior_count")
    } == {k: v for k, v in whole.items() if k != "tiers"}
    assert body["competency_count"] == 3
    assert body["behavior_count"] == 4
    tier = framework.tiers.get(number=1)
    assert body["tiers"] == [
        {
            "identifier": str(tier.identifier),
            "number": 1,
            "name": "Personal Effectiveness",
            "group": "foundational",
            "note": "",
            "competency_count": 2,
            "behavior_count": 3,
            "url": "/frameworks/welding/tiers/1/",
        },
        {
            "identifier": body["tiers"][1]["identifier"],
            "number": 2,
            "name": "Academic",
            "group": "foundational",
            "note": "",
            "competency_count": 1,
            "behavior_count": 1,
            "url": "/frameworks/welding/tiers/2/",
        },
    ]


def test_the_summary_of_a_big_model_is_small(client, big):
    response = client.get("/api/v1/frameworks/big/summary")

    body = response.json()
    assert len(response.content) < 3_000
    assert (body["competency_count"], body["behavior_count"]) == (670, 1340)
    assert [(t["number"], t["competency_count"], t["behavior_count"]) for t in body["tiers"]] == [
        (1, 100, 200), (2, 0, 0), (3, 450, 900), (4, 120, 240), (5, 0, 0),
    ]  # fmt: skip


@pytest.mark.parametrize("size", ["small", "big"])
def test_the_tree_and_the_summary_cost_the_same_queries_at_any_size(
    client, django_assert_num_queries, size
):
    shape = {1: (3, 2), 2: (0, 0)} if size == "small" else {1: (600, 3), 2: (700, 3)}
    save(generated_tree(size, shape))

    # The framework, its sources, its tiers, a part's competencies and their key behaviors.
    with django_assert_num_queries(5):
        tree = client.get(f"/api/v1/frameworks/{size}")
    # The framework, its sources, its tiers counted.
    with django_assert_num_queries(3):
        summary = client.get(f"/api/v1/frameworks/{size}/summary")

    assert tree.status_code == summary.status_code == 200


@pytest.mark.parametrize("path", ["", "/summary", "?tier=1"])
def test_a_private_model_is_404_to_others_and_there_for_its_owner(client, path):
    owner = UserFactory()
    save(welding_tree(), visibility="private", actor=owner)

    refused = client.get(f"/api/v1/frameworks/welding{path}")
    client.force_login(owner)
    seen = client.get(f"/api/v1/frameworks/welding{path}")

    assert refused.status_code == 404
    assert refused.json() == {"detail": "No such framework.", "errors": []}
    assert seen.status_code == 200
