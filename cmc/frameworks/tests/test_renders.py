"""Readable exports rendered ahead of the request: queued when a model changes, kept with the
state they show, served ready-made, never served stale, and made on the spot when a download
comes first. One test runs the real database queue's worker."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks import default_task_backend
from docx import Document
from pypdf import PdfReader

from cmc.frameworks import snapshots
from cmc.frameworks.documents import renders, writers
from cmc.frameworks.models import RenderedExport
from cmc.frameworks.services import editing, publish_version, set_status, share_framework
from cmc.interchange import formats

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


def download_version(client, framework, number, fmt):
    response = client.get(f"/frameworks/{framework.slug}/versions/{number}/download.{fmt}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="{framework.slug}-v{number}.{fmt}"'
    )
    return response.content


def tree_names(tree) -> list[str]:
    return [tree.name] + [
        f"{t.number} {t.name}/{c.code} {c.name}/" + "|".join(b.text for b in c.behaviors)
        for t in tree.tiers
        for c in t.competencies
    ]


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
    queued = [q.args for q in queue if q.task.name == "render_ahead"]
    assert queued[-1] == [framework.pk, renders.stamp_of(framework)]


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
        monkeypatch.setattr(writers, fmt if fmt != "png" else "pyramid_png", never)
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

    monkeypatch.setattr(writers, "docx", never)
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


# Published versions: downloaded as they were frozen, rendered once after publishing.


@pytest.fixture
def published(model):
    """The welding model published as version 1, then its draft changed."""
    owner, framework = model
    version = publish_version(framework=framework, actor=owner, note="first")
    rename_first(owner, framework, "Zirconium joining")
    return owner, framework, version


def test_a_version_downloads_as_it_was_frozen_while_the_draft_moves_on(published, client):
    _, framework, version = published

    pdf = pdf_text(download_version(client, framework, 1, "pdf"))
    assert "Teamwork" in pdf and "Zirconium joining" not in pdf
    assert f"Version 1 of {version.published_at:%B %-d, %Y}" in pdf
    assert "later changes" not in pdf
    draft = pdf_text(download(client, framework))
    assert "Zirconium joining" in draft and "with later changes not yet published" in draft

    word = Document(io.BytesIO(download_version(client, framework, 1, "docx")))
    assert "1.1 Teamwork" in [p.text for p in word.paragraphs]


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_a_version_in_an_exchange_format_reads_back_as_the_version(
    published, client, tmp_path, fmt
):
    _, framework, version = published
    data = download_version(client, framework, 1, fmt)
    path = tmp_path / f"v1.{fmt}"
    path.write_bytes(data)

    [tree], problems = formats.read_file(path)

    assert problems == []
    frozen = snapshots.tree_of_document(version.snapshot, "v1")
    assert tree_names(tree) == tree_names(frozen)
    assert "1.1 Teamwork/" in " ".join(tree_names(tree))


def test_publishing_queues_the_version_rendering_and_its_files_are_kept_for_good(
    queue, model, client, monkeypatch, django_capture_on_commit_callbacks
):
    owner, framework = model
    with django_capture_on_commit_callbacks(execute=True):
        version = publish_version(framework=framework, actor=owner, note="first")
    assert [q.args for q in queue if q.task.name == "render_version_ahead"] == [[version.pk]]

    assert renders.render_version_ahead.call(version.pk) == "rendered pdf, docx, png"
    kept = RenderedExport.objects.filter(version=version)
    assert {(k.format, k.stamp) for k in kept} == {
        ("pdf", "version 1"),
        ("docx", "version 1"),
        ("png", "version 1"),
    }
    rename_first(owner, framework, "Zirconium joining")  # the draft changes; the version not
    monkeypatch.setattr(writers, "pdf", never)
    pdf = download_version(client, framework, 1, "pdf")
    assert pdf == bytes(kept.get(format="pdf").content)
    api = client.get(f"/api/v1/frameworks/{framework.slug}/versions/1/export?format=pdf")
    assert api.status_code == 200 and api.content == pdf
    assert api["Content-Disposition"] == 'attachment; filename="welding-v1.pdf"'
    assert renders.render_version_ahead.call(version.pk) == "ready"
    assert renders.render_version_ahead.call(10**9) == "deleted"


def test_a_version_that_does_not_exist_is_a_clear_404_everywhere(model, client):
    _, framework = model
    for number in ("3", "0", "9" * 30):
        page = client.get(f"/frameworks/{framework.slug}/versions/{number}/download.pdf")
        assert page.status_code == 404, number
    api = client.get(f"/api/v1/frameworks/{framework.slug}/versions/3/export?format=pdf")
    assert api.status_code == 404
    assert api.json() == {"detail": "Welding Model has no version 3.", "errors": []}
    with pytest.raises(CommandError, match="^Welding Model has no version 3; it has no published"):
        call_command("export_framework", f"{framework.slug}@3", "-o", "/dev/null")
    with pytest.raises(
        CommandError, match="^'x' is not a version number: write SLUG@N, e.g. welding@1"
    ):
        call_command("export_framework", f"{framework.slug}@x", "-o", "/dev/null")


def test_the_command_line_exports_a_version(published, tmp_path):
    _, framework, _ = published
    out = tmp_path / "v1.pdf"
    err = io.StringIO()

    call_command("export_framework", f"{framework.slug}@1", "--format", "pdf", "-o", str(out),
                 stderr=err)  # fmt: skip

    assert err.getvalue().startswith("Wrote Welding Model version 1 to ")
    assert "Zirconium joining" not in pdf_text(out.read_bytes())
    assert "Version 1 of" in pdf_text(out.read_bytes())


def test_the_versions_page_offers_each_version_for_download(published, client):
    _, framework, _ = published
    page = client.get(f"/frameworks/{framework.slug}/versions/").content.decode()
    for fmt in ("pdf", "docx", "xlsx", "csv", "json"):
        assert f'href="/frameworks/{framework.slug}/versions/1/download.{fmt}"' in page
