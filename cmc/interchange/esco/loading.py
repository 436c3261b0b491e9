"""Writing ESCO: the whole load (`import_esco`) and the O*NET-SOC crosswalk
(`import_crosswalk`). Each reads and checks every file first, then writes once, in one
transaction, in bulk; re-importing updates the concepts in place and reports what changed."""

from collections.abc import Callable, Iterable
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction

from cmc.core import bulk
from cmc.core.actors import is_system
from cmc.core.errors import InvalidInput, Problem

from ..models import (
    EscoBroader,
    EscoCollection,
    EscoConcept,
    EscoConceptKind,
    EscoKind,
    EscoMember,
    EscoOccupationSkill,
    EscoRelease,
    EscoSkillRelation,
)
from . import crosswalk, finding, reading
from .summary import Change, Summary

BATCH = 1000
COLLECTION_NAMES = dict(EscoCollection.choices)
FIELDS = (
    "kind_id",
    "concept_type",
    "preferred_label",
    "alt_labels",
    "hidden_labels",
    "description",
    "definition",
    "scope_note",
    "code",
    "isco_group",
    "skill_type",
    "reuse_level",
    "status",
    "modified",
    "search_text",
)


class DryRun(Exception):
    """Raised inside the transaction of a dry run so that nothing stays written."""


def _require_system(actor) -> None:
    if not (is_system(actor) or getattr(actor, "is_staff", False)):
        raise PermissionDenied("Only the command line or staff may load ESCO.")


def import_esco(
    *,
    actor,
    paths: Iterable[Path],
    version: str = "",
    dry_run: bool = False,
    on_progress: reading.Progress | None = None,
    on_step: Callable[[str], None] | None = None,
) -> Summary:
    """Load ESCO's CSV exports from files and directories: every file read and checked first
    (InvalidInput naming file, line and column if any is wrong, nothing written), then one
    transaction that adds new concepts, updates changed ones in place, replaces the relations
    and collections of the files given, records the version, and re-indexes the search."""
    _require_system(actor)
    found = reading.read(paths, on_progress)
    if found.problems:
        if found.problem_count > len(found.problems):
            more = found.problem_count - len(found.problems)
            found.problems.append(Problem("files", "problems", f"and {more:,} more"))
        raise InvalidInput(found.problems)
    summary = Summary(version=version, dry_run=dry_run)
    step = on_step or (lambda name: None)
    try:
        with transaction.atomic():
            _write(found, summary, version, step)
            if dry_run:
                raise DryRun
    except DryRun:
        pass
    return summary


def _write(found: reading.Read, summary: Summary, version: str, step) -> None:
    step("concepts")
    _kinds()
    ids = _concepts(found, summary)
    step("relations")
    for pillar, pairs in found.broader.items():
        _broader(pillar, pairs, ids, summary)
    if found.skill_relations is not None:
        _skill_relations(found.skill_relations, ids, summary)
    if found.occupation_skills is not None:
        _occupation_skills(found.occupation_skills, ids, summary)
    _members(found.members, ids, summary)
    for name, n in found.unlabelled.items():
        summary.skipped[f"rows of {name} with no preferred label"] = n
    if found.not_read:
        summary.notes.append(f"not read (not kept by this product): {', '.join(found.not_read)}")
    release = EscoRelease.objects.first() or EscoRelease()
    release.version, release.language = version or release.version, found.language
    release.files = {**release.files, **found.files}
    release.save()
    summary.version = release.version
    step("search")
    finding.index_concepts()


def _kinds() -> None:
    for kind in EscoKind:
        EscoConceptKind.objects.update_or_create(id=kind.value, defaults={"label": kind.label})


def _search_text(concept: dict) -> str:
    # Hidden labels are misspellings and old names that ESCO keeps for search only.
    labels = [concept["preferred_label"], concept["alt_labels"], concept["hidden_labels"]]
    return "\n".join(label for label in labels if label).lower()


def _row(concept: dict) -> tuple:
    values = {**concept, "kind_id": concept["kind"], "search_text": _search_text(concept)}
    return tuple(values[name] for name in FIELDS)


def _concepts(found: reading.Read, summary: Summary) -> dict[str, int]:
    """Add and update the concepts; the id of every concept by URI."""
    existing = {row[0]: row[1:] for row in EscoConcept.objects.values_list("uri", "pk", *FIELDS)}
    keys = set(EscoConcept.objects.values_list("key", flat=True))
    changes = {kind.label: Change() for kind in EscoKind}
    new, changed = [], []
    for uri, concept in found.concepts.items():
        change = changes[EscoKind(concept["kind"]).label]
        row = _row(concept)
        if uri not in existing:
            change.new += 1
            new.append(
                EscoConcept(uri=uri, key=_key(uri, keys), **dict(zip(FIELDS, row, strict=True)))
            )
        elif existing[uri][1:] != row:
            change.changed += 1
            changed.append(EscoConcept(pk=existing[uri][0], **dict(zip(FIELDS, row, strict=True))))
        else:
            change.unchanged += 1
    EscoConcept.objects.bulk_create(new, batch_size=BATCH)
    EscoConcept.objects.bulk_update(changed, FIELDS, batch_size=BATCH)
    summary.concepts = {f"{label} concepts": c for label, c in changes.items() if _any(c)}
    summary.kept = len(set(existing) - set(found.concepts))
    return dict(EscoConcept.objects.values_list("uri", "pk"))


def _any(change: Change) -> bool:
    return bool(change.new or change.changed or change.unchanged or change.removed)


def _key(uri: str, taken: set[str]) -> str:
    """The URI's last segment, or its last two joined when another concept has that one."""
    parts = uri.rstrip("/").split("/")
    key = parts[-1][:120]
    if key in taken:
        key = "-".join(parts[-2:])[:120]
    taken.add(key)
    return key


def _sync(model, label: str, wanted: dict[tuple, str], existing: dict, summary: Summary, make):
    """Make `model`'s rows for one relation be `wanted` ({(a, b): type}), given `existing`
    ({(a, b): (pk, type)}): create, change the type of, or delete rows."""
    change = Change()
    create, update = [], []
    for pair, kind in wanted.items():
        if pair not in existing:
            create.append(make(pair, kind))
        elif existing[pair][1] != kind:
            update.append((existing[pair][0], kind))
        else:
            change.unchanged += 1
    gone = [pk for pair, (pk, _) in existing.items() if pair not in wanted]
    model.objects.bulk_create(create, batch_size=BATCH)
    for pk, kind in update:
        model.objects.filter(pk=pk).update(relation_type=kind)
    bulk.delete(model, gone, batch=BATCH)
    change.new, change.changed, change.removed = len(create), len(update), len(gone)
    summary.relations[label] = change


def _resolved(rows, ids: dict[str, int], summary: Summary, what: str) -> dict[tuple, str]:
    wanted, missing = {}, 0
    for first, second, *kind in rows:
        if first in ids and second in ids:
            wanted[(ids[first], ids[second])] = kind[0] if kind else ""
        else:
            missing += 1
    if missing:
        summary.skipped[f"{what} naming a concept that is not loaded"] = missing
    return wanted


def _broader(pillar: str, pairs, ids, summary: Summary) -> None:
    wanted = _resolved(pairs, ids, summary, f"{pillar} pillar broader relations")
    rows = EscoBroader.objects.filter(pillar=pillar).values_list("concept", "broader", "pk")
    existing = {(a, b): (pk, "") for a, b, pk in rows}
    _sync(
        EscoBroader,
        f"{pillar} pillar broader relations",
        wanted,
        existing,
        summary,
        lambda pair, kind: EscoBroader(concept_id=pair[0], broader_id=pair[1], pillar=pillar),
    )


def _skill_relations(rows, ids, summary: Summary) -> None:
    wanted = _resolved(rows, ids, summary, "skill-skill relations")
    existing = {
        (a, b): (pk, kind)
        for a, b, pk, kind in EscoSkillRelation.objects.values_list(
            "skill", "related", "pk", "relation_type"
        )
    }
    _sync(
        EscoSkillRelation,
        "skill-skill relations",
        wanted,
        existing,
        summary,
        lambda pair, kind: EscoSkillRelation(
            skill_id=pair[0], related_id=pair[1], relation_type=kind
        ),
    )


def _occupation_skills(rows, ids, summary: Summary) -> None:
    wanted = _resolved(rows, ids, summary, "occupation-skill relations")
    existing = {
        (a, b): (pk, kind)
        for a, b, pk, kind in EscoOccupationSkill.objects.values_list(
            "occupation", "skill", "pk", "relation_type"
        )
    }
    _sync(
        EscoOccupationSkill,
        "occupation-skill relations",
        wanted,
        existing,
        summary,
        lambda pair, kind: EscoOccupationSkill(
            occupation_id=pair[0], skill_id=pair[1], relation_type=kind
        ),
    )


def _members(members: dict[str, list[str]], ids, summary: Summary) -> None:
    for collection, uris in sorted(members.items()):
        wanted = {(ids[uri], collection): "" for uri in uris if uri in ids}
        rows = EscoMember.objects.filter(collection=collection).values_list("concept", "pk")
        existing = {(concept, collection): (pk, "") for concept, pk in rows}
        _sync(
            EscoMember,
            f"{COLLECTION_NAMES[collection]} (collection members)",
            wanted,
            existing,
            summary,
            lambda pair, kind: EscoMember(concept_id=pair[0], collection=pair[1]),
        )


def import_crosswalk(*, actor, path: Path, dry_run: bool = False) -> Summary:
    """Load the published ESCO to O*NET-SOC crosswalk (CSV): every row checked first, then the
    matches of every ESCO occupation named replaced in one transaction. Rows naming an ESCO
    concept that is not loaded are skipped and counted."""
    _require_system(actor)
    rows, problems = crosswalk.read(path)
    if problems:
        raise InvalidInput(problems)
    summary = Summary(dry_run=dry_run, what="the ESCO to O*NET-SOC crosswalk")
    try:
        with transaction.atomic():
            crosswalk.write(rows, summary)
            if dry_run:
                raise DryRun
    except DryRun:
        pass
    return summary
