"""Security headers: the Content-Security-Policy on every response, markup that needs nothing
inline, the API docs served from our own static files, private caching for signed-in users."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from cmc.factories import UserFactory

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
TEMPLATES = Path(settings.BASE_DIR) / "cmc" / "templates"
# Rendered into PDF on the server, never served to a browser.
# Templates that only WeasyPrint reads (PDFs), never served to a browser.
NOT_SERVED = {"review/report_print.html", "ladders/print.html"}
# A <script type="application/json"> holds data (the API docs' settings): nothing runs it.
INLINE = re.compile(
    r"<script(?![^>]*\s(?:src=|type=\"application/json\"))[^>]*>|<style|\sstyle=|\son[a-z]+=|javascript:",
    re.I,
)


@pytest.mark.parametrize(
    "path", ["/", "/frameworks/", "/accounts/login/", "/api/v1/frameworks", "/api/v1/docs"]
)
def test_every_response_carries_the_policy(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == POLICY


def test_refusals_at_the_edge_carry_the_policy_too(client):
    response = client.get("/api/v1/frameworks?q=%00")

    assert (response.status_code, response["Content-Security-Policy"]) == (422, POLICY)


def test_no_served_template_has_inline_script_style_or_handlers():
    found = {
        str(path.relative_to(TEMPLATES)): INLINE.findall(path.read_text())
        for path in TEMPLATES.rglob("*.html")
        if str(path.relative_to(TEMPLATES)) not in NOT_SERVED
    }

    assert {name: hits for name, hits in found.items() if hits} == {}


def test_the_api_docs_load_swagger_ui_from_our_static_files(client):
    page = client.get("/api/v1/docs").content.decode()

    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets == [
        "/static/ninja/swagger-ui.css",
        "/static/css/api-docs.css",
        "/static/ninja/favicon.svg",
        "/static/ninja/favicon.png",
        "/static/ninja/swagger-ui-bundle.js",
        "/static/ninja/swagger-ui-init.js",
    ]
    assert [a for a in assets if not finders.find(a.removeprefix("/static/"))] == []
    assert re.findall(r"<script>", page) == []


def test_pages_for_a_signed_in_user_are_private(client):
    anonymous = client.get("/frameworks/")
    client.force_login(UserFactory())
    signed_in = client.get("/frameworks/")

    assert anonymous.has_header("Cache-Control") is False
    assert signed_in["Cache-Control"] == "private"


def test_the_api_docs_and_the_admin_sign_in_have_a_language_a_main_and_a_heading(client):
    from lxml import html

    docs = html.fromstring(client.get("/api/v1/docs").content)
    assert docs.get("lang") == "en"
    assert len(docs.xpath("//main")) == 1
    assert [h.text_content() for h in docs.xpath("//h1")] == [
        "Competency Model Clearinghouse API: the API's reference"
    ]
    assert docs.xpath("//main//*[@id='swagger-ui']")

    admin = html.fromstring(client.get("/admin/login/").content)
    assert [h.text_content() for h in admin.xpath("//h1")] == ["Log in"]
    assert len(admin.xpath("//main")) == 1
