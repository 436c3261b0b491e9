"""The upload page and the API import the project's own formats (CSV, XLSX, JSON) as `cmc import`
does: told from the file, checked whole, previewed, then written in the background as the
uploader's own model."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cmc.accounts.services import create_api_token
from cmc.core.actors import SYSTEM
from cmc.factories import UserFactory, welding_tree
from cmc.frameworks.models import Framework
from cmc.frameworks.services import save_framework_tree
from cmc.interchange import formats
from cmc.interchange.models import PendingImport

from .conftest import shared

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
HEADER = (
    "framework,tier number,tier name,competency code,competency name,definition,"
    "behavior title,behavior text\n"
)


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = IMMEDIATE


def post(client, name: str, data: bytes):
    return client.post("/imports/", {"file": SimpleUploadedFile(name, data)})


def confirm(client, location: str, capture):
    with capture(execute=True):
        return client.post(location)


@pytest.fixture
def person(client):
    user = UserFactory(username="ima")
    client.force_login(user)
    return user


def test_a_csv_is_previewed_then_imported_as_the_uploaders_private_model(
    client, person, django_capture_on_commit_callbacks
):
    data = formats.write(welding_tree(), "csv")
    response = post(client, "welding.csv", data)
    pending = PendingImport.objects.get()
    location = f"/imports/{pending.identifier}/"
    assert response.status_code == 302 and response["Location"] == location
    preview = client.get(location)
    text = preview.content.decode()
    assert preview.status_code == 200
    assert "welding.csv (CSV table of a framework) is valid and holds 1 framework." in text
    assert '<h2 id="framework-1">Welding Model</h2>' in text
    assert "A new framework, private to you." in text
    assert "2 tiers, 3 competencies, 4 key behaviors." in text
    assert '<th scope="row">1</th><td>Personal Effectiveness</td><td class="num">2</td><td class="num">3</td>' in text  # fmt: skip
    assert "<strong>1.1 Teamwork</strong> (tier 1, 2 key behaviors): “Sharing tools with the crew”" in text  # fmt: skip
    assert Framework.objects.count() == 0  # nothing before it is confirmed

    done = confirm(client, location, django_capture_on_commit_callbacks)
    assert done.status_code == 302 and done["Location"] == location
    framework = Framework.objects.get()
    assert (framework.slug, framework.owner, framework.visibility) == ("welding", person, "private")
    assert framework.competencies.count() == 3
    status = client.get(location).content.decode()
    assert 'Imported: <a href="/frameworks/welding/">open the framework</a>.' in status
    assert "  key behaviors: 4 new, 0 changed, 0 removed, 0 unchanged" in status
    pending.refresh_from_db()
    assert (pending.state, pending.data, pending.stage) == ("done", b"", "")


@pytest.mark.parametrize("fmt", ["xlsx", "json"])
def test_xlsx_and_json_are_told_from_the_file(
    client, person, fmt, django_capture_on_commit_callbacks
):
    response = post(client, f"model.{fmt}", formats.write(welding_tree(slug="mine"), fmt))
    label = {"xlsx": "XLSX workbook of a framework", "json": "JSON export of a framework"}
    assert (
        f"model.{fmt} ({label[fmt]}) is valid and holds 1 framework."
        in client.get(response["Location"]).content.decode()
    )
    confirm(client, response["Location"], django_capture_on_commit_callbacks)
    assert Framework.objects.get().slug == "mine"


def test_every_problem_is_named_by_row_and_column_and_nothing_is_kept(client, person):
    data = (HEADER + "Bad,1,Tier,1.1,,,,Sharing\nBad,x,Tier,1.2,Helping,,,Helping\n").encode()
    response = post(client, "bad.csv", data)
    text = response.content.decode()
    assert response.status_code == 422
    assert "The file was not imported; nothing was saved" in text
    assert "<li>bad.csv, row 3, tier number: &#x27;x&#x27; is not a whole number; use 1 to 99</li>" in text  # fmt: skip
    assert "<li>bad.csv, row 2, competency name: is empty; name the competency</li>" in text
    assert PendingImport.objects.count() == 0 and Framework.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "model.pdf",
            b"%PDF-1.7 ...",
            "model.pdf, file: is a PDF document, not a framework file; use a .csv, .xlsx, .json or .jsonld file",
        ),  # fmt: skip
        (
            "model.docx",
            b"PK\x03\x04rest",
            "model.docx, file: is a ZIP archive (a workbook or document), not a text file; a workbook imports as .xlsx",
        ),  # fmt: skip
        (
            "model.csv",
            b"PK\x03\x04rest",
            "model.csv, file: is a ZIP archive (a workbook or document), not a text file; a workbook imports as .xlsx",
        ),  # fmt: skip
        (
            "model.xlsx",
            b"framework,tier number\n",
            "model.xlsx, file: is not an XLSX workbook (it does not open as one); save it from your spreadsheet program as an Excel workbook (.xlsx)",
        ),  # fmt: skip
        (
            "model.txt",
            b"framework\n",
            "model.txt, file: has an unknown ending; use a .csv, .xlsx, .json or .jsonld file",
        ),  # fmt: skip
        (
            "model.json",
            b'{"name": "x"}',
            'model.json, file: is JSON but no framework this site reads: a framework exported from here has "format": "cmc-framework", a CASE package a "CFDocument", a CTDL-ASN framework an "@graph"',
        ),  # fmt: skip
        (
            "model.json",
            b"[1, 2",
            "model.json, line 1, column 6: is not valid JSON (Expecting &#x27;,&#x27; delimiter)",
        ),  # fmt: skip
        ("empty.csv", b"", "empty.csv, file: is empty"),
    ],
)
def test_a_file_of_another_kind_is_refused_saying_what_it_is(client, person, name, data, message):
    response = post(client, name, data)
    assert response.status_code == 422
    text = response.content.decode()
    assert message.replace('"', "&quot;") in text
    assert PendingImport.objects.count() == 0


def test_a_model_the_uploader_may_not_change_becomes_a_copy_of_their_own(
    client, person, django_capture_on_commit_callbacks
):
    original = save_framework_tree(tree=welding_tree(), where="t", actor=SYSTEM,
                                   visibility="public").framework  # fmt: skip
    export = client.get("/frameworks/welding/download.csv").content  # with every identifier
    location = post(client, "welding.csv", export)["Location"]
    text = client.get(location).content.decode()
    assert "The file names “Welding Model”, which you may not change: it becomes a new framework of your own." in text  # fmt: skip
    confirm(client, location, django_capture_on_commit_callbacks)
    copy = Framework.objects.exclude(pk=original.pk).get()
    assert (copy.slug, copy.owner, copy.visibility) == ("welding-model", person, "private")
    assert copy.identifier != original.identifier
    assert copy.competencies.count() == 3 and original.competencies.count() == 3
    assert original.owner is None and original.visibility == "public"


def test_the_uploaders_own_model_is_updated_in_place(
    client, person, django_capture_on_commit_callbacks
):
    mine = save_framework_tree(tree=welding_tree(slug="mine"), where="t", actor=person).framework
    export = client.get("/frameworks/mine/download.csv").content.decode()
    changed = export.replace("Sharing tools with the crew", "Sharing tools with the whole crew")
    location = post(client, "mine.csv", changed.encode())["Location"]
    text = client.get(location).content.decode()
    assert 'Updates your framework <a href="/frameworks/mine/">mine</a> to match the file' in text
    confirm(client, location, django_capture_on_commit_callbacks)
    assert Framework.objects.get() == mine
    assert (
        mine.competencies.get(code="1.1")
        .behaviors.filter(text="Sharing tools with the whole crew")
        .exists()
    )
    assert (
        "  key behaviors: 0 new, 1 changed, 0 removed, 3 unchanged"
        in client.get(location).content.decode()
    )


def test_a_problem_met_only_when_writing_is_shown_on_the_preview(
    client, person, django_capture_on_commit_callbacks
):
    welding = save_framework_tree(tree=welding_tree(), where="t", actor=SYSTEM,
                                  visibility="public").framework  # fmt: skip
    export = client.get("/frameworks/welding/download.csv").content.decode()
    # A new model made from an export, with the other model's item identifiers left in.
    renamed = (
        export.replace("Welding Model", "My Welding")
        .replace(",welding,", ",my-welding,")
        .replace(str(welding.identifier), "")
    )
    location = post(client, "mine.csv", renamed.encode())["Location"]
    confirm(client, location, django_capture_on_commit_callbacks)
    page = client.get(location)
    assert page.status_code == 422
    text = page.content.decode()
    assert "mine.csv, row 2, tier identifier: &#x27;" in text
    assert "belongs to a tier of the framework &#x27;welding&#x27;; leave it empty to make a new tier" in text  # fmt: skip
    assert Framework.objects.count() == 1
    assert PendingImport.objects.get().state == "failed"


def test_the_progress_page_polls_until_the_import_ends(client, person, settings):
    settings.TASKS = DUMMY
    location = post(client, "welding.csv", formats.write(welding_tree(), "csv"))["Location"]
    client.post(location)
    pending = PendingImport.objects.get()
    assert pending.state == "queued"
    page = client.get(location).content.decode()
    assert f'hx-get="{location}" hx-trigger="every 2s"' in page
    assert "Waiting for the background worker to start it." in page
    PendingImport.objects.filter(pk=pending.pk).update(stage="Reading the rows", done=1200)
    poll = client.get(location, headers={"HX-Request": "true"}).content.decode()
    assert '<p class="upload-stage">Reading the rows: 1,200 so far</p>' in poll
    assert Framework.objects.count() == 0

    from cmc.interchange.uploads import finish_upload

    finish_upload(pending=pending)  # the worker's turn
    ended = client.get(location, headers={"HX-Request": "true"})
    assert ended.status_code == 200 and ended["HX-Refresh"] == "true"
    assert Framework.objects.get().slug == "welding"


def test_the_pages_that_list_models_link_to_the_import(client, person):
    for page in ("/frameworks/", "/frameworks/build/"):
        assert 'href="/imports/"' in client.get(page).content.decode(), page


def api(client, user, fmt: str, name: str, data: bytes, query: str = ""):
    token = create_api_token(user=user, name="t")[1]
    return client.post(f"/api/v1/imports/{fmt}{query}", {"file": SimpleUploadedFile(name, data)},
                       HTTP_AUTHORIZATION=f"Bearer {token}")  # fmt: skip


def test_the_api_queues_a_csv_and_its_status_gives_the_framework(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        answer = api(client, user, "csv", "welding.csv", formats.write(welding_tree(), "csv"))
    assert answer.status_code == 202 and answer.json()["state"] == "queued"
    client.force_login(user)  # the session may read the status too
    body = client.get(answer.json()["status_url"]).json()
    assert (body["state"], body["framework"], body["levels"]) == ("done", "welding", [])
    assert body["frameworks"][0] | {"name": ""} == {
        "slug": "welding", "name": "", "created": True, "dry_run": False, "tiers": 2,
        "competencies": 3, "behaviors": 4, "links": 0,
    }  # fmt: skip
    assert Framework.objects.get().owner == user


def test_the_api_dry_run_writes_nothing(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        answer = api(client, user, "json", "w.json", formats.write(welding_tree(), "json"),
                     "?dry_run=true")  # fmt: skip
    body = client.get(answer.json()["status_url"], HTTP_AUTHORIZATION=answer.request["HTTP_AUTHORIZATION"]).json()  # fmt: skip
    assert (body["state"], body["framework"], body["frameworks"][0]["dry_run"]) == (
        "done",
        None,
        True,
    )
    assert "Welding Model (welding) would be created" in body["summary"]
    assert Framework.objects.count() == 0


def test_the_api_refuses_at_once_what_is_quick_to_find(client):
    user = UserFactory()
    wrong = api(client, user, "ctdl", "smart.json", shared("case", "examples", "SmartLevelFramework.json").read_bytes())  # fmt: skip
    assert wrong.status_code == 422
    assert wrong.json()["errors"] == [{
        "where": "smart.json", "field": "file",
        "message": "is a CASE package, not a CTDL-ASN framework; send it as case",
    }]  # fmt: skip
    broken = api(client, user, "json", "b.json", b"{oops")
    assert broken.status_code == 422
    assert broken.json()["errors"] == [{
        "where": "b.json", "field": "line 1, column 2",
        "message": "is not valid JSON (Expecting property name enclosed in double quotes)",
    }]  # fmt: skip
    rows = api(client, user, "csv", "r.csv", (HEADER + "W,1,T,1.1,,,,x\n").encode())
    assert rows.status_code == 422
    assert rows.json()["errors"] == [
        {
            "where": "r.csv, row 2",
            "field": "competency name",
            "message": "is empty; name the competency",
        },
    ]
    assert PendingImport.objects.count() == 0 and Framework.objects.count() == 0


def test_the_task_reports_each_stage_and_its_rows(settings, client, person, monkeypatch):
    from cmc.core import uploads
    from cmc.interchange.uploads import finish_upload, queue_upload

    settings.TASKS = DUMMY
    told = []
    original = uploads.RowProgress.__call__

    def record(self, stage, done=0, total=None):
        told.append((stage, done))
        original(self, stage, done, total)

    monkeypatch.setattr(uploads.RowProgress, "__call__", record)
    rows = [HEADER] + [f"Big,1,Tier,1.{n},Competency {n},,,Behavior {n}\n" for n in range(1, 301)]
    post(client, "big.csv", "".join(rows).encode())
    pending = PendingImport.objects.get()
    queue_upload(actor=person, pending=pending)
    pending.refresh_from_db()
    finish_upload(pending=pending)
    assert told[0] == ("Reading the rows", 0)
    assert told[-2] == ("Reading the rows", 301)  # the header is row 1
    assert told[-1] == ("Writing 1 framework (300 key behaviors)", 0)
    assert len(told) == 1 + 300 + 1  # rows 2 to 301, between the two stages
    pending.refresh_from_db()
    assert (pending.state, pending.stage) == ("done", "")
    assert Framework.objects.get().competencies.count() == 300


def test_the_api_makes_new_frameworks_public_when_asked_but_not_those_it_updates(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory()
    existing = save_framework_tree(tree=welding_tree(slug="kept"), where="t", actor=user).framework  # fmt: skip
    data = (
        formats.write(welding_tree(slug="kept"), "csv")
        + formats.write(welding_tree(name="Fresh Model", slug="fresh"), "csv").split(b"\n", 1)[1]
    )  # two frameworks in one file: one header
    with django_capture_on_commit_callbacks(execute=True):
        answer = api(client, user, "csv", "two.csv", data, "?public=true")
    assert answer.status_code == 202
    fresh = Framework.objects.get(slug="fresh")
    existing.refresh_from_db()
    assert (fresh.owner, fresh.visibility) == (user, "public")
    assert existing.visibility == "private"


def test_a_model_the_uploader_may_not_see_is_not_named_and_stays_as_it_was(
    client, person, django_capture_on_commit_callbacks
):
    someone = UserFactory(username="someone")
    theirs = save_framework_tree(tree=welding_tree(name="Secret Plan"), where="t",
                                 actor=someone).framework  # fmt: skip
    location = post(client, "welding.csv", formats.write(welding_tree(), "csv"))["Location"]
    text = client.get(location).content.decode()
    assert "The file names a framework, which you may not change: it becomes a new framework of your own." in text  # fmt: skip
    assert "Secret Plan" not in text
    confirm(client, location, django_capture_on_commit_callbacks)
    mine = Framework.objects.get(owner=person)
    assert (mine.slug, mine.visibility) == ("welding-model", "private")
    theirs.refresh_from_db()
    assert (theirs.name, theirs.slug, theirs.owner) == ("Secret Plan", "welding", someone)


def test_only_the_uploader_reads_an_imports_status(client, django_capture_on_commit_callbacks):
    owner, other = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        answer = api(client, owner, "csv", "welding.csv", formats.write(welding_tree(), "csv"))
    status_url = answer.json()["status_url"]
    token = create_api_token(user=other, name="t")[1]
    assert client.get(status_url, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 404
    client.logout()
    assert client.get(status_url).status_code == 401
