"""What an outside framework (a CASE package, a CTDL-ASN graph) is read into before it becomes a
FrameworkTree: its items in document order, each with its depth, its type and its texts, and the
links from its items to statements outside it. The person importing chooses which levels become
tiers, competencies and key behaviors (`levels`, `default_roles`); `build_tree` places every
item, or names each that cannot be placed."""

import uuid
from collections import Counter
from dataclasses import dataclass, field

from cmc.core.errors import Problem
from cmc.frameworks.trees import LIMITS, BehaviorNode, CompetencyNode, FrameworkTree, TierNode

ROLES = ("tier", "competency", "behavior")
ROLE_LABELS = {"tier": "Tier", "competency": "Competency", "behavior": "Key behavior"}
# Item types that name a role whatever their depth (our own exports, and common CASE words).
TYPE_ROLES = {
    "tier": "tier", "domain": "tier",
    "competency": "competency", "standard": "competency", "cluster": "competency",
    "key behavior": "behavior", "behavior": "behavior", "indicator": "behavior",
    "performance indicator": "behavior", "benchmark": "behavior",
}  # fmt: skip


@dataclass(slots=True)
class OutlineNode:
    key: str  # the item's identifier in the source
    identifier: uuid.UUID
    parent: str | None  # the parent's key; None for an item at the top
    depth: int
    kind: str = ""  # the source's item type
    label: str = ""  # a short name (abbreviatedStatement, competencyLabel)
    text: str = ""  # the full statement
    code: str = ""
    notes: str = ""
    number: str = ""  # a position the source gives (listEnumeration)
    where: str = ""


@dataclass
class LinkIn:
    """A link from an item (or the framework: `item` None) to a statement outside it."""

    item: str | None
    scheme: str
    code: str
    text: str
    url: str
    strength: str
    method: str = ""
    score: float | None = None


@dataclass
class Outline:
    title: str
    nodes: list[OutlineNode] = field(default_factory=list)  # in document order: parents first
    links: list[LinkIn] = field(default_factory=list)


@dataclass
class Level:
    depth: int
    kind: str
    count: int
    example: str
    role: str

    @property
    def key(self) -> str:
        return level_key(self.depth, self.kind)


def level_key(depth: int, kind: str) -> str:
    return f"{depth}:{kind}"


def levels(outline: Outline) -> list[Level]:
    """Each depth and item type of the outline with how many items it has, an example, and
    the role it takes by default."""
    counts = Counter((n.depth, n.kind) for n in outline.nodes)
    examples: dict[tuple[int, str], str] = {}
    for node in outline.nodes:
        examples.setdefault((node.depth, node.kind), node.label or node.text)
    roles = default_roles(outline)
    return [
        Level(depth, kind, count, examples[(depth, kind)][:120], roles[level_key(depth, kind)])
        for (depth, kind), count in sorted(counts.items())
    ]


def default_roles(outline: Outline) -> dict[str, str]:
    """A role for every level: by item type where it names one, else by depth (one level:
    competencies; two: tiers and competencies; three or more: tiers, competencies and key
    behaviors below)."""
    deepest = max((n.depth for n in outline.nodes), default=0)
    by_depth = {1: "competency"} if deepest == 1 else {1: "tier", 2: "competency"}
    roles = {}
    for depth, kind in {(n.depth, n.kind) for n in outline.nodes}:
        role = TYPE_ROLES.get(kind.strip().lower()) or by_depth.get(depth, "behavior")
        roles[level_key(depth, kind)] = role
    return roles


def roles_by_depth(outline: Outline, chosen: dict[int, str]) -> dict[str, str]:
    """The default roles with whole depths changed (`--level 2=behavior` on the command line)."""
    roles = default_roles(outline)
    for key in roles:
        depth = int(key.split(":", 1)[0])
        if depth in chosen:
            roles[key] = chosen[depth]
    return roles


@dataclass(slots=True)
class Placed:
    """Where each outline node went: its role and its node in the tree."""

    role: str
    node: object
    tier: TierNode


class _Builder:
    def __init__(self, outline: Outline, roles: dict[str, str], label: str):
        self.outline, self.roles, self.label = outline, roles, label
        self.tree = FrameworkTree(name=_cut(outline.title, LIMITS["name"]) or "Imported framework")
        self.placed: dict[str, Placed] = {}
        self.problems: list[Problem] = []
        self.codes: set[str] = set()
        self.numbers: set[int] = set()
        self.counter: Counter = Counter()
        self.loose: TierNode | None = None  # the tier made for competencies at the top

    def build(self) -> None:
        keyed = {n.key: n for n in self.outline.nodes}
        # By level, looked up once: the method that places a node of the level's role, or the
        # role where it is none.
        places: dict[tuple[int, str], object] = {}
        chains: dict[str, list[Placed]] = {}  # each parent's placed ancestors, itself first
        for node in self.outline.nodes:
            level = (node.depth, node.kind)
            place = places.get(level)
            if place is None:
                role = self.roles.get(level_key(*level))
                place = places[level] = getattr(self, role) if role in ROLES else str(role)
            if type(place) is str:
                self.fail(node, "role", f"'{place}' is not one of {', '.join(ROLES)}")
                continue
            ancestors = chains.get(node.parent)  # the usual case: a sibling asked before
            place(node, self._ancestors(node, keyed, chains) if ancestors is None else ancestors)

    def fail(self, node: OutlineNode, name: str, message: str) -> None:
        self.problems.append(Problem(node.where or self.label, name, message))

    def _ancestors(self, node: OutlineNode, keyed, chains) -> list[Placed]:
        """The node's placed ancestors, nearest first (a list its siblings share: read only).
        An outline lists each item after its parent, so that a parent's chain is whole once
        its first child asks for it, and is made once."""
        path, key = [], node.parent
        while key is not None and key in keyed and key not in chains:
            path.append(key)
            key = keyed[key].parent
        found = chains[key] if key is not None and key in chains else []
        for key in reversed(path):
            spot = self.placed.get(key)
            found = chains[key] = [spot, *found] if spot is not None else found
        return found

    def tier(self, node: OutlineNode, ancestors: list[Placed]) -> None:
        if ancestors:
            self.fail(node, "level", f"is chosen as a tier but lies under "
                      f"{ROLE_LABELS[ancestors[0].role].lower()} items; only items at the top "
                      "can be tiers")  # fmt: skip
            return
        tier = TierNode(
            number=self._number(node.number),
            name=_cut(node.label or node.text, LIMITS["tier name"]),
            note=node.notes or (node.text if node.label and node.text != node.label else ""),
            identifier=node.identifier,
            origin=node.where,
        )
        self.tree.tiers.append(tier)
        self.placed[node.key] = Placed("tier", tier, tier)

    def competency(self, node: OutlineNode, ancestors: list[Placed]) -> None:
        above = next((p for p in ancestors if p.role != "behavior"), None)
        if any(p.role == "behavior" for p in ancestors):
            self.fail(node, "level", "is chosen as a competency but lies under a key behavior; "
                      "choose key behavior for it, or a higher level for the items above")  # fmt: skip
            return
        tier = above.tier if above else self._loose_tier()
        name = node.label or node.text
        competency = CompetencyNode(
            code=self._code(node.code, tier),
            name=_cut(name, LIMITS["competency name"]),
            definition=node.text if node.label and node.text != node.label else node.notes,
            identifier=node.identifier,
            origin=node.where,
        )
        if not node.label and len(name) > LIMITS["competency name"]:
            competency.definition = node.text  # the whole statement, where the name is cut
        tier.competencies.append(competency)
        self.placed[node.key] = Placed("competency", competency, tier)

    def behavior(self, node: OutlineNode, ancestors: list[Placed]) -> None:
        above = None  # the nearest competency (a loop: the commonest item of all comes here)
        for placed in ancestors:
            if placed.role == "competency":
                above = placed
                break
        if above is None:
            self.fail(node, "level", "is chosen as a key behavior but has no competency above "
                      "it; choose competency or tier for a level above it")  # fmt: skip
            return
        label = node.label
        behavior = BehaviorNode(  # text, title, identifier, origin
            node.text or label,
            _cut(label, LIMITS["behavior title"]) if label and node.text else "",
            node.identifier,
            node.where,
        )
        above.node.behaviors.append(behavior)
        self.placed[node.key] = Placed("behavior", behavior, above.tier)

    def _number(self, given: str) -> int:
        wanted = int(given) if given.strip().isdigit() else 0
        if not 1 <= wanted <= 99 or wanted in self.numbers:
            wanted = next(n for n in range(1, 1000) if n not in self.numbers)
        self.numbers.add(wanted)
        return wanted

    def _code(self, given: str, tier: TierNode) -> str:
        code = given.strip()
        usable = code and len(code) <= LIMITS["code"] and not any(ord(c) < 32 for c in code)
        if not usable or code in self.codes:
            self.counter[tier.number] += 1
            code = f"{tier.number}.{self.counter[tier.number]}"
            while code in self.codes:
                self.counter[tier.number] += 1
                code = f"{tier.number}.{self.counter[tier.number]}"
        self.codes.add(code)
        return code

    def _loose_tier(self) -> TierNode:
        if self.loose is None:
            self.loose = TierNode(
                number=self._number("1"),
                name=self.tree.name[: LIMITS["tier name"]],
                extensions={"made": True},
            )
            self.tree.tiers.insert(0, self.loose)
        return self.loose


def build_tree(
    outline: Outline, roles: dict[str, str], label: str
) -> tuple[FrameworkTree, dict[str, Placed], list[Problem]]:
    """The outline as a framework tree, its items placed by the roles chosen for their levels:
    a competency under a competency joins the same tier, a key behavior under a key behavior
    joins the same competency, competencies at the top go into one tier made for them (marked
    `made`, which exports leave out). Every item that cannot be placed is a problem."""
    builder = _Builder(outline, roles, label)
    builder.build()
    return builder.tree, builder.placed, builder.problems


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split()) if len(text) > limit else text
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
