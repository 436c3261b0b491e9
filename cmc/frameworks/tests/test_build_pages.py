"""The "Build a model" pages, with and without HTMX, and the pages of a model's life:
versions and status, what changed, and a refused change that loses nothing."""

import pytest
from django.utils.html import escape

from cmc.factories import UserFactory, loaded
from cmc.frameworks.models import Competency, Framework, KeyBehavior, LeftOut, Status
from cmc.frameworks.services import derive_framework

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def builder(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def model(reference, builder):
    source = Framework.objects.get(slug="building-blocks")
    return derive_framework(actor=builder, sources=[source], name="Our Model")


def _first_competency(framework) -> Competency:
    return framework.competencies.select_related("tier").order_by("tier__position", "position")[0]


def test_start_page_lists_sources_and_derives_a_model(client, reference, builder):
    page = client.get("/frameworks/build/")
    assert page.status_code == 200
    assert b'value="building-blocks"' in page.content
    assert b'value="advanced-manufacturing"' in page.content

    answer = client.post(
        "/frameworks/build/",
        {"sources": ["building-blocks", "advanced-manufacturing"], "name": "Blended Model"},
    )
    framework = Framework.objects.get(name="Blended Model")
    assert answer.status_code == 302
    assert answer["Location"] == f"/frameworks/{framework.slug}/build/"
    assert framework.owner == builder
    assert framework.sources.count() == 2


def test_start_without_a_name_says_so_and_makes_nothing(client, reference, builder):
    before = Framework.objects.count()
    answer = client.post("/frameworks/build/", {"sources": ["building-blocks"], "name": " "})
    assert answer.status_code == 422
    assert b'role="alert"' in answer.content
    assert Framework.objects.count() == before


def test_start_asks_anonymous_visitors_to_sign_in(client, reference):
    answer = client.get("/frameworks/build/")
    assert answer.status_code == 302
    assert "/accounts/login/" in answer["Location"]


def test_resume_goes_to_the_tier_where_the_builder_stopped(client, model):
    first = client.get(f"/frameworks/{model.slug}/build/")
    assert first["Location"] == f"/frameworks/{model.slug}/build/tiers/1/"
    client.get(f"/frameworks/{model.slug}/build/tiers/3/")
    model.refresh_from_db()
    assert model.build_step == 3
    again = client.get(f"/frameworks/{model.slug}/build/")
    assert again["Location"] == f"/frameworks/{model.slug}/build/tiers/3/"


def test_tier_page_shows_every_competency_with_its_tools(client, model):
    page = client.get(f"/frameworks/{model.slug}/build/tiers/3/")
    assert page.status_code == 200
    html = page.content.decode()
    for competency in model.competencies.filter(tier__number=3):
        assert escape(competency.name) in html
    assert 'aria-current="step"' in html
    assert "copied from" in html
    assert f'href="/frameworks/{model.slug}/download.pdf"' in html


def test_editing_a_competency_without_javascript_returns_to_its_card(client, model):
    competency = _first_competency(model)
    url = f"/frameworks/{model.slug}/build/competencies/{competency.code}/change"
    answer = client.post(
        url,
        {"action": "edit", "name": "Working Well With People", "definition": "New.",
         "revision": competency.revision},
    )  # fmt: skip
    assert answer.status_code == 302
    assert answer["Location"].endswith(f"#card-{competency.pk}")
    competency.refresh_from_db()
    assert (competency.name, competency.definition, competency.origin) == (
        "Working Well With People",
        "New.",
        "edited",
    )


def test_editing_with_htmx_answers_with_the_card_alone(client, model):
    competency = _first_competency(model)
    url = f"/frameworks/{model.slug}/build/competencies/{competency.code}/change"
    answer = client.post(
        url, {"action": "edit", "name": "Renamed", "definition": "", "revision": competency.revision},
        **HTMX,
    )  # fmt: skip
    assert answer.status_code == 200
    html = answer.content.decode()
    assert html.startswith(f'<article class="card" id="card-{competency.pk}"')
    assert "Renamed" in html
    assert "<html" not in html


def test_a_stale_edit_shows_both_texts_and_overwrites_nothing(client, model):
    competency = _first_competency(model)
    url = f"/frameworks/{model.slug}/build/competencies/{competency.code}/change"
    stale = competency.revision
    client.post(url, {"action": "edit", "name": "First Edit", "definition": "", "revision": stale})
    answer = client.post(
        url, {"action": "edit", "name": "Second Edit", "definition": "", "revision": stale}
    )
    assert answer.status_code == 409
    html = answer.content.decode()
    assert "First Edit" in html and "Second Edit" in html
    competency.refresh_from_db()
    assert competency.name == "First Edit"
    with_htmx = client.post(
        url, {"action": "edit", "name": "Third", "definition": "", "revision": stale}, **HTMX
    )
    assert with_htmx.status_code == 200  # HTMX swaps only successful answers
    assert (
        "Third" in with_htmx.content.decode() and 'class="conflict"' in with_htmx.content.decode()
    )


def test_behaviors_can_be_left_out_put_back_added_and_edited(client, model):
    competency = next(c for c in model.competencies.all() if c.behaviors.count() >= 2)
    url = f"/frameworks/{model.slug}/build/competencies/{competency.code}/change"
    first, second = competency.behaviors.order_by("position")[:2]

    client.post(url, {"action": "leave-out-behavior", "behavior": first.identifier}, **HTMX)
    assert not KeyBehavior.objects.filter(pk=first.pk).exists()
    record = LeftOut.objects.get(competency=competency)

    client.post(url, {"action": "restore-behavior", "record": record.pk}, **HTMX)
    assert competency.behaviors.filter(text=first.text).exists()
    assert not LeftOut.objects.filter(pk=record.pk).exists()

    client.post(url, {"action": "add-behavior", "text": "Checks the weld", "title": ""}, **HTMX)
    added = competency.behaviors.get(text="Checks the weld")
    assert added.origin == "added"

    second.refresh_from_db()
    client.post(
        url,
        {"action": "edit-behavior", "behavior": second.identifier, "title": "T",
         "text": "Edited text", "revision": second.revision},
        **HTMX,
    )  # fmt: skip
    second.refresh_from_db()
    assert (second.title, second.text, second.origin) == ("T", "Edited text", "edited")


def test_leaving_out_a_competency_and_putting_it_back(client, model):
    competency = _first_competency(model)
    number = competency.tier.number
    url = f"/frameworks/{model.slug}/build/competencies/{competency.code}/change"
    answer = client.post(url, {"action": "leave-out"})
    assert answer.status_code == 302
    assert not Competency.objects.filter(pk=competency.pk).exists()
    page = client.get(f"/frameworks/{model.slug}/build/tiers/{number}/")
    assert "Left out of this tier" in page.content.decode()
    record = LeftOut.objects.get(framework=model, kind=LeftOut.ItemKind.COMPETENCY)
    client.post(
        f"/frameworks/{model.slug}/build/tiers/{number}/change",
        {"action": "restore-competency", "record": record.pk},
    )
    assert model.competencies.filter(name=competency.name).exists()


def test_tier_actions_rename_and_add_a_competency(client, model):
    tier = model.tiers.get(number=4)
    url = f"/frameworks/{model.slug}/build/tiers/4/change"
    client.post(url, {"action": "rename", "name": "Our Industry", "revision": tier.revision})
    tier.refresh_from_db()
    assert tier.name == "Our Industry"
    answer = client.post(
        url, {"action": "add-competency", "name": "Welding", "definition": "Joining"}, **HTMX
    )
    assert answer.status_code == 200
    added = model.competencies.get(name="Welding")
    assert (added.tier_id, added.origin) == (tier.pk, "added")
    empty = client.post(url, {"action": "add-competency", "name": "  "})
    assert empty.status_code == 422
    assert model.competencies.filter(tier=tier).count() == 1


def test_moving_a_competency_down_swaps_it_with_the_next(client, model):
    first, second = model.competencies.filter(tier__number=1).order_by("position")[:2]
    client.post(
        f"/frameworks/{model.slug}/build/competencies/{first.code}/change", {"action": "move-down"}
    )
    order = list(model.competencies.filter(tier__number=1).order_by("position"))
    assert order[:2] == [second, first]


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_others_cannot_build_on_a_private_model_and_nothing_changes(client, model, who):
    competency = _first_competency(model)
    client.logout()
    if who == "outsider":
        client.force_login(UserFactory())
    url = f"/frameworks/{model.slug}/build/competencies/{competency.code}/change"
    answer = client.post(
        url, {"action": "edit", "name": "Hijacked", "revision": 1, "definition": ""}
    )
    assert answer.status_code == (404 if who == "outsider" else 302)
    assert client.get(f"/frameworks/{model.slug}/build/tiers/1/").status_code in (302, 404)
    competency.refresh_from_db()
    assert competency.name != "Hijacked"


def test_a_reader_of_a_public_model_is_refused_with_a_page_in_the_site_style(client, reference):
    client.force_login(UserFactory())
    answer = client.post(
        "/frameworks/building-blocks/build/tiers/1/change", {"action": "rename", "name": "X"}
    )
    assert answer.status_code == 403
    assert "You may not do that here" in answer.content.decode()
    assert loaded("building-blocks").tier_list[0].name != "X"


def test_publishing_and_status_from_the_versions_page(client, model, builder):
    page = client.get(f"/frameworks/{model.slug}/versions/")
    assert "Publish version 1" in page.content.decode()
    client.post(f"/frameworks/{model.slug}/versions/publish", {"note": "First cut"})
    version = model.versions.get()
    assert (version.number, version.note, version.published_by) == (1, "First cut", builder)
    client.post(f"/frameworks/{model.slug}/status", {"status": Status.APPROVED})
    model.refresh_from_db()
    assert model.status == Status.APPROVED
    history = client.get(f"/frameworks/{model.slug}/versions/").content.decode()
    assert "First cut" in history and "Draft → Approved" in history


def test_versions_page_offers_no_forms_to_readers(client, reference):
    page = client.get("/frameworks/building-blocks/versions/")
    assert page.status_code == 200
    assert "Publish version" not in page.content.decode()
    assert client.post("/frameworks/building-blocks/versions/publish").status_code == 302


def test_diff_page_marks_words_removed_and_added(client, model):
    client.post(f"/frameworks/{model.slug}/versions/publish", {"note": ""})
    competency = _first_competency(model)
    client.post(
        f"/frameworks/{model.slug}/build/competencies/{competency.code}/change",
        {"action": "edit", "name": competency.name, "revision": competency.revision,
         "definition": competency.definition + " And more besides."},
    )  # fmt: skip
    page = client.get(f"/frameworks/{model.slug}/diff/?from=1&to=draft")
    html = page.content.decode()
    assert page.status_code == 200
    assert "1 edited" in html
    assert "<ins>" in html and "besides." in html


def test_diff_page_compares_a_model_with_its_source(client, model):
    competency = _first_competency(model)
    client.post(
        f"/frameworks/{model.slug}/build/competencies/{competency.code}/change",
        {"action": "leave-out"},
    )
    page = client.get(f"/frameworks/{model.slug}/diff/?from=source:building-blocks&to=draft")
    assert page.status_code == 200
    assert "1 removed" in page.content.decode()


def test_diff_page_with_an_unknown_version_says_so(client, model):
    page = client.get(f"/frameworks/{model.slug}/diff/?from=7&to=draft")
    assert page.status_code == 404
    assert "has no version 7" in page.content.decode()


def test_framework_page_shows_sources_and_origins_of_a_derived_model(client, model):
    page = client.get(f"/frameworks/{model.slug}/")
    html = page.content.decode()
    assert "Built from" in html
    assert "copied from" in html
    assert "Edit in the builder" in html
    client.logout()
    assert client.get(f"/frameworks/{model.slug}/").status_code == 404


def test_sharing_with_an_organization_lets_its_members_see_the_model(client, model, builder):
    from cmc.factories import MembershipFactory, OrganizationFactory

    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=builder, role="editor")
    member = MembershipFactory(organization=organization, role="viewer").user
    answer = client.post(
        f"/frameworks/{model.slug}/sharing",
        {"visibility": "organization", "organization": organization.slug},
    )
    assert answer.status_code == 302
    model.refresh_from_db()
    assert (model.visibility, model.organization) == ("organization", organization)
    client.force_login(member)
    assert client.get(f"/frameworks/{model.slug}/").status_code == 200
    assert (
        client.post(f"/frameworks/{model.slug}/sharing", {"visibility": "public"}).status_code
        == 403
    )
    model.refresh_from_db()
    assert model.visibility == "organization"


def test_sharing_with_an_organization_one_is_not_in_is_refused(client, model):
    from cmc.factories import OrganizationFactory

    other = OrganizationFactory()
    answer = client.post(
        f"/frameworks/{model.slug}/sharing",
        {"visibility": "organization", "organization": other.slug},
    )
    assert answer.status_code == 422
    assert "not an owner or editor" in answer.content.decode()
    model.refresh_from_db()
    assert (model.visibility, model.organization) == ("private", None)
    client.post(f"/frameworks/{model.slug}/sharing", {"visibility": "organization"})
    model.refresh_from_db()
    assert model.visibility == "private"


def test_moving_with_htmx_redraws_the_whole_tier_in_its_new_order(client, model):
    first, second = model.competencies.filter(tier__number=1).order_by("position")[:2]
    answer = client.post(
        f"/frameworks/{model.slug}/build/competencies/{first.code}/change",
        {"action": "move-down"},
        **HTMX,
    )
    html = answer.content.decode()
    assert html.startswith('<section id="tier-1"')
    assert html.index(f'id="card-{second.pk}"') < html.index(f'id="card-{first.pk}"')


@pytest.mark.parametrize(
    ("where", "data"),
    [
        ("tiers/1", {"action": "restore-competency", "record": "abc"}),
        ("tiers/1", {"action": "restore-competency", "record": "99999999999999999999999"}),
        ("competency", {"action": "restore-behavior", "record": "abc"}),
        ("competency", {"action": "edit-behavior", "behavior": "abc", "text": "x"}),
        ("competency", {"action": "choose", "choice": "abc"}),
        ("competency", {"action": "nothing-such"}),
        ("tiers/99999999999999999999999", {"action": "rename", "name": "x"}),
    ],
)
def test_malformed_form_values_are_not_found_never_a_crash(client, model, where, data):
    competency = _first_competency(model)
    path = (
        f"/frameworks/{model.slug}/build/competencies/{competency.code}/change"
        if where == "competency"
        else f"/frameworks/{model.slug}/build/{where}/change"
    )
    assert client.post(path, data).status_code == 404
