"""Under the Content-Security-Policy, in a real browser: the API docs work from our own static
files (offline), HTMX and the page scripts run, and the browser reports no violation."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch(page: Page, site: str) -> dict[str, list[str]]:
    """What the page complained about and what it asked for outside the site."""
    seen: dict[str, list[str]] = {"violations": [], "off_site": []}
    page.on(
        "console",
        lambda message: (
            seen["violations"].append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.on(
        "request",
        lambda request: (
            seen["off_site"].append(request.url)
            if not request.url.startswith((site, "data:"))
            else None
        ),
    )
    return seen


def test_the_api_docs_work_offline_under_the_policy(page: Page, live_server):
    seen = watch(page, live_server.url)

    page.goto(live_server.url + "/api/v1/docs")

    # The document is made once per process; on a busy machine that first time takes seconds.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text(
        "Competency Model Clearinghouse API", timeout=20_000
    )
    expect(
        page.locator(".opblock-summary-path", has_text="/api/v1/frameworks/derive")
    ).to_have_count(1)
    assert seen == {"violations": [], "off_site": []}


def test_pages_run_their_scripts_under_the_policy(page: Page, live_server, reference):
    seen = watch(page, live_server.url)

    page.goto(live_server.url + "/frameworks/building-blocks/")
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    page.goto(live_server.url + "/search/")
    page.get_by_label("Search frameworks, competencies and key behaviors").fill("teamwork")
    expect(page.locator("#hits-heading")).to_contain_text("for “teamwork”")
    expect(page).to_have_url(re.compile(r"/search/\?q=teamwork"))

    assert seen == {"violations": [], "off_site": []}
