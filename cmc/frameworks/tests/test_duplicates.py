"""Blends that a person would keep: names that are the same merge, alike ones are offered as
likely duplicates to merge or keep apart (and undo), the source whose text is taken is named,
and codes can be renumbered."""

import pytest
from django.core.exceptions import PermissionDenied

from cmc.core.actors import SYSTEM
from cmc.core.errors import Conflict
from cmc.factories import UserFactory
from cmc.frameworks.models import Competency, Framework, LikelyDuplicate
from cmc.frameworks.selectors import likely_duplicates
from cmc.frameworks.services import (
    derive_framework,
    keep_apart,
    leave_out_competency,
    merge_duplicate,
    renumber_codes,
    undo_duplicate,
)
from cmc.frameworks.trees import BehaviorNode, CompetencyNode

from .builders import behaviors_of, state
from .test_derive import one_tier_model

pytestmark = pytest.mark.django_db

BLEND = ["building-blocks", "advanced-manufacturing", "energy-cewd"]


def names(framework: Framework, number: int) -> list[str]:
    return list(
        Competency.objects.filter(framework=framework, tier__number=number)
        .order_by("position")
        .values_list("name", flat=True)
    )


def pairs(framework: Framework, number: int) -> list[tuple[str, str, float]]:
    return [
        (p.first_name, p.second_name, p.score)
        for p in likely_duplicates(framework)
        if p.tier.number == number
    ]


def test_names_that_are_the_same_merge_across_sources(reference):
    blend = derive_framework(actor=SYSTEM, sources=BLEND, name="Energy blend")

    tier_1, tier_2 = names(blend, 1), names(blend, 2)
    assert "Adaptability & Flexibility" in tier_1
    assert "Flexibility & Adaptability" not in tier_1
    assert "Critical & Analytic Thinking" in tier_2
    assert "Critical & Analytical Thinking" not in tier_2
    merged = Competency.objects.get(framework=blend, name="Critical & Analytic Thinking")
    readings = merged.blend_choices.get(field="name").options
    assert [(o["source"], o["value"]) for o in readings] == [
        ("Building Blocks Competency Model", "Critical & Analytic Thinking"),
        ("Advanced Manufacturing Competency Model", "Critical & Analytic Thinking"),
        (
            "Energy Industry Competency Model (CEWD Get Into Energy)",
            "Critical & Analytical Thinking",
        ),
    ]


def test_alike_names_of_different_sources_are_offered_with_a_score(reference):
    blend = derive_framework(actor=SYSTEM, sources=BLEND, name="Energy blend")

    assert pairs(blend, 3) == [
        ("Customer Focus", "Marketing & Customer Focus", 0.83),
        ("Planning & Organizing", "Planning, Organizing & Scheduling", 0.83),
        (
            "Working with Tools & Technology",
            "Working with Basic Hand & Power Tools & Technology",
            0.75,
        ),
    ]
    assert pairs(blend, 2)[0] == ("Science & Technology", "Science", 0.75)


def test_the_source_whose_text_is_taken_is_named():
    owner = UserFactory()
    text = CompetencyNode(
        code="1.1",
        name="Teamwork",
        definition="Working cooperatively with others.",
        behaviors=[BehaviorNode(text="Shares the load.")],
    )
    one_tier_model("names-only", "Names only", [CompetencyNode(code="1.1", name="Teamwork")], owner)
    one_tier_model("with-text", "With text", [text], owner)

    blend = derive_framework(actor=owner, sources=["names-only", "with-text"], name="Blend")

    teamwork = Competency.objects.get(framework=blend, name="Teamwork")
    source = Framework.objects.get(slug="with-text")
    assert teamwork.source_framework == source
    assert teamwork.source_identifier == source.competencies.get().identifier
    assert teamwork.merged_from == [
        str(Framework.objects.get(slug="names-only").competencies.get().identifier)
    ]


def _customer_focus_pair(blend) -> LikelyDuplicate:
    return next(
        p for p in likely_duplicates(blend) if p.second_name == "Marketing & Customer Focus"
    )


def test_a_merge_keeps_both_sources_and_every_behavior_and_can_be_undone(reference):
    blend = derive_framework(actor=SYSTEM, sources=BLEND, name="Energy blend")
    pair = _customer_focus_pair(blend)
    first, second = pair.first, pair.second
    before = state(blend)
    taken = behaviors_of(first) + [
        (len(behaviors_of(first)) + n, text) for n, (_, text) in enumerate(behaviors_of(second), 1)
    ]

    kept = merge_duplicate(actor=SYSTEM, duplicate=pair)

    assert kept.pk == first.pk
    assert not Competency.objects.filter(pk=second.pk).exists()
    assert str(second.source_identifier) in kept.merged_from
    assert behaviors_of(kept) == taken
    pair.refresh_from_db()
    assert (pair.decision, pair.second) == ("merged", None)

    undo_duplicate(actor=SYSTEM, duplicate=pair)

    after = state(blend)
    # Everything is back as it was, but for the revisions the merge and its undo counted.
    drop = lambda rows: [row[:-1] for row in rows]  # noqa: E731
    assert drop(after["competencies"]) == drop(before["competencies"])
    assert drop(after["behaviors"]) == drop(before["behaviors"])
    restored = Competency.objects.get(identifier=second.identifier)
    assert (restored.source_framework, restored.source_identifier) == (
        second.source_framework,
        second.source_identifier,
    )
    pair.refresh_from_db()
    assert (pair.decision, pair.first_id, pair.second_id) == ("open", first.pk, restored.pk)


def test_merging_into_the_second_keeps_the_second(reference):
    blend = derive_framework(actor=SYSTEM, sources=BLEND, name="Energy blend")
    pair = _customer_focus_pair(blend)

    kept = merge_duplicate(actor=SYSTEM, duplicate=pair, keep="second")

    assert kept.name == "Marketing & Customer Focus"
    assert "Customer Focus" not in names(blend, 3)


def test_kept_apart_is_no_longer_offered_until_undone(reference):
    blend = derive_framework(actor=SYSTEM, sources=BLEND, name="Energy blend")
    pair = _customer_focus_pair(blend)

    keep_apart(actor=SYSTEM, duplicate=pair)
    with pytest.raises(Conflict, match="already merged or kept apart"):
        merge_duplicate(actor=SYSTEM, duplicate=LikelyDuplicate.objects.get(pk=pair.pk))

    undo_duplicate(actor=SYSTEM, duplicate=LikelyDuplicate.objects.get(pk=pair.pk))
    assert LikelyDuplicate.objects.get(pk=pair.pk).decision == "open"
    with pytest.raises(Conflict, match="nothing to undo"):
        undo_duplicate(actor=SYSTEM, duplicate=LikelyDuplicate.objects.get(pk=pair.pk))


def test_only_editors_merge(reference):
    owner, outsider = UserFactory(), UserFactory()
    blend = derive_framework(actor=owner, sources=BLEND, name="Energy blend")
    pair = _customer_focus_pair(blend)
    before = state(blend)

    for act in (merge_duplicate, keep_apart):
        with pytest.raises(PermissionDenied):
            act(actor=outsider, duplicate=pair)

    assert state(blend) == before


def test_renumbering_closes_the_gaps_and_keeps_identifiers(reference):
    blend = derive_framework(actor=SYSTEM, sources=["building-blocks"], name="Ours")
    third = Competency.objects.get(framework=blend, code="3.3")
    fourth = Competency.objects.get(framework=blend, code="3.4")
    leave_out_competency(actor=SYSTEM, competency=third)

    changed = renumber_codes(actor=SYSTEM, framework=blend)

    codes = list(
        Competency.objects.filter(framework=blend, tier__number=3)
        .order_by("position")
        .values_list("code", flat=True)
    )
    assert codes == [f"3.{n}" for n in range(1, len(codes) + 1)]
    assert changed == len(codes) - 2
    assert Competency.objects.get(identifier=fourth.identifier).code == "3.3"
    assert renumber_codes(actor=SYSTEM, framework=blend) == 0


# The doors: the builder's tier page and the API


def test_the_builder_offers_the_pairs_at_the_top_of_the_tier_and_merges_and_undoes(
    client, reference
):
    owner = UserFactory()
    blend = derive_framework(actor=owner, sources=BLEND, name="Energy blend")
    pair = _customer_focus_pair(blend)
    client.force_login(owner)
    url = f"/frameworks/{blend.slug}/build/tiers/3/"
    action = f"/frameworks/{blend.slug}/build/tiers/3/change"

    page = client.get(url).content.decode()
    offered = page.index("Likely the same competency")
    assert offered < page.index("Rename this tier")
    assert "names 83% alike" in page
    assert "(Advanced Manufacturing Competency Model)" in page

    client.post(action, {"action": "merge-first", "duplicate": pair.pk})
    assert "Marketing &amp; Customer Focus" not in names(blend, 3)
    page = client.get(url).content.decode()
    assert "Merged “Marketing &amp; Customer Focus” into" in page

    client.post(action, {"action": "undo-duplicate", "duplicate": pair.pk})
    assert "Marketing & Customer Focus" in names(blend, 3)


def test_the_builder_offers_renumbering_after_a_leave_out(client, reference):
    owner = UserFactory()
    blend = derive_framework(actor=owner, sources=["building-blocks"], name="Ours")
    leave_out_competency(
        actor=owner, competency=Competency.objects.get(framework=blend, code="3.3")
    )
    client.force_login(owner)

    page = client.get(f"/frameworks/{blend.slug}/build/tiers/3/").content.decode()
    assert "Renumbering gives 3.4 the code 3.3, 3.5 the code 3.4" in page

    client.post(f"/frameworks/{blend.slug}/build/tiers/3/change", {"action": "renumber"})
    page = client.get(f"/frameworks/{blend.slug}/build/tiers/3/").content.decode()
    assert "Codes out of sequence" not in page


def test_the_api_lists_merges_and_undoes_pairs(client, reference):
    from .test_api_build import send

    owner, outsider = UserFactory(), UserFactory()
    blend = derive_framework(actor=owner, sources=BLEND, name="Energy blend")
    pair = _customer_focus_pair(blend)
    base = f"/frameworks/{blend.slug}/blend-choices/duplicates"

    listed = send(client, "get", base, owner).json()
    assert {k: listed[0][k] for k in ("tier", "score", "decision", "merged_name")} == {
        "tier": 2,
        "score": 0.75,
        "decision": "open",
        "merged_name": None,
    }
    mine = next(p for p in listed if p["id"] == pair.pk)
    assert mine["second"]["source"] == "Advanced Manufacturing Competency Model"

    assert send(client, "post", f"{base}/{pair.pk}/merge", outsider, {}).status_code == 404
    merged = send(client, "post", f"{base}/{pair.pk}/merge", owner, {"keep": "first"})
    assert (merged.status_code, merged.json()["decision"]) == (200, "merged")
    assert merged.json()["merged_name"] == "Marketing & Customer Focus"
    again = send(client, "post", f"{base}/{pair.pk}/keep-apart", owner)
    assert again.status_code == 409
    undone = send(client, "post", f"{base}/{pair.pk}/undo", owner)
    assert (undone.status_code, undone.json()["decision"]) == (200, "open")


def test_the_api_renumbers_one_tier(client, reference):
    from .test_api_build import send

    owner = UserFactory()
    blend = derive_framework(actor=owner, sources=["building-blocks"], name="Ours")
    leave_out_competency(
        actor=owner, competency=Competency.objects.get(framework=blend, code="3.3")
    )

    viewer = UserFactory()
    Framework.objects.filter(pk=blend.pk).update(visibility="public")
    before = state(blend)
    for who, status in ((None, 401), (UserFactory(), 403), (viewer, 403)):
        refused = send(client, "post", f"/frameworks/{blend.slug}/renumber", who, {"tier": 3})
        assert refused.status_code == status
    assert state(blend) == before

    answer = send(client, "post", f"/frameworks/{blend.slug}/renumber", owner, {"tier": 3})
    assert answer.json() == {"changed": 9}
    missing = send(client, "post", f"/frameworks/{blend.slug}/renumber", owner, {"tier": 12})
    assert (missing.status_code, missing.json()["detail"]) == (404, "The framework has no tier 12.")


# Which version of a source is taken


def test_the_start_page_and_the_api_say_which_version_of_each_source_is_taken(client, reference):
    from cmc.frameworks.services import publish_version

    from .test_api_build import send

    owner = UserFactory()
    ours = derive_framework(actor=owner, sources=["building-blocks"], name="Ours")
    publish_version(framework=ours, actor=owner, note="First")
    Framework.objects.filter(pk=ours.pk).update(updated_at=ours.updated_at.replace(year=2099))
    client.force_login(owner)

    page = client.get("/frameworks/build/").content.decode()
    assert "Ours</label>" in page
    assert "Takes version 1 of " in page
    assert "its draft has changed since and is not taken." in page

    answer = send(
        client, "post", "/frameworks/derive", owner, {"sources": ["ours"], "name": "Mine"}
    )
    assert [(s["slug"], s["version"]) for s in answer.json()["built_from"]] == [("ours", 1)]
    stranger = send(client, "get", "/frameworks/building-blocks", None).json()
    assert stranger["built_from"] == []


def test_the_occupations_a_source_names_are_not_copied_as_competencies(reference):
    energy = Framework.objects.get(slug="energy-cewd")
    assert "Lineworker" in names(energy, 6)  # the source's own page keeps them

    blend = derive_framework(actor=SYSTEM, sources=BLEND, name="Energy blend")

    assert names(blend, 6) == []
    assert "Lineworker" not in list(
        Competency.objects.filter(framework=blend).values_list("name", flat=True)
    )


def test_the_energy_models_page_says_which_entries_are_occupations(client, reference):
    page = client.get("/frameworks/energy-cewd/").content.decode()
    card = page[page.index('id="competency-6.1"') :]
    card = card[: card.index("</article>")]
    assert "An occupation the model names, not a competency" in card
