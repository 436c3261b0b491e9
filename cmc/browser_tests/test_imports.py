"""Importing a model from a file in a real browser: from the framework list to the upload, the
preview, and the progress page, which follows the background import until the model is
written; axe-core runs on every page of the flow."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from cmc.factories import UserFactory, welding_tree
from cmc.frameworks.models import Framework
from cmc.interchange import formats
from cmc.interchange.models import PendingImport
from cmc.interchange.uploads import finish_upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

axe = Axe()
PASSWORD = "a long and unusual passphrase"


def assert_accessible(page: Page) -> None:
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()


def test_a_csv_is_previewed_imported_in_the_background_and_followed(
    page: Page, live_server, settings, tmp_path
):
    # No worker runs here: the test does the worker's turn while the page waits.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    user = UserFactory(username="ima")
    user.set_password(PASSWORD)
    user.save()
    file = tmp_path / "welding.csv"
    file.write_bytes(formats.write(welding_tree(), "csv"))

    page.goto(f"{live_server.url}/accounts/login/?next=/frameworks/")
    page.get_by_label("User name").fill("ima")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Import it").click()
    expect(page).to_have_url(f"{live_server.url}/imports/")
    assert_accessible(page)

    page.get_by_label("The file (.csv, .xlsx, .json or .jsonld)").set_input_files(str(file))
    page.get_by_role("button", name="Check and preview").click()
    expect(page.get_by_role("heading", level=2, name="Welding Model")).to_be_visible()
    expect(page.locator("main")).to_contain_text("2 tiers, 3 competencies, 4 key behaviors.")
    assert_accessible(page)

    page.get_by_role("button", name="Import").click()
    expect(page.locator("#upload-progress")).to_contain_text("Waiting for the background worker")
    assert_accessible(page)
    finish_upload(pending=PendingImport.objects.get())
    # The page asks every two seconds; once the import ends it loads the result itself.
    expect(page.get_by_role("link", name="open the framework")).to_be_visible(timeout=10_000)
    page.get_by_role("link", name="open the framework").click()
    expect(page).to_have_url(re.compile(r"/frameworks/welding/$"))
    assert Framework.objects.get().owner == user
