"""Writing whole trees: an import, the reference content, a framework created through the API.
Every tree is validated first; then one transaction writes it (see `syncing`)."""

import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from cmc.core import bulk
from cmc.core.actors import SYSTEM, person
from cmc.core.errors import Conflict, InvalidInput, Problem

from ..models import Competency, Framework, Tier, Visibility
from ..selectors import require_editable, require_manageable
from ..trees import RESERVED_SLUGS, FrameworkTree, named_once, validate
from .behaviors import Behaviors, HeldBehaviors, foreign_problems, located
from .indexing import index_framework
from .spooling import BehaviorSpool, spooled
from .syncing import sync_competencies, sync_tiers

FRAMEWORK_FIELDS = (
    "name", "kind", "status", "industry", "naics", "description", "source_citation",
    "source_url", "source_section", "version_label", "language", "content_included",
    "content_note", "variants", "extensions",
)  # fmt: skip


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return (
            f"{self.created} new, {self.updated} changed, {self.deleted} removed, "
            f"{self.unchanged} unchanged"
        )


@dataclass
class ChangeReport:
    framework: Framework
    created: bool
    fields_changed: bool = False
    dry_run: bool = False
    tiers: Counts = field(default_factory=Counts)
    competencies: Counts = field(default_factory=Counts)
    behaviors: Counts = field(default_factory=Counts)

    @property
    def changed(self) -> bool:
        return (
            self.created
            or self.fields_changed
            or any(
                c.created or c.updated or c.deleted
                for c in (self.tiers, self.competencies, self.behaviors)
            )
        )

    def lines(self) -> list[str]:
        verb = "would be" if self.dry_run else "was"
        state = "created" if self.created else ("updated" if self.changed else "unchanged")
        return [
            f"{self.framework.name} ({self.framework.slug}) {verb} {state}",
            f"  tiers: {self.tiers}",
            f"  competencies: {self.competencies}",
            f"  key behaviors: {self.behaviors}",
        ]


class _DryRun(Exception):
    pass


def save_framework_tree(
    *,
    tree: FrameworkTree,
    where: str,
    actor=SYSTEM,
    visibility: str | None = None,
    is_reference: bool = False,
    dry_run: bool = False,
) -> ChangeReport:
    """Create a framework from a tree, or bring the framework with the same identifier (else slug)
    to match it: items are matched by identifier, then by tier number, code and position; what
    the tree no longer has is removed; `actor` is the system unless a person is named.
    Raises InvalidInput, with every problem located, before anything is written."""
    problems = validate(tree, where)
    if problems:
        raise InvalidInput(problems)
    reports: list[ChangeReport] = []
    with bulk.collecting_later(), _one_write(reports, dry_run=dry_run):
        reports.append(_write_valid_tree(tree, actor, visibility, is_reference))
    return reports[0]


@contextmanager
def _one_write(reports: list[ChangeReport], *, dry_run: bool):
    """One transaction for the writes made inside it, whose reports go into `reports`; on a
    dry run it is taken back at the end and the reports say they would have been written."""
    try:
        with transaction.atomic():
            yield
            if dry_run:
                raise _DryRun
    except _DryRun:
        for report in reports:
            report.dry_run = True


def import_trees(
    *,
    trees: list[FrameworkTree],
    where: str,
    actor=SYSTEM,
    visibility: str | None = None,
    dry_run: bool = False,
) -> list[ChangeReport]:
    """Write several parsed frameworks all together or not at all: every tree is validated
    before the first is written."""
    reports: list[ChangeReport] = []
    # The trees of a big file are many objects: the cycle collector would walk them over and
    # over while they are checked and written (see bulk.collecting_later).
    with bulk.collecting_later():
        problems = [p for tree in trees for p in validate(tree, where)]
        if problems:
            raise InvalidInput(problems)
        with _one_write(reports, dry_run=dry_run):
            for tree in trees:
                reports.append(_write_valid_tree(tree, actor, visibility, False))
    return reports


def import_spooled(
    *,
    read: Callable[[BehaviorSpool], tuple[list[FrameworkTree], list[Problem]]],
    where: str,
    actor=SYSTEM,
    visibility: str | None = None,
    dry_run: bool = False,
) -> list[ChangeReport]:
    """Import a file whose key behaviors are too many to hold, all of it or nothing, as
    `import_trees` writes trees: in one transaction, `read(spool)` reads the file, giving its
    frameworks without their key behaviors (put aside in `spool`: see spooling) and every
    problem found while reading; every framework is checked (each place and field named once)
    before the first is written, each then written with its key behaviors read back a batch
    at a time. Raises InvalidInput, with every problem located, having written nothing;
    returns no report for a file of no framework."""
    reports: list[ChangeReport] = []
    with bulk.collecting_later(), _one_write(reports, dry_run=dry_run), spooled() as spool:
        trees, problems = read(spool)
        problems = _with_spool_problems(trees, problems, spool, where)
        if problems:
            raise InvalidInput(problems)
        for index, tree in enumerate(trees):
            behaviors = spool.behaviors(index, tree)
            reports.append(_write_valid_tree(tree, actor, visibility, False, behaviors))
    return reports


def _with_spool_problems(trees, problems: list[Problem], spool, where: str) -> list[Problem]:
    """The problems found while reading, then those of the frameworks and of their key
    behaviors' identifiers that are not named already (the same place and field)."""
    return named_once(problems, (
        p for index, tree in enumerate(trees)
        for p in [*validate(tree, where), *spool.repeated(index, tree)]
    ))  # fmt: skip


def create_framework(*, tree: FrameworkTree, actor, visibility: str = "private") -> ChangeReport:
    """A new framework owned by the actor; a taken slug is a Conflict, never an overwrite."""
    if tree.slug in RESERVED_SLUGS:
        raise Conflict(f"The slug '{tree.slug}' names a page of the site; choose another.")
    if tree.slug and Framework.objects.filter(slug=tree.slug).exists():
        raise Conflict(f"The slug '{tree.slug}' is already used; choose another.")
    tree.slug = tree.slug or unique_slug(tree.name)
    tree.identifier = None
    return save_framework_tree(tree=tree, where="framework", actor=actor, visibility=visibility)


def unique_slug(name: str) -> str:
    base = slugify(name)[:110].strip("-") or "framework"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Framework.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _find_existing(tree: FrameworkTree) -> Framework | None:
    if tree.identifier:
        found = Framework.objects.filter(identifier=tree.identifier).first()
        if found:
            return found
    return Framework.objects.filter(slug=tree.slug).first()


def _write_valid_tree(
    tree, actor, visibility, is_reference, behaviors: Behaviors | None = None
) -> ChangeReport:
    """Write a tree already validated, inside the caller's transaction; its key behaviors are
    its nodes' own unless `behaviors` says where they are."""
    tree.slug = tree.slug or slugify(tree.name)[:120] or "framework"
    return _write_tree(tree, actor, visibility, is_reference, behaviors or HeldBehaviors(tree))


def _write_tree(tree, actor, visibility, is_reference, behaviors: Behaviors) -> ChangeReport:
    framework = _find_existing(tree)
    if framework is not None:
        require_editable(framework=framework, actor=actor)
    created = framework is None
    if created:
        framework = Framework(
            slug=tree.slug,
            identifier=tree.identifier or uuid.uuid4(),
            owner=person(actor),
            visibility=visibility or (Visibility.PUBLIC if is_reference else Visibility.PRIVATE),
            is_reference=is_reference,
        )
    elif framework.slug != tree.slug and Framework.objects.filter(slug=tree.slug).exists():
        raise InvalidInput(
            [Problem("framework", "slug", f"'{tree.slug}' is already used by another framework")]
        )
    if not created:
        _refuse_foreign_identifiers(framework, tree, behaviors)
    framework_changed = _apply_fields(framework, tree)
    if visibility and framework.visibility != visibility:
        if not created:  # who may see an existing model is its managers' choice
            require_manageable(framework=framework, actor=actor, action="change who may see it")
        framework.visibility, framework_changed = visibility, True
    if created or framework_changed:
        framework.slug = tree.slug
        framework.save()
    report = ChangeReport(framework=framework, created=created, fields_changed=framework_changed)
    with _foreign_identifiers_named(framework, tree, behaviors, new=created):
        tiers, stale_tiers = sync_tiers(framework, tree, report)
        sync_competencies(framework, tree, tiers, report, behaviors)
    # Removed tiers go last, once the competencies that moved out of them have moved.
    if stale_tiers:
        Tier.objects.filter(pk__in=stale_tiers).delete()
        report.tiers.deleted = len(stale_tiers)
    if report.changed:
        index_framework(framework=framework)
    return report


@contextmanager
def _foreign_identifiers_named(framework: Framework, tree: FrameworkTree, behaviors, *, new: bool):
    """A new framework's items are all written as new rows, with the tree's identifiers: one
    that names an item of another framework fails the write (identifiers are unique), and is
    named then (rolled back to before the items), not looked for among every item first. An
    existing framework's are looked for before anything is written: an item matched by its
    code keeps its own identifier, so the tree's would not fail the write."""
    if not new:
        yield
        return
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        _refuse_foreign_identifiers(framework, tree, behaviors)
        raise


def _refuse_foreign_identifiers(framework: Framework, tree: FrameworkTree, behaviors) -> None:
    """Identifiers that name items of another framework would take those items' identity:
    refuse them, each located (a copy of an export needs its identifier columns cleared)."""
    competencies = [c for t in tree.tiers for c in t.competencies]
    problems = []
    for kind, model, nodes in (
        ("tier", Tier, tree.tiers),
        ("competency", Competency, competencies),
    ):
        problems += foreign_problems(kind, model, "framework", located(nodes, tree), framework)
    problems += behaviors.foreign(framework)
    if problems:
        raise InvalidInput(problems)


def _apply_fields(framework: Framework, tree: FrameworkTree) -> bool:
    values = {name: getattr(tree, name) for name in FRAMEWORK_FIELDS}
    if not tree.complete and framework.pk is not None:
        # The file names the framework but carries none of its other fields: keep them.
        values = {
            "name": tree.name,
            "content_included": framework.content_included or bool(tree.tiers),
        }
    changed = False
    for name, value in values.items():
        if getattr(framework, name) != value:
            setattr(framework, name, value)
            changed = True
    if not tree.complete and framework.pk is not None:
        return changed
    based_on = Framework.objects.filter(slug=tree.based_on).first() if tree.based_on else None
    if framework.based_on_id != (based_on.pk if based_on else None):
        framework.based_on = based_on
        changed = True
    return changed
