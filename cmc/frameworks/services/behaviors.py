"""Where the key behaviors of a tree being saved are: a source that `syncing` reads them
through, a batch of competencies at a time. The nodes hold them (`HeldBehaviors`: every tree
made in memory), or a file too big to hold put them aside in its import's transaction
(`spooling.SpooledBehaviors`)."""

from collections.abc import Iterator, Sequence
from typing import Protocol

from cmc.core import bulk
from cmc.core.errors import Problem

from ..models import KeyBehavior
from ..trees import BehaviorNode, CompetencyNode, FrameworkTree, where_read

# Rows per statement: under every database's limit on a statement's parameters.
BATCH = 500


class Behaviors(Protocol):
    """Where the key behaviors of a tree's competencies are."""

    def size(self, node: CompetencyNode) -> int:
        """How many key behaviors the competency has."""
        ...

    def of(self, nodes: Sequence[CompetencyNode]) -> list[list[BehaviorNode]]:
        """The key behaviors of each of the competencies, in order."""
        ...

    def each(self, nodes: Sequence[CompetencyNode]) -> Iterator[tuple[int, int, BehaviorNode]]:
        """(index in `nodes`, position, key behavior) of every key behavior of the
        competencies, in order, never many at once."""
        ...

    def moved(self, framework, homes: dict[int, int | None]) -> list[int]:
        """The ids of the framework's key behaviors whose identifier the tree places under
        another competency: `homes` gives, by `id()` of a competency node, the competency
        row it updates (None for a new one)."""
        ...

    def foreign(self, framework) -> list[Problem]:
        """The tree's key behavior identifiers that name key behaviors of another framework,
        each located."""
        ...


class HeldBehaviors:
    """The key behaviors the tree's nodes hold."""

    def __init__(self, tree: FrameworkTree):
        self.tree = tree

    def size(self, node: CompetencyNode) -> int:
        return len(node.behaviors)

    def of(self, nodes: Sequence[CompetencyNode]) -> list[list[BehaviorNode]]:
        return [node.behaviors for node in nodes]

    def each(self, nodes: Sequence[CompetencyNode]) -> Iterator[tuple[int, int, BehaviorNode]]:
        for index, node in enumerate(nodes):
            for position, behavior in enumerate(node.behaviors, start=1):
                yield index, position, behavior

    def moved(self, framework, homes: dict[int, int | None]) -> list[int]:
        home = {
            behavior.identifier: homes[id(node)]
            for tier in self.tree.tiers
            for node in tier.competencies
            for behavior in node.behaviors
            if behavior.identifier
        }
        if not home:
            return []
        return [
            pk
            for pk, identifier, competency_id in KeyBehavior.objects.filter(
                competency__framework=framework
            )
            .values_list("pk", "identifier", "competency_id")
            .iterator(chunk_size=bulk.BATCH)  # not all of a big model's rows held at once
            if identifier in home and home[identifier] != competency_id
        ]

    def foreign(self, framework) -> list[Problem]:
        tree = self.tree
        nodes = (b for t in tree.tiers for c in t.competencies for b in c.behaviors)
        where = located(nodes, tree)
        return foreign_problems("behavior", KeyBehavior, "competency__framework", where, framework)


def located(nodes, tree: FrameworkTree) -> dict:
    """Where each of the nodes that has an identifier was read, by its identifier."""
    return {n.identifier: where_read(n, tree) or f"framework {tree.slug}" for n in nodes
            if n.identifier}  # fmt: skip


def foreign_problems(kind: str, model, path: str, where: dict, framework) -> list[Problem]:
    """The identifiers of `where` (identifier → where it was read) that name items of `model`
    of a framework other than `framework`, each a problem."""
    problems = []
    ids = list(where)
    for start in range(0, len(ids), BATCH):
        found = model.objects.filter(identifier__in=ids[start : start + BATCH])
        for identifier, slug in found.exclude(**{path: framework.pk}).values_list(
            "identifier", f"{path}__slug"
        ):
            problems.append(foreign_problem(kind, where[identifier], identifier, slug))
    return problems


def foreign_problem(kind: str, where: str, identifier, slug: str) -> Problem:
    message = f"'{identifier}' belongs to a {kind} of the framework '{slug}'; "
    message += f"leave it empty to make a new {kind}"
    return Problem(where, f"{kind} identifier", message)
