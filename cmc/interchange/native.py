"""Imports of the project's own formats (the tabular CSV and XLSX, and the JSON document): a
file on the command line (`import_file`: a tabular file read once, its key behaviors put aside
in the import's transaction, never held whole), or one sent by a person, on the upload page
or through the API: read and checked as `cmc import FILE` reads them (formats.read_file),
previewed, then written by the same service (frameworks.services.import_trees), as the person.

What a file names that the person may not change (a reference model they downloaded and
edited, say) is not refused: it becomes a new framework of their own, with new identifiers
and a slug of its own. New frameworks are private unless made public."""

import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import slugify

from cmc.core.actors import is_system, person
from cmc.core.errors import InvalidInput, Problem
from cmc.core.files import Limits
from cmc.frameworks.models import Framework
from cmc.frameworks.selectors import may_edit
from cmc.frameworks.services import (
    ChangeReport,
    import_spooled,
    import_trees,
    share_framework,
    unique_slug,
)
from cmc.frameworks.trees import FrameworkTree, validate

from . import formats

KINDS = ("csv", "xlsx", "json")
# What the preview shows of each framework: its first tiers and first competencies.
PREVIEW_TIERS = 12
PREVIEW_COMPETENCIES = 8


def import_file(
    *, path: Path, limits: Limits | None = None, on_progress=None,
    visibility: str | None = None, dry_run: bool = False,
) -> list[ChangeReport]:  # fmt: skip
    """Import the frameworks of a file of one of KINDS (`cmc import FILE`) as the system, all
    or none. A tabular file is read once, inside the import's transaction: its key behaviors
    are put aside as they are read and written from there, so that its length costs no
    memory. Raises InvalidInput, naming each problem with the file, row and column, having
    written nothing; returns no report for a file of no framework."""
    if formats.kind_of(path.name) in formats.SPOOLED:

        def read_into(spool):
            return formats.read_file(path, on_progress=on_progress, limits=limits, spool=spool)

        return import_spooled(read=read_into, where=path.name, visibility=visibility,
                              dry_run=dry_run)  # fmt: skip
    trees, problems = formats.read_file(path, on_progress=on_progress, limits=limits)
    if problems:
        raise InvalidInput(problems)
    if not trees:
        return []
    return import_trees(trees=trees, where=path.name, dry_run=dry_run, visibility=visibility)


def read(
    *, fmt: str, data: bytes, name: str, limits: Limits | None = None, on_progress=None
) -> list[FrameworkTree]:
    """The frameworks of a file of one of KINDS, every row checked; InvalidInput names each
    problem with the file, row and column. Nothing is written."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload.{fmt}"
        path.write_bytes(data)
        trees, problems = formats.read_file(
            path, name=name, on_progress=on_progress, limits=limits, kind=fmt
        )
    if not problems and not trees:
        problems = [Problem(name, "file", "holds no framework rows; start from an export")]
    if not problems:  # what the write would refuse, found now (read_file leaves it to it)
        problems = [p for tree in trees for p in validate(tree, name)]
    if problems:
        raise InvalidInput(problems)
    return trees


@dataclass
class Plan:
    """What writing one tree will do: "create" a framework, "update" the one it names (which
    the actor may change), or "copy" it (the one it names is not the actor's to change)."""

    tree: FrameworkTree
    action: str
    existing: Framework | None = None
    shown: bool = False  # whether the actor may see the framework the file names


def plan(trees: list[FrameworkTree], actor) -> list[Plan]:
    """What writing the trees as the actor will do to each framework."""
    plans = []
    for tree in trees:
        existing = _named(tree)
        if existing is None:
            plans.append(Plan(tree, "create"))
        elif may_edit(framework=existing, actor=actor):
            plans.append(Plan(tree, "update", existing, shown=True))
        else:
            shown = Framework.objects.visible_to(actor).filter(pk=existing.pk).exists()
            plans.append(Plan(tree, "copy", existing, shown=shown))
    return plans


def _named(tree: FrameworkTree) -> Framework | None:
    """The framework a tree names, as the write finds it: by identifier, else by slug."""
    if tree.identifier:
        found = Framework.objects.filter(identifier=tree.identifier).first()
        if found is not None:
            return found
    return Framework.objects.filter(slug=_slug(tree)).first()


def _slug(tree: FrameworkTree) -> str:
    return tree.slug or slugify(tree.name)[:120] or "framework"


def preview(trees: list[FrameworkTree], actor) -> dict:
    """What the upload page shows before anything is written: each framework with what will
    happen to it, its counts, its first tiers and its first competencies."""
    return {"frameworks": [_shown(p) for p in plan(trees, actor)]}


def _shown(p: Plan) -> dict:
    tree = p.tree
    competencies = [(tier, c) for tier in tree.tiers for c in tier.competencies]
    note = ""
    if p.action == "copy":
        # A framework the actor may not see is not named, not even by its slug.
        named = f"“{p.existing.name}”" if p.shown else "a framework"
        note = (f"The file names {named}, which you may not change: it becomes a new "
                "framework of your own.")  # fmt: skip
    return {
        "name": tree.name,
        "slug": p.existing.slug if p.action == "update" else "",
        "action": p.action,
        "note": note,
        "tiers": len(tree.tiers),
        "competencies": len(competencies),
        "behaviors": sum(len(c.behaviors) for _, c in competencies),
        "tier_rows": [
            {
                "number": t.number,
                "name": t.name,
                "competencies": len(t.competencies),
                "behaviors": sum(len(c.behaviors) for c in t.competencies),
            }
            for t in tree.tiers[:PREVIEW_TIERS]
        ],
        "more_tiers": max(0, len(tree.tiers) - PREVIEW_TIERS),
        "first": [
            {
                "tier": tier.number,
                "code": c.code,
                "name": c.name,
                "behaviors": len(c.behaviors),
                "behavior": c.behaviors[0].text[:200] if c.behaviors else "",
            }
            for tier, c in competencies[:PREVIEW_COMPETENCIES]
        ],
    }


def write(
    *, trees: list[FrameworkTree], actor, where: str, public: bool = False,
    dry_run: bool = False,
) -> list[ChangeReport]:  # fmt: skip
    """Write the frameworks of a file as the actor, all or none: those the actor may change
    brought up to date, the others new frameworks of the actor's own (private unless
    `public`). Raises InvalidInput, with every problem located, before anything is written."""
    if person(actor) is None and not is_system(actor):
        raise PermissionDenied("Sign in to import a framework.")
    taken: set[str] = set()
    for p in plan(trees, actor):
        if p.action == "copy":
            _as_new(p.tree, taken)
        taken.add(_slug(p.tree))
    with transaction.atomic():
        reports = import_trees(trees=trees, where=where, actor=actor, dry_run=dry_run)
        if public and not dry_run:
            for report in reports:
                if report.created:
                    share_framework(framework=report.framework, actor=actor, visibility="public")
    return reports


def _as_new(tree: FrameworkTree, taken: set[str]) -> None:
    """Make a tree a new framework: no identifiers of the one it came from, and a free slug
    (free in the database and among the other frameworks of the same file)."""
    tree.identifier = None
    for tier in tree.tiers:
        tier.identifier = None
        for competency in tier.competencies:
            competency.identifier = None
            for behavior in competency.behaviors:
                behavior.identifier = None
    slug, number = unique_slug(tree.name), 2
    while slug in taken:
        slug, number = unique_slug(f"{tree.name} {number}"), number + 1
    tree.slug = slug


def report_out(report: ChangeReport, links: int = 0) -> dict:
    """What the API says of one framework an import wrote (or would write, on a dry run)."""
    counts = {
        name: getattr(report, name).created + getattr(report, name).updated
        + getattr(report, name).unchanged
        for name in ("tiers", "competencies", "behaviors")
    }  # fmt: skip
    return {
        "slug": report.framework.slug, "name": report.framework.name, "created": report.created,
        "dry_run": report.dry_run, **counts, "links": links,
    }  # fmt: skip
