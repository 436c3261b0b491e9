"""Downloads of big models made in the background: the download link leads to a page that
follows the task and offers the file when it is ready, the API answers 202 with the address to
follow, the file is its reader's alone while they may see the model and for a day, and small
models (and `cmc export`) are sent at once as before. The tasks run at once (the immediate
backend) or are only recorded (the dummy one)."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import default_task_backend

from cmc.accounts.services import create_api_token
from cmc.core.actors import SYSTEM
from cmc.factories import UserFactory
from cmc.frameworks.documents import renders
from cmc.frameworks.models import Framework, RenderedExport
from cmc.frameworks.services import editing, publish_version, save_framework_tree
from cmc.frameworks.tests.builders import competency, people, shared_derived, welding
from cmc.frameworks.trees import BehaviorNode
from cmc.interchange import downloads, exports
from cmc.interchange.models import PreparedDownload

from .conftest import big_tree

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def big(settings):
    """Models of more than three key behaviors are big (the welding model has four)."""
    settings.CMC_BACKGROUND_DOWNLOAD_BEHAVIORS = 3
    settings.TASKS = IMMEDIATE


@pytest.fixture
def recorded(settings):
    """Tasks put on the queue are only recorded, never run."""
    settings.CMC_BACKGROUND_DOWNLOAD_BEHAVIORS = 3
    settings.TASKS = DUMMY
    default_task_backend.clear()
    yield default_task_backend.results
    default_task_backend.clear()


def ask(client, address: str, capture, **headers):
    """A download asked for, its task run once the request commits."""
    with capture(execute=True):
        return client.get(address, **headers)


def test_past_5000_key_behaviors_a_download_is_made_in_the_background(client, settings):
    settings.TASKS = DUMMY
    save_framework_tree(tree=big_tree(500, 10, slug="even"), where="test", visibility="public")
    tree = big_tree(500, 10, slug="over")
    tree.tiers[0].competencies[0].behaviors.append(BehaviorNode(text="One more"))
    save_framework_tree(tree=tree, where="test", visibility="public")

    at_once = client.get("/frameworks/even/download.csv")
    later = client.get("/frameworks/over/download.csv")
    api = client.get("/api/v1/frameworks/over/export?format=xlsx")

    assert at_once.status_code == 200 and at_once["Content-Type"] == "text/csv; charset=utf-8"
    made = PreparedDownload.objects.get(format="csv")
    assert later.status_code == 302
    assert later["Location"] == f"/frameworks/over/downloads/{made.identifier}/"
    assert api.status_code == 202 and api.json()["state"] == "queued"
    assert PreparedDownload.objects.count() == 2


def test_the_page_follows_the_file_and_offers_it_when_ready(
    client, big, django_capture_on_commit_callbacks
):
    who = people()
    framework = welding(who["owner"])
    client.force_login(who["owner"])

    answer = ask(client, "/frameworks/welding/download.csv", django_capture_on_commit_callbacks)

    made = PreparedDownload.objects.get()
    page = f"/frameworks/welding/downloads/{made.identifier}/"
    assert answer.status_code == 302 and answer["Location"] == page
    assert (made.state, made.reader, made.filename) == ("done", who["owner"], "welding.csv")
    text = " ".join(client.get(page).content.decode().split())
    assert (
        f'Your file is ready: <a href="{page}file" download>download welding.csv</a> '
        "(1.2 KB)."  # the non-breaking space read as a space
    ) in text
    file = client.get(f"{page}file")
    assert file.status_code == 200
    assert file["Content-Disposition"] == 'attachment; filename="welding.csv"'
    assert file.content == exports.export(framework, "csv", reader=who["owner"])
    assert made.size == len(file.content)


def test_asking_again_for_the_same_state_gives_the_same_file_and_a_change_a_new_one(
    client, recorded
):
    who = people()
    framework = welding(who["owner"])
    client.force_login(who["owner"])

    first = client.get("/frameworks/welding/download.json")
    again = client.get("/frameworks/welding/download.json")
    other_format = client.get("/frameworks/welding/download.xlsx")
    weld = competency(framework, "1.1")
    editing.update_competency(actor=who["owner"], competency=weld, name="Team welding",
                              definition="", revision=weld.revision)  # fmt: skip
    changed = client.get("/frameworks/welding/download.json")

    assert first["Location"] == again["Location"] != other_format["Location"]
    assert changed["Location"] != first["Location"]
    assert PreparedDownload.objects.count() == 3


def test_while_the_file_is_made_the_page_shows_how_far_it_has_got(
    client, recorded, django_capture_on_commit_callbacks
):
    who = people()
    welding(who["owner"])
    client.force_login(who["owner"])
    page = ask(client, "/frameworks/welding/download.xlsx", django_capture_on_commit_callbacks)
    page = page["Location"]
    made = PreparedDownload.objects.get()

    waiting = " ".join(client.get(page).content.decode().split())
    PreparedDownload.objects.filter(pk=made.pk).update(stage="Writing the rows", done=2, total=4)
    polled = client.get(page, HTTP_HX_REQUEST="true")
    early = client.get(f"{page}file")

    assert "its file is made in the background" in waiting
    assert "Waiting for the background worker to start it." in waiting
    text = polled.content.decode()
    assert '<p class="upload-stage">Writing the rows: 2 of 4</p>' in text
    assert 'value="50" aria-label="Written so far"' in text
    assert early.status_code == 302 and early["Location"] == page
    assert [r.task.name for r in recorded] == ["make_download"]
    PreparedDownload.objects.filter(pk=made.pk).update(state="done")
    done = client.get(page, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def test_the_task_reports_the_rows_it_writes(recorded, monkeypatch):
    who = people()
    framework = welding(who["owner"])
    made = downloads.prepare(framework=framework, fmt="csv", reader=who["owner"])
    reported = []

    class Recorder:
        def __init__(self, row):
            pass

        def __call__(self, stage, done=0, total=None):
            reported.append((stage, done, total))

    monkeypatch.setattr(downloads, "RowProgress", Recorder)
    downloads.finish(download=made)

    assert reported == [("Writing the rows", 0, None), ("Writing the rows", 0, 4),
                        ("Writing the rows", 4, 4)]  # fmt: skip
    made.refresh_from_db()
    assert (made.state, made.stage) == ("done", "")
    assert bytes(made.data) == exports.export(framework, "csv", reader=who["owner"])


@pytest.mark.parametrize("role", ["org editor", "outsider", "anonymous"])
def test_a_file_is_its_reader_s_alone(client, big, role, django_capture_on_commit_callbacks):
    who = people()
    welding(who["owner"])
    client.force_login(who["owner"])
    page = ask(client, "/frameworks/welding/download.csv", django_capture_on_commit_callbacks)
    other = client.__class__()
    if role != "anonymous":
        other.force_login(who[role])

    assert other.get(page["Location"]).status_code == 404
    assert other.get(page["Location"] + "file").status_code == 404


def test_a_reader_who_may_no_longer_see_the_model_does_not_get_its_file(
    client, big, django_capture_on_commit_callbacks
):
    who = people()
    ours = shared_derived(who)
    client.force_login(who["org viewer"])
    page = ask(client, f"/frameworks/{ours.slug}/download.csv", django_capture_on_commit_callbacks)
    assert client.get(page["Location"] + "file").status_code == 200

    Framework.objects.filter(pk=ours.pk).update(visibility="private")

    assert client.get(page["Location"]).status_code == 404
    assert client.get(page["Location"] + "file").status_code == 404


def test_a_reader_who_lost_the_model_before_the_task_ran_gets_no_file(client, recorded):
    who = people()
    ours = shared_derived(who)
    client.force_login(who["org viewer"])
    client.get(f"/frameworks/{ours.slug}/download.csv")
    Framework.objects.filter(pk=ours.pk).update(visibility="private")

    made = downloads.finish(download=PreparedDownload.objects.get())

    assert (made.state, made.problem, bytes(made.data)) == ("failed", downloads.UNSEEN, b"")


def test_files_are_forgotten_after_a_day(client, recorded):
    who = people()
    welding(who["owner"])
    client.force_login(who["owner"])
    page = client.get("/frameworks/welding/download.csv")["Location"]
    PreparedDownload.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))

    assert client.get(page).status_code == 404
    client.get("/frameworks/welding/download.json")  # asking for another forgets the old
    assert list(PreparedDownload.objects.values_list("format", flat=True)) == ["json"]


def test_visitors_who_are_not_signed_in_share_the_file_of_a_public_model(client, recorded):
    who = people()
    welding(who["owner"])
    signed_in = client.__class__()
    signed_in.force_login(who["outsider"])

    first = client.get("/frameworks/welding/download.csv")["Location"]
    second = client.__class__().get("/frameworks/welding/download.csv")["Location"]
    theirs = signed_in.get("/frameworks/welding/download.csv")["Location"]

    assert first == second != theirs
    assert PreparedDownload.objects.get(reader=None).filename == "welding.csv"
    assert client.get(first).status_code == 200


def test_a_file_that_could_not_be_made_says_so_and_may_be_asked_for_again(
    client, big, monkeypatch, django_capture_on_commit_callbacks
):
    who = people()
    welding(who["owner"])
    client.force_login(who["owner"])

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "export_to", broken)
    page = ask(client, "/frameworks/welding/download.csv", django_capture_on_commit_callbacks)
    text = " ".join(client.get(page["Location"]).content.decode().split())
    monkeypatch.undo()
    again = ask(client, "/frameworks/welding/download.csv", django_capture_on_commit_callbacks)

    assert "<h2>The file was not made</h2> <p>The file could not be made: the work stopped" in text
    assert '<a href="/frameworks/welding/download.csv">Ask for the file again</a>' in text
    assert again["Location"] != page["Location"]
    assert list(PreparedDownload.objects.order_by("created_at").values_list("state", flat=True)) \
        == ["failed", "done"]  # fmt: skip


def test_a_readable_file_kept_ready_is_sent_at_once_else_made_in_the_background(
    client, big, django_capture_on_commit_callbacks
):
    who = people()
    framework = welding(who["owner"])
    client.force_login(who["owner"])

    later = ask(client, "/frameworks/welding/download.pdf", django_capture_on_commit_callbacks)
    made = PreparedDownload.objects.get()
    kept = RenderedExport.objects.get(framework=framework, format="pdf")
    at_once = client.get("/frameworks/welding/download.pdf")

    assert later.status_code == 302 and made.state == "done"
    assert kept.stamp == renders.stamp_of(framework)  # made for every reader
    assert at_once.status_code == 200 and at_once.content == bytes(kept.content)
    assert client.get("/frameworks/welding/download.svg").status_code == 200  # always at once
    assert PreparedDownload.objects.count() == 1


def test_a_published_version_of_a_big_model_is_made_in_the_background(
    client, big, django_capture_on_commit_callbacks
):
    who = people()
    framework = welding(who["owner"])
    version = publish_version(framework=framework, actor=who["owner"])
    client.force_login(who["owner"])

    page = ask(client, "/frameworks/welding/versions/1/download.json",
               django_capture_on_commit_callbacks)  # fmt: skip
    made = PreparedDownload.objects.get()

    assert page["Location"] == f"/frameworks/welding/downloads/{made.identifier}/"
    assert (made.version, made.filename) == (version, "welding-v1.json")
    file = client.get(page["Location"] + "file").content
    assert file == exports.export(framework, "json", reader=who["owner"], version=version)


def test_the_api_answers_202_with_the_address_to_follow(
    client, big, django_capture_on_commit_callbacks
):
    who = people()
    framework = welding(who["owner"])
    token = {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=who['owner'], name='t')[1]}"}

    answer = ask(client, "/api/v1/frameworks/welding/export?format=csv",
                 django_capture_on_commit_callbacks, **token)  # fmt: skip
    made = PreparedDownload.objects.get()
    status = client.get(answer.json()["status_url"], **token)
    file = client.get(status.json()["file_url"], **token)

    addresses = {
        "status_url": f"/api/v1/downloads/{made.identifier}",
        "page": f"/frameworks/welding/downloads/{made.identifier}/",
    }
    assert answer.status_code == 202
    assert answer.json() == {
        "identifier": str(made.identifier), "format": "csv", "filename": "welding.csv",
        "state": "queued", "progress": {"stage": "", "done": 0, "total": None},
        "size": 0, "problem": "", "file_url": None, **addresses,
    }  # fmt: skip
    assert status.status_code == 200
    assert status.json() == {
        **answer.json(), "state": "done", "progress": {"stage": "", "done": 4, "total": 4},
        "size": made.size, "file_url": f"/api/v1/downloads/{made.identifier}/file",
    }  # fmt: skip
    assert file.status_code == 200
    assert file.content == exports.export(framework, "csv", reader=who["owner"])
    assert client.get(answer.json()["status_url"]).status_code == 404  # not its reader
    outsider = create_api_token(user=who["outsider"], name="t")[1]
    elsewhere = client.get(answer.json()["file_url"], HTTP_AUTHORIZATION=f"Bearer {outsider}")
    assert elsewhere.status_code == 404


def test_the_api_says_a_file_not_yet_made_is_not_ready(client, recorded):
    who = people()
    welding(who["owner"])
    client.force_login(who["owner"])

    answer = client.get("/api/v1/frameworks/welding/versions/1/export?format=case")
    queued = client.get("/api/v1/frameworks/welding/export?format=case")
    early = client.get(queued.json()["status_url"] + "/file")

    assert answer.status_code == 404  # no such version
    assert queued.status_code == 202 and queued.json()["file_url"] is None
    assert early.status_code == 409
    assert early.json()["detail"] == (
        "The file is not ready yet: follow its status_url until its state is done."
    )
    not_one = client.get("/api/v1/downloads/welding")
    assert (not_one.status_code, not_one.json()["detail"]) == (404, "'welding' is not a UUID.")


def test_cmc_export_writes_a_big_model_directly(big, tmp_path):
    who = people()
    framework = welding(who["owner"])
    out = tmp_path / "welding.csv"

    call_command("export_framework", "welding", format="csv", output=str(out),
                 stderr=io.StringIO())  # fmt: skip

    assert out.read_bytes() == exports.export(framework, "csv", reader=SYSTEM)
    assert PreparedDownload.objects.count() == 0


def test_a_small_model_is_sent_at_once_as_before(client, settings):
    settings.TASKS = DUMMY
    framework = welding(UserFactory())

    answer = client.get("/api/v1/frameworks/welding/export?format=ctdl")

    assert answer.status_code == 200 and answer["Content-Type"] == "application/ld+json"
    assert answer.content == exports.export(framework, "ctdl", reader=None)
    assert PreparedDownload.objects.count() == 0
