"""Reads of published versions: the latest, one by number, and a version as a loaded tree."""

from django.http import Http404

from .. import snapshots
from ..models import Competency, Framework, FrameworkVersion, KeyBehavior, Tier
from .frameworks import framework_tree, tree_of, visible_framework


def latest_version(framework: Framework) -> FrameworkVersion | None:
    """The framework's latest published version, or None."""
    return framework.versions.order_by("-number").first()


def find_version(framework: Framework, number: int | str) -> FrameworkVersion:
    """The framework's version `number` (a number, or its digits), or 404."""
    found = None
    if str(number).isdigit() and int(number) < 2**31:
        found = FrameworkVersion.objects.filter(framework_id=framework.pk, number=int(number))
        found = found.first()
    if found is None:
        raise Http404(f"{framework.name} has no version {number}.")
    return found


def version_numbers(framework: Framework) -> list[int]:
    """The numbers of the framework's published versions, in order."""
    return sorted(framework.versions.values_list("number", flat=True))


def visible_version(*, user, slug: str, number: int) -> tuple[Framework, FrameworkVersion]:
    """A published version of a framework the user may see (a light framework, as
    visible_framework gives)."""
    framework = visible_framework(user=user, slug=slug)
    return framework, find_version(framework, number)


def version_framework(framework: Framework, version: FrameworkVersion) -> Framework:
    """A published version as a loaded framework, like framework_tree gives, built from its
    snapshot in memory (nothing is saved): what the readable exports of that version show. Its
    `shown_version` tells the cover which version it is."""
    tree = snapshots.tree_of_document(version.snapshot, f"version {version.number}")
    shown = Framework(
        pk=framework.pk,
        identifier=framework.identifier,
        slug=framework.slug,
        name=tree.name,
        kind=tree.kind,
        status=version.status,
        industry=tree.industry,
        naics=tree.naics,
        description=tree.description,
        source_citation=tree.source_citation,
        source_url=tree.source_url,
        source_section=tree.source_section,
        version_label=tree.version_label,
        language=tree.language,
        content_included=tree.content_included,
        content_note=tree.content_note,
        variants=tree.variants,
        updated_at=version.published_at,
    )
    shown.shown_version = version
    shown.tier_list = []
    for node in tree.tiers:
        tier = Tier(
            framework=shown,
            identifier=node.identifier,
            number=node.number,
            name=node.name,
            group=node.group,
            note=node.note,
        )
        tier.competency_list = []
        for c in node.competencies:
            competency = Competency(
                framework=shown,
                tier=tier,
                identifier=c.identifier,
                code=c.code,
                name=c.name,
                definition=c.definition,
            )
            competency.behavior_list = [
                KeyBehavior(
                    competency=competency, identifier=b.identifier, title=b.title, text=b.text
                )
                for b in c.behaviors
            ]
            tier.competency_list.append(competency)
        shown.tier_list.append(tier)
    return shown


def document_with_lineage(framework: Framework) -> dict:
    """The framework as it is now in the document form versions are frozen in, each
    competency and behavior carrying its lineage."""
    from cmc.core.actors import SYSTEM

    loaded = framework_tree(user=SYSTEM, slug=framework.slug)
    document = snapshots.to_dict(tree_of(loaded))
    lineage = {}
    for tier in loaded.tier_list:
        for competency in tier.competency_list:
            lineage[str(competency.identifier)] = competency
            for behavior in competency.behavior_list:
                lineage[str(behavior.identifier)] = behavior
    for tier in document["framework"]["tiers"]:
        for competency in tier["competencies"]:
            _attach(competency, lineage)
            for behavior in competency["behaviors"]:
                _attach(behavior, lineage)
    return document


def _attach(node: dict, lineage: dict) -> None:
    item = lineage.get(node["identifier"])
    if item is not None:
        node["lineage"] = {
            "origin": item.origin,
            "source_identifier": str(item.source_identifier) if item.source_identifier else None,
            "source_version": item.source_version_id,
            "merged_from": list(item.merged_from or []),
        }
