"""Every write of the analysis app: keeping a filled-in worksheet's entries with the model."""

from django.db import transaction

from cmc.core.errors import InvalidInput, Problem
from cmc.core.files import Limits
from cmc.frameworks.models import Framework

from .models import WorksheetEntry, WorksheetUpload
from .uploads import read


def upload(
    *,
    framework: Framework,
    actor,
    kind: str,
    name: str,
    data: bytes,
    limits: Limits | None = None,
    about: dict | None = None,
) -> WorksheetUpload:
    """Keep a filled-in worksheet's entries with the model: all of them, or none. `about`
    (credential, employer, course, course_hours, respondent) fills or overrides what the sheet
    says it is about. The file is read under `limits` (the settings' unless the command line
    trusts it)."""
    if actor is None or not actor.is_authenticated:
        raise InvalidInput([Problem("worksheet", "user", "sign in to upload a worksheet")])
    sheet = read(framework=framework, kind=kind, name=name, data=data, limits=limits, about=about)
    hours = sheet.about["course_hours"]
    with transaction.atomic():
        saved = WorksheetUpload.objects.create(
            framework=framework, kind=sheet.kind, filename=name[:255], columns=sheet.headings,
            column_types=sheet.types, uploaded_by=actor, entry_count=len(sheet.entries),
            credential=sheet.about["credential"], employer=sheet.about["employer"],
            course=sheet.about["course"], course_hours=float(hours) if hours else None,
            respondent=sheet.about["respondent"],
        )  # fmt: skip
        for entry in sheet.entries:
            entry.upload = saved
        WorksheetEntry.objects.bulk_create(sheet.entries)
    return saved
