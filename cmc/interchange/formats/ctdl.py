"""CTDL-ASN (Credential Engine's competency framework language) as JSON-LD: the framework as a
ceasn:CompetencyFramework and every tier, competency and key behavior as a ceasn:Competency in
one @graph, texts as language maps. Each node's @id is its CASE address on this site (which
answers for it, see cmc.interchange.provider) and its ctid is "ce-" and its identifier.
Reading keeps the hierarchy and codes of a graph and turns its alignments into links."""

import json
import uuid
from dataclasses import dataclass, field
from urllib.parse import unquote

from cmc.core.errors import Problem
from cmc.core.files import Guard
from cmc.frameworks.trees import FrameworkTree

from .case_terms import PATH, Link, case_identifier, link_target
from .outline import LinkIn, Outline, OutlineNode, Placed, build_tree

CONTEXT = "https://credreg.net/ctdlasn/schema/context/json"
CONTEXTS = {CONTEXT, "http://credreg.net/ctdlasn/schema/context/json"}
STRENGTHS = {"exact": "ceasn:exactAlignment", "major": "ceasn:majorAlignment",
             "minor": "ceasn:minorAlignment", "related": "ceasn:alignTo"}  # fmt: skip
CATEGORIES = {"tier": "Tier", "competency": "Competency", "behavior": "Key behavior"}
STATUS = "http://credreg.net/ctdlasn/vocabs/publicationStatus/"
STATUSES = {"draft": "Draft", "approved": "Published", "archived": "Deprecated"}
# What the reader maps; every other property of a node is kept and written back.
MAPPED = frozenset({
    "@id", "@type", "ceterms:ctid", "ceasn:competencyLabel", "ceasn:competencyText",
    "ceasn:codedNotation", "ceasn:isPartOf", "ceasn:isChildOf", "ceasn:hasChild",
    "ceasn:isTopChildOf", "ceasn:competencyCategory", "ceasn:comment", "ceasn:listID",
    *STRENGTHS.values(),
})  # fmt: skip


def graph(tree: FrameworkTree, *, base: str, changed: str, links=None) -> dict:
    """The framework as one CTDL-ASN JSON-LD document."""
    root, lang, links = base.rstrip("/") + PATH, tree.language or "en", links or {}
    framework_id = f"{root}/CFDocuments/{tree.identifier}"
    nodes: list[dict] = []

    def node_of(item, role: str, label: str, text: str, parent: str | None) -> dict:
        node = {
            "@id": f"{root}/CFItems/{item.identifier}",
            "@type": "ceasn:Competency",
            "ceterms:ctid": f"ce-{item.identifier}",
            "ceasn:competencyText": {lang: text},
            "ceasn:competencyCategory": {lang: CATEGORIES[role]},
            "ceasn:isPartOf": framework_id,
        }
        if label:
            node["ceasn:competencyLabel"] = {lang: label}
        if parent is None:
            node["ceasn:isTopChildOf"] = framework_id
        else:
            node["ceasn:isChildOf"] = [parent]
        _alignments(node, item, links.get(item.identifier, []), root)
        node.update(item.extensions.get("ctdl", {}))
        nodes.append(node)
        return node

    top: list[str] = []
    for tier in tree.tiers:
        made = bool(tier.extensions.get("made"))
        tier_node = None
        if not made:
            tier_node = node_of(tier, "tier", tier.name, tier.note or tier.name, None)
            tier_node["ceasn:listID"] = str(tier.number)
            top.append(tier_node["@id"])
        for competency in tier.competencies:
            parent = tier_node["@id"] if tier_node else None
            c_node = node_of(competency, "competency", competency.name,
                             competency.definition or competency.name, parent)  # fmt: skip
            c_node["ceasn:codedNotation"] = competency.code
            _child(tier_node, c_node, top)
            for behavior in competency.behaviors:
                b_node = node_of(behavior, "behavior", behavior.title, behavior.text, c_node["@id"])
                _child(c_node, b_node, top)
    framework = _framework(tree, framework_id, lang, changed, top)
    _alignments(framework, tree, links.get(tree.identifier, []), root)
    return {"@context": CONTEXT, "@id": framework_id, "@graph": [framework, *nodes]}


def _child(parent: dict | None, child: dict, top: list[str]) -> None:
    if parent is None:
        top.append(child["@id"])
    else:
        parent.setdefault("ceasn:hasChild", []).append(child["@id"])


def _framework(tree: FrameworkTree, framework_id: str, lang: str, changed: str, top) -> dict:
    framework = {
        "@id": framework_id,
        "@type": "ceasn:CompetencyFramework",
        "ceterms:ctid": f"ce-{tree.identifier}",
        "ceasn:name": {lang: tree.name},
        "ceasn:inLanguage": [lang],
        "ceasn:dateModified": changed,
        "ceasn:publicationStatusType": STATUS + STATUSES.get(tree.status, "Draft"),
        "ceasn:hasTopChild": top,
    }
    if tree.description:
        framework["ceasn:description"] = {lang: tree.description}
    if tree.source_url:
        framework["ceasn:source"] = [tree.source_url]
    if tree.source_citation:
        framework["ceasn:publisherName"] = {lang: [tree.source_citation]}
    if tree.version_label:
        framework["ceterms:versionCode"] = tree.version_label
    framework.update(tree.extensions.get("ctdl", {}))
    return framework


def _alignments(node: dict, item, links: list[Link], root: str) -> None:
    lineage = getattr(item, "lineage", None)
    if lineage and lineage.source_identifier and lineage.source_url:
        node["ceasn:derivedFrom"] = [f"{root}/CFItems/{lineage.source_identifier}"]
    for link in links:
        target, _ = link_target(link)
        node.setdefault(STRENGTHS.get(link.strength, "ceasn:alignTo"), []).append(target["uri"])


@dataclass
class Graph:
    """A checked CTDL-ASN graph: its outline and the framework node it came with."""

    framework: dict
    outline: Outline
    kept: dict[str, dict] = field(default_factory=dict)  # unmapped properties by node @id


def parse_bytes(data: bytes, guard: Guard):
    from .case_read import parse_bytes as parse_json

    return parse_json(data, guard)


def read_graph(data: object, guard: Guard) -> tuple[Graph | None, list[Problem]]:
    """A parsed JSON-LD document as a checked graph, or every problem found in it."""
    label = guard.label
    if not isinstance(data, dict) or not isinstance(data.get("@graph"), list):
        return None, [Problem(label, "@graph", "is missing: this is not a CTDL-ASN graph")]
    nodes = [n for n in data["@graph"] if isinstance(n, dict)]
    frameworks = [n for n in nodes if _types(n) & {"ceasn:CompetencyFramework"}]
    if len(frameworks) != 1:
        return None, [Problem(label, "@graph", f"holds {len(frameworks)} "
                              "ceasn:CompetencyFramework nodes; a file holds exactly one")]  # fmt: skip
    rows = guard.limits.rows
    if rows is not None and len(nodes) > rows:
        guard.refuse(label, "file", f"holds {len(nodes):,} nodes, more than {rows:,}; {guard.hint}")
    reader = _Reader(frameworks[0], nodes, label)
    reader.read()
    return (None if reader.problems else reader.graph), reader.problems


def _types(node: dict) -> set[str]:
    kind = node.get("@type", [])
    return {kind} if isinstance(kind, str) else set(kind)


def text_of(value, lang: str = "") -> str:
    """One text of a language map (the framework's language first), a list or a plain text."""
    if isinstance(value, dict):
        if lang and lang.lower() in {k.lower() for k in value}:
            value = next(v for k, v in value.items() if k.lower() == lang.lower())
        else:
            value = next(iter(value.values()), "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return value if isinstance(value, str) else ""


def _ids(value) -> list[str]:
    values = value if isinstance(value, list) else [value] if value else []
    return [v if isinstance(v, str) else str(v.get("@id", "")) for v in values if v]


class _Reader:
    def __init__(self, framework: dict, nodes: list[dict], label: str):
        self.label, self.problems = label, []
        self.framework = framework
        self.lang = text_of(framework.get("ceasn:inLanguage")) or ""
        title = text_of(framework.get("ceasn:name"), self.lang)
        self.graph = Graph(framework, Outline(title=title))
        self.competencies = {
            str(n.get("@id")): (i, n)
            for i, n in enumerate(nodes)
            if "ceasn:Competency" in _types(n)
        }

    def fail(self, where: str, name: str, message: str) -> None:
        self.problems.append(Problem(f"{self.label}, {where}", name, message))

    def read(self) -> None:
        parents: dict[str, str] = {}
        children: dict[str | None, list[str]] = {}
        for key, (index, node) in self.competencies.items():
            above = [p for p in _ids(node.get("ceasn:isChildOf")) if p != self.framework.get("@id")]
            if above and above[0] not in self.competencies:
                self.fail(f"@graph[{index}]", "ceasn:isChildOf",
                          f"names '{above[0]}', which is no competency of this graph")  # fmt: skip
                continue
            parents[key] = above[0] if above else None
        order = {k: i for i, k in enumerate(_ids(self.framework.get("ceasn:hasTopChild")))}
        for _, node in self.competencies.values():
            for child in _ids(node.get("ceasn:hasChild")):
                order.setdefault(child, len(order))
        for key in self.competencies:
            if key in parents:
                children.setdefault(parents[key], []).append(key)
        self._cycles(parents)
        if self.problems:
            return
        self._outline(children, order)

    def _cycles(self, parents: dict) -> None:
        for start in parents:
            path, key = [], start
            while key is not None and key not in path:
                path.append(key)
                key = parents.get(key)
            if key is not None:
                index = self.competencies[key][0]
                self.fail(f"@graph[{index}]", "ceasn:isChildOf", "is its own ancestor; remove "
                          "one of the isChildOf links of its loop")  # fmt: skip
                return

    def _outline(self, children: dict, order: dict) -> None:
        rank = lambda key: (order.get(key, len(order)), self.competencies[key][0])  # noqa: E731
        stack = [(k, None, 1) for k in sorted(children.get(None, []), key=rank, reverse=True)]
        while stack:
            key, parent, depth = stack.pop()
            index, node = self.competencies[key]
            self.graph.outline.nodes.append(self._node(key, node, parent, depth, index))
            self.graph.kept[key] = {k: v for k, v in node.items() if k not in MAPPED}
            self._links(key, node)
            below = sorted(children.get(key, []), key=rank, reverse=True)
            stack.extend((child, key, depth + 1) for child in below)

    def _node(self, key: str, node: dict, parent, depth: int, index: int) -> OutlineNode:
        ctid = str(node.get("ceterms:ctid", ""))
        try:
            identifier = (
                case_identifier(str(uuid.UUID(ctid[3:]))) if ctid.startswith("ce-") else None
            )
        except ValueError:
            identifier = None
        return OutlineNode(
            key=key,
            identifier=identifier or case_identifier(key),
            parent=parent,
            depth=depth,
            kind=text_of(node.get("ceasn:competencyCategory"), self.lang),
            label=text_of(node.get("ceasn:competencyLabel"), self.lang),
            text=text_of(node.get("ceasn:competencyText"), self.lang),
            code=str(node.get("ceasn:codedNotation") or ""),
            notes=text_of(node.get("ceasn:comment"), self.lang),
            number=str(node.get("ceasn:listID") or ""),
            where=f"{self.label}, @graph[{index}]",
        )  # fmt: skip

    def _links(self, key: str, node: dict) -> None:
        for strength, name in STRENGTHS.items():
            for target in _ids(node.get(name)):
                self.graph.outline.links.append(_link_in(key, target, strength))


def _link_in(key: str | None, target: str, strength: str) -> LinkIn:
    """A statement an alignment names: its scheme and code where this site wrote it."""
    if target.startswith("urn:cmc:"):
        scheme, _, code = target[len("urn:cmc:") :].partition(":")
        return LinkIn(item=key, scheme=unquote(scheme), code=unquote(code), text="", url="",
                      strength=strength)  # fmt: skip
    url = target if target.startswith(("http://", "https://")) and len(target) <= 1000 else ""
    return LinkIn(item=key, scheme="ctdl", code=target[:500], text="", url=url, strength=strength)


def to_tree(
    graph_: Graph, roles: dict[str, str], label: str, *, base: str = ""
) -> tuple[FrameworkTree, dict[str, Placed], list[Problem]]:
    """The graph as a tree, its items placed by `roles`, each keeping the properties this
    reader does not map (written back on export)."""
    tree, placed, problems = build_tree(graph_.outline, roles, label)
    framework = graph_.framework
    lang = text_of(framework.get("ceasn:inLanguage"))
    tree.language = (lang or "en")[:35]
    tree.description = text_of(framework.get("ceasn:description"), lang)
    sources = _ids(framework.get("ceasn:source"))
    tree.source_url = next((s for s in sources if s.startswith(("http://", "https://"))
                            and len(s) <= 500), "")  # fmt: skip
    tree.source_citation = text_of(framework.get("ceasn:publisherName"), lang)
    tree.version_label = str(framework.get("ceterms:versionCode") or "")[:50]
    published = str(framework.get("ceasn:publicationStatusType") or "").rsplit("/", 1)[-1]
    statuses = {label: status for status, label in STATUSES.items()}
    tree.status = statuses.get(published, "draft")
    ctid = str(framework.get("ceterms:ctid", ""))
    try:
        tree.identifier = case_identifier(str(uuid.UUID(ctid[3:])))
    except ValueError:
        tree.identifier = case_identifier(str(framework.get("@id", label)))
    kept = {k: v for k, v in framework.items() if k not in FRAMEWORK_MAPPED}
    tree.extensions = {"ctdl": kept} if kept else {}
    nodes = {node.key: node for node in graph_.outline.nodes}
    for key, spot in placed.items():
        kept = dict(graph_.kept.get(key, {}))
        code = nodes[key].code
        # Tiers and key behaviors have no code here, and a code too long or used twice was
        # replaced: the graph's own is kept and written back.
        if code and (spot.role != "competency" or spot.node.code != code):
            kept["ceasn:codedNotation"] = code
        if kept:
            spot.node.extensions = {"ctdl": kept}
    return tree, placed, problems


FRAMEWORK_MAPPED = frozenset({
    "@id", "@type", "ceterms:ctid", "ceasn:name", "ceasn:inLanguage", "ceasn:dateModified",
    "ceasn:publicationStatusType", "ceasn:hasTopChild", "ceasn:description",
    "ceasn:publisherName", "ceterms:versionCode",
})  # fmt: skip


def dump(document: dict) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()
