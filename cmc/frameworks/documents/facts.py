"""What a readable document shows: the framework's tree and the facts of its cover, the same for
everyone who may read the framework (the files are kept and served to all of them)."""

from dataclasses import dataclass, field

from django.utils import timezone

from ..models import Framework, FrameworkSource, FrameworkVersion, Kind
from ..selectors import latest_version, shown_tree
from ..selectors.trees import EVERY_READER, PRIVATE_SOURCE, named_sources, version_tree
from ..trees import FrameworkTree, TierNode


@dataclass
class Facts:
    """What a cover says: where the model comes from and which version this is. A fact the
    model does not have is empty, and its line is left out."""

    version: str
    last_changed: str
    # The work the model is transcribed from (a reference model): citation (section) and URL.
    source: str = ""
    # The models it was built from, with the versions taken; private ones masked.
    sources: list[str] = field(default_factory=list)
    # The organization the model belongs to.
    organization: str = ""
    # Shipped reference content: its notes are its transcription's, shown on its pages only.
    reference: bool = False


@dataclass
class Readable:
    """A framework as a readable document shows it."""

    tree: FrameworkTree
    facts: Facts

    @property
    def subtitle(self) -> str:
        """What kind of model this is, and whose: "Industry competency model · Welding",
        "Competency model of Welders Guild"; empty where that would say nothing."""
        tree, organization = self.tree, self.facts.organization
        if tree.kind == Kind.ORGANIZATION:
            line = f"Competency model of {organization}" if organization else ""
        else:
            line = f"{tree.kind_label} competency model"
        return " · ".join(part for part in (line, tree.industry) if part)

    @property
    def source_line(self) -> str:
        """Where the model comes from, in one line: its source, else what it was built from."""
        if self.facts.source:
            return f"Source: {self.facts.source}"
        if self.facts.sources:
            return "Built from " + "; ".join(self.facts.sources)
        return ""

    def cover(self) -> list[tuple[str, str]]:
        """The cover's lines, (label, text), none that would say nothing."""
        tree, facts = self.tree, self.facts
        organization = facts.organization if tree.kind != Kind.ORGANIZATION else ""
        lines = [
            ("Organization", organization),
            ("Status", tree.status_label),
            ("Version", facts.version),
            ("Source", facts.source),
            ("Built from", "; ".join(facts.sources)),
            ("Contents", _contents(tree)),
            ("Last changed", facts.last_changed),
        ]
        return [(label, text) for label, text in lines if text]

    def tiers(self) -> list[tuple[TierNode, str]]:
        """The tiers in reading order, tier 1 first, each with the note a document prints:
        the model's own, never a reference transcription's."""
        return [
            (tier, "" if self.facts.reference else tier.note)
            for tier in sorted(self.tree.tiers, key=lambda t: t.number)
        ]


def _contents(tree: FrameworkTree) -> str:
    counts = (
        (len(tree.tiers), "tier", "tiers"),
        (tree.competency_count(), "competency", "competencies"),
        (tree.behavior_count(), "key behavior", "key behaviors"),
    )
    return ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in counts)


def document_of(framework: Framework, *, version: FrameworkVersion | None = None) -> Readable:
    """The draft (or `version`, as it was frozen) as every reader of the framework may see it."""
    named = named_sources(framework, EVERY_READER)
    if version is not None:
        tree = version_tree(framework, version, named=named)
        changed = version.published_at
        line = f"Version {version.number} of {version.published_at:%B %-d, %Y}"
    else:
        # Read as plain values, without the lineage no document shows: a model of 30,000 key
        # behaviors in a second and some 20 MiB.
        tree = shown_tree(framework, reader=EVERY_READER)
        changed = framework.updated_at
        line = _draft_version(framework)
    if tree.version_label:
        line = f"{tree.version_label} · {line}"
    organization, reference = (
        Framework.objects.filter(pk=framework.pk)
        .values_list("organization__name", "is_reference")
        .get()
    )
    facts = Facts(
        version=line,
        last_changed=_date(changed),
        source=_source(tree),
        sources=_sources(framework, named),
        organization=organization or "",
        reference=reference,
    )
    return Readable(tree, facts)


def _date(moment) -> str:
    return f"{timezone.localtime(moment):%B %-d, %Y}"


def _source(tree: FrameworkTree) -> str:
    source = tree.source_citation
    if source and tree.source_section:
        source += f" ({tree.source_section})"
    return " ".join(part for part in (source, tree.source_url) if part)


def _sources(framework: Framework, named: set[int]) -> list[str]:
    links = FrameworkSource.objects.filter(framework_id=framework.pk).select_related(
        "source", "source_version"
    )
    return [
        (link.source_name if link.source_id is None or link.source_id in named else PRIVATE_SOURCE)
        + (_version_of(link) if link.source_id in named else "")
        for link in links
    ]


def _version_of(link: FrameworkSource) -> str:
    named = link.source.version_name(link.source_version.number) if link.source_version else ""
    return f", version {named}" if named else ""


def _draft_version(framework: Framework) -> str:
    latest = latest_version(framework)
    if latest is None:
        return "Draft, not yet published"
    version = f"Version {latest.number} of {latest.published_at:%B %-d, %Y}"
    if framework.updated_at > latest.published_at:
        version += ", with later changes not yet published"
    return version
