"""Importing a file of resources: the page holds it and the import runs in the background
(every row checked, then all written or none), streamed, with its progress shown; the command
line runs the same import."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from cmc.core.actors import SYSTEM
from cmc.core.errors import InvalidInput, Problem
from cmc.factories import UserFactory
from cmc.frameworks.models import Alignment
from cmc.resources import importing, tabular
from cmc.resources.models import Resource, ResourceImport

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = IMMEDIATE


def upload(client, name: str, data: bytes, capture, **fields):
    with capture(execute=True):
        return client.post("/resources/import/", {"file": SimpleUploadedFile(name, data), **fields})


def test_the_page_imports_in_the_background_and_lists_what_it_wrote(
    client, welding, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    data = b"kind,title,alignments\ncurriculum,Good,welding:2\ntool,Better,welding:1:1.1\n"
    response = upload(client, "resources.csv", data, django_capture_on_commit_callbacks,
                      publish="on")  # fmt: skip
    held = ResourceImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/resources/import/{held.identifier}/"
    page = client.get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200
    assert "2 resources imported, published." in text
    good = Resource.objects.get(title="Good")
    assert f'<a href="/resources/{good.identifier}/">Good</a>' in text
    assert {r.status for r in Resource.objects.all()} == {"published"}
    assert Alignment.objects.filter(scheme="resource").count() == 2
    held.refresh_from_db()
    assert (held.state, held.written, held.data, held.owner) == ("done", 2, b"", staff)


def test_every_problem_is_named_by_row_and_column_and_nothing_is_written(
    client, welding, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    data = (b"kind,title,url,states,alignments\ncurriculum,Good,https://example.org,WA,welding\n"
            b"tool,Bad,example.org,QQ,welding:7\nguide,,,,\n")  # fmt: skip
    location = upload(client, "resources.csv", data, django_capture_on_commit_callbacks)["Location"]  # fmt: skip
    page = client.get(location)
    text = page.content.decode()
    assert page.status_code == 422
    assert "The file was not imported; nothing was written" in text
    for line in (
        "resources.csv, row 3, url: &#x27;example.org&#x27; is not a web address (http:// or https://)",  # fmt: skip
        "resources.csv, row 3, states: &#x27;QQ&#x27; is not a U.S. state code (two letters, such as WA or DC)",  # fmt: skip
        "resources.csv, row 3, alignments: the framework &#x27;welding&#x27; has no tier 7",
        "resources.csv, row 4, title: is required",
    ):
        assert f"<li>{line}</li>" in text, line
    assert '<input type="file" name="file"' in text  # the form, to send the mended file
    assert Resource.objects.count() == 0
    assert ResourceImport.objects.get().state == "failed"


def test_a_file_of_more_than_a_thousand_rows_is_imported_from_the_page(
    client, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    rows = "".join(f"guide,Guide {n}\n" for n in range(1, 1201))
    location = upload(client, "many.csv", f"kind,title\n{rows}".encode(),
                      django_capture_on_commit_callbacks)["Location"]  # fmt: skip
    text = client.get(location).content.decode()
    assert "1,200 resources imported, waiting for moderation." in text
    assert "The first 20 are listed" in text
    assert Resource.objects.filter(status="pending").count() == 1200


def test_the_project_limits_still_hold(client, staff, settings, django_capture_on_commit_callbacks):
    settings.CMC_MAX_IMPORT_ROWS = 3  # the header and two resources
    client.force_login(staff)
    location = upload(client, "three.csv", b"kind,title\nguide,A\nguide,B\nguide,C\n",
                      django_capture_on_commit_callbacks)["Location"]  # fmt: skip
    assert (
        "three.csv, row 4, file: is past the limit of 3 rows; split it into smaller files, or "
        "import it with cmc import-resources --trusted"
    ) in client.get(location).content.decode()
    assert Resource.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("r.pdf", b"%PDF", "r.pdf, file: is not a .csv or .xlsx file"),
        (
            "r.csv",
            b"PK\x03\x04rest",
            "r.csv, file: is a workbook (XLSX), not CSV text; name it .xlsx, or save it as CSV UTF-8",
        ),  # fmt: skip
        ("r.xlsx", b"kind,title\n", "r.xlsx, file: is not an XLSX workbook"),
        (
            "r.csv",
            b"name,link\nA,B\n",
            "r.csv, row 1, kind: is a required column; start from the template",
        ),  # fmt: skip
        ("r.csv", b"kind,title\xff\n", "r.csv, file: is not UTF-8 text (bad byte 0xff on line 1)"),
    ],
)
def test_a_file_that_is_no_file_of_resources_is_refused_at_once(
    client, staff, name, data, message, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    page = upload(client, name, data, django_capture_on_commit_callbacks)
    assert page.status_code == 422
    assert message in page.content.decode()
    assert ResourceImport.objects.count() == 0


def test_the_progress_page_polls_until_the_import_ends(client, staff, settings):
    settings.TASKS = DUMMY
    client.force_login(staff)
    page = client.post("/resources/import/", {"file": SimpleUploadedFile("r.csv", b"kind,title\nguide,A\n")})  # fmt: skip
    location = page["Location"]
    held = ResourceImport.objects.get()
    text = client.get(location).content.decode()
    assert f'hx-get="{location}" hx-trigger="every 2s"' in text
    assert "Waiting for the background worker to start it." in text
    ResourceImport.objects.filter(pk=held.pk).update(stage="Writing 10 resources", done=4, total=10)  # fmt: skip
    poll = client.get(location, headers={"HX-Request": "true"}).content.decode()
    assert '<p class="upload-stage">Writing 10 resources: 4 of 10</p>' in poll
    assert '<progress class="upload-bar" max="100" value="40"' in poll
    held.refresh_from_db()
    importing.finish_import(held=held)  # the worker's turn
    ended = client.get(location, headers={"HX-Request": "true"})
    assert ended["HX-Refresh"] == "true"
    assert Resource.objects.get().title == "A"


def test_an_import_is_its_owners_and_for_staff_only(client, staff, settings):
    settings.TASKS = DUMMY
    client.force_login(staff)
    location = client.post(
        "/resources/import/", {"file": SimpleUploadedFile("r.csv", b"kind,title\nguide,A\n")}
    )["Location"]
    client.force_login(UserFactory(username="other-staff", is_staff=True))
    assert client.get(location).status_code == 404
    client.force_login(UserFactory(username="someone"))
    assert client.get(location).status_code == 302  # to the staff sign-in
    assert client.post("/resources/import/", {"file": SimpleUploadedFile("r.csv", b"kind,title\n")}).status_code == 302  # fmt: skip
    assert ResourceImport.objects.count() == 1


def test_the_import_checks_every_row_then_writes_them_streaming_the_file_twice(welding):
    told = []
    data = b"kind,title,alignments\nguide,A,welding\nguide,B,welding:1\ntool,C,\n"
    imported = importing.import_file(
        actor=SYSTEM, handle=io.BytesIO(data), name="r.csv", size=len(data), publish=True,
        progress=lambda stage, done=0, total=None: told.append((stage, done, total)),
    )  # fmt: skip
    assert told == [
        ("Checking the rows", 0, None), ("Checking the rows", 1, None),
        ("Checking the rows", 2, None), ("Checking the rows", 3, None),
        ("Writing 3 resources", 0, None), ("Writing 3 resources", 1, 3),
        ("Writing 3 resources", 2, 3), ("Writing 3 resources", 3, 3),
    ]  # fmt: skip
    assert imported.count == 3 and [r.title for r in imported.first] == ["A", "B", "C"]


def test_a_framework_gone_between_the_check_and_the_write_writes_nothing(welding, monkeypatch):
    data = b"kind,title,alignments\nguide,A,welding\nguide,B,welding:1\n"
    checked = importing._check

    def check_then_lose_it(*args):
        count = checked(*args)
        welding.framework.delete()
        return count

    monkeypatch.setattr(importing, "_check", check_then_lose_it)
    with pytest.raises(InvalidInput) as caught:
        importing.import_file(actor=SYSTEM, handle=io.BytesIO(data), name="r.csv",
                              size=len(data), publish=True)  # fmt: skip
    assert caught.value.problems == [
        Problem("r.csv, row 2", "alignments", "no framework 'welding'")
    ]
    assert Resource.objects.count() == 0


def test_too_many_problems_stop_the_check(db):
    rows = "".join("nope,\n" for _ in range(150))
    data = f"kind,title\n{rows}".encode()
    with pytest.raises(InvalidInput) as caught:
        importing.import_file(actor=SYSTEM, handle=io.BytesIO(data), name="r.csv",
                              size=len(data), publish=False)  # fmt: skip
    problems = caught.value.problems
    assert len(problems) == 201
    assert str(problems[-1]) == ("r.csv, row 101, file: 200 problems so far; the rest of the "
                                 "file was not checked: mend these and import it again")  # fmt: skip


def test_an_xlsx_filled_in_from_the_template_imports_in_the_background(
    client, welding, staff, django_capture_on_commit_callbacks
):
    book = load_workbook(io.BytesIO(tabular.template("xlsx")))
    out = io.BytesIO()
    book.save(out)
    client.force_login(staff)
    location = upload(client, "filled.xlsx", out.getvalue(),
                      django_capture_on_commit_callbacks)["Location"]  # fmt: skip
    page = client.get(location)
    # The template's example names the energy model, which this test has not loaded.
    assert "filled.xlsx, row 2, alignments: no framework &#x27;energy-cewd&#x27;" in page.content.decode()  # fmt: skip
    book.worksheets[0]["M2"] = "welding:1"
    out = io.BytesIO()
    book.save(out)
    location = upload(client, "filled.xlsx", out.getvalue(),
                      django_capture_on_commit_callbacks)["Location"]  # fmt: skip
    assert "1 resource imported, waiting for moderation." in client.get(location).content.decode()
    assert Resource.objects.get().title == "Example: Energy industry fundamentals"
