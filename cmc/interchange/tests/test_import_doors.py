"""The doors onto CASE and CTDL-ASN imports and exports: the upload page with its preview,
the API routes, the commands and the download menu."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cmc.accounts.services import create_api_token
from cmc.factories import UserFactory, welding_tree
from cmc.frameworks.models import Framework
from cmc.frameworks.services import save_framework_tree
from cmc.interchange.models import PendingImport

from .conftest import shared

pytestmark = pytest.mark.django_db
SMART = ("case", "examples", "SmartLevelFramework.json")
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = IMMEDIATE


ONET = ("ctdl", "ONET Basic Skills Competency Framework 9-27-19.json")


def upload(client, parts, fmt="case", name=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    path = shared(*parts)
    file = SimpleUploadedFile(name or path.name, path.read_bytes(), "application/json")
    return client.post("/imports/", {"format": fmt, "file": file})


def test_the_upload_page_asks_anonymous_people_to_sign_in(client):
    response = client.get("/imports/")
    assert response.status_code == 200
    assert "Sign in</a> to import a framework" in response.content.decode()
    assert upload(client, SMART).status_code == 302
    assert PendingImport.objects.count() == 0


def test_upload_preview_choose_and_confirm(client, django_capture_on_commit_callbacks):
    person = UserFactory(username="ima")
    client.force_login(person)
    response = upload(client, SMART)
    pending = PendingImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{pending.identifier}/"
    preview = client.get(response["Location"])
    text = preview.content.decode()
    assert preview.status_code == 200
    assert "SmartLevelFramework.json is a valid CASE package of 14 items." in text
    assert '<select id="role-1" name="role-1:">' in text
    assert '<option value="tier" selected>Tier</option>' in text
    assert Framework.objects.count() == 0  # nothing yet

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(response["Location"], {"role-1:": "competency", "role-2:": "behavior"})
    assert done.status_code == 302 and done["Location"] == response["Location"]
    framework = Framework.objects.get()
    assert (framework.owner, framework.visibility) == (person, "private")
    assert [c.code for c in framework.competencies.order_by("position")] == ["1.1", "1.2"]
    assert framework.competencies.get(code="1.1").behaviors.count() == 10
    status = client.get(done["Location"]).content.decode()
    assert f'Imported: <a href="/frameworks/{framework.slug}/">open the framework</a>.' in status
    assert "  key behaviors: 12 new, 0 changed, 0 removed, 0 unchanged" in status
    assert PendingImport.objects.get().state == "done"


def test_a_mapping_that_cannot_place_the_items_is_shown_and_nothing_saved(
    client, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory())
    location = upload(client, SMART)["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(location, {"role-1:": "behavior", "role-2:": "behavior"})
    response = client.get(location)
    assert response.status_code == 422
    text = response.content.decode()
    assert ("SmartLevelFramework.json, CFItems[0], level: is chosen as a key behavior but has no "
            "competency above it") in text  # fmt: skip
    assert '<option value="behavior" selected>Key behavior</option>' in text
    assert Framework.objects.count() == 0 and PendingImport.objects.get().state == "failed"
    with django_capture_on_commit_callbacks(execute=True):  # chosen again: imported
        client.post(location, {"role-1:": "tier", "role-2:": "competency"})
    assert Framework.objects.get().tiers.count() == 2


def test_a_queued_import_shows_that_it_runs(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.force_login(UserFactory())
    location = upload(client, SMART)["Location"]
    client.post(location, {"role-1:": "tier", "role-2:": "competency"})
    text = client.get(location).content.decode()
    assert f'hx-get="{location}" hx-trigger="every 2s"' in text
    assert "The file is being imported in the background." in text
    assert Framework.objects.count() == 0


def test_a_bad_file_is_refused_on_upload(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(UserFactory())
    file = SimpleUploadedFile("broken.json", b"{oops", "application/json")
    response = client.post("/imports/", {"format": "case", "file": file})
    assert response.status_code == 422
    assert ("broken.json, line 1, column 2: is not valid JSON (Expecting property name enclosed "
            "in double quotes)") in response.content.decode()  # fmt: skip
    assert PendingImport.objects.count() == 0


def test_someone_elses_upload_is_not_found(client):
    client.force_login(UserFactory(username="first"))
    location = upload(client, SMART)["Location"]
    client.force_login(UserFactory(username="second"))
    assert client.get(location).status_code == 404
    assert client.post(location, {}).status_code == 404
    assert Framework.objects.count() == 0


def test_the_ctdl_sample_imports_through_the_page_keeping_hierarchy_and_codes(
    client, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory())
    location = upload(client, ONET, fmt="ctdl")["Location"]
    assert "valid CTDL-ASN graph of 12 items" in client.get(location).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(location, {"public": "on"})
    framework = Framework.objects.get()
    assert framework.visibility == "public"
    tiers = [(t.number, t.name, [c.code for c in t.competencies.order_by("position")])
             for t in framework.tiers.order_by("position")]  # fmt: skip
    assert tiers == [
        (1, "Content", ["2.A.1.a", "2.A.1.b", "2.A.1.c", "2.A.1.d", "2.A.1.e", "2.A.1.f"]),
        (2, "Process", ["2.A.2.a", "2.A.2.b", "2.A.2.c", "2.A.2.d"]),
    ]


@pytest.mark.parametrize("who", ["token", "anonymous", "bad token"])
def test_the_api_queues_a_file_for_a_token_only_and_says_how_it_went(
    client, who, django_capture_on_commit_callbacks
):
    person = UserFactory(username="api")
    headers = {}
    if who == "token":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {create_api_token(user=person, name='t')[1]}"
    elif who == "bad token":
        headers["HTTP_AUTHORIZATION"] = "Bearer nope"
    with django_capture_on_commit_callbacks(execute=True), shared(*SMART).open("rb") as handle:
        response = client.post("/api/v1/imports/case?level=2=behavior&level=1=competency",
                               {"file": handle}, **headers)  # fmt: skip
        if who == "token":  # queued: the task runs once the request's work is committed
            assert Framework.objects.count() == 0
    if who != "token":
        assert response.status_code == 401
        assert Framework.objects.count() == 0 and PendingImport.objects.count() == 0
        return
    assert response.status_code == 202
    queued = response.json()
    pending = PendingImport.objects.get()
    status_url = f"/api/v1/imports/{pending.identifier}"
    assert {k: queued[k] for k in ("state", "framework", "status_url", "page", "format")} == {
        "state": "queued", "framework": None, "status_url": status_url,
        "page": f"/imports/{pending.identifier}/", "format": "case",
    }  # fmt: skip
    body = client.get(status_url, **headers).json()
    assert (body["state"], body["framework"], body["problems"]) == ("done", "smartlevel-test", [])
    assert body["frameworks"] == [{
        "slug": "smartlevel-test", "name": "SmartLevel Test", "created": True, "dry_run": False,
        "tiers": 1, "competencies": 2, "behaviors": 12, "links": 0,
    }]  # fmt: skip
    assert [(lv["depth"], lv["role"]) for lv in body["levels"]] == [
        (1, "competency"),
        (2, "behavior"),
    ]
    assert Framework.objects.get().owner == person


def test_the_status_of_an_import_is_its_owners_alone(client, django_capture_on_commit_callbacks):
    owner, other = UserFactory(username="owner"), UserFactory(username="other")
    token = {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=owner, name='t')[1]}"}
    with shared(*SMART).open("rb") as handle:
        url = client.post("/api/v1/imports/case", {"file": handle}, **token).json()["status_url"]
    assert client.get(url, **token).json()["state"] == "queued"  # no worker took it yet
    assert client.get(url).status_code == 401
    others = {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=other, name='t')[1]}"}
    assert client.get(url, **others).status_code == 404


def test_an_import_that_fails_in_the_background_names_every_problem(
    client, django_capture_on_commit_callbacks
):
    token = {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=UserFactory(), name='t')[1]}"}
    with django_capture_on_commit_callbacks(execute=True), shared(*SMART).open("rb") as handle:
        answer = client.post("/api/v1/imports/case?level=1=behavior", {"file": handle}, **token)
    assert answer.status_code == 202
    body = client.get(answer.json()["status_url"], **token).json()
    assert body["state"] == "failed" and body["framework"] is None
    assert body["problems"][0] == {
        "where": "SmartLevelFramework.json, CFItems[0]", "field": "level",
        "message": "is chosen as a key behavior but has no competency above it; choose "
        "competency or tier for a level above it",
    }  # fmt: skip
    assert Framework.objects.count() == 0


def test_the_api_names_the_problems_of_a_bad_package(client):
    person = UserFactory()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=person, name='t')[1]}"}
    package = json.loads(shared(*SMART).read_text())
    del package["CFItems"][3]["fullStatement"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("bad.json", json.dumps(package).encode())
    response = client.post("/api/v1/imports/case", {"file": file}, **headers)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "where": "bad.json",
            "field": "CFItems[3]",
            "message": "needs 'fullStatement' (CASE requires it)",
        }
    ]
    assert Framework.objects.count() == 0


@pytest.mark.parametrize(("fmt", "suffix", "kind"), [("case", "case.json", "application/json"),
                                                       ("ctdl", "ctdl.jsonld", "application/ld+json")])  # fmt: skip
def test_exports_in_case_and_ctdl_on_every_door(client, tmp_path, fmt, suffix, kind):
    save_framework_tree(tree=welding_tree(), where="t", visibility="public")
    page = client.get("/frameworks/welding/").content.decode()
    assert f'<a href="/frameworks/welding/download.{fmt}">' in page
    download = client.get(f"/frameworks/welding/download.{fmt}")
    api = client.get(f"/api/v1/frameworks/welding/export?format={fmt}")
    assert download.status_code == api.status_code == 200
    assert download["Content-Type"] == api["Content-Type"] == kind
    assert download["Content-Disposition"] == f'attachment; filename="welding.{suffix}"'
    call_command("export_framework", "welding", format=fmt, output=str(tmp_path / "out"))
    written = json.loads((tmp_path / "out").read_text())
    assert written == json.loads(download.content) == json.loads(api.content)


def test_the_commands_import_and_refuse(capsys):
    call_command(
        "import_case", str(shared(*SMART)), "--level", "2=behavior", "--level", "1=competency"
    )
    out = capsys.readouterr().out
    assert "SmartLevel Test (smartlevel-test) was created" in out
    assert "  key behaviors: 12 new, 0 changed, 0 removed, 0 unchanged" in out
    call_command("import_ctdl", str(shared(*ONET)), "--levels")
    assert capsys.readouterr().out.splitlines() == [
        'depth 1: 2 items, e.g. "Content" -> tier',
        'depth 2 (Skills): 10 items, e.g. "Reading Comprehension" -> competency',
    ]
    with pytest.raises(CommandError, match="--level 2=leaf: write DEPTH=ROLE"):
        call_command("import_case", str(shared(*SMART)), "--level", "2=leaf")
    assert Framework.objects.count() == 1
