from django_tasks_db.management.commands import db_worker

from cmc.core import workers


class Command(db_worker.Command):
    help = (
        "Run a background task worker (the database queue's db_worker, with the same options). "
        "It first puts back on the queue the tasks of workers that died while running them."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # An id that names this host and process, so that a later worker can tell it died.
        parser.set_defaults(worker_id=workers.worker_id())

    def handle(self, *args, **options):
        for task in workers.recover_stale_tasks():
            if options["verbosity"]:
                self.stdout.write(f"Back on the queue, its worker having stopped: {describe(task)}")
        super().handle(*args, **options)


def describe(task) -> str:
    started = f"{task.started_at:%Y-%m-%d %H:%M:%S}" if task.started_at else "at an unknown time"
    by = task.worker_ids[-1] if task.worker_ids else "an unknown worker"
    return f"{task.task_path} (task {task.pk}, started {started} by {by})"
