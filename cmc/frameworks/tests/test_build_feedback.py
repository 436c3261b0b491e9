"""What the builder says after a change: a refusal once, beside the field of the form that
sent it, with what was typed kept; a change saved in place names what changed and where focus
returns; actions look as heavy as they are."""

import json

import pytest

from cmc.factories import UserFactory
from cmc.frameworks.models import Competency, Framework, KeyBehavior, LeftOut
from cmc.frameworks.services import derive_framework, editing

from .html import by_id, described_by_what_exists, parse, text, with_class

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
EMPTY_NAME = "Competency name is empty; write it or leave the item out."


@pytest.fixture
def builder(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def model(reference, builder):
    source = Framework.objects.get(slug="building-blocks")
    return derive_framework(actor=builder, sources=[source], name="Our Model")


def _said(answer) -> dict:
    return json.loads(answer["HX-Trigger-After-Settle"])["cmc:changed"]


def _errors(tree) -> list[str]:
    return [text(e) for e in with_class(tree, "error")]


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_a_name_of_spaces_is_refused_once_beside_the_add_form_keeping_what_was_typed(
    client, model, htmx
):
    before = model.competencies.count()
    assert model.competencies.filter(tier__number=3).count() == 12
    answer = client.post(
        f"/frameworks/{model.slug}/build/tiers/3/change",
        {"action": "add-competency", "name": "   ", "definition": "What I typed"},
        **(HTMX if htmx else {}),
    )
    assert answer.status_code == (200 if htmx else 422)
    tree = parse(answer)
    assert _errors(tree) == [f"Error: {EMPTY_NAME}"]
    assert by_id(tree, "new-competency-name-error").getparent().getparent().get("action") == (
        f"/frameworks/{model.slug}/build/tiers/3/change"
    )
    field = by_id(tree, "new-competency-name")
    assert field.get("aria-invalid") == "true"
    assert field.get("aria-describedby") == "new-competency-name-error"
    assert by_id(tree, "new-competency-definition").text == "What I typed"
    assert by_id(tree, "new-competency-definition").get("aria-invalid") is None
    described_by_what_exists(tree)
    assert model.competencies.count() == before
    if htmx:
        assert _said(answer) == {
            "message": f"Not saved: {EMPTY_NAME}",
            "focus": "new-competency-name",
        }


def test_an_edit_to_a_name_of_spaces_keeps_its_form_open_with_the_text(client, model):
    competency = model.competencies.get(code="3.1")
    url = f"/frameworks/{model.slug}/build/competencies/3.1/change"
    data = {"action": "edit", "name": "  ", "definition": "New words", "revision": 1}
    answer = client.post(url, data, **HTMX)
    tree = parse(answer)
    assert tree.get("id") == f"card-{competency.pk}"
    assert _errors(tree) == [f"Error: {EMPTY_NAME}"]
    name = by_id(tree, f"edit-name-{competency.pk}")
    assert (name.get("value"), name.get("aria-invalid")) == ("  ", "true")
    assert by_id(tree, f"edit-definition-{competency.pk}").text == "New words"
    assert name.xpath("ancestor::details")[0].get("open") is not None
    assert _said(answer)["focus"] == f"edit-name-{competency.pk}"
    described_by_what_exists(tree)
    competency.refresh_from_db()
    assert competency.definition != "New words"

    # Without JavaScript: the whole tier, the error on that card's form alone.
    page = parse(client.post(url, data))
    assert _errors(page) == [f"Error: {EMPTY_NAME}"]
    assert by_id(page, f"edit-name-{competency.pk}-error") is not None
    opened = page.xpath("//details[@open]")
    assert [d.xpath("summary/@id")[0] for d in opened] == [f"c{competency.pk}-edit"]


def test_a_blank_key_behavior_edit_keeps_the_form_open_with_the_title(client, model):
    competency = next(c for c in model.competencies.all() if c.behaviors.count() >= 2)
    first, second = competency.behaviors.order_by("position")[:2]
    answer = client.post(
        f"/frameworks/{model.slug}/build/competencies/{competency.code}/change",
        {"action": "edit-behavior", "behavior": second.identifier, "title": "My title",
         "text": " \t ", "revision": second.revision},
        **HTMX,
    )  # fmt: skip
    tree = parse(answer)
    assert _errors(tree) == ["Error: Behavior text is empty; write it or leave the item out."]
    text_field = by_id(tree, f"b-text-{second.pk}")
    assert text_field.get("aria-describedby") == f"b-text-{second.pk}-error"
    assert by_id(tree, f"b-title-{second.pk}").get("value") == "My title"
    assert [d.xpath("summary/@id")[0] for d in tree.xpath("//details[@open]")] == [
        f"b{second.pk}-edit"
    ]
    assert by_id(tree, f"b-title-{first.pk}").get("value") == first.title
    second.refresh_from_db()
    assert second.title != "My title"


def test_a_conflict_shows_on_the_card_that_sent_it_alone(client, model):
    competency = model.competencies.get(code="3.2")
    url = f"/frameworks/{model.slug}/build/competencies/3.2/change"
    client.post(url, {"action": "edit", "name": "First", "definition": "", "revision": 1})
    answer = client.post(url, {"action": "edit", "name": "Second", "definition": "", "revision": 1})
    assert answer.status_code == 409
    tree = parse(answer)
    conflicts = with_class(tree, "conflict")
    assert len(conflicts) == 1
    assert conflicts[0].xpath("ancestor::article/@id") == [f"card-{competency.pk}"]


def _tier_url(model, number=3):
    return f"/frameworks/{model.slug}/build/tiers/{number}/change"


def _card_url(model, code):
    return f"/frameworks/{model.slug}/build/competencies/{code}/change"


def test_each_change_saved_in_place_names_what_changed_and_where_focus_returns(client, model):
    third = model.competencies.get(code="3.3")
    behavior = editing.add_behavior(actor=model.owner, competency=third, text="Checks once")
    editing.add_behavior(actor=model.owner, competency=third, text="Asks for help")
    steps = [
        (_card_url(model, "3.3"), {"action": "move-down"}, "Moved down: ", f"c{third.pk}-down"),
        (_card_url(model, "3.3"),
         {"action": "edit", "name": "Our Name", "definition": "", "revision": 1},
         "Saved: 3.3 Our Name", f"c{third.pk}-edit"),
        (_card_url(model, "3.3"),
         {"action": "behavior-down", "behavior": behavior.identifier},
         "Moved down: ", f"b{behavior.pk}-down"),
        (_card_url(model, "3.3"),
         {"action": "edit-behavior", "behavior": behavior.identifier, "title": "",
          "text": "Checks twice", "revision": behavior.revision},
         "Saved key behavior", f"b{behavior.pk}-edit"),
        (_tier_url(model), {"action": "rename", "name": "Our Workplace", "revision": 1},
         "Tier renamed: Our Workplace", "tier-rename"),
    ]  # fmt: skip
    for url, data, said, focus in steps:
        answer = client.post(url, data, **HTMX)
        assert answer.status_code == 200, data
        assert _said(answer)["message"].startswith(said)
        assert _said(answer)["focus"] == focus
        by_id(parse(answer), focus)

    added = client.post(_card_url(model, "3.3"), {"action": "add-behavior", "text": "Tidy"}, **HTMX)
    new = KeyBehavior.objects.get(competency=third, text="Tidy")
    assert _said(added) == {
        "message": "Key behavior added to Our Name",
        "focus": f"behavior-{new.pk}",
    }
    assert by_id(parse(added), f"behavior-{new.pk}").get("tabindex") == "-1"

    left = client.post(
        _card_url(model, "3.3"),
        {"action": "leave-out-behavior", "behavior": new.identifier},
        **HTMX,
    )
    record = LeftOut.objects.get(competency=third)
    assert _said(left) == {"message": "Left out: Tidy", "focus": f"r{record.pk}-back"}
    assert text(by_id(parse(left), f"r{record.pk}-back")) == "Put back"

    gone = client.post(_card_url(model, "3.3"), {"action": "leave-out"}, **HTMX)
    record = LeftOut.objects.get(kind=LeftOut.ItemKind.COMPETENCY)
    assert _said(gone) == {"message": "Left out: Our Name", "focus": f"r{record.pk}-back"}
    by_id(parse(gone), f"r{record.pk}-back")

    back = client.post(
        _tier_url(model), {"action": "restore-competency", "record": record.pk}, **HTMX
    )
    restored = Competency.objects.get(framework=model, name="Our Name")
    assert _said(back) == {
        "message": f"Put back: {restored.code} Our Name",
        "focus": f"name-{restored.pk}",
    }
    assert by_id(parse(back), f"name-{restored.pk}").get("tabindex") == "-1"


def test_the_builder_page_has_one_polite_live_region_and_actions_by_weight(client, model):
    competency = model.competencies.get(code="1.1")
    behavior = editing.add_behavior(actor=model.owner, competency=competency, text="Listens")
    tree = parse(client.get(f"/frameworks/{model.slug}/build/tiers/1/"))
    regions = tree.xpath('//*[@aria-live="polite"]')
    assert [r.get("id") for r in regions] == ["live-status"]
    assert regions[0].get("role") == "status"
    pk = competency.pk
    assert by_id(tree, f"c{pk}-up").get("class") == "secondary"
    assert by_id(tree, f"c{pk}-down").get("class") == "secondary"
    assert by_id(tree, f"c{pk}-leave").get("class") == "destructive"
    assert by_id(tree, f"b{behavior.pk}-leave").get("class") == "destructive"
    assert by_id(tree, f"b{behavior.pk}-up").get("class") == "secondary"
    assert by_id(tree, f"b{behavior.pk}-edit").get("class") == "secondary"
    saves = tree.xpath('//form[.//input[@name="action"][@value="edit"]]//button')
    assert {b.get("class") for b in saves} == {None}  # the main action keeps the solid look
    described_by_what_exists(tree)
