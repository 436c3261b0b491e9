"""Files imported in the background: what every app that takes them shares.

A door keeps the uploaded file on a row of the app's own `HeldUpload` model (cmc.core.models)
and the app's service queues a task on the django-tasks queue. The task runs the import
through `run`: it reports how far it has got on the row (`RowProgress`), and ends with the
row saying what was written, or every problem that stopped it (having written nothing).
The progress page (`core/_upload_progress.html`, polled by HTMX) and the API read the row.
The command line runs the same import with a progress bar (`BarProgress`) instead."""

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Protocol

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from .errors import Conflict, InvalidInput, Problem
from .models import HeldUpload, TaskProgress

# An upload is forgotten this long after it was made, whatever became of it.
KEEP_FOR = timedelta(days=1)
STOPPED = (
    "the import stopped on an unexpected error and nothing was written; try again, and tell "
    "the site's administrators if it happens again"
)


class Progress(Protocol):
    """Told how far an import has got: the stage it is at ("Checking the rows"), and the
    rows done of `total` when it is known."""

    def __call__(self, stage: str, done: int = 0, total: int | None = None) -> None: ...


def no_progress(stage: str, done: int = 0, total: int | None = None) -> None:
    """For imports no one watches (the tests, the reference content)."""


class RowProgress:
    """Reports the progress of a task on its row (an upload, a download being made): a new
    stage at once, the rows within a stage at most every `every` seconds (each report is one
    UPDATE, and a task may pass thousands of rows a second). Reports made inside a transaction
    the import opened are left out: no one would see them before it ends (so an import tells
    the stage that writes before it opens its transaction)."""

    def __init__(self, upload: TaskProgress, *, every: float = 1.0):
        self.upload, self.every = upload, every
        self._stage, self._last = None, 0.0
        self._depth = len(connection.atomic_blocks)

    def __call__(self, stage: str, done: int = 0, total: int | None = None) -> None:
        if len(connection.atomic_blocks) > self._depth:
            return
        now = time.monotonic()
        finished = total is not None and done >= total
        if stage == self._stage and now - self._last < self.every and not finished:
            return
        self._stage, self._last = stage, now
        upload = self.upload
        upload.stage, upload.done, upload.total = stage[:120], done, total
        type(upload).objects.filter(pk=upload.pk).update(
            stage=upload.stage, done=done, total=total, updated_at=timezone.now()
        )


class BarProgress:
    """A progress bar on standard error for the command line, one line per stage (used as a
    context manager; it goes when the import ends)."""

    def __init__(self):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
        self.bar = Progress(*columns, console=Console(stderr=True), transient=True)
        self._task, self._stage = None, None

    def __enter__(self) -> "BarProgress":
        self.bar.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.bar.__exit__(*exc)

    def __call__(self, stage: str, done: int = 0, total: int | None = None) -> None:
        from rich.markup import escape

        if stage != self._stage:
            self._stage = stage
            self._task = self.bar.add_task(escape(stage), total=total)
        self.bar.update(self._task, completed=done, total=total)


def forget_old(model: type[HeldUpload]) -> None:
    """Delete the uploads of `model` made longer ago than KEEP_FOR."""
    model.objects.filter(created_at__lt=timezone.now() - KEEP_FOR).delete()


def queue(task, upload: TaskProgress) -> None:
    """Queue `task` (a django-tasks task taking the row's number) for the row once the
    transaction that saved it commits: the worker must find the row as it was left."""
    transaction.on_commit(lambda: task.enqueue(upload.pk), robust=True)


def run_task(model: type[HeldUpload], pk: int, finish_one: Callable) -> str:
    """A background task's whole work on the upload numbered `pk`: `finish_one(upload)` (the
    app's own, through `finish`) imports it. Returns the state the row ends in ("gone" if
    the row went)."""
    upload = model.objects.select_related("owner").filter(pk=pk).first()
    if upload is None:
        return "gone"
    return finish_one(upload).state


def finish(upload: HeldUpload, work: Callable[[Progress], None], *, subject: str = "file"):
    """Run a queued upload's import (see `run`), unless it has run already (a worker retried
    the task) or was never confirmed; returns the upload."""
    if upload.state == HeldUpload.State.QUEUED:
        run(upload, work, subject=subject)
    return upload


def run(upload: HeldUpload, work: Callable[[Progress], None], *, subject: str = "file") -> None:
    """Run a queued upload's import (a background task's work): `work(progress)` imports the
    file, sets on the row what it wrote, and raises InvalidInput, PermissionDenied or
    Conflict, having written nothing, when it cannot. The row ends DONE (the file dropped) or
    FAILED with its problems (`subject` names the field of a refusal that is not about one
    place in the file). An unexpected error also leaves the row FAILED, saying so, and is
    raised again for the worker to log."""
    try:
        work(RowProgress(upload))
    except InvalidInput as error:
        _failed(upload, error.problems)
    except (PermissionDenied, Conflict) as error:
        _failed(upload, [Problem(upload.filename, subject, str(error))])
    except Exception:
        _failed(upload, [Problem(upload.filename, subject, STOPPED)])
        raise
    else:
        upload.state = HeldUpload.State.DONE
        upload.data = b""  # imported: the file is not needed again
        upload.stage = ""
        upload.save()


def _failed(upload: HeldUpload, problems: list[Problem]) -> None:
    upload.state = HeldUpload.State.FAILED
    upload.problems = [[p.where, p.field, p.message] for p in problems]
    upload.stage = ""
    upload.save()


def problems_of(upload: HeldUpload) -> list[dict]:
    """The problems on an upload's row as the API's error items."""
    return [
        {"where": p.where, "field": p.field, "message": p.message} for p in upload.problem_list()
    ]
