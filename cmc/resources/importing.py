"""Bulk imports of resources from a CSV or XLSX file, by staff on the import page or from the
command line (`cmc import-resources`). The file is streamed twice: first every row is read and
checked (each problem named with its file, row and column), keeping none of them; only when
none has a problem is it read again and every resource written, in one transaction. So a file
of any length costs the memory of one row, and a file with a problem writes nothing.

The import page holds the file (checked at once as far as that is quick: its kind, size and
columns) and queues the task `run_resource_import`, which reports its progress on the row
(see cmc.core.uploads) for the page to show; the command line shows a progress bar."""

import io
from dataclasses import dataclass, field
from typing import BinaryIO

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_tasks import task

from cmc.core import uploads
from cmc.core.actors import person
from cmc.core.errors import InvalidInput, Problem
from cmc.core.files import Limits

from . import services, tabular
from .cleaning import Cleaner
from .models import Resource, ResourceImport

# Past this many problems a file is not read further: the ones listed are enough to start
# mending it (the framework imports stop at the same number).
MAX_PROBLEMS = 200
# How many of the resources written the page lists.
FIRST = 20
CHECKING = "Checking the rows"


@dataclass
class Imported:
    count: int
    first: list[Resource] = field(default_factory=list)


def import_file(
    *, actor, handle: BinaryIO, name: str, size: int, publish: bool,
    limits: Limits | None = None, progress: uploads.Progress = uploads.no_progress,
) -> Imported:  # fmt: skip
    """Import the resources of a file (staff or the system): every row checked, then all
    written (published at once when `publish`, else waiting for moderation), or InvalidInput
    naming every problem and nothing written."""
    services.require_importer(actor)
    source = tabular.ResourceFile(handle, name, size=size, limits=limits)
    count = _check(source, actor, progress)
    if not count:
        raise InvalidInput([Problem(name, "file", "holds no resource rows; start from the template")],
                           tabular.IMPORT_DETAIL)  # fmt: skip
    return _write(source, actor, publish, count, progress)


def _check(source: tabular.ResourceFile, actor, progress: uploads.Progress) -> int:
    """How many resources the file holds, once every row is found right; InvalidInput with
    every problem (up to MAX_PROBLEMS) otherwise."""
    cleaner, problems, count = Cleaner(actor), [], 0
    progress(CHECKING)
    for where, data, found in source.rows():
        count += 1
        problems += found or cleaner.clean(data, where=where)[1]
        progress(CHECKING, count)
        if len(problems) >= MAX_PROBLEMS:
            problems.append(Problem(where, "file", f"{len(problems)} problems so far; the rest "
                                    "of the file was not checked: mend these and import it again"))  # fmt: skip
            break
    if problems:
        raise InvalidInput(problems, tabular.IMPORT_DETAIL)
    return count


def _write(source, actor, publish: bool, count: int, progress: uploads.Progress) -> Imported:
    stage = f"Writing {count:,} resource{'s' if count != 1 else ''}"
    progress(stage)
    cleaner, imported, frameworks = Cleaner(actor), Imported(0), {}
    with transaction.atomic():
        for where, data, found in source.rows():
            clean, problems = cleaner.clean(data, where=where)
            if found or problems:  # a framework changed since the rows were checked
                raise InvalidInput(found + problems, tabular.IMPORT_DETAIL)
            resource = services.write_imported(clean, actor, publish=publish)
            frameworks.update({t.framework.pk: t.framework for t in clean.targets})
            imported.count += 1
            if len(imported.first) < FIRST:
                imported.first.append(resource)
            progress(stage, imported.count, count)
        services.frameworks_changed(frameworks)
    return imported


def queue_import(*, actor, name: str, data: bytes, publish: bool) -> ResourceImport:
    """Hold an uploaded file of resources and queue its import (the import page): a file
    that is no file of resources (its kind, size or columns) is refused at once; its rows are
    checked by the task, which writes them all or none."""
    services.require_importer(actor)
    if person(actor) is None:  # the system imports on the command line, not through a page
        raise PermissionDenied("Sign in to import resources.")
    if not data:
        raise InvalidInput([Problem(name or "upload", "file", "is empty; start from the template")],
                           tabular.IMPORT_DETAIL)  # fmt: skip
    tabular.ResourceFile(io.BytesIO(data), name, size=len(data)).check()
    uploads.forget_old(ResourceImport)
    with transaction.atomic():
        held = ResourceImport.objects.create(
            owner=person(actor), filename=name[:255], data=data, publish=publish,
            state=ResourceImport.State.QUEUED,
        )  # fmt: skip
        uploads.queue(run_resource_import, held)
    return held


@task()
def run_resource_import(held_id: int) -> str:
    """Import a held file of resources (the background task queue_import queues)."""
    return uploads.run_task(ResourceImport, held_id, lambda held: finish_import(held=held))


def finish_import(*, held: ResourceImport) -> ResourceImport:
    """Import a queued file as its owner asked (the background task's work): the resources
    written, or every problem recorded on the row and nothing written."""

    def work(progress: uploads.Progress) -> None:
        data = bytes(held.data)
        imported = import_file(actor=held.owner, handle=io.BytesIO(data), name=held.filename,
                               size=len(data), publish=held.publish, progress=progress)  # fmt: skip
        held.written = imported.count
        held.first = [[r.identifier, r.title] for r in imported.first]
        state = "published" if held.publish else "waiting for moderation"
        held.summary = f"{imported.count:,} resource{'s' if imported.count != 1 else ''} imported, {state}."  # fmt: skip

    return uploads.finish(held, work, subject="resources")
