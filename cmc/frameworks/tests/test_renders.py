"""Readable exports rendered ahead of the request: queued when a model changes, kept with the
state they show, served ready-made, never served stale, and made on the spot when a download
comes first. One test runs the real database queue's worker."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import default_task_backend
from pypdf import PdfReader

from cmc.frameworks import editing, exports, renders
from cmc.frameworks.models import RenderedExport
from cmc.frameworks.publishing import publish_version, set_status
from cmc.frameworks.services import share_framework

from .builders import competency, people, welding

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def queue(settings):
    """A queue that only records what is put on it."""
    settings.TASKS = DUMMY
    settings.CMC_RENDER_AHEAD_SECONDS = 5
    default_task_backend.clear()
    yield default_task_backend.results
    default_task_backend.clear()


@pytest.fixture
def model():
    owner = people()["owner"]
    return owner, welding(owner)


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


def never(*args, **kwargs):
    raise AssertionError("rendered again although a current file was kept")


def rename_first(owner, framework, name="Team welding"):
    """An edit: competency 1.1 gets another name."""
    weld = competency(framework, "1.1")
    editing.update_competency(
        actor=owner, competency=weld, name=name, definition="", revision=weld.revision
    )
    weld.refresh_from_db()
    return weld


def download(client, framework, fmt="pdf"):
    response = client.get(f"/frameworks/{framework.slug}/download.{fmt}")
    assert response.status_code == 200
    return response.content


def test_an_edit_queues_the_rendering_a_few_seconds_after_it_commits(
    queue, model, django_capture_on_commit_callbacks
):
    owner, framework = model
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rename_first(owner, framework)
    assert queue == []  # nothing is queued before the change commits
    before = timezone.now()
    for callback in callbacks:
        callback()

    [queued] = queue
    framework.refresh_from_db()
    assert queued.task.name == "render_ahead"
    assert queued.args == [framework.pk, renders.stamp_of(framework)]
    assert before + timedelta(seconds=4) < queued.task.run_after < before + timedelta(seconds=6)


@pytest.mark.parametrize("change", ["publish", "status", "share"])
def test_publishing_status_and_sharing_queue_a_rendering_too(
    queue, model, django_capture_on_commit_callbacks, change
):
    owner, framework = model
    with django_capture_on_commit_callbacks(execute=True):
        if change == "publish":
            publish_version(framework=framework, actor=owner, note="first")
        elif change == "status":
            set_status(framework=framework, actor=owner, status="approved")
        else:
            share_framework(framework=framework, actor=owner, visibility="private")
    framework.refresh_from_db()
    assert [q.args for q in queue][-1] == [framework.pk, renders.stamp_of(framework)]


def test_the_task_keeps_every_readable_export_and_downloads_serve_them_unmade(
    model, client, monkeypatch
):
    _, framework = model
    result = renders.render_ahead.call(framework.pk, renders.stamp_of(framework))

    assert result == "rendered pdf, docx, png"
    kept = {r.format: bytes(r.content) for r in RenderedExport.objects.filter(framework=framework)}
    assert set(kept) == {"pdf", "docx", "png"}
    assert "Welding" in pdf_text(kept["pdf"])
    for fmt in ("pdf", "docx", "png"):
        monkeypatch.setattr(exports, fmt if fmt != "png" else "pyramid_png", never)
    for fmt in ("pdf", "docx", "png"):
        assert download(client, framework, fmt) == kept[fmt]
    api = client.get(f"/api/v1/frameworks/{framework.slug}/export?format=pdf")
    assert api.status_code == 200 and api.content == kept["pdf"]
    # Run twice (the queue may hold the same state twice): nothing is made again.
    assert renders.render_ahead.call(framework.pk, renders.stamp_of(framework)) == "ready"


def test_a_task_for_a_state_that_changed_since_renders_nothing(model):
    owner, framework = model
    stamp = renders.stamp_of(framework)
    rename_first(owner, framework)

    assert renders.render_ahead.call(framework.pk, stamp) == "superseded"
    assert not RenderedExport.objects.exists()
    assert renders.render_ahead.call(10**9, stamp) == "deleted"


def test_a_kept_file_is_never_served_once_the_model_changed(model, client):
    owner, framework = model
    renders.render_ahead.call(framework.pk, renders.stamp_of(framework))
    rename_first(owner, framework, "Zirconium joining")

    assert "Zirconium joining" in pdf_text(download(client, framework))


def test_publishing_changes_the_cover_so_the_kept_file_is_made_again(model, client):
    owner, framework = model
    renders.render_ahead.call(framework.pk, renders.stamp_of(framework))
    assert "Draft, not yet published" in pdf_text(download(client, framework))

    publish_version(framework=framework, actor=owner, note="first")

    cover = pdf_text(download(client, framework))
    assert "Version 1 of" in cover and "Draft, not yet published" not in cover


def test_a_download_before_the_rendering_makes_the_file_and_keeps_it(model, client, monkeypatch):
    _, framework = model
    first = download(client, framework, "docx")
    assert RenderedExport.objects.get(framework=framework, format="docx").content == first

    monkeypatch.setattr(exports, "docx", never)
    assert download(client, framework, "docx") == first
    # The command line takes the kept file too.
    out = io.StringIO()
    call_command(
        "export_framework", framework.slug, "--format", "docx", "-o", "/dev/null", stderr=out
    )
    assert f"({len(first):,} bytes)" in out.getvalue()


def test_a_queue_that_cannot_be_reached_does_not_stop_the_edit(
    settings, model, django_capture_on_commit_callbacks, caplog
):
    settings.TASKS = {"default": {"BACKEND": "no.such.Backend"}}
    owner, framework = model
    with django_capture_on_commit_callbacks(execute=True):
        weld = rename_first(owner, framework)
    assert weld.name == "Team welding"
    assert "no.such.Backend" in caplog.text or "Error calling" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_worker_renders_what_a_change_queued(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.CMC_RENDER_AHEAD_SECONDS = 0
    owner = people()["owner"]
    framework = welding(owner)  # saved in its own transaction: its commit queues the task
    framework.refresh_from_db()

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    kept = RenderedExport.objects.get(framework=framework, format="pdf")
    assert kept.stamp == renders.stamp_of(framework)
    assert "Welding" in pdf_text(bytes(kept.content))
