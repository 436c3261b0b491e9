"""`cmc serve` as the two-command set-up runs it: the app server and, beside it, the worker that
renders downloads ahead, started again if it dies; both end together. The app, not the app
server, refuses requests too large to read."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from cmc.core import workers

CMC = str(Path(sys.executable).parent / "cmc")
ROOT = Path(__file__).resolve().parents[3]
SHELL = """
from cmc.factories import welding_tree
from cmc.frameworks.services import save_framework_tree
save_framework_tree(tree=welding_tree(), where="test", visibility="public")
"""
COUNT = "from cmc.frameworks.models import RenderedExport; print(RenderedExport.objects.count())"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(CMC_DATA_DIR=str(tmp_path), CMC_RENDER_AHEAD_SECONDS="0", DEBUG="0")
    env["SECRET_KEY"] = "serve-test-only-secret-key"
    # The code under test, whichever checkout the installed command was installed from.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def run(env, *args) -> str:
    result = subprocess.run([CMC, *args], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


@contextmanager
def serving(env):
    """`cmc serve` on a free port, its database ready; stopped at the end, and then no process
    of it may be left."""
    run(env, "migrate", "--noinput", "-v0")
    run(env, "manage", "shell", "-c", SHELL)  # its commit queues the rendering
    port = free_port()
    server = subprocess.Popen(
        [CMC, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(lambda: answers(port), server, "the server did not answer within a minute")
        yield server, port
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    time.sleep(0.5)
    left = subprocess.run(["pgrep", "-s", str(server.pid)], capture_output=True)
    assert left.stdout.strip() == b"", "a process of the server's outlived it"


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/frameworks"):
            return True
    except OSError:
        return False


def wait_for(ready, server, failure: str) -> None:
    deadline = time.monotonic() + 60
    while not ready():
        assert time.monotonic() < deadline, failure
        assert server.poll() is None, server.stdout.read().decode()
        time.sleep(0.5)


def workers_of(server) -> list[int]:
    """The process ids of the task workers beside the server."""
    found = subprocess.run(
        ["pgrep", "-f", "-s", str(server.pid), "cmc.cli worker"], capture_output=True, text=True
    )
    return [int(pid) for pid in found.stdout.split()]


def test_serve_runs_a_worker_that_renders_downloads_ahead_and_ends_with_it(env):
    with serving(env) as (server, port):
        wait_for(
            lambda: run(env, "manage", "shell", "-c", COUNT).split()[-1] == "3",
            server,
            "the worker rendered nothing within a minute",
        )
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/frameworks/welding/download.pdf"
        ) as r:
            assert r.status == 200 and r.read().startswith(b"%PDF")
        [worker] = workers_of(server)
        # An app server process that leaves (as after its timeout) leaves the task worker be.
        [app] = app_servers_of(server)
        os.kill(app, signal.SIGTERM)
        wait_for(
            lambda: app_servers_of(server) not in ([], [app]),
            server,
            "the app server process was not replaced within a minute",
        )
        time.sleep(1)
        assert workers_of(server) == [worker]


def app_servers_of(server) -> list[int]:
    """The app server's worker processes (beside its master, the server itself)."""
    found = subprocess.run(
        ["pgrep", "-f", "-s", str(server.pid), "cmc serve"], capture_output=True, text=True
    )
    return [int(pid) for pid in found.stdout.split() if int(pid) != server.pid]


# A task the worker killed below had claimed: the one that replaces it runs it again.
LEFT_RUNNING = """
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max
DBTaskResult.objects.create(
    status="RUNNING", args_kwargs={{"args": [0, "gone"], "kwargs": {{}}}},
    task_path="cmc.frameworks.documents.renders.render_ahead", backend_name="default",
    run_after=get_date_max(), started_at=timezone.now(), worker_ids=["{worker}"],
)
"""
TASK = (
    "from django_tasks_db.models import DBTaskResult; "
    "print(*DBTaskResult.objects.filter(args_kwargs__args__1='gone').values_list("
    "'status', 'return_value').get())"
)


def test_serve_starts_another_worker_when_its_worker_is_killed_which_runs_its_task_again(env):
    with serving(env) as (server, _):
        wait_for(lambda: workers_of(server), server, "no worker started within a minute")
        [killed] = workers_of(server)
        worker = f"{workers.HOST}:{killed}:killed00"
        run(env, "manage", "shell", "-c", LEFT_RUNNING.format(worker=worker))

        os.kill(killed, signal.SIGKILL)

        wait_for(
            lambda: workers_of(server) not in ([], [killed]),
            server,
            "no worker started again within a minute",
        )
        wait_for(
            lambda: (
                run(env, "manage", "shell", "-c", TASK).split()[-2:] == ["SUCCESSFUL", "deleted"]
            ),
            server,
            "the task the killed worker left running did not run again within a minute",
        )
        assert len(workers_of(server)) == 1


def test_serve_answers_requests_too_large_for_the_api_in_json(env):
    with serving(env) as (_, port):
        line = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/frameworks?q={'a' * 9000}")
        with pytest.raises(urllib.error.HTTPError) as long_line:
            urllib.request.urlopen(line)
        body = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        # Only the head: the app answers from the announced length, without reading the body.
        body.putrequest("POST", "/api/v1/frameworks")
        body.putheader("Content-Type", "application/json")
        body.putheader("Content-Length", str(6 * 1024 * 1024))
        body.endheaders()
        too_large = body.getresponse()

    assert long_line.value.code == 414
    assert long_line.value.headers["Content-Type"] == "application/json"
    assert json.loads(long_line.value.read()) == {
        "detail": "The request line (method and address) is 9,034 characters long; at most "
        "8,190 are read. Shorten the query string, or send the data in the request body.",
        "errors": [],
    }
    assert (too_large.status, too_large.getheader("Content-Type")) == (413, "application/json")
    assert json.loads(too_large.read()) == {
        "detail": "The request body is 6,291,456 bytes long; at most 5,242,880 are read here. "
        "Send a smaller one.",
        "errors": [],
    }
