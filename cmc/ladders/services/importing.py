"""Importing a lattice document (see `documents`): every field checked first, problems named
by file and field, then written in one transaction; a lattice of the same slug that the actor
may change is replaced in place (its sharing kept)."""

from django.db import transaction
from django.utils.text import slugify

from cmc.core.actors import is_system, person
from cmc.core.errors import InvalidInput, Problem
from cmc.frameworks.models import Framework, Visibility

from ..documents import unknown_fields
from ..models import Experience, Lattice, Position, PositionCompetency, Transition
from ..selectors import may_edit
from . import checks
from .checks import Collector
from .indexing import index_lattice


def _positions(items, out: Collector, ctx) -> list[dict]:
    if not isinstance(items, list) or not items:
        out.add("positions", "must list at least one position")
        return []
    cleaned, keys = [], set()
    for number, item in enumerate(items):
        inner = out.at(f"positions[{number}].")
        if not isinstance(item, dict):
            inner.add("title", "each position is a mapping of its fields")
            continue
        fields = checks.position(item, inner, ctx)
        fields["key"] = fields["key"] or slugify(fields["title"])[:60]
        if fields["key"] in keys:
            inner.add(
                "key", f"'{fields['key']}' is the key of an earlier position; keys are unique"
            )
        keys.add(fields["key"])
        cleaned.append(fields)
    return cleaned


def _transitions(items, out: Collector, keys: set[str]) -> list[dict]:
    if items is None:
        return []
    if not isinstance(items, list):
        out.add("transitions", "must be a list")
        return []
    cleaned, pairs = [], set()
    for number, item in enumerate(items):
        inner = out.at(f"transitions[{number}].")
        if not isinstance(item, dict):
            inner.add("from", "each move is a mapping of from, to, kind and experiences")
            continue
        ends = [checks.text(item, name, inner, required=True, limit=60) for name in ("from", "to")]
        for name, key in zip(("from", "to"), ends, strict=True):
            if key and key not in keys:
                inner.add(name, f"no position has the key '{key}'")
        if ends[0] and ends[0] == ends[1]:
            inner.add("to", "a move goes to another position")
        elif tuple(ends) in pairs:
            inner.add("to", f"a move from '{ends[0]}' to '{ends[1]}' is listed twice")
        pairs.add(tuple(ends))
        kind = checks.kind(item, inner)
        experiences = checks.experiences(item.get("experiences"), inner)
        cleaned.append({"from": ends[0], "to": ends[1], "kind": kind, "experiences": experiences})
    return cleaned


def check_document(document: dict, *, where: str, actor) -> tuple[dict, Lattice | None]:
    """The document's cleaned content and the lattice it replaces (None: a new one), or
    InvalidInput naming every problem."""
    out = Collector(where)
    out.problems.extend(unknown_fields(document, where))
    name = checks.text(document, "name", out, required=True, limit=200)
    slug = slugify(checks.text(document, "slug", out, limit=100) or name)[:100]
    framework = None
    framework_slug = checks.text(document, "framework", out, limit=120)
    if framework_slug:
        framework = Framework.objects.visible_to(actor).filter(slug=framework_slug).first()
        if framework is None:
            out.add(
                "framework", f"no framework '{framework_slug}' that you may see; import it first"
            )
    positions = _positions(document.get("positions"), out, checks.context_for(framework))
    transitions = _transitions(document.get("transitions"), out, {p["key"] for p in positions})
    existing = Lattice.objects.filter(slug=slug).first() if slug else None
    if existing is not None and not may_edit(lattice=existing, actor=actor):
        out.add("slug", f"'{slug}' is the slug of a lattice you may not change; give another slug")
    if out.problems:
        raise InvalidInput(out.problems)
    content = {
        "slug": slug, "name": name, "framework": framework,
        "description": checks.text(document, "description", out),
        "sources": checks.text(document, "sources", out),
        "positions": positions, "transitions": transitions,
    }  # fmt: skip
    return content, existing


def import_lattice(
    *, document: dict, where: str, actor, public: bool = False, reference: bool = False
):
    """Check the whole document, then write it in one transaction: a new lattice owned by the
    actor (private unless `public`), or the actor's lattice of the same slug replaced in
    place. Returns (lattice, created)."""
    if person(actor) is None and not is_system(actor):
        raise InvalidInput(
            [Problem(where, "user", "sign in (or give --as USER) to import a lattice")]
        )
    content, existing = check_document(document, where=where, actor=actor)
    positions, transitions = content.pop("positions"), content.pop("transitions")
    with transaction.atomic():
        if existing is None:
            visibility = Visibility.PUBLIC if public else Visibility.PRIVATE
            lattice = Lattice.objects.create(
                owner=person(actor), visibility=visibility, is_reference=reference, **content
            )
        else:
            lattice = existing
            for name, value in content.items():
                setattr(lattice, name, value)
            lattice.save()
            lattice.positions.all().delete()  # moves and experiences go with them
        _write(lattice, positions, transitions)
        index_lattice(lattice=lattice)
    return lattice, existing is None


def _write(lattice: Lattice, positions: list[dict], transitions: list[dict]) -> None:
    made = {}
    for fields in positions:
        identifiers = fields.pop("competencies")
        made[fields["key"]] = Position.objects.create(lattice=lattice, **fields)
        PositionCompetency.objects.bulk_create(
            PositionCompetency(position=made[fields["key"]], competency_identifier=i, order=n)
            for n, i in enumerate(identifiers)
        )
    for item in transitions:
        move = Transition.objects.create(
            lattice=lattice, source=made[item["from"]], target=made[item["to"]], kind=item["kind"]
        )
        Experience.objects.bulk_create(
            Experience(transition=move, order=n, **e) for n, e in enumerate(item["experiences"])
        )
