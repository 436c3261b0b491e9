"""The main journey, walked in a real browser: home → pyramid tier → competency → search,
with axe-core run on every page."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

axe = Axe()


def assert_accessible(page: Page) -> None:
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()


def test_home_to_tier_to_competency_to_search(page: Page, live_server, reference):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Competency models, tier by tier")
    assert_accessible(page)

    # The pyramid's tiers are links a keyboard reaches.
    pyramid = page.get_by_role("navigation", name="The tiers of Building Blocks Competency Model")
    tier3 = pyramid.get_by_role("link", name="Tier 3: Workplace Competencies")
    tier3.focus()
    expect(tier3).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/frameworks/building-blocks/tiers/3/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tier 3: Workplace Competencies")
    assert_accessible(page)

    page.get_by_role("link", name="3.1 Teamwork").first.click()
    expect(page).to_have_url(re.compile(r"/frameworks/building-blocks/competencies/3\.1/$"))
    expect(page.locator("p.definition")).to_have_text(
        "Working cooperatively with others to complete work assignments."
    )
    assert_accessible(page)

    page.get_by_role("link", name="Search", exact=True).click()
    box = page.get_by_label("Search frameworks, competencies and key behaviors")
    box.fill("conflict")
    # Typing updates the results in place (HTMX) without a full page load.
    expect(page.locator("#hits-heading")).to_contain_text("for “conflict”")
    expect(page.locator(".hits-list mark").first).to_have_text(re.compile("conflict", re.I))
    expect(page).to_have_url(re.compile(r"/search/\?q=conflict"))
    assert_accessible(page)


def test_search_works_without_javascript(browser, live_server, reference):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/search/")
    page.get_by_label("Search frameworks, competencies and key behaviors").fill("teamwork")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#hits-heading")).to_contain_text("for “teamwork”")
    page.get_by_role("link", name="Tier 3", exact=True).click()
    expect(page).to_have_url(re.compile(r"tier=3"))
    expect(page.locator(".hit").first).to_contain_text("Teamwork")
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/frameworks/",
        "/frameworks/building-blocks/",
        "/frameworks/energy-cewd/",
        "/frameworks/aerospace/",
        "/accounts/login/",
        "/no-such-page/",
    ],
)
def test_pages_have_no_accessibility_violations(page: Page, live_server, reference, path):
    page.goto(live_server.url + path)
    expect(page.locator("main h1")).to_be_visible()
    assert_accessible(page)


def test_framework_filters_update_the_list(page: Page, live_server, reference):
    page.goto(live_server.url + "/frameworks/")
    page.get_by_label("Kind").select_option("sector")
    expect(page.locator(".count-line")).to_have_text("1 framework")
    expect(page.locator("table.frameworks tbody")).to_contain_text("Automation Competency Model")
    expect(page).to_have_url(re.compile(r"kind=sector"))


PAGES_AT_320 = [
    "/",
    "/frameworks/",
    "/frameworks/building-blocks/",
    "/frameworks/building-blocks/tiers/1/",
    "/frameworks/building-blocks/competencies/3.1/",
    "/frameworks/building-blocks/versions/",
    "/frameworks/energy-cewd/",
    "/frameworks/aerospace/",
    "/search/?q=teamwork",
    "/accounts/login/",
    "/accounts/signup/",
    "/occupations/",
    "/occupations/commonality/",
    "/lattices/",
    "/resources/",
    "/resources/models-in-action/",
    "/credentials/",
    "/pathways/",
    "/endorsements/",
    "/esco/",
]


def test_no_page_scrolls_sideways_at_320_pixels(browser, live_server, reference):
    """WCAG 1.4.10 (reflow): at 320 CSS pixels wide, nothing makes a page scroll sideways."""
    page = browser.new_page(viewport={"width": 320, "height": 800})
    wide = {}
    for path in PAGES_AT_320:
        assert page.goto(live_server.url + path).status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide[path] = width
    page.close()
    assert wide == {}
