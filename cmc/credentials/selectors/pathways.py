"""Reads of pathways: lists, one pathway with its steps, and its coverage of a framework."""

from dataclasses import dataclass, field, replace

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404

from cmc.core.pictures import ModelPyramid, PyramidBlock, model_pyramid
from cmc.frameworks.models import Alignment, Framework
from cmc.frameworks.selectors import framework_tree, pyramid_rows, skeleton

from ..models import Credential, Pathway, Step
from .credentials import SCHEME, may_change

COVERED = "covered"


def pathway_list(*, user, framework: str = "", q: str = "") -> QuerySet[Pathway]:
    """Visible pathways (on frameworks the user may see), with their step counts."""
    rows = Pathway.objects.visible_to(user).filter(framework__in=Framework.objects.visible_to(user))
    if framework:
        rows = rows.filter(framework__slug=framework)
    if q:
        rows = rows.filter(name__icontains=q)
    return (
        rows.select_related("framework")
        .annotate(step_count=Count("steps"))
        .order_by("-is_reference", "name")
    )


def visible_pathway(*, user, slug: str) -> Pathway:
    """One pathway the user may see, on a framework they may see, or 404."""
    found = pathway_list(user=user).filter(slug=slug).first()
    if found is None:
        raise Http404("No such pathway.")
    return found


def editable_pathway(*, user, slug: str) -> Pathway:
    """The pathway the user may change; 403 if they may only read it, 404 if unseen."""
    pathway = visible_pathway(user=user, slug=slug)
    if not may_change(pathway, user):
        raise PermissionDenied("You may read this pathway but not change it.")
    return pathway


def steps_of(*, pathway: Pathway, reader) -> list[Step]:
    """The pathway's steps, bottom of the stack first; a credential the reader may not see is
    named as hidden (step.credential_hidden) rather than shown."""
    visible = set(Credential.objects.visible_to(reader).values_list("pk", flat=True))
    steps = list(pathway.steps.select_related("credential").order_by("position"))
    for step in steps:
        step.credential_hidden = (
            step.credential_id is not None and step.credential_id not in visible
        )
        if step.credential_hidden:
            step.credential = None
    return steps


@dataclass
class CompetencyCoverage:
    code: str
    name: str
    url: str
    direct: list[str] = field(default_factory=list)
    through_tier: list[str] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return bool(self.direct or self.through_tier)


@dataclass
class TierCoverage:
    number: int
    name: str
    group: str
    url: str
    whole: list[str]
    competencies: list[CompetencyCoverage]

    @property
    def status(self) -> str:
        """covered, partly covered, or gap."""
        done = sum(c.covered for c in self.competencies)
        if self.whole or (self.competencies and done == len(self.competencies)):
            return "covered"
        return "partly covered" if done else "gap"


@dataclass
class Coverage:
    pathway: Pathway
    framework: Framework
    tiers: list[TierCoverage]
    credentials: list[str]

    @property
    def gaps(self) -> list[CompetencyCoverage]:
        return [c for t in self.tiers for c in t.competencies if not c.covered]

    @property
    def covered_count(self) -> int:
        return sum(c.covered for t in self.tiers for c in t.competencies)

    @property
    def competency_count(self) -> int:
        return sum(len(t.competencies) for t in self.tiers)


def coverage(*, pathway: Pathway, reader, framework_slug: str = "") -> Coverage:
    """Which tiers and competencies of a framework (the pathway's own unless another is named)
    the pathway's visible credentials cover through their alignments, and the gaps."""
    framework = framework_tree(user=reader, slug=framework_slug or pathway.framework.slug)
    credentials = {
        str(step.credential.identifier): step.credential.name
        for step in steps_of(pathway=pathway, reader=reader)
        if step.credential is not None
    }
    links = Alignment.objects.filter(
        scheme=SCHEME, framework=framework, code__in=list(credentials)
    ).select_related("tier", "competency")
    whole, direct = {}, {}
    for link in links:
        name = credentials[link.code]
        if link.competency_id:
            direct.setdefault(link.competency.identifier, set()).add(name)
        elif link.tier_id:
            whole.setdefault(link.tier.number, set()).add(name)
    tiers = []
    base = framework.get_absolute_url()
    for tier in framework.tier_list:
        on_tier = sorted(whole.get(tier.number, ()))
        rows = [
            CompetencyCoverage(
                c.code,
                c.name,
                f"{base}competencies/{c.code}/",
                sorted(direct.get(c.identifier, ())),
                on_tier,
            )  # fmt: skip
            for c in tier.competency_list
        ]
        tiers.append(
            TierCoverage(
                tier.number, tier.name, tier.group, f"{base}tiers/{tier.number}/", on_tier, rows
            )  # fmt: skip
        )
    return Coverage(pathway, framework, tiers, sorted(set(credentials.values())))


def coverage_picture(found: Coverage, *, caption: bool = False, site: str = "") -> ModelPyramid:
    """The framework's pyramid with the blocks the pathway covers marked; a tier covered as a
    whole that lists no competencies is drawn as one marked block."""
    rows = []
    by_number = {t.number: t for t in found.tiers}
    for row in pyramid_rows(skeleton(found.framework), site=site):
        tier = by_number[row.number]
        marks = {c.code: COVERED if c.covered else "" for c in tier.competencies}
        blocks = tuple(replace(b, mark=marks.get(b.code, "")) for b in row.blocks)
        if not blocks and tier.whole:
            blocks = (PyramidBlock("", "The tier as a whole", row.url, mark=COVERED),)
        rows.append(replace(row, blocks=blocks))
    title = f"{found.pathway.name} on {found.framework.name}"
    lines = (title, f"Covered: {found.covered_count} of {found.competency_count} competencies")
    return model_pyramid(
        title, rows, element_id="coverage-pyramid", caption=lines if caption else ()
    )


def step_of(*, pathway: Pathway, pk: int) -> Step:
    """One step of the pathway, or 404."""
    found = pathway.steps.filter(pk=pk).first()
    if found is None:
        raise Http404("No such step.")
    return found


def step_at(*, pathway: Pathway, position: int) -> Step:
    """The step at a place in the stack (1 at the bottom), or 404."""
    found = pathway.steps.filter(position=position).first()
    if found is None:
        raise Http404("No such step.")
    return found


def tiers_of(*, pathway: Pathway) -> list:
    """The tiers of the pathway's framework, in order: what a step may stand on."""
    return list(pathway.framework.tiers.order_by("position"))
