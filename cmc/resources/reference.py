"""The shipped models in action (reference/resources/case-studies.yaml): the case studies the
seeds describe, loaded as published resources of kind "case study" after the frameworks they
are aligned to. Running the load twice changes nothing."""

from dataclasses import replace
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cmc.core.actors import SYSTEM
from cmc.core.errors import InvalidInput, Problem
from cmc.core.reference import Loaded

from . import services
from .cleaning import Cleaner, ResourceInput, parse_alignment
from .models import Resource

FIELDS = ("title", "organization", "url", "description")


def case_studies_path() -> Path:
    base = Path(getattr(settings, "CMC_REFERENCE_DIR", settings.BASE_DIR / "reference"))
    return base / "resources" / "case-studies.yaml"


def read_case_studies(path: Path | None = None) -> list[dict]:
    path = path or case_studies_path()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return list(data["case_studies"])
    except (OSError, yaml.YAMLError, KeyError, TypeError) as error:
        raise InvalidInput([Problem(str(path), "file", f"cannot be read ({error})")]) from None


def load(*, dry_run: bool = False, path: Path | None = None) -> Loaded:
    """Create or bring up to date every shipped case study (its text, tags and alignments)."""
    records = read_case_studies(path)
    cleaner = Cleaner(SYSTEM)
    lines, problems, cleaned = [], [], []
    for number, record in enumerate(records, start=1):
        data = _input(record)
        clean, found = cleaner.clean(data, where=f"case study {number}")
        if found and dry_run and all(p.field == "alignments" for p in found):
            # A dry run of a first load: the frameworks loader has not written the frameworks
            # it would; report the case studies by their text and tags alone.
            clean, found = cleaner.clean(replace(data, alignments=[]), where=f"case study {number}")
            clean.targets = None
        problems += found
        cleaned.append((record, clean))
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        for record, clean in cleaned:
            change = _sync(record, clean, dry_run)
            if change:
                lines.append(f"{change} case study: {record['title']}")
        if dry_run:
            transaction.set_rollback(True)
    changed = len(lines)
    verb = "would change" if dry_run else "changed"
    return Loaded(f"models in action: {len(records)} case studies, {changed} {verb}", lines)


def _input(record: dict) -> ResourceInput:
    refs = [parse_alignment(text) for text in record.get("alignments") or []]
    return ResourceInput(
        kind="case-study",
        title=record.get("title", ""),
        organization=record.get("organization", ""),
        url=record.get("url", ""),
        description=" ".join(str(record.get("description", "")).split()),
        industries=list(record.get("industries") or []),
        states=list(record.get("states") or []),
        uses=list(record.get("uses") or []),
        alignments=[ref for ref in refs if ref is not None],
    )


def _sync(record: dict, clean, dry_run: bool) -> str:
    """'added', 'updated' or '' (unchanged) for one case study."""
    identifier = str(record["identifier"])
    wanted = {**clean.fields, "source_note": " ".join(str(record.get("source_note", "")).split())}
    found = Resource.objects.filter(identifier=identifier).first()
    if found is not None and _same(found, wanted, clean):
        return ""
    if dry_run:
        return "would add" if found is None else "would update"
    resource = found or Resource(identifier=identifier)
    for name, value in wanted.items():
        setattr(resource, name, value)
    if resource.status != "published":
        resource.status, resource.decided_at = "published", timezone.now()
    resource.save()
    services.write_links(resource, clean, SYSTEM, replace=found is not None)
    return "added" if found is None else "updated"


def _same(resource: Resource, wanted: dict, clean) -> bool:
    from .selectors import resource_alignments, tags_of

    if resource.status != "published":
        return False
    if any(getattr(resource, name) != value for name, value in wanted.items()):
        return False
    tags = tags_of(resource)
    if any(sorted(tags.get(name, [])) != sorted(values) for name, values in clean.tags.items()):
        return False
    have = {
        (a.framework_id, a.tier_id, a.competency_id) for a in resource_alignments(resource, SYSTEM)
    }
    want = {
        (t.framework.pk, getattr(t.tier, "pk", None), getattr(t.competency, "pk", None))
        for t in clean.targets
    }
    return have == want
