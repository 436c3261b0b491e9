"""Every write of the analysis app: keeping a filled-in worksheet's entries with the model."""

from django.db import transaction

from cmc.core.errors import InvalidInput, Problem
from cmc.core.files import Limits
from cmc.frameworks.models import Framework

from .models import WorksheetEntry, WorksheetUpload
from .uploads import read


def upload(
    *, framework: Framework, actor, kind: str, name: str, data: bytes, limits: Limits | None = None
) -> WorksheetUpload:
    """Keep a filled-in worksheet's entries with the model: all of them, or none. The file is
    read under `limits` (the settings' unless the command line trusts it)."""
    if actor is None or not actor.is_authenticated:
        raise InvalidInput([Problem("worksheet", "user", "sign in to upload a worksheet")])
    kind, headings, entries = read(
        framework=framework, kind=kind, name=name, data=data, limits=limits
    )
    with transaction.atomic():
        saved = WorksheetUpload.objects.create(
            framework=framework, kind=kind, filename=name[:255], columns=headings,
            uploaded_by=actor, entry_count=len(entries),
        )  # fmt: skip
        for entry in entries:
            entry.upload = saved
        WorksheetEntry.objects.bulk_create(entries)
    return saved
