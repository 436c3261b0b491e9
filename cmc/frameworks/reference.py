"""The shipped reference content (reference/*.yaml): parsed into trees and loaded idempotently."""

import re
import uuid
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction

from cmc.core.actors import SYSTEM
from cmc.core.errors import InvalidInput, Problem
from cmc.core.reference import Loaded

from .models import Kind, Status
from .services import ChangeReport, publish_version, save_framework_tree
from .trees import OCCUPATION_ENTRY, BehaviorNode, CompetencyNode, FrameworkTree, TierNode


def reference_dir() -> Path:
    return Path(getattr(settings, "CMC_REFERENCE_DIR", settings.BASE_DIR / "reference"))


def _child_id(parent: uuid.UUID, *parts: object) -> uuid.UUID:
    """Items in the reference files carry no identifiers of their own; derive stable ones so that
    every installation gives the same item the same identifier."""
    return uuid.uuid5(parent, "/".join(str(p) for p in parts))


# "(lines 240-489; 92-107)": where a section's text lies in the transcribed copy of the document,
# for whoever checks the transcription; the reference files keep it (with the copy's file name),
# people reading the model are shown the document's own chapter and figure.
_LINES = re.compile(r"\s*\(lines [0-9][0-9\s,;–-]*\)")


def _source(data: dict) -> dict[str, str]:
    source = data.get("source") or {}
    return {
        "source_citation": source.get("citation", ""),
        "source_url": source.get("url", "") or "",
        "source_section": _LINES.sub("", source.get("section", "")).strip(),
    }


def _shown_variant(variant: dict) -> dict:
    """A recorded variant as people read it: its source by citation and section alone."""
    source = variant.get("source")
    if not source:
        return variant
    shown = {k: v for k, v in source.items() if k != "seed"}
    if "section" in shown:
        shown["section"] = _LINES.sub("", shown["section"]).strip()
    return {**variant, "source": shown}


def tree_from_yaml(data: dict[str, Any]) -> FrameworkTree:
    """One framework file as a tree, with identifiers derived from the framework's own."""
    identifier = uuid.UUID(str(data["identifier"]))
    tree = FrameworkTree(
        identifier=identifier,
        slug=data["slug"],
        name=data["name"],
        kind=data.get("kind", Kind.INDUSTRY),
        status=data.get("status", Status.APPROVED),
        industry=data.get("industry", "") or "",
        naics=str(data.get("naics", "") or ""),
        description=(data.get("description") or "").strip(),
        version_label=str(data.get("version_label", "") or ""),
        language=data.get("language", "en"),
        based_on=data.get("based_on", "") or "",
        content_included=bool(data.get("content_included", True)),
        content_note=(data.get("content_note") or "").strip(),
        variants=[_shown_variant(v) for v in data.get("variants") or []],
        **_source(data),
    )
    for tier_data in data.get("tiers") or []:
        number = int(tier_data["number"])
        tier = TierNode(
            identifier=_child_id(identifier, "tier", number),
            number=number,
            name=tier_data["name"],
            group=tier_data.get("group", "") or "",
            note=(tier_data.get("note") or "").strip(),
        )
        for comp_data in tier_data.get("competencies") or []:
            code = str(comp_data["code"])
            competency = CompetencyNode(
                identifier=_child_id(identifier, "competency", code),
                code=code,
                name=comp_data["name"],
                definition=(comp_data.get("definition") or "").strip(),
                # An entry of the figure that names an occupation, not a competency: kept on
                # the model's own page, never copied into a blend as a competency.
                extensions={OCCUPATION_ENTRY: True} if comp_data.get("names_occupation") else {},
            )
            for position, b in enumerate(comp_data.get("behaviors") or [], start=1):
                competency.behaviors.append(
                    BehaviorNode(
                        identifier=_child_id(identifier, "behavior", code, position),
                        title=(b.get("title") or "").strip(),
                        text=(b.get("text") or "").strip(),
                    )
                )
            tier.competencies.append(competency)
        tree.tiers.append(tier)
    return tree


def catalogue_trees(data: dict[str, Any]) -> list[FrameworkTree]:
    """The catalogue's records: frameworks whose content is not shipped."""
    shared = {"source": data.get("source") or {}}
    return [
        tree_from_yaml({**shared, **record, "content_included": False, "tiers": []})
        for record in data.get("frameworks") or []
    ]


def read_reference(directory: Path | None = None) -> tuple[list[FrameworkTree], list[Problem]]:
    """Every reference framework, sorted so that a model comes after the one it is based on."""
    directory = directory or reference_dir()
    trees: list[FrameworkTree] = []
    problems: list[Problem] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            if path.name == "catalogue.yaml":
                trees.extend(catalogue_trees(data))
            else:
                trees.append(tree_from_yaml(data))
        except (yaml.YAMLError, KeyError, TypeError, ValueError) as error:
            problems.append(Problem(str(path), "file", f"cannot be read ({error})"))
    order = {t.slug: t for t in trees}
    trees.sort(key=lambda t: (1 if t.based_on in order else 0, t.slug))
    return trees, problems


def load_reference(*, directory: Path | None = None, dry_run: bool = False) -> list[ChangeReport]:
    """Create or bring up to date every reference framework; running it twice changes nothing."""
    trees, problems = read_reference(directory)
    if problems:
        raise InvalidInput(problems)
    reports = []
    with transaction.atomic():
        for tree in trees:
            report = save_framework_tree(
                tree=tree, where=f"reference/{tree.slug}", is_reference=True, dry_run=dry_run
            )
            # Each change to shipped content is a published version, so that models derived
            # from it can name the version they took.
            if report.changed and not dry_run:
                publish_version(
                    framework=report.framework,
                    actor=SYSTEM,
                    note="As shipped" if report.created else "Shipped content updated",
                )
            reports.append(report)
    return reports


def load_for_command(*, dry_run: bool = False) -> Loaded:
    """`cmc load-reference`'s part for frameworks: what changed, and a summary."""
    reports = load_reference(dry_run=dry_run)
    changed = [r for r in reports if r.changed]
    verb = "would change" if dry_run else "changed"
    return Loaded(
        summary=f"{len(reports)} reference frameworks, {len(changed)} {verb}, "
        f"{len(reports) - len(changed)} already up to date",
        lines=[line for report in changed for line in report.lines()],
    )
