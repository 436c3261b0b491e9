"""A big model's page in a real browser: its tiers in outline, a part of a tier opened in place
(HTMX) with the focus on what came in, and, without JavaScript, the same link going to that
page of the tier; axe-core run on each."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from cmc.frameworks.services import save_framework_tree
from cmc.frameworks.tests.builders import generated_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

axe = Axe()
OPEN = "Show the key behaviors of competencies 2.51 to 2.100"


def assert_accessible(page: Page) -> None:
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()


def behaviors(where, code: str):
    return where.locator(f"[id='competency-{code}'] ul.behaviors > li")


@pytest.fixture
def huge():
    tree = generated_tree("huge", {n: (100, 10) for n in range(1, 4)})
    save_framework_tree(tree=tree, where="test", visibility="public")


def test_a_part_of_a_tier_opens_in_place(page: Page, live_server, huge):
    page.goto(live_server.url + "/frameworks/huge/")
    part = page.locator("#tier-2-part-2")
    expect(part.locator("li")).to_have_count(50)
    expect(page.get_by_text("Behaves as 2.51.1")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name=OPEN).click()

    expect(part.locator("article.competency")).to_have_count(50)
    expect(behaviors(part, "2.51").first).to_have_text(re.compile(r"^Behaves as 2\.51\.1 "))
    expect(part).to_be_focused()
    expect(page).to_have_url(re.compile(r"/frameworks/huge/$"))
    # The rest of the page stays in outline.
    expect(page.locator("#tier-2-part-1 article.competency")).to_have_count(0)
    expect(page.get_by_role("link", name="Show the key behaviors of competencies 2.1 to 2.50"))
    assert_accessible(page)


def test_without_javascript_the_link_goes_to_that_page_of_the_tier(browser, live_server, huge):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/frameworks/huge/")

    page.get_by_role("link", name=OPEN).click()

    expect(page).to_have_url(re.compile(r"/frameworks/huge/tiers/2/\?page=2$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tier 2: Tier 2 work")
    expect(page.locator("article.competency")).to_have_count(50)
    expect(behaviors(page, "2.100").last).to_have_text(re.compile(r"^Behaves as 2\.100\.10 "))
    page.get_by_role("link", name="Previous page").click()
    expect(page).to_have_url(re.compile(r"/frameworks/huge/tiers/2/\?page=1$"))
    expect(behaviors(page, "2.1").first).to_have_text(re.compile(r"^Behaves as 2\.1\.1 "))
    context.close()


def test_the_tier_page_with_pages_is_accessible(page: Page, live_server, huge):
    page.goto(live_server.url + "/frameworks/huge/tiers/1/?page=2")
    expect(page.get_by_role("link", name="Page 2")).to_have_attribute("aria-current", "page")
    assert_accessible(page)
