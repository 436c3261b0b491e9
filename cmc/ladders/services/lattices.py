"""Writes to a lattice: creating it, its own fields and who may see it, its positions and the
moves between them. Each checks the actor first and writes in one transaction."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import slugify

from cmc.accounts.models import Membership, Organization
from cmc.core.actors import person
from cmc.core.errors import InvalidInput
from cmc.frameworks.models import Framework, Visibility

from ..models import Experience, Lattice, Position, PositionCompetency, Transition
from ..selectors import may_edit, may_manage
from . import checks
from .checks import Collector
from .indexing import index_lattice, unindex_lattice

SHARING = "change who may see it"


def require_editable(*, lattice: Lattice, actor) -> None:
    if not may_edit(lattice=lattice, actor=actor):
        raise PermissionDenied(f"You may not change the lattice '{lattice.slug}'.")


def require_manageable(*, lattice: Lattice, actor, action: str) -> None:
    require_editable(lattice=lattice, actor=actor)
    if not may_manage(lattice=lattice, actor=actor):
        raise PermissionDenied(
            f"You may change the lattice '{lattice.slug}' but not {action}: ask its owner or "
            "an owner of its organization."
        )


def unique_slug(name: str, wanted: str = "") -> str:
    base = slugify(wanted or name)[:100] or "lattice"
    slug, number = base, 1
    while Lattice.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _framework(slug: str, actor, out: Collector) -> Framework | None:
    if not slug:
        return None
    found = Framework.objects.visible_to(actor).filter(slug=slug).first()
    if found is None:
        out.add("framework", f"no framework '{slug}' that you may see")
    return found


def _sharing(data: dict, actor, out: Collector, current: Organization | None):
    visibility = data.get("visibility") or Visibility.PRIVATE
    if visibility not in Visibility.values:
        out.add("visibility", f"'{visibility}' is not one of {', '.join(Visibility.values)}")
    target = current
    slug = data.get("organization")
    if slug:
        target = Organization.objects.filter(slug=slug).first()
        allowed = target is not None and (
            (current is not None and target.pk == current.pk)
            or Membership.objects.editing(person(actor)).filter(organization=target).exists()
        )
        if not allowed:
            out.add("organization", f"you are not an owner or editor of an organization '{slug}'")
    elif slug == "":
        target = None
    if visibility == Visibility.ORGANIZATION and target is None:
        out.add("organization", "choose the organization to share it with")
    return visibility, target


def _fields(data: dict, actor, out: Collector) -> dict:
    fields = {}
    if "name" in data:
        fields["name"] = checks.text(data, "name", out, required=True, limit=200)
    if "description" in data:
        fields["description"] = checks.text(data, "description", out)
    if "framework" in data:
        fields["framework"] = _framework(checks.text(data, "framework", out, limit=120), actor, out)
    return fields


def create_lattice(*, actor, data: dict) -> Lattice:
    """A new lattice owned by the actor: `data` has name (required), slug, description,
    framework (a slug), visibility and organization (a slug)."""
    if person(actor) is None:
        raise PermissionDenied("Sign in to build a lattice.")
    out = Collector("lattice")
    fields = _fields({"name": "", **data}, actor, out)
    wanted = checks.text(data, "slug", out, limit=100)
    if wanted and Lattice.objects.filter(slug=slugify(wanted)).exists():
        out.add("slug", f"'{slugify(wanted)}' is taken; choose another")
    visibility, organization = _sharing(data, actor, out, None)
    if out.problems:
        raise InvalidInput(out.problems)
    with transaction.atomic():
        lattice = Lattice.objects.create(
            slug=unique_slug(fields["name"], wanted), owner=person(actor),
            visibility=visibility, organization=organization, **fields,
        )  # fmt: skip
        index_lattice(lattice=lattice)
    return lattice


def update_lattice(*, lattice: Lattice, actor, data: dict) -> Lattice:
    """Change a lattice's name, description or framework (its editors), or who may see it
    (its owner and its organization's owners)."""
    require_editable(lattice=lattice, actor=actor)
    sharing = "visibility" in data or "organization" in data
    if sharing:
        require_manageable(lattice=lattice, actor=actor, action=SHARING)
    out = Collector("lattice")
    fields = _fields(data, actor, out)
    if sharing:
        merged = {"visibility": lattice.visibility, **data}
        fields["visibility"], fields["organization"] = _sharing(
            merged, actor, out, lattice.organization
        )
    if out.problems:
        raise InvalidInput(out.problems)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(lattice, name, value)
        lattice.save()
        index_lattice(lattice=lattice)
    return lattice


def delete_lattice(*, lattice: Lattice, actor) -> None:
    """Delete a lattice with its positions and moves (its owner and its organization's owners)."""
    require_manageable(lattice=lattice, actor=actor, action="delete it")
    with transaction.atomic():
        unindex_lattice(lattice=lattice)
        lattice.delete()


def _key(lattice: Lattice, wanted: str, title: str, exclude=None) -> str:
    base = wanted or slugify(title)[:50] or "position"
    taken = set(
        lattice.positions.exclude(pk=getattr(exclude, "pk", None)).values_list("key", flat=True)
    )
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    return key


def _set_competencies(position: Position, identifiers: list[str]) -> None:
    position.competencies.all().delete()
    PositionCompetency.objects.bulk_create(
        PositionCompetency(position=position, competency_identifier=i, order=n)
        for n, i in enumerate(identifiers)
    )


def add_position(*, lattice: Lattice, actor, data: dict) -> Position:
    """A new position in the lattice: an occupation (`occupation`, an O*NET-SOC code) or a local
    job title, its level, track and requirements; its key made from its title unless given."""
    require_editable(lattice=lattice, actor=actor)
    out = Collector("position")
    fields = checks.position(data, out, checks.context_for(lattice.framework))
    if fields["key"] and lattice.positions.filter(key=fields["key"]).exists():
        out.add("key", f"the lattice already has a position '{fields['key']}'")
    if out.problems:
        raise InvalidInput(out.problems)
    identifiers = fields.pop("competencies")
    with transaction.atomic():
        fields["key"] = _key(lattice, fields["key"], fields["title"])
        position = Position.objects.create(lattice=lattice, **fields)
        _set_competencies(position, identifiers)
        lattice.save(update_fields=["updated_at"])
        index_lattice(lattice=lattice)
    return position


def update_position(*, position: Position, actor, data: dict) -> Position:
    """Change a position: the fields `data` names (the others kept)."""
    lattice = position.lattice
    require_editable(lattice=lattice, actor=actor)
    current = {
        "key": position.key, "title": position.title, "occupation": position.occupation_code,
        "level": position.level, "track": position.track, "education": position.education,
        "experience": position.experience, "credentials": position.credentials,
        "competencies": [str(c.competency_identifier) for c in position.competencies.all()],
    }  # fmt: skip
    if "occupation" in data and "title" not in data:
        current["title"] = ""  # a new occupation brings its own title
    out = Collector("position")
    fields = checks.position({**current, **data}, out, checks.context_for(lattice.framework))
    if fields["key"] != position.key and lattice.positions.filter(key=fields["key"]).exists():
        out.add("key", f"the lattice already has a position '{fields['key']}'")
    if out.problems:
        raise InvalidInput(out.problems)
    identifiers = fields.pop("competencies")
    with transaction.atomic():
        fields["key"] = fields["key"] or _key(lattice, "", fields["title"], exclude=position)
        for name, value in fields.items():
            setattr(position, name, value)
        position.save()
        _set_competencies(position, identifiers)
        lattice.save(update_fields=["updated_at"])
        index_lattice(lattice=lattice)
    return position


def remove_position(*, position: Position, actor) -> None:
    """Remove a position and the moves to and from it."""
    require_editable(lattice=position.lattice, actor=actor)
    with transaction.atomic():
        position.delete()
        position.lattice.save(update_fields=["updated_at"])
        index_lattice(lattice=position.lattice)


def _experiences(transition: Transition, items: list[dict]) -> None:
    transition.experiences.all().delete()
    Experience.objects.bulk_create(
        Experience(transition=transition, order=n, **item) for n, item in enumerate(items)
    )


def add_transition(*, lattice: Lattice, actor, data: dict) -> Transition:
    """A move from one position (`from`, its key) to another (`to`): a promotion or a lateral
    move, with its developmental experiences."""
    require_editable(lattice=lattice, actor=actor)
    out = Collector("move")
    keys = {p.key: p for p in lattice.positions.all()}
    ends = []
    for name in ("from", "to"):
        key = checks.text(data, name, out, required=True, limit=60)
        if key and key not in keys:
            out.add(name, f"the lattice has no position '{key}'")
        ends.append(keys.get(key))
    source, target = ends
    if source is not None and source == target:
        out.add("to", "a move goes to another position")
    elif source and target and lattice.transitions.filter(source=source, target=target).exists():
        out.add("to", f"there is already a move from '{source.key}' to '{target.key}'")
    kind = checks.kind(data, out)
    items = checks.experiences(data.get("experiences"), out)
    if out.problems:
        raise InvalidInput(out.problems)
    with transaction.atomic():
        move = Transition.objects.create(lattice=lattice, source=source, target=target, kind=kind)
        _experiences(move, items)
        lattice.save(update_fields=["updated_at"])
    return move


def update_transition(*, transition: Transition, actor, data: dict) -> Transition:
    """Change a move's kind or its experiences (given, they replace the ones it had)."""
    lattice = transition.lattice
    require_editable(lattice=lattice, actor=actor)
    out = Collector("move")
    unknown = set(data) - {"kind", "experiences"}
    for name in sorted(unknown):
        out.add(name, "cannot be changed; remove the move and add another")
    kind = checks.kind({"kind": transition.kind, **data}, out)
    items = checks.experiences(data.get("experiences"), out) if "experiences" in data else None
    if out.problems:
        raise InvalidInput(out.problems)
    with transaction.atomic():
        transition.kind = kind
        transition.save(update_fields=["kind"])
        if items is not None:
            _experiences(transition, items)
        lattice.save(update_fields=["updated_at"])
    return transition


def remove_transition(*, transition: Transition, actor) -> None:
    """Remove a move and its experiences."""
    require_editable(lattice=transition.lattice, actor=actor)
    with transaction.atomic():
        transition.delete()
        transition.lattice.save(update_fields=["updated_at"])
