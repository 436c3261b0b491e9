"""Building a model in a real browser: start from the Building Blocks, change tier 1 in place
(HTMX, no page load), move on, come back to find the work saved, publish a version and see
what changed; axe-core runs on every page of the flow."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from cmc.factories import UserFactory, welding_tree
from cmc.frameworks.models import Competency, Framework
from cmc.frameworks.services import save_framework_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

axe = Axe()
PASSWORD = "a long and unusual passphrase"
DEFINITION = "Getting along with the crew and the customers."


def assert_accessible(page: Page) -> None:
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture
def builder(transactional_db):
    user = UserFactory(username="bea")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(page: Page, url: str, next_path: str) -> None:
    page.goto(f"{url}/accounts/login/?next={next_path}")
    page.get_by_label("User name").fill("bea")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(url + next_path)


def card(page: Page, heading: str):
    return page.locator("article.card").filter(has=page.get_by_role("heading", name=heading))


def open_tool(place, summary: str):
    """Open a card's <details> tool by its summary; the tool, to fill in."""
    tool = place.locator("details.tool").filter(has=place.page.locator("summary", has_text=summary))
    tool.locator("summary").click()
    return tool


def test_build_a_model_tier_by_tier_then_publish_and_compare(
    page: Page, live_server, reference, builder
):
    sign_in(page, live_server.url, "/frameworks/build/")
    page.get_by_label("Building Blocks Competency Model").check()
    page.get_by_label("Name of the new model").fill("Our Crew Model")
    page.get_by_role("button", name="Start building").click()
    expect(page).to_have_url(re.compile(r"/frameworks/our-crew-model/build/tiers/1/$"))
    expect(page.locator("#tier-heading")).to_contain_text("Tier 1: Personal Effectiveness")
    assert_accessible(page)

    # Every change below is swapped in place: a full page load would lose the marker.
    page.evaluate("window.marker = 1")
    skills = card(page, "1.1 Interpersonal Skills")
    edit = open_tool(skills, "Edit name and definition")
    edit.get_by_label("Definition").fill(DEFINITION)
    edit.get_by_role("button", name="Save").click()
    expect(skills.locator("p.definition")).to_have_text(DEFINITION)

    add = open_tool(skills, "Add a key behavior")
    add.get_by_label("Key behavior").fill("Listening before answering")
    add.get_by_role("button", name="Add").click()
    behaviors = skills.locator("ol.behaviors > li")
    expect(behaviors).to_have_count(1)
    expect(behaviors.first).to_contain_text("Listening before answering")

    skills.get_by_role("button", name="Leave out key behavior 1").click()
    expect(skills.locator(".left-out")).to_contain_text("Left out (1):")
    expect(behaviors).to_have_count(0)
    skills.get_by_role("button", name="Put back: Listening before answering").click()
    expect(behaviors).to_have_count(1)
    expect(skills.locator(".left-out")).to_have_count(0)

    add = open_tool(skills, "Add a key behavior")
    add.get_by_label("Key behavior").fill("Thanking people for their help")
    add.get_by_role("button", name="Add").click()
    expect(behaviors).to_have_count(2)
    assert page.evaluate("window.marker") == 1
    assert_accessible(page)

    page.get_by_role("navigation", name="Next steps").get_by_role("link", name="Tier 2 →").click()
    expect(page).to_have_url(re.compile(r"/build/tiers/2/$"))
    assert page.evaluate("window.marker") is None
    page.reload()
    expect(page.locator("#tier-heading")).to_contain_text("Tier 2: Academic")
    page.get_by_role("navigation", name="Next steps").get_by_role("link", name="← Tier 1").click()
    page.reload()
    skills = card(page, "1.1 Interpersonal Skills")
    expect(skills.locator("p.definition")).to_have_text(DEFINITION)
    expect(skills.locator("ol.behaviors > li")).to_have_count(2)
    expect(skills.locator("ol.behaviors > li").nth(0)).to_contain_text("Listening before answering")
    expect(skills.locator("ol.behaviors > li").nth(1)).to_contain_text("Thanking people")
    saved = Competency.objects.get(framework__slug="our-crew-model", code="1.1")
    assert saved.definition == DEFINITION
    assert list(saved.behaviors.order_by("position").values_list("text", flat=True)) == [
        "Listening before answering",
        "Thanking people for their help",
    ]

    page.goto(live_server.url + "/frameworks/our-crew-model/versions/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Versions, status and sharing of Our Crew Model"
    )
    assert_accessible(page)
    page.get_by_label("What changed (the change note)").fill("Tier 1 made our own")
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.locator(".messages")).to_have_text("Version 1 is published and frozen.")
    expect(page.locator("table.frameworks tbody tr")).to_have_count(1)
    expect(page.locator("table.frameworks tbody tr")).to_contain_text("Tier 1 made our own")
    assert Framework.objects.get(slug="our-crew-model").versions.count() == 1

    page.get_by_role("link", name="with the draft").click()
    expect(page).to_have_url(re.compile(r"/frameworks/our-crew-model/diff/\?from=1&to=draft$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("What changed in Our Crew Model")
    expect(page.locator(".changes")).to_have_count(0)
    expect(page.get_by_text("Nothing changed between these two.")).to_be_visible()
    assert_accessible(page)
    # Against the Building Blocks it was built from, the edit and the additions show.
    page.get_by_label("From").select_option(label="Source: Building Blocks Competency Model")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".changes")).to_contain_text("Listening before answering")
    expect(page.locator(".changes ins").first).to_be_visible()
    assert_accessible(page)

    page.goto(live_server.url + "/frameworks/our-crew-model/worksheets/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Worksheets for Our Crew Model")
    assert_accessible(page)


def test_a_page_with_a_message_has_no_accessibility_violations(page: Page, live_server, builder):
    save_framework_tree(tree=welding_tree(), where="test", actor=builder)
    sign_in(page, live_server.url, "/frameworks/welding/versions/")
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.locator(".messages")).to_have_text("Version 1 is published and frozen.")
    assert_accessible(page)


def focused(page: Page) -> str:
    """The focused element: its id, else its tag."""
    return page.evaluate("document.activeElement.id || document.activeElement.tagName")


def test_each_change_in_place_returns_focus_and_is_announced(page: Page, live_server, builder):
    save_framework_tree(tree=welding_tree(), where="test", actor=builder)
    teamwork = Competency.objects.get(framework__slug="welding", code="1.1")
    sign_in(page, live_server.url, "/frameworks/welding/build/tiers/1/")
    status = page.locator("#live-status")
    expect(page.locator('[aria-live="polite"]')).to_have_count(1)

    page.locator(f"#c{teamwork.pk}-down").click()
    expect(status).to_have_text("Moved down: Teamwork")
    assert focused(page) == f"c{teamwork.pk}-down"

    edit = open_tool(card(page, "1.1 Teamwork"), "Edit name and definition")
    edit.get_by_label("Name").fill("   ")
    edit.get_by_label("Definition").fill("Kept as typed")
    edit.get_by_role("button", name="Save").click()
    message = "Competency name is empty; write it or leave the item out."
    expect(status).to_have_text(f"Not saved: {message}")
    assert focused(page) == f"edit-name-{teamwork.pk}"
    expect(page.locator(f"#edit-name-{teamwork.pk}-error")).to_have_text(f"Error: {message}")
    expect(page.locator(f"#edit-definition-{teamwork.pk}")).to_have_value("Kept as typed")
    expect(page.locator(".error")).to_have_count(1)
    assert_accessible(page)

    page.locator(f"#edit-name-{teamwork.pk}").fill("Crew Work")
    page.locator(f"#card-{teamwork.pk}").get_by_role("button", name="Save").click()
    expect(status).to_have_text("Saved: 1.1 Crew Work")
    assert focused(page) == f"c{teamwork.pk}-edit"

    page.locator(f"#c{teamwork.pk}-leave").click()
    expect(status).to_have_text("Left out: Crew Work")
    expect(page.get_by_role("button", name="Put Crew Work back")).to_be_focused()
    page.keyboard.press("Enter")
    expect(status).to_have_text("Put back: 1.3 Crew Work")
    expect(page.get_by_role("heading", name="1.3 Crew Work")).to_be_focused()
