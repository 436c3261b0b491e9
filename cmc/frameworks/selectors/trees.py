"""A framework as its one in-memory shape, the FrameworkTree: what every format, document,
snapshot, blend and export reads. Loaded rows (see framework_tree) or a version's snapshot
become a tree here, with the lineage of each item and the names of its sources that its reader
may see."""

from urllib.parse import quote

from django.urls import reverse

from cmc.core import bulk
from cmc.core.pictures import PyramidBlock, PyramidRow

from .. import snapshots
from ..models import Framework, FrameworkVersion, KeyBehavior, Visibility
from ..trees import BehaviorNode, CompetencyNode, FrameworkTree, Lineage, TierNode

# The reader of a file kept and served to everyone who may read the framework (a rendered PDF):
# it names only the sources that every one of them may see.
EVERY_READER = object()
PRIVATE_SOURCE = "a private model"


def named_sources(framework: Framework, reader) -> set[int]:
    """The ids of the frameworks this one was built from (its sources and the one it is based
    on) whose names `reader` may see: a user, the system, or EVERY_READER."""
    if framework.get_deferred_fields():  # a light row (visible_framework): the whole one
        framework = Framework.objects.get(pk=framework.pk)
    links = getattr(framework, "source_list", None)  # loaded by framework_tree
    if links is None:
        ids = set(framework.sources.exclude(source=None).values_list("source_id", flat=True))
    else:
        ids = {link.source_id for link in links if link.source_id}
    if framework.based_on_id:
        ids.add(framework.based_on_id)
    if not ids:
        return set()
    sources = Framework.objects.filter(pk__in=ids)
    if reader is not EVERY_READER:
        return set(sources.visible_to(reader).values_list("pk", flat=True))
    named = set(sources.filter(visibility=Visibility.PUBLIC).values_list("pk", flat=True))
    if framework.visibility == Visibility.PRIVATE and framework.owner_id:
        named |= set(sources.visible_to(framework.owner).values_list("pk", flat=True))
    elif framework.visibility == Visibility.ORGANIZATION and framework.organization_id:
        shared = sources.filter(
            visibility=Visibility.ORGANIZATION, organization_id=framework.organization_id
        )
        named |= set(shared.values_list("pk", flat=True))
    return named


def _lineage(item, named: set[int]) -> Lineage:
    source = item.source_framework if item.source_framework_id in named else None
    version = getattr(item, "source_version", None) if item.source_version_id else None
    return Lineage(
        origin=item.origin,
        source_identifier=item.source_identifier,
        source_version=item.source_version_id,
        merged_from=list(item.merged_from or []),
        source_name=source.name if source else (PRIVATE_SOURCE if item.source_framework_id else ""),
        source_url=source.get_absolute_url() if source else "",
        source_version_number=version.number if version is not None and source else None,
    )


def tree_of(framework: Framework, *, reader=EVERY_READER, named=None) -> FrameworkTree:
    """A loaded framework (see framework_tree) as its tree, each item with its lineage, naming
    only the sources `reader` may see (a user, the system, or EVERY_READER); `named` is
    named_sources(framework, reader) where the caller has it already."""
    if named is None:
        named = named_sources(framework, reader) if framework.pk else set()
    based_on = framework.based_on if framework.based_on_id in named else None
    return FrameworkTree(
        identifier=framework.identifier,
        slug=framework.slug,
        name=framework.name,
        kind=framework.kind,
        status=framework.status,
        industry=framework.industry,
        naics=framework.naics,
        description=framework.description,
        source_citation=framework.source_citation,
        source_url=framework.source_url,
        source_section=framework.source_section,
        version_label=framework.version_label,
        language=framework.language,
        based_on=based_on.slug if based_on else "",
        content_included=framework.content_included,
        content_note=framework.content_note,
        variants=framework.variants,
        extensions=framework.extensions,
        tiers=[
            TierNode(
                identifier=tier.identifier,
                number=tier.number,
                name=tier.name,
                group=tier.group,
                note=tier.note,
                extensions=tier.extensions,
                competencies=[
                    CompetencyNode(
                        identifier=c.identifier,
                        code=c.code,
                        name=c.name,
                        definition=c.definition,
                        lineage=_lineage(c, named),
                        extensions=c.extensions,
                        behaviors=[
                            BehaviorNode(
                                identifier=b.identifier,
                                title=b.title,
                                text=b.text,
                                lineage=_lineage(b, named),
                                extensions=b.extensions,
                            )
                            for b in c.behavior_list
                        ],
                    )
                    for c in tier.competency_list
                ],
            )
            for tier in framework.tier_list
        ],
    )


# What an item's lineage is read from, beside its own fields.
_LINEAGE = ("identifier", "origin", "source_identifier", "source_framework_id",
            "source_version_id", "merged_from", "extensions")  # fmt: skip


def draft_tree(framework: Framework, *, reader=EVERY_READER) -> FrameworkTree:
    """The framework's draft as its tree (the same tree as tree_of(framework_tree(...))), read
    as plain values in three statements, one per level, rather than as model instances: what
    the documents and packages of a model of 30,000 key behaviors read. The caller has checked
    that `reader` may see the framework."""
    with bulk.collecting_later():
        return _draft_tree(whole_row(framework), reader)


def whole_row(framework: Framework) -> Framework:
    """The framework with every field: itself, or the whole row for a light one."""
    if framework.get_deferred_fields():
        return Framework.objects.get(pk=framework.pk)
    return framework


def tier_rows(framework: Framework) -> list[dict]:
    """The framework's tiers in order, as the values tier_node reads (and `pk`)."""
    return list(
        framework.tiers.order_by("position").values(
            "pk", "identifier", "number", "name", "group", "note", "extensions"
        )
    )


def tier_node(row: dict, competencies) -> TierNode:
    """A tier of tier_rows as its node, with `competencies` (a list, or what a stream gives)."""
    return TierNode(
        identifier=row["identifier"], number=row["number"], name=row["name"],
        group=row["group"], note=row["note"], extensions=row["extensions"],
        competencies=competencies,
    )  # fmt: skip


def _draft_tree(framework: Framework, reader) -> FrameworkTree:
    named = named_sources(framework, reader)
    tiers = tier_rows(framework)
    competencies: dict[int, list] = {tier["pk"]: [] for tier in tiers}
    by_pk: dict[int, CompetencyNode] = {}
    rows = framework.competencies.order_by("tier_id", "position").values(
        "pk", "tier_id", "code", "name", "definition", *_LINEAGE
    )
    items = list(rows)
    behaviors = list(
        KeyBehavior.objects.filter(competency__framework=framework)
        .order_by("competency_id", "position")
        .values("competency_id", "title", "text", *_LINEAGE)
    )
    lineage = _Lineages(named, items + behaviors)
    for row in items:
        node = CompetencyNode(
            identifier=row["identifier"], code=row["code"], name=row["name"],
            definition=row["definition"], lineage=lineage(row), extensions=row["extensions"],
        )  # fmt: skip
        by_pk[row["pk"]] = node
        competencies[row["tier_id"]].append(node)
    for row in behaviors:
        by_pk[row["competency_id"]].behaviors.append(
            BehaviorNode(
                identifier=row["identifier"],
                title=row["title"],
                text=row["text"],
                lineage=lineage(row),
                extensions=row["extensions"],
            )  # fmt: skip
        )
    tree = tree_of(_Bare(framework), named=named)
    tree.tiers = [tier_node(tier, competencies[tier["pk"]]) for tier in tiers]
    return tree


def head_of(framework: Framework, reader=EVERY_READER) -> FrameworkTree:
    """The framework's own fields as a tree without tiers, naming the framework it is based on
    only where `reader` may see it. `framework` is a whole row."""
    return tree_of(_Bare(framework), named=named_sources(framework, reader))


class _Bare:
    """A framework without its tree, for tree_of to read its own fields from."""

    def __init__(self, framework: Framework):
        self._framework, self.tier_list = framework, []

    def __getattr__(self, name):
        return getattr(self._framework, name)


class _Lineages:
    """Each item's Lineage from its values; the sources and versions named are read once."""

    def __init__(self, named: set[int], rows: list[dict]):
        self.named = named
        framework_ids = {r["source_framework_id"] for r in rows} & named
        version_ids = {r["source_version_id"] for r in rows if r["source_version_id"]}
        self.sources = {
            f.pk: (f.name, f.get_absolute_url())
            for f in Framework.objects.filter(pk__in=framework_ids).only("pk", "name", "slug")
        }
        self.versions = dict(
            FrameworkVersion.objects.filter(pk__in=version_ids).values_list("pk", "number")
        )

    def __call__(self, row: dict) -> Lineage:
        source_id = row["source_framework_id"]
        source = self.sources.get(source_id) if source_id in self.named else None
        version = row["source_version_id"]
        return Lineage(
            origin=row["origin"],
            source_identifier=row["source_identifier"],
            source_version=version,
            merged_from=list(row["merged_from"] or []),
            source_name=source[0] if source else (PRIVATE_SOURCE if source_id else ""),
            source_url=source[1] if source else "",
            source_version_number=self.versions.get(version) if version and source else None,
        )


def skeleton(framework: Framework) -> FrameworkTree:
    """A loaded framework's outline (tiers, and each competency's code and name), without the
    lineage that costs a look at its sources: what its pyramid draws."""
    return FrameworkTree(
        name=framework.name,
        slug=framework.slug,
        tiers=[
            TierNode(
                number=tier.number,
                name=tier.name,
                group=tier.group,
                competencies=[
                    CompetencyNode(code=c.code, name=c.name) for c in tier.competency_list
                ],
            )
            for tier in framework.tier_list
        ],
    )


def version_tree(
    framework: Framework, version: FrameworkVersion, *, reader=EVERY_READER, named=None
) -> FrameworkTree:
    """A published version as the tree its snapshot froze (its status as it was then), naming
    the framework it was based on only where `reader` may see it (`named` as for tree_of)."""
    tree = snapshots.tree_of_document(version.snapshot, f"version {version.number}")
    tree.slug = framework.slug
    tree.status = version.status
    if tree.based_on:
        if named is None:
            named = named_sources(framework, reader)
        if not Framework.objects.filter(pk__in=named, slug=tree.based_on).exists():
            tree.based_on = ""
    return tree


def pyramid_rows(tree: FrameworkTree, *, site: str = "") -> list[PyramidRow]:
    """The model pyramid's rows, one block per competency; `site` before each link makes it
    absolute (for a picture read away from the site)."""
    base = site + reverse("frameworks:detail", kwargs={"slug": tree.slug})
    return [
        PyramidRow(
            number=tier.number,
            name=tier.name,
            group=tier.group,
            url=f"{base}tiers/{tier.number}/",
            blocks=tuple(
                PyramidBlock(code=c.code, name=c.name, url=competency_url(base, c.code))
                for c in tier.competencies
            ),
        )
        for tier in tree.tiers
    ]


# What reverse() leaves as it is in a path: RFC 3986's sub-delimiters, and /~:@.
_PATH_SAFE = "!$&'()*+,;=/~:@"


def competency_url(framework_url: str, code: str) -> str:
    """A competency's address, as reverse() gives it, from its framework's and its code: for
    pages and pictures that list thousands, without a reverse() for each."""
    return f"{framework_url}competencies/{quote(code, safe=_PATH_SAFE)}/"
