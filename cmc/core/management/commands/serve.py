import os
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management.base import CommandError

from cmc.core.management.commands._base import CmcCommand


class Command(CmcCommand):
    help = (
        "Serve the site with the production app server (gunicorn), and run a background task "
        "worker beside it (it renders PDF, Word and PNG downloads ahead of the request), started "
        "again if it stops."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start a task worker (run `cmc worker` on its own instead)",
        )

    def handle(self, *args, host, port, workers, no_worker=False, **options):
        from gunicorn.app.wsgiapp import WSGIApplication

        argv = [
            "gunicorn",
            _gunicorn_name(settings.WSGI_APPLICATION),
            f"--bind={host}:{port}",
            f"--workers={workers}",
            "--access-logfile=-",
            "--forwarded-allow-ips=127.0.0.1",
            # Every request line reaches the app, which answers one too long itself (414, JSON
            # on the API; see RequestLimitsMiddleware) and a long query string with a located
            # 422, rather than the server with a bare HTML page. The worker's timeout bounds how
            # long a client may go on sending one line.
            "--limit-request-line=0",
            # No control socket: it would sit at one path in the home folder, shared by every
            # server started there (two sites, or a test beside the site), and nothing here
            # uses it.
            "--no-control-socket",
        ]
        self.stdout.write(f"Serving on http://{host}:{port}/ (Ctrl+C stops)")
        self.stdout.flush()
        worker = None if no_worker else self.start_worker()
        try:
            sys.argv = argv
            WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
        except SystemExit as exit_:
            if exit_.code not in (0, None):
                raise CommandError(f"the server stopped (exit {exit_.code})") from None
        finally:
            if worker is not None:
                worker.stop()

    def start_worker(self):
        """The database queue's worker, as a child process that ends with the server."""
        from django.conf import settings

        if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
            return None
        self.stdout.write("Running a background task worker beside it")
        self.stdout.flush()
        return KeptWorker(self.stdout).start()


class KeptWorker:
    """The task worker as a child process, started again whenever it stops (killed, out of
    memory) until the server stops. The new worker runs again what the old one left running
    (see cmc.core.workers). A worker that stops soon after it started waits a little longer
    before each new start, so that a worker that cannot run does not spin."""

    COMMAND = [sys.executable, "-m", "cmc.cli", "worker", "--no-reload"]
    QUICK = 30  # seconds: a worker that stops sooner counts as failing to start

    def __init__(self, out):
        self.out = out
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.process: subprocess.Popen | None = None
        self.parent = os.getpid()

    def start(self) -> "KeptWorker":
        self.process = subprocess.Popen(self.COMMAND)
        threading.Thread(target=self._keep, name="task worker keeper", daemon=True).start()
        return self

    def _keep(self) -> None:
        failures = 0
        while True:
            started = time.monotonic()
            # Returns when it ends, whichever process reaps it (gunicorn reaps any child).
            self.process.wait()
            if self.stopping.is_set():
                return
            failures = failures + 1 if time.monotonic() - started < self.QUICK else 0
            delay = min(2**failures, 60)
            self.out.write(f"The task worker stopped; another starts in {delay} s")
            self.out.flush()
            if self.stopping.wait(delay):
                return
            with self.lock:
                if self.stopping.is_set():
                    return
                self.process = subprocess.Popen(self.COMMAND)

    def stop(self) -> None:
        # The app server's own workers are forks of this process and leave through the same
        # `finally`: only the process that started the task worker stops it.
        if os.getpid() != self.parent:
            return
        with self.lock:
            self.stopping.set()
        self.process.terminate()
        self.process.wait(timeout=30)


def _gunicorn_name(dotted: str) -> str:
    """A dotted path to the WSGI application ("config.wsgi.application") as gunicorn names it
    ("config.wsgi:application")."""
    module, _, name = dotted.rpartition(".")
    return f"{module}:{name}"
