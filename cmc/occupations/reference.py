"""The occupations app's shipped reference content: which O*NET-SOC occupations the CEWD energy
model's occupation tier names (reference/occupations/energy.yaml), loaded by `cmc
load-reference` after the frameworks (order 20)."""

from pathlib import Path

import yaml
from django.db import transaction

from cmc.core import reference
from cmc.core.errors import InvalidInput, Problem
from cmc.frameworks import panels
from cmc.frameworks.models import Framework
from cmc.frameworks.reference import reference_dir

from .models import FrameworkOccupation

FILE = "occupations/energy.yaml"


def links_of(path: Path) -> tuple[str, list[tuple[str, str]]]:
    """The framework's slug and its (code, title) pairs in order, each code once."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    pairs: dict[str, str] = {}
    for entry in data.get("occupations", []):
        for occupation in entry.get("onet", []):
            pairs.setdefault(occupation["code"], occupation["title"])
    if not data.get("framework") or not pairs:
        raise InvalidInput(
            [Problem(path.name, "occupations", "names no framework or no occupation")]
        )
    return data["framework"], list(pairs.items())


def load(*, dry_run: bool = False) -> reference.Loaded:
    """Make the energy model name its occupations (the titles as the file gives them), in the
    file's order; running it again changes nothing."""
    slug, pairs = links_of(reference_dir() / FILE)
    framework = Framework.objects.filter(slug=slug).first()
    if framework is None:
        return reference.Loaded(f"occupations: the framework '{slug}' is not loaded; skipped")
    lines = []
    with transaction.atomic():
        existing = {
            link.code: link for link in FrameworkOccupation.objects.filter(framework=framework)
        }
        for position, (code, title) in enumerate(pairs, 1):
            link = existing.get(code)
            if link is None:
                lines.append(f"{slug} names {code} {title}")
                if not dry_run:
                    FrameworkOccupation.objects.create(
                        framework=framework, code=code, title=title, position=position
                    )
            elif (link.title, link.position) != (title, position):
                lines.append(f"{slug}: {code} is now {title}")
                if not dry_run:
                    FrameworkOccupation.objects.filter(pk=link.pk).update(
                        title=title, position=position
                    )
    if lines and not dry_run:
        panels.changed(framework)
    return reference.Loaded(
        f"occupations: {len(lines)} link(s) of {slug} changed, {len(pairs)} in all", lines
    )


def register_loader() -> None:
    reference.register("occupations", load, order=20)
