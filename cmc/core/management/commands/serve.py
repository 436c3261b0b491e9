import os
import subprocess
import sys

from django.core.management.base import CommandError

from cmc.core.management.commands._base import CmcCommand


class Command(CmcCommand):
    help = (
        "Serve the site with the production app server (gunicorn), and run a background task "
        "worker beside it (it renders PDF, Word and PNG downloads ahead of the request)."
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
            "config.wsgi:application",
            f"--bind={host}:{port}",
            f"--workers={workers}",
            "--access-logfile=-",
            "--forwarded-allow-ips=127.0.0.1",
            # Long query strings (a search, a diff of long references) reach the app, which
            # answers with a located 422 rather than the server with a bare 414.
            "--limit-request-line=8190",
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
                worker.terminate()
                worker.wait(timeout=30)

    def start_worker(self):
        """The database queue's worker, as a child process that ends with the server."""
        from django.conf import settings

        if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
            return None
        self.stdout.write("Running a background task worker beside it")
        return subprocess.Popen([sys.executable, "-m", "cmc.cli", "worker", "--no-reload"])
