"""“Suggest a change” beside each competency and key behavior of a model's page and its tier
pages, for a model that takes suggestions (shared beyond its owner, not the reference content
shipped with the site); none, and suggestions refused on every door, for one that does not."""

import re

import pytest

from cmc.core.errors import Conflict
from cmc.frameworks.models import Framework, KeyBehavior
from cmc.frameworks.services import save_framework_tree, share_framework
from cmc.frameworks.tests.builders import welding_tree
from cmc.review.models import Suggestion
from cmc.review.services import suggestions as services

from .conftest import behavior, competency

pytestmark = pytest.mark.django_db
LINK = re.compile(
    r'<a class="suggest-link" href="(/frameworks/[\w-]+/suggest/[0-9a-f-]+/)">Suggest a change'
    r'<span class="visually-hidden"> to ([^<]*)</span></a>'
)


def links(page) -> list[tuple[str, str]]:
    return LINK.findall(page.content.decode())


def expected(framework, *items) -> list[tuple[str, str]]:
    rows = []
    for item in items:
        if hasattr(item, "definition"):
            name = f"the competency {item.code} {item.name}"
        else:
            said = f"{item.title}: {item.text}" if item.title else item.text
            name = f"the key behavior “{said}”"
        rows.append((f"/frameworks/{framework.slug}/suggest/{item.identifier}/", name))
    return rows


@pytest.fixture
def public(ours, who):
    return share_framework(framework=ours, actor=who["owner"], visibility="public")


def items_of_tier_one(framework):
    first, second = competency(framework, "1.1"), competency(framework, "1.2")
    return [
        first,
        *KeyBehavior.objects.filter(competency=first).order_by("position"),
        second,
        *KeyBehavior.objects.filter(competency=second).order_by("position"),
    ]


def test_each_competency_and_behavior_of_a_public_page_has_its_link(client, public):
    page = client.get(f"/frameworks/{public.slug}/")
    tier_two = competency(public, "2.1")
    assert links(page) == expected(
        public,
        tier_two,
        *KeyBehavior.objects.filter(competency=tier_two).order_by("position"),
        *items_of_tier_one(public),
    )
    assert (
        'Suggest a change<span class="visually-hidden"> to the key behavior “Asking: Asking '
        "for help early”</span>" in page.content.decode()
    )
    tier = client.get(f"/frameworks/{public.slug}/tiers/1/")
    assert links(tier) == expected(public, *items_of_tier_one(public))


def test_a_link_leads_to_the_form_for_its_item(client, public):
    href, _ = links(client.get(f"/frameworks/{public.slug}/tiers/1/"))[1]
    form = client.get(href)
    assert form.status_code == 200
    assert "Suggest a change to 1.1 behavior 1" in form.content.decode()


def test_the_members_of_a_shared_model_see_the_links_too(client, ours, who):
    client.force_login(who["org viewer"])
    assert len(links(client.get(f"/frameworks/{ours.slug}/"))) == 7


def test_a_private_model_has_no_links_and_refuses_suggestions(client, ours, who):
    private = share_framework(framework=ours, actor=who["owner"], visibility="private")
    client.force_login(who["owner"])
    assert links(client.get(f"/frameworks/{private.slug}/")) == []
    assert links(client.get(f"/frameworks/{private.slug}/tiers/1/")) == []
    competency_page = client.get(f"/frameworks/{private.slug}/competencies/1.1/").content
    assert b"Suggest a change" not in competency_page
    item = behavior(private, "Sharing tools with the crew")
    refused = "This model is private: its owner changes it directly and takes no suggestions."
    with pytest.raises(Conflict) as error:
        services.suggest(framework=private, actor=who["owner"], item=item.identifier,
                         action="edit", text="x")  # fmt: skip
    assert str(error.value) == refused
    form = client.get(f"/frameworks/{private.slug}/suggest/{item.identifier}/")
    assert form.status_code == 409 and refused in form.content.decode()
    assert b"<form" not in form.content.split(b"<main", 1)[-1].split(b"</main>")[0]
    posted = client.post(
        f"/frameworks/{private.slug}/suggest/{item.identifier}/", {"action": "edit", "text": "x"}
    )
    assert posted.status_code == 409
    answer = client.post(
        f"/api/v1/frameworks/{private.slug}/suggestions",
        {"item": str(item.identifier), "action": "edit", "text": "x"},
        content_type="application/json",
    )
    assert (answer.status_code, answer.json()["detail"]) == (409, refused)
    assert Suggestion.objects.count() == 0


def test_reference_content_has_no_links(client):
    save_framework_tree(tree=welding_tree(), where="test", is_reference=True, visibility="public")
    reference = Framework.objects.get(slug="welding")
    assert reference.is_reference
    page = client.get("/frameworks/welding/")
    assert page.status_code == 200 and links(page) == []
    item = KeyBehavior.objects.filter(competency__framework=reference).first()
    answer = client.post(
        "/api/v1/frameworks/welding/suggestions",
        {"item": str(item.identifier), "action": "edit", "text": "Sharing PPE"},
        content_type="application/json",
    )
    assert answer.status_code == 409
    assert answer.json()["detail"] == (
        "This model is reference content shipped with the site and takes no suggestions; "
        "build your own model from it to change it."
    )
    assert Suggestion.objects.count() == 0


def test_sharing_a_model_publicly_shows_the_links_at_once_to_visitors(client, ours, who):
    private = share_framework(framework=ours, actor=who["owner"], visibility="private")
    client.force_login(who["owner"])
    assert links(client.get(f"/frameworks/{private.slug}/")) == []
    share_framework(framework=private, actor=who["owner"], visibility="public")
    client.logout()
    assert len(links(client.get(f"/frameworks/{private.slug}/"))) == 7
