"""Reads of lattices: which a user may see or change, and a lattice as plain data with its
positions' occupations, wages and competencies (what every page, export and API answer shows)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from cmc.accounts.models import Membership
from cmc.core.actors import is_system
from cmc.frameworks.models import Competency, Framework, Visibility
from cmc.occupations import selectors as occupations

from ..models import Lattice, Position, Transition

WAGE_SOURCE = "U.S. Bureau of Labor Statistics, Occupational Employment and Wage Statistics (OEWS)"
ONET_SOURCE = "O*NET OnLine occupation data (O*NET-SOC 2019 taxonomy), U.S. Department of Labor"


def lattice_list(*, user) -> QuerySet[Lattice]:
    """The lattices the user may see, by name, with how many positions each has."""
    from django.db.models import Count

    return (
        Lattice.objects.visible_to(user)
        .select_related("owner", "organization")
        .annotate(position_count=Count("positions"))
        .order_by("name")
    )


def visible_lattice(*, user, slug: str) -> Lattice:
    """One lattice the user may see, or 404."""
    found = Lattice.objects.visible_to(user).select_related("framework").filter(slug=slug).first()
    if found is None:
        raise Http404(f"No lattice '{slug}' that you may see.")
    return found


def may_edit(*, lattice: Lattice, actor) -> bool:
    """Whether the actor may change the lattice's content (owner, or editor of its organization)."""
    return Lattice.objects.editable_by(actor).filter(pk=lattice.pk).exists()


def may_manage(*, lattice: Lattice, actor) -> bool:
    """Whether the actor may decide who sees the lattice and may delete it: its owner, an owner
    of its organization, or the system."""
    if is_system(actor):
        return True
    if actor is None or not actor.is_authenticated:
        return False
    owner_of = Membership.objects.filter(user=actor, role=Membership.Role.OWNER).values(
        "organization"
    )
    return (
        Lattice.objects.filter(pk=lattice.pk)
        .filter(Q(owner=actor) | Q(visibility=Visibility.ORGANIZATION, organization__in=owner_of))
        .exists()
    )


def editable_lattice(*, user, slug: str) -> Lattice:
    """The lattice the user may change; 404 if they may not see it, PermissionDenied if they may
    only read it."""
    lattice = visible_lattice(user=user, slug=slug)
    if not may_edit(lattice=lattice, actor=user):
        raise PermissionDenied("You may read this lattice but not change it.")
    return lattice


def find_position(lattice: Lattice, key: str) -> Position:
    found = lattice.positions.filter(key=key).first()
    if found is None:
        raise Http404(f"The lattice '{lattice.slug}' has no position '{key}'.")
    return found


def find_transition(lattice: Lattice, pk) -> Transition:
    found = lattice.transitions.select_related("source", "target").filter(pk=pk).first()
    if found is None:
        raise Http404(f"The lattice '{lattice.slug}' has no move {pk}.")
    return found


def framework_choices(*, user) -> list[tuple[str, str]]:
    """(slug, name) of the frameworks a lattice's competencies may come from."""
    return list(Framework.objects.visible_to(user).order_by("name").values_list("slug", "name"))


@dataclass(frozen=True)
class CompetencyRef:
    identifier: str
    code: str
    name: str


@dataclass(frozen=True)
class Experience:
    kind: str
    kind_label: str
    text: str
    months: int | None


@dataclass
class PositionView:
    id: int
    key: str
    title: str
    occupation_code: str
    occupation_title: str
    level: int
    track: str
    education: str
    experience: str
    credentials: list[str]
    competencies: list[CompetencyRef]
    annual_median: int | None = None
    hourly_median: Decimal | None = None
    moves_out: list["TransitionView"] = field(default_factory=list)

    @property
    def is_occupation(self) -> bool:
        return bool(self.occupation_code)

    @property
    def wage_text(self) -> str:
        """The median wage for people: "$58,750 a year, $28.24 an hour"."""
        parts = []
        if self.annual_median:
            parts.append(f"${self.annual_median:,} a year")
        if self.hourly_median:
            parts.append(f"${self.hourly_median:,.2f} an hour")
        if parts:
            return ", ".join(parts)
        if self.is_occupation:
            return "Not published by OEWS"
        return "Local job title: no published wage"


@dataclass
class TransitionView:
    id: int
    source: str
    target: str
    source_title: str
    target_title: str
    kind: str
    kind_label: str
    experiences: list[Experience]

    @property
    def months(self) -> int:
        """The move's typical time: its experiences one after another."""
        return sum(e.months or 0 for e in self.experiences)


@dataclass
class LatticeView:
    slug: str
    name: str
    description: str
    sources: str
    is_reference: bool
    visibility: str
    framework_slug: str
    framework_name: str
    positions: list[PositionView]
    transitions: list[TransitionView]
    wage_release: str = ""

    @property
    def tracks(self) -> list[str]:
        """The tracks in the order they first appear, going up the levels."""
        seen: dict[str, None] = {}
        for position in sorted(self.positions, key=lambda p: (p.level, p.id)):
            seen.setdefault(position.track, None)
        return list(seen)

    @property
    def levels(self) -> list[int]:
        return sorted({p.level for p in self.positions})

    @property
    def is_ladder(self) -> bool:
        return len(self.tracks) <= 1

    def position(self, key: str) -> PositionView | None:
        return next((p for p in self.positions if p.key == key), None)

    def by_level(self) -> list[tuple[int, list[PositionView]]]:
        return [(level, [p for p in self.positions if p.level == level]) for level in self.levels]

    @property
    def has_wages(self) -> bool:
        return any(p.annual_median or p.hourly_median for p in self.positions)


def competency_refs(identifiers) -> dict[str, CompetencyRef]:
    """The code and name of each competency identifier, in one query."""
    rows = Competency.objects.filter(identifier__in=list(identifiers)).values_list(
        "identifier", "code", "name"
    )
    return {str(i): CompetencyRef(str(i), code, name) for i, code, name in rows}


def lattice_view(lattice: Lattice, *, reader) -> LatticeView:
    """The lattice as plain data, in a fixed number of queries: its positions (by level, then
    track) with their occupation's title and median wages (OEWS, where loaded) and their
    competencies; its moves with their experiences. The framework is named only to a reader
    who may see it."""
    positions = list(lattice.positions.prefetch_related("competencies").order_by("level", "id"))
    moves = list(
        lattice.transitions.select_related("source", "target").prefetch_related("experiences")
    )
    summaries = occupations.occupation_summaries(
        {p.occupation_code for p in positions if p.occupation_code}
    )
    summaries = _with_wages(summaries, positions)
    refs = competency_refs(c.competency_identifier for p in positions for c in p.competencies.all())
    views = {p.pk: _position_view(p, summaries.get(p.occupation_code), refs) for p in positions}
    transitions = [_transition_view(move) for move in moves]
    for move, view in zip(moves, transitions, strict=True):
        views[move.source_id].moves_out.append(view)
    framework = lattice.framework
    if (
        framework is not None
        and not Framework.objects.visible_to(reader).filter(pk=framework.pk).exists()
    ):
        framework = None
    oews = occupations.dataset("oews") if summaries else None
    return LatticeView(
        slug=lattice.slug, name=lattice.name, description=lattice.description,
        sources=lattice.sources, is_reference=lattice.is_reference,
        visibility=lattice.visibility,
        framework_slug=framework.slug if framework else "",
        framework_name=framework.name if framework else "",
        positions=list(views.values()), transitions=transitions,
        wage_release=oews.release if oews else "",
    )  # fmt: skip


def _with_wages(summaries: dict, positions: list[Position]) -> dict:
    """Wages straight from OEWS for the codes whose occupation is not loaded (O*NET not imported
    yet): the lattice still shows what BLS publishes."""
    missing = {p.occupation_code for p in positions if p.occupation_code} - set(summaries)
    found = dict(summaries)
    for code in sorted(missing):
        wages = occupations.wages_of(code)
        if wages is not None:
            found[code] = occupations.OccupationSummary(
                code=code, title="", job_zone=None, annual_median=wages.annual_median,
                hourly_median=wages.hourly_median, education="",
            )  # fmt: skip
    return found


def _position_view(position: Position, summary, refs) -> PositionView:
    return PositionView(
        id=position.pk, key=position.key, title=position.title,
        occupation_code=position.occupation_code,
        occupation_title=summary.title if summary else "",
        level=position.level, track=position.track, education=position.education,
        experience=position.experience, credentials=list(position.credentials),
        competencies=[
            refs.get(str(c.competency_identifier))
            or CompetencyRef(str(c.competency_identifier), "", "(no longer in the framework)")
            for c in position.competencies.all()
        ],
        annual_median=summary.annual_median if summary else None,
        hourly_median=summary.hourly_median if summary else None,
    )  # fmt: skip


def _transition_view(move: Transition) -> TransitionView:
    return TransitionView(
        id=move.pk, source=move.source.key, target=move.target.key,
        source_title=move.source.title, target_title=move.target.title,
        kind=move.kind, kind_label=move.get_kind_display(),
        experiences=[
            Experience(e.kind, e.get_kind_display(), e.text, e.months)
            for e in move.experiences.all()
        ],
    )  # fmt: skip


def organization_choices(*, user) -> list[tuple[str, str]]:
    """(slug, name) of the organizations the user may share a lattice with (owner or editor)."""
    if user is None or not user.is_authenticated:
        return []
    rows = Membership.objects.editing(user).select_related("organization")
    return sorted((m.organization.slug, m.organization.name) for m in rows)


def competency_choices(framework: Framework | None) -> list[CompetencyRef]:
    """The competencies a position may name: those of the lattice's framework, in tier order."""
    if framework is None:
        return []
    rows = Competency.objects.filter(framework=framework).order_by("tier__position", "position")
    return [CompetencyRef(str(c.identifier), c.code, c.name) for c in rows]
