"""What a readable document shows: the framework's tree and the facts of its cover, the same for
everyone who may read the framework (the files are kept and served to all of them)."""

from dataclasses import dataclass

from django.utils import timezone

from cmc.core.actors import SYSTEM

from ..models import Framework, FrameworkSource, FrameworkVersion
from ..selectors import framework_tree, latest_version
from ..selectors.trees import EVERY_READER, PRIVATE_SOURCE, named_sources, tree_of, version_tree
from ..trees import FrameworkTree


@dataclass
class Facts:
    """What a cover says: where the model comes from and which version this is."""

    source: str
    version: str
    sources: list[str]
    last_changed: str


@dataclass
class Readable:
    """A framework as a readable document shows it."""

    tree: FrameworkTree
    facts: Facts


def document_of(framework: Framework, *, version: FrameworkVersion | None = None) -> Readable:
    """The draft (or `version`, as it was frozen) as every reader of the framework may see it."""
    if version is not None:
        tree = version_tree(framework, version)
        changed = version.published_at
        line = f"Version {version.number} of {version.published_at:%d %B %Y}"
    else:
        tree = tree_of(framework_tree(user=SYSTEM, slug=framework.slug), reader=EVERY_READER)
        changed = framework.updated_at
        line = _draft_version(framework)
    if tree.version_label:
        line = f"{tree.version_label} · {line}"
    source = tree.source_citation or "Not given"
    if tree.source_section:
        source += f" ({tree.source_section})"
    facts = Facts(source, line, _sources(framework), f"{timezone.localtime(changed):%d %B %Y}")
    return Readable(tree, facts)


def _sources(framework: Framework) -> list[str]:
    links = FrameworkSource.objects.filter(framework_id=framework.pk).select_related(
        "source_version"
    )
    named = named_sources(framework, EVERY_READER)
    return [
        (link.source_name if link.source_id is None or link.source_id in named else PRIVATE_SOURCE)
        + (
            f", version {link.source_version.number}"
            if link.source_version and link.source_id in named
            else ""
        )
        for link in links
    ]


def _draft_version(framework: Framework) -> str:
    latest = latest_version(framework)
    if latest is None:
        return "Draft, not yet published"
    version = f"Version {latest.number} of {latest.published_at:%d %B %Y}"
    if framework.updated_at > latest.published_at:
        version += ", with later changes not yet published"
    return version
