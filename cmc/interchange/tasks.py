"""Background work of the interchange app: imports confirmed on the upload page."""

from django_tasks import task

from .models import PendingImport


@task()
def run_import(pending_id: int) -> str:
    """Import a confirmed upload; a second run (a worker retried) finds it done and stops."""
    pending = PendingImport.objects.select_related("owner").filter(pk=pending_id).first()
    if pending is None:
        return "gone"
    from .services import finish_upload

    return finish_upload(pending=pending).state
