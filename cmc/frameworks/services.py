"""Every write to frameworks: one function per use case, keyword-only, one transaction each."""

import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from cmc.core.models import SearchEntry

from . import renders
from .models import Competency, Framework, KeyBehavior, Tier, Visibility
from .trees import RESERVED_SLUGS, FrameworkTree, Problem, default_group, validate

FRAMEWORK_FIELDS = (
    "name", "kind", "status", "industry", "naics", "description", "source_citation",
    "source_url", "source_section", "version_label", "language", "content_included",
    "content_note", "variants",
)  # fmt: skip
# Positions and codes are moved out of the way first so that a reorder never trips the
# uniqueness constraints half-way. Tier numbers and positions move by less: they are smallints,
# which stop at 32767 on PostgreSQL.
_SHIFT = 1_000_000
_TIER_SHIFT = 1_000


class InvalidInput(Exception):
    """The input has problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:5]))


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


def may_edit(*, framework: Framework, actor) -> bool:
    """Whether the actor may change the framework (owner, or editor of its organization)."""
    return Framework.objects.editable_by(actor).filter(pk=framework.pk).exists()


def require_editable(*, framework: Framework, actor) -> None:
    """Raise PermissionDenied unless the actor may change the framework."""
    if not may_edit(framework=framework, actor=actor):
        raise PermissionDenied(f"You may not change the framework '{framework.slug}'.")


class _DryRun(Exception):
    pass


def save_framework_tree(
    *,
    tree: FrameworkTree,
    where: str,
    actor=None,
    visibility: str | None = None,
    is_reference: bool = False,
    dry_run: bool = False,
) -> ChangeReport:
    """Create a framework from a tree, or bring the framework with the same identifier (else slug)
    to match it: items are matched by identifier, then by tier number, code and position; what
    the tree no longer has is removed. `actor` None is the system (command line, reference load).
    Raises InvalidInput, with every problem located, before anything is written."""
    problems = validate(tree, where)
    if problems:
        raise InvalidInput(problems)
    tree.slug = tree.slug or slugify(tree.name)[:120] or "framework"
    try:
        with transaction.atomic():
            report = _write_tree(tree, actor, visibility, is_reference)
            report.dry_run = dry_run
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _find_existing(tree: FrameworkTree) -> Framework | None:
    if tree.identifier:
        found = Framework.objects.filter(identifier=tree.identifier).first()
        if found:
            return found
    return Framework.objects.filter(slug=tree.slug).first()


def _write_tree(tree, actor, visibility, is_reference) -> ChangeReport:
    framework = _find_existing(tree)
    if framework is not None and actor is not None:
        require_editable(framework=framework, actor=actor)
    created = framework is None
    if created:
        framework = Framework(
            slug=tree.slug,
            identifier=tree.identifier or uuid.uuid4(),
            owner=actor,
            visibility=visibility or (Visibility.PUBLIC if is_reference else Visibility.PRIVATE),
            is_reference=is_reference,
        )
    elif framework.slug != tree.slug and Framework.objects.filter(slug=tree.slug).exists():
        raise InvalidInput(
            [Problem("framework", "slug", f"'{tree.slug}' is already used by another framework")]
        )
    _refuse_foreign_identifiers(framework, tree)
    framework_changed = _apply_fields(framework, tree)
    if visibility and framework.visibility != visibility:
        framework.visibility, framework_changed = visibility, True
    if created or framework_changed:
        framework.slug = tree.slug
        framework.save()
    report = ChangeReport(framework=framework, created=created, fields_changed=framework_changed)
    tiers, stale_tiers = _sync_tiers(framework, tree, report)
    _sync_competencies(framework, tree, tiers, report)
    # Removed tiers go last, once the competencies that moved out of them have moved.
    if stale_tiers:
        Tier.objects.filter(pk__in=stale_tiers).delete()
        report.tiers.deleted = len(stale_tiers)
    if report.changed:
        index_framework(framework=framework)
    return report


def _refuse_foreign_identifiers(framework: Framework, tree: FrameworkTree) -> None:
    """Identifiers that name items of another framework would take those items' identity:
    refuse them, each located (a copy of an export needs its identifier columns cleared)."""
    competencies = [c for t in tree.tiers for c in t.competencies]
    behaviors = [b for c in competencies for b in c.behaviors]
    problems = []
    for kind, model, path, nodes in (
        ("tier", Tier, "framework", tree.tiers),
        ("competency", Competency, "framework", competencies),
        ("behavior", KeyBehavior, "competency__framework", behaviors),
    ):
        where = {n.identifier: n.origin or f"framework {tree.slug}" for n in nodes if n.identifier}
        ids = list(where)
        for start in range(0, len(ids), 500):
            found = model.objects.filter(identifier__in=ids[start : start + 500])
            for identifier, slug in found.exclude(**{path: framework.pk}).values_list(
                "identifier", f"{path}__slug"
            ):
                message = f"'{identifier}' belongs to a {kind} of the framework '{slug}'; "
                message += f"leave it empty to make a new {kind}"
                problems.append(Problem(where[identifier], f"{kind} identifier", message))
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


def _match(nodes: list, existing: list, key) -> list:
    """The existing item each node updates: the one with the node's identifier, else the one
    with its key (tier number, competency code) that no other node claims; None for a new item."""
    by_identifier = {item.identifier: item for item in existing}
    by_key = {key(item): item for item in existing}
    found = [by_identifier.get(node.identifier) if node.identifier else None for node in nodes]
    taken = {item.pk for item in found if item is not None}
    for index, node in enumerate(nodes):
        candidate = by_key.get(key(node))
        if found[index] is None and candidate is not None and candidate.pk not in taken:
            found[index] = candidate
            taken.add(candidate.pk)
    return found


def _sync_tiers(framework, tree, report) -> tuple[dict[int, Tier], list[int]]:
    """Create and update the tree's tiers; return them by number, and the removed tiers' ids."""
    existing = list(framework.tiers.all())
    found = _match(tree.tiers, existing, key=lambda tier: tier.number)
    kept = {tier.pk for tier in found if tier is not None}
    framework.tiers.update(position=F("position") + _TIER_SHIFT, number=F("number") + _TIER_SHIFT)
    result: dict[int, Tier] = {}
    for position, (node, tier) in enumerate(zip(tree.tiers, found, strict=True), start=1):
        values = {
            "number": node.number,
            "name": node.name,
            "group": node.group or default_group(node.number),
            "note": node.note,
            "position": position,
        }
        if tier is None:
            tier = Tier.objects.create(
                framework=framework, identifier=node.identifier or uuid.uuid4(), **values
            )
            report.tiers.created += 1
        else:
            if not tree.complete:
                values["note"] = tier.note  # the tabular format carries no tier notes
            _update(tier, values, report.tiers)
        result[node.number] = tier
    return result, [tier.pk for tier in existing if tier.pk not in kept]


def _update(obj, values: dict, counts) -> None:
    """Count the item as changed only if a value differs; save it either way, because its
    position was moved aside and must be put back."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    if changed:
        counts.updated += 1
    else:
        counts.unchanged += 1
    obj.save(update_fields=list(values))


def _sync_competencies(framework, tree, tiers: dict[int, Tier], report) -> None:
    existing = list(framework.competencies.all())
    placed = [
        (tiers[tier_node.number], position, node)
        for tier_node in tree.tiers
        for position, node in enumerate(tier_node.competencies, start=1)
    ]
    found = _match([node for _, _, node in placed], existing, key=lambda c: c.code)
    plan = [(*item, current) for item, current in zip(placed, found, strict=True)]
    matched = {current.pk: current for current in found if current is not None}
    stale = [c.pk for c in existing if c.pk not in matched]
    if stale:
        report.competencies.deleted = len(stale)
        report.behaviors.deleted += KeyBehavior.objects.filter(competency__in=stale).count()
        Competency.objects.filter(pk__in=stale).delete()
    moved = _free_moved_behaviors(framework, plan)
    for competency in matched.values():
        competency.original_code = competency.code
        competency.position += _SHIFT
        # A code no tree can hold (codes never hold control characters), while they move.
        competency.code = f"\x1f{competency.pk}"
    Competency.objects.bulk_update(matched.values(), ["position", "code"])
    for tier, position, node, current in plan:
        competency = _write_competency(framework, tier, position, node, current, report)
        _sync_behaviors(competency, node.behaviors, report, fresh=current is None)
    report.behaviors.created -= moved
    report.behaviors.updated += moved


def _free_moved_behaviors(framework, plan) -> int:
    """A behavior the tree puts under another competency keeps its identifier: its old row is
    removed first and written again where it now belongs. Returns how many moved."""
    home = {
        behavior.identifier: current.pk if current else None
        for _, _, node, current in plan
        for behavior in node.behaviors
        if behavior.identifier
    }
    if not home:
        return 0
    moved = [
        pk
        for pk, identifier, competency_id in KeyBehavior.objects.filter(
            competency__framework=framework
        ).values_list("pk", "identifier", "competency_id")
        if identifier in home and home[identifier] != competency_id
    ]
    if moved:
        KeyBehavior.objects.filter(pk__in=moved).delete()
    return len(moved)


def _write_competency(framework, tier, position, node, current, report) -> Competency:
    values = {
        "tier": tier,
        "code": node.code,
        "name": node.name,
        "definition": node.definition,
        "position": position,
    }
    if current is None:
        report.competencies.created += 1
        return Competency.objects.create(
            framework=framework, identifier=node.identifier or uuid.uuid4(), **values
        )
    changed = (
        current.tier_id != tier.pk
        or current.original_code != node.code
        or current.name != node.name
        or current.definition != node.definition
        or current.position - _SHIFT != position
    )
    for name, value in values.items():
        setattr(current, name, value)
    current.save(update_fields=list(values))
    if changed:
        report.competencies.updated += 1
    else:
        report.competencies.unchanged += 1
    return current


def _sync_behaviors(competency, nodes, report, *, fresh: bool) -> None:
    if fresh:
        KeyBehavior.objects.bulk_create(
            KeyBehavior(
                competency=competency,
                identifier=node.identifier or uuid.uuid4(),
                title=node.title,
                text=node.text,
                position=position,
            )
            for position, node in enumerate(nodes, start=1)
        )
        report.behaviors.created += len(nodes)
        return
    existing = list(competency.behaviors.all())
    by_identifier = {b.identifier: b for b in existing}
    by_position = {b.position: b for b in existing}
    keep, create, update = set(), [], []
    for position, node in enumerate(nodes, start=1):
        current = by_identifier.get(node.identifier) if node.identifier else None
        if current is None and node.identifier is None:
            current = by_position.get(position)
        if current is None or current.pk in keep:
            create.append(
                KeyBehavior(
                    competency=competency,
                    identifier=node.identifier or uuid.uuid4(),
                    title=node.title,
                    text=node.text,
                    position=position,
                )
            )
            continue
        keep.add(current.pk)
        if (current.title, current.text, current.position) != (node.title, node.text, position):
            current.title, current.text, current.position = node.title, node.text, position
            update.append(current)
        else:
            report.behaviors.unchanged += 1
    stale = [b.pk for b in existing if b.pk not in keep]
    if stale:
        KeyBehavior.objects.filter(pk__in=stale).delete()
        report.behaviors.deleted += len(stale)
    if update:
        KeyBehavior.objects.filter(pk__in=[b.pk for b in update]).update(
            position=F("position") + _SHIFT
        )
        KeyBehavior.objects.bulk_update(update, ["title", "text", "position"])
        report.behaviors.updated += len(update)
    KeyBehavior.objects.bulk_create(create)
    report.behaviors.created += len(create)


def index_framework(*, framework: Framework) -> int:
    """The framework's content changed: mark it (updated_at, which also names its cached pages),
    rebuild its search entries (the engine's own index follows the table), and queue the
    rendering of its readable exports."""
    framework.updated_at = timezone.now()
    Framework.objects.filter(pk=framework.pk).update(updated_at=framework.updated_at)
    renders.schedule(framework)
    SearchEntry.objects.filter(framework=framework).delete()
    base = framework.get_absolute_url()
    entries = [
        SearchEntry(
            kind=SearchEntry.Kind.FRAMEWORK,
            framework=framework,
            object_id=framework.pk,
            title=framework.name,
            body=" ".join(filter(None, [framework.industry, framework.description])),
            context=framework.get_kind_display(),
            url=base,
        )
    ]
    tiers = {t.pk: t for t in framework.tiers.all()}
    competencies = list(framework.competencies.all())
    for competency in competencies:
        tier = tiers[competency.tier_id]
        url = f"{base}competencies/{competency.code}/"
        context = f"{framework.name} › Tier {tier.number}: {tier.name}"
        entries.append(
            SearchEntry(
                kind=SearchEntry.Kind.COMPETENCY,
                framework=framework,
                tier_number=tier.number,
                object_id=competency.pk,
                title=f"{competency.code} {competency.name}",
                body=competency.definition,
                context=context,
                url=url,
            )
        )
    by_pk = {c.pk: c for c in competencies}
    for behavior in KeyBehavior.objects.filter(competency__framework=framework).order_by(
        "competency_id", "position"
    ):
        competency = by_pk[behavior.competency_id]
        tier = tiers[competency.tier_id]
        entries.append(
            SearchEntry(
                kind=SearchEntry.Kind.BEHAVIOR,
                framework=framework,
                tier_number=tier.number,
                object_id=behavior.pk,
                title=behavior.title,
                body=behavior.text,
                context=f"{framework.name} › {competency.code} {competency.name}",
                url=f"{base}competencies/{competency.code}/#behavior-{behavior.position}",
            )
        )
    SearchEntry.objects.bulk_create(entries, batch_size=2000)
    return len(entries)


def update_framework(*, framework: Framework, actor, **changes) -> Framework:
    """Change a framework's own fields (not its tree) if the actor may edit it."""
    require_editable(framework=framework, actor=actor)
    allowed = {"name", "description", "status", "industry", "naics", "version_label", "visibility"}
    problems = [
        Problem("framework", name, "cannot be changed here")
        for name in changes
        if name not in allowed
    ]
    if changes.get("name") is not None and not changes["name"].strip():
        problems.append(Problem("framework", "name", "is empty; give the framework a name"))
    if changes.get("visibility") == Visibility.ORGANIZATION and framework.organization_id is None:
        problems.append(Problem("framework", "visibility", "share it with an organization first"))
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        for name, value in changes.items():
            setattr(framework, name, value)
        framework.full_clean(exclude=["slug", "identifier"])
        framework.save()
        index_framework(framework=framework)
    return framework


def share_framework(
    *, framework: Framework, actor, visibility: str, organization: str | None = None
) -> Framework:
    """Who may see the framework: only its owner and those it is shared with (private), the
    members of an organization (organization), or everyone (public). `organization` is the
    slug of an organization the actor owns or edits for; "" takes the framework out of its
    organization."""
    from cmc.accounts.models import Membership, Organization

    require_editable(framework=framework, actor=actor)
    problems = []
    if visibility not in Visibility.values:
        problems.append(Problem("sharing", "visibility", f"'{visibility}' is not one of {', '.join(Visibility.values)}"))  # fmt: skip
    target = framework.organization
    if organization:
        target = Organization.objects.filter(slug=organization).first()
        may_share = (
            target is not None
            and Membership.objects.editing(actor).filter(organization=target).exists()
        )
        if not may_share:
            problems.append(Problem("sharing", "organization", f"you are not an owner or editor of an organization '{organization}'"))  # fmt: skip
    elif organization == "":
        target = None
    if visibility == Visibility.ORGANIZATION and target is None and not problems:
        problems.append(Problem("sharing", "organization", "choose the organization to share it with"))  # fmt: skip
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        framework.visibility, framework.organization = visibility, target
        framework.save(update_fields=["visibility", "organization", "updated_at"])
        index_framework(framework=framework)
    return framework


def delete_framework(*, framework: Framework, actor) -> None:
    """Delete a framework and everything under it, if the actor may edit it."""
    require_editable(framework=framework, actor=actor)
    with transaction.atomic():
        framework.delete()


def import_trees(
    *,
    trees: list[FrameworkTree],
    where: str,
    actor=None,
    visibility: str | None = None,
    dry_run: bool = False,
) -> list[ChangeReport]:
    """Write several parsed frameworks all together or not at all: every tree is validated
    before the first is written."""
    problems = [p for tree in trees for p in validate(tree, where)]
    if problems:
        raise InvalidInput(problems)
    reports: list[ChangeReport] = []
    try:
        with transaction.atomic():
            for tree in trees:
                reports.append(
                    save_framework_tree(tree=tree, where=where, actor=actor, visibility=visibility)
                )
            if dry_run:
                raise _DryRun
    except _DryRun:
        for report in reports:
            report.dry_run = True
    return reports


class Conflict(Exception):
    """The write would clash with something that exists; nothing was written."""


def unique_slug(name: str) -> str:
    base = slugify(name)[:110].strip("-") or "framework"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Framework.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_framework(*, tree: FrameworkTree, actor, visibility: str = "private") -> ChangeReport:
    """A new framework owned by the actor; a taken slug is a Conflict, never an overwrite."""
    if tree.slug in RESERVED_SLUGS:
        raise Conflict(f"The slug '{tree.slug}' names a page of the site; choose another.")
    if tree.slug and Framework.objects.filter(slug=tree.slug).exists():
        raise Conflict(f"The slug '{tree.slug}' is already used; choose another.")
    tree.slug = tree.slug or unique_slug(tree.name)
    tree.identifier = None
    return save_framework_tree(tree=tree, where="framework", actor=actor, visibility=visibility)
