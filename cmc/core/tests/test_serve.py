"""`cmc serve` as the two-command set-up runs it: the app server and, beside it, the worker that
renders downloads ahead; both end together."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CMC = str(Path(sys.executable).parent / "cmc")
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
    return env


def run(env, *args) -> str:
    result = subprocess.run([CMC, *args], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_serve_runs_a_worker_that_renders_downloads_ahead_and_ends_with_it(env):
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
        deadline = time.monotonic() + 60
        while run(env, "manage", "shell", "-c", COUNT).split()[-1] != "3":
            assert time.monotonic() < deadline, "the worker rendered nothing within a minute"
            assert server.poll() is None, server.stdout.read().decode()
            time.sleep(0.5)
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/frameworks/welding/download.pdf"
        ) as r:
            assert r.status == 200 and r.read().startswith(b"%PDF")
        workers = subprocess.run(
            ["pgrep", "-f", "-s", str(server.pid), "cmc.cli worker"], capture_output=True
        )
        assert workers.stdout.strip(), "no worker process beside the server"
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    time.sleep(0.5)
    left = subprocess.run(["pgrep", "-s", str(server.pid)], capture_output=True)
    assert left.stdout.strip() == b"", "a process of the server's outlived it"
