"""Imports of frameworks from other systems' formats (CASE packages, CTDL-ASN graphs): every
door (the upload page and the API, through `uploads`, and `cmc import-case` / `cmc
import-ctdl`) calls these. The file is read and checked whole, its items placed by the levels
chosen, and only then is anything written, in one transaction: the framework, and its links to
outside statements as alignments."""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from cmc.core import bulk
from cmc.core.actors import SYSTEM, is_system, person
from cmc.core.errors import InvalidInput, Problem
from cmc.core.files import Guard, Limits
from cmc.frameworks import panels
from cmc.frameworks.models import Alignment, Competency, Framework, KeyBehavior, Tier
from cmc.frameworks.services import ChangeReport, align, save_framework_tree, unique_slug
from cmc.frameworks.trees import validate

from .formats import case_read, case_tree, ctdl
from .formats import outline as outlines

FORMATS = {"case": "CASE package", "ctdl": "CTDL-ASN graph"}
HINT = "split the framework into smaller ones, or import a file you trust with --trusted"


@dataclass
class Read:
    """A checked file of one format, ready to be placed: its outline and what it came as."""

    fmt: str
    name: str
    source: object  # case_read.Package or ctdl.Graph

    @property
    def outline(self) -> outlines.Outline:
        return self.source.outline

    def levels(self) -> list[outlines.Level]:
        return outlines.levels(self.outline)


@dataclass
class Imported:
    report: ChangeReport
    links: int


def read(*, fmt: str, data: bytes, name: str, limits: Limits | None = None) -> Read:
    """Parse and check a file of `fmt` ("case" or "ctdl"); raises InvalidInput with every
    problem, each naming the file and the JSON path."""
    if fmt not in FORMATS:
        raise InvalidInput([Problem(name, "format", f"'{fmt}' is not one of case, ctdl")])
    if not data:
        raise InvalidInput([Problem(name, "file", "is empty")])
    guard = Guard(name, limits, hint=HINT)
    with bulk.collecting_later():
        parsed, problems = case_read.parse_bytes(data, guard)
        if not problems:
            reader = case_read.read_package if fmt == "case" else ctdl.read_graph
            source, problems = reader(parsed, guard)
    if problems:
        raise InvalidInput(problems)
    return Read(fmt, name, source)


def roles_for(found: Read, *, chosen: dict[str, str] | None = None, depths=None) -> dict:
    """The role of every level: the defaults, changed by whole depths (`depths`: {2:
    "behavior"}) and then by level (`chosen`: {"2:Standard": "behavior"}); an unknown level
    or role is a problem."""
    roles = outlines.roles_by_depth(found.outline, depths or {})
    problems = []
    for key, role in (chosen or {}).items():
        if key not in roles:
            problems.append(Problem(found.name, "level", f"'{key}' is no level of this file"))
        elif role not in outlines.ROLES:
            problems.append(Problem(found.name, f"level {key}",
                                    f"'{role}' is not one of {', '.join(outlines.ROLES)}"))  # fmt: skip
        else:
            roles[key] = role
    if problems:
        raise InvalidInput(problems)
    return roles


def import_read(
    *, found: Read, actor, roles: dict[str, str] | None = None, public: bool = False,
    dry_run: bool = False,
) -> Imported:  # fmt: skip
    """Write a checked file as a framework (new, or the one with its identifier, which the
    actor must be able to change) private to the actor unless `public`, with its links to
    outside statements as alignments. Raises InvalidInput, naming every item that cannot be
    placed or written, before anything is written."""
    if person(actor) is None and not is_system(actor):
        raise PermissionDenied("Sign in to import a framework.")
    roles = roles or roles_for(found)
    # One stretch without the cycle collector, from placing the items to the last row written.
    with bulk.collecting_later():
        tree, placed = _placed(found, roles)
        _free_slug(tree)
        visibility = "public" if public else None
        try:
            with transaction.atomic():
                report = save_framework_tree(tree=tree, where=found.name, actor=actor,
                                             visibility=visibility)  # fmt: skip
                links = _write_links(report.framework, placed, found.outline.links, found.fmt)
                report.dry_run = dry_run
                if dry_run:
                    raise _DryRun(Imported(report, links))
        except _DryRun as done:
            return done.imported
    panels.changed(report.framework)
    return Imported(report, links)


def _placed(found: Read, roles: dict[str, str]) -> tuple:
    """The file's tree, its items placed by `roles`, and where each went; raises InvalidInput
    with every item that cannot be placed and every problem the tree would meet."""
    module = case_tree if found.fmt == "case" else ctdl
    tree, placed, problems = module.to_tree(found.source, roles, found.name,
                                            base=settings.CMC_SITE_URL)  # fmt: skip
    if problems:  # with every problem the tree would meet besides (saving checks it else)
        raise InvalidInput(problems + validate(tree, found.name))
    return tree, placed


class _DryRun(Exception):
    def __init__(self, imported: Imported):
        self.imported = imported


def _free_slug(tree) -> None:
    """The slug a file names, unless another framework has it: then one made from the name."""
    if not tree.slug:
        return
    taken = Framework.objects.filter(slug=tree.slug).exclude(identifier=tree.identifier)
    if taken.exists():
        tree.slug = unique_slug(tree.name)


def _write_links(framework: Framework, placed: dict, links: list, fmt: str) -> int:
    """Replace the framework's links that a file of this format made with the file's."""
    made_here = Alignment.objects.filter(framework=framework)
    if fmt == "case":
        made_here = made_here.filter(scheme="case", method__startswith="CASE ")
    else:
        made_here = made_here.filter(scheme="ctdl")
    made_here.delete()
    items = _items(framework, [placed[link.item].node.identifier for link in links if link.item])
    for link in links:
        target = {}
        if link.item:
            spot = placed[link.item]
            target = {"tier" if spot.role == "tier" else spot.role: items[spot.node.identifier]}
        align(actor=SYSTEM, framework=framework, scheme=link.scheme, code=link.code,
              text=link.text, url=link.url, strength=link.strength, score=link.score,
              method=link.method, **target)  # fmt: skip
    return len(links)


def _items(framework: Framework, identifiers: list[uuid.UUID]) -> dict:
    found: dict = {}
    for model, path in ((Tier, "framework"), (Competency, "framework"),
                        (KeyBehavior, "competency__framework")):  # fmt: skip
        for start in range(0, len(identifiers), 500):
            rows = model.objects.filter(
                **{path: framework, "identifier__in": identifiers[start : start + 500]}
            )
            found.update({row.identifier: row for row in rows})
    return found
