"""A task whose worker died goes back on the queue when a worker starts, and runs again; the
task of a live worker, and a finished task, stay as they are."""

import io
import os
import re
import subprocess
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from cmc.core import workers

pytestmark = pytest.mark.django_db

# A task of the project that runs without a model: rendering one that is gone says so.
RENDER = "cmc.frameworks.documents.renders.render_ahead"
HOUR = timedelta(hours=1)


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.CMC_TASK_STALE_SECONDS = 3600


def gone_pid() -> int:
    """The process id of a process that has ended (and been reaped)."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def task(name: str, worker: str, *, ago: timedelta, status: str = "RUNNING") -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [0, name], "kwargs": {}},
        task_path=RENDER,
        backend_name="default",
        run_after=get_date_max(),
        started_at=timezone.now() - ago,
        worker_ids=[worker],
    )


def statuses() -> dict[str, str]:
    return {
        row.args_kwargs["args"][1]: row.status
        for row in DBTaskResult.objects.only("args_kwargs", "status")
    }


def test_a_worker_is_named_by_its_host_and_process():
    own = workers.worker_id()

    assert re.fullmatch(rf"{re.escape(workers.HOST)}:{os.getpid()}:[A-Za-z0-9]{{8}}", own)
    assert workers.worker_id() == own
    assert len(own) <= 64


def test_the_running_tasks_of_dead_workers_go_back_on_the_queue():
    host, minute = workers.HOST, timedelta(minutes=1)
    task("dead here", f"{host}:{gone_pid()}:a1b2c3d4", ago=minute)
    task("alive here", f"{host}:{os.getppid()}:a1b2c3d4", ago=minute)
    task("this process before", f"{host}:{os.getpid()}:earlier0", ago=2 * minute)
    task("this process now", workers.worker_id(), ago=minute)
    task("elsewhere", f"other-host:{os.getppid()}:a1b2c3d4", ago=minute)
    task("elsewhere long ago", f"other-host:{os.getppid()}:a1b2c3d4", ago=HOUR + minute)
    task("plain id", "Qm9vayBvZiBhIHdvcmtlciBpZA", ago=minute)
    task("plain id long ago", "Qm9vayBvZiBhIHdvcmtlciBpZA", ago=2 * HOUR)
    task("finished", f"{host}:{gone_pid()}:a1b2c3d4", ago=2 * HOUR, status="SUCCESSFUL")
    task("failed", f"{host}:{gone_pid()}:a1b2c3d4", ago=2 * HOUR, status="FAILED")

    back = workers.recover_stale_tasks()

    assert [t.args_kwargs["args"][1] for t in back] == [
        "plain id long ago",
        "elsewhere long ago",
        "this process before",
        "dead here",
    ]
    assert statuses() == {
        "dead here": "READY",
        "alive here": "RUNNING",
        "this process before": "READY",
        "this process now": "RUNNING",
        "elsewhere": "RUNNING",
        "elsewhere long ago": "READY",
        "plain id": "RUNNING",
        "plain id long ago": "READY",
        "finished": "SUCCESSFUL",
        "failed": "FAILED",
    }


# The worker closes connections left in a transaction: this test commits, as a worker does.
@pytest.mark.django_db(transaction=True)
def test_the_worker_command_runs_again_the_task_a_killed_worker_left_running():
    dead = f"{workers.HOST}:{gone_pid()}:a1b2c3d4"
    left = task("left running", dead, ago=timedelta(seconds=5))
    started = f"{left.started_at:%Y-%m-%d %H:%M:%S}"
    out = io.StringIO()

    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", stdout=out)

    left.refresh_from_db()
    assert (left.status, left.return_value) == ("SUCCESSFUL", "deleted")
    assert left.worker_ids == [dead, workers.worker_id()]
    assert out.getvalue().splitlines()[0] == (
        f"Back on the queue, its worker having stopped: {RENDER} (task {left.pk}, "
        f"started {started} by {dead})"
    )
