"""The background task worker's bookkeeping: naming a worker, and retrying the tasks of
workers that died.

The database queue (django-tasks-db) records who runs a task only as the worker's id, appended
to the task's `worker_ids` when it claims it (status RUNNING, `started_at`); a worker sends no
heartbeat. A worker killed outright (kill -9, out of memory, its machine lost) so leaves its
task RUNNING for good. Hence each `cmc worker` names itself HOST:PID:NONCE, and before it takes
its first task puts back on the queue every RUNNING task

- whose worker ran on this host and is no longer running, or
- that started longer ago than settings.CMC_TASK_STALE_SECONDS (its worker, on another host
  or under an id that does not say, is presumed dead).

Every task of the project (rendering downloads ahead) may run twice without harm: a second
run finds the files kept and stops."""

import os
import socket
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

HOST = socket.gethostname()[:40]
# This process's own id, once chosen (see worker_id).
_own_id: str | None = None


def worker_id() -> str:
    """This process's worker id: its host, its process id and a nonce (so that a later
    process given the same process id is another worker), at most 64 characters."""
    global _own_id
    if _own_id is None or _own_id.split(":")[-2] != str(os.getpid()):
        _own_id = f"{HOST}:{os.getpid()}:{get_random_string(8)}"
    return _own_id


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # a process of another user: alive
        return True
    return True


def worker_died(worker: str) -> bool:
    """Whether a worker id names a worker of this host whose process is gone; False when the id
    does not say (another host, or an id of another form)."""
    parts = worker.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != HOST or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    if pid == os.getpid():  # this process, just started: an earlier one had its number
        return worker != worker_id()
    return not _running(pid)


def recover_stale_tasks(*, now=None) -> list[DBTaskResult]:
    """Put back on the queue (READY) the RUNNING tasks whose worker died (see above); returns
    them, oldest first."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.CMC_TASK_STALE_SECONDS)
    running = DBTaskResult.objects.running().order_by("started_at", "enqueued_at")
    stale = [
        task
        for task in running.only("id", "task_path", "worker_ids", "started_at")
        if (task.worker_ids and worker_died(task.worker_ids[-1]))
        or (task.started_at is not None and task.started_at < cutoff)
    ]
    with transaction.atomic():
        # Only while still RUNNING: a task that ended meanwhile keeps its result.
        return [
            task
            for task in stale
            if DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY
            )
        ]
