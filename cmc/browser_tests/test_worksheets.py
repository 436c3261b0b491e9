"""Worksheets in a real browser: a filled-in worksheet uploaded with what it is about, refused
first with the problem beside its field, then kept and shown on its own page; the results and
the gap. axe-core runs on each page, and none scrolls sideways at 320 pixels."""

import pytest
from playwright.sync_api import Page, expect

from cmc.analysis.tests import sheets
from cmc.analysis.tests.test_worksheet_results import workshop
from cmc.browser_tests.test_build import PASSWORD, assert_accessible, sign_in
from cmc.factories import UserFactory, loaded, welding_tree
from cmc.frameworks.services import save_framework_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_at_320(page: Page, url: str) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, url
    page.set_viewport_size({"width": 1280, "height": 800})


def test_a_worksheet_is_uploaded_shown_and_added_up(page: Page, live_server, tmp_path):
    owner = UserFactory(username="bea")
    owner.set_password(PASSWORD)
    owner.save()
    save_framework_tree(tree=welding_tree(), where="test", actor=owner, visibility="public")
    model = loaded("welding")
    workshop(model, owner)
    filled = tmp_path / "wld-110.xlsx"
    filled.write_bytes(sheets.xlsx(model, "curriculum", {"2.1": ["yes", "4"]}))

    sign_in(page, live_server.url, "/frameworks/welding/worksheets/")
    page.get_by_label("The file (.xlsx or .docx)").set_input_files(str(filled))
    page.locator("#id_course_hours").fill("lots")
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".error-summary")).to_contain_text("nothing was saved")
    expect(page.locator("#id_course_hours-error")).to_have_text(
        "Error: 'lots' is not a number of hours (0 or more)"
    )
    assert_accessible(page)

    page.get_by_label("The file (.xlsx or .docx)").set_input_files(str(filled))
    page.locator("#id_course").fill("WLD 110")
    page.locator("#id_course_hours").fill("30")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Curriculum analysis: wld-110.xlsx")
    expect(page.locator("dl.meta")).to_contain_text("WLD 110")
    assert_accessible(page)
    upload_page = page.url

    page.get_by_role("link", name="Results of the uploaded worksheets").click()
    expect(page.locator("#gap-heading")).to_have_text("The gap (0 of 3 competencies)")
    assert_accessible(page)
    page.get_by_label("Required at an importance of").fill("high")
    page.get_by_role("button", name="Show the gap at this threshold").click()
    expect(page.locator("#id_threshold-error")).to_contain_text("is not a number from 1 to 5")
    assert_accessible(page)

    for url in (upload_page, page.url, live_server.url + "/frameworks/welding/worksheets/"):
        fits_at_320(page, url)
