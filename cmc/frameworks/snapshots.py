"""The document form of a whole framework tree, every field and every identifier: what a
published version is frozen in, and what the JSON format exchanges (see cmc.interchange)."""

import uuid
from typing import Any

from cmc.core.errors import Problem

from .trees import BehaviorNode, CompetencyNode, FrameworkTree, Lineage, TierNode

FORMAT = "cmc-framework"
VERSION = 1
TEXT_FIELDS = (
    "slug", "kind", "status", "industry", "naics", "description", "version_label", "language",
    "based_on", "content_note",
)  # fmt: skip


def to_dict(tree: FrameworkTree, *, lineage: bool = False) -> dict[str, Any]:
    """The tree as a document; with `lineage`, each competency and key behavior that has one
    carries its lineage (what a version snapshot keeps)."""
    framework: dict[str, Any] = {
        "identifier": str(tree.identifier) if tree.identifier else None,
        "name": tree.name,
        **{name: getattr(tree, name) for name in TEXT_FIELDS},
        "content_included": tree.content_included,
        "source": {
            "citation": tree.source_citation,
            "url": tree.source_url,
            "section": tree.source_section,
        },
        "variants": tree.variants,
        **_extensions(tree),
        "tiers": [
            {
                "identifier": _id(t.identifier),
                "number": t.number,
                "name": t.name,
                "group": t.group,
                "note": t.note,
                **_extensions(t),
                "competencies": [
                    {
                        "identifier": _id(c.identifier),
                        "code": c.code,
                        "name": c.name,
                        "definition": c.definition,
                        **_extensions(c),
                        "behaviors": [
                            {
                                "identifier": _id(b.identifier),
                                "title": b.title,
                                "text": b.text,
                                **_extensions(b),
                                **_lineage(b, lineage),
                            }
                            for b in c.behaviors
                        ],
                        **_lineage(c, lineage),
                    }
                    for c in t.competencies
                ],
            }
            for t in tree.tiers
        ],
    }
    return {"format": FORMAT, "version": VERSION, "framework": framework}


def _id(value: uuid.UUID | None) -> str | None:
    return str(value) if value else None


def _extensions(node) -> dict:
    """An item's extensions, only where it has some (most items have none)."""
    return {"extensions": node.extensions} if node.extensions else {}


def _lineage(node, wanted: bool) -> dict:
    if not wanted or node.lineage is None:
        return {}
    return {"lineage": node.lineage.as_document()}


def read_document(data: Any, label: str) -> tuple[FrameworkTree | None, list[Problem]]:
    """A parsed document as a tree, with every problem of its shape named by its path."""
    reader = _Reader(label)
    tree = reader.document(data)
    return tree, reader.problems


def tree_of_document(data: dict, label: str) -> FrameworkTree:
    """A JSON document this project wrote (a version's snapshot) as a tree; raises ValueError,
    naming the problems, if it is not one."""
    reader = _Reader(label)
    tree = reader.document(data)
    if tree is None or reader.problems:
        raise ValueError("; ".join(str(p) for p in reader.problems) or f"{label} is empty")
    return tree


class _Reader:
    """Checks the types of a parsed JSON document, naming the path of anything wrong."""

    def __init__(self, label: str):
        self.label = label
        self.problems: list[Problem] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.label, path, message))

    def document(self, data: Any) -> FrameworkTree | None:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            self.fail("format", f"is not '{FORMAT}'; this is not a framework exported by cmc")
            return None
        if data.get("version") != VERSION:
            self.fail(
                "version", f"{data.get('version')!r} is not a version this cmc reads ({VERSION})"
            )
            return None
        return self.framework(data.get("framework"), "framework")

    def text(self, obj: dict, key: str, path: str, default: str = "") -> str:
        value = obj.get(key, default)
        if value is None:
            return default
        if not isinstance(value, str):
            self.fail(f"{path}.{key}", f"must be text, not {type(value).__name__}")
            return default
        return value.replace("\x00", "")  # means nothing here, and PostgreSQL cannot store it

    def items(self, obj: dict, key: str, path: str) -> list:
        value = obj.get(key, [])
        if not isinstance(value, list):
            self.fail(f"{path}.{key}", "must be a list")
            return []
        return value

    def uuid(self, obj: dict, path: str) -> uuid.UUID | None:
        raw = obj.get("identifier")
        if raw in (None, ""):
            return None
        try:
            return uuid.UUID(str(raw))
        except ValueError:
            self.fail(f"{path}.identifier", f"'{raw}' is not a UUID")
            return None

    def extensions(self, obj: dict, path: str) -> dict:
        value = obj.get("extensions") or {}
        if not isinstance(value, dict):
            self.fail(f"{path}.extensions", "must be an object")
            return {}
        return value

    def lineage(self, obj: dict) -> Lineage | None:
        """The lineage a version snapshot keeps on an item; an import ignores it (a file names
        no lineage that this site could trust)."""
        raw = obj.get("lineage")
        if not isinstance(raw, dict) or not isinstance(raw.get("origin"), str):
            return None
        try:
            source = uuid.UUID(raw["source_identifier"]) if raw.get("source_identifier") else None
        except (TypeError, ValueError):
            source = None
        version = raw.get("source_version")
        merged = raw.get("merged_from")
        return Lineage(
            origin=raw["origin"],
            source_identifier=source,
            source_version=version if isinstance(version, int) else None,
            merged_from=[str(m) for m in merged] if isinstance(merged, list) else [],
        )

    def framework(self, obj: Any, path: str) -> FrameworkTree | None:
        if not isinstance(obj, dict):
            self.fail(path, "must be an object")
            return None
        source = obj.get("source") or {}
        if not isinstance(source, dict):
            self.fail(f"{path}.source", "must be an object")
            source = {}
        variants = obj.get("variants") or []
        if not isinstance(variants, list):
            self.fail(f"{path}.variants", "must be a list")
            variants = []
        tree = FrameworkTree(
            name=self.text(obj, "name", path),
            identifier=self.uuid(obj, path),
            content_included=bool(obj.get("content_included", True)),
            source_citation=self.text(source, "citation", f"{path}.source"),
            source_url=self.text(source, "url", f"{path}.source"),
            source_section=self.text(source, "section", f"{path}.source"),
            variants=variants,
            extensions=self.extensions(obj, path),
        )
        for name in TEXT_FIELDS:
            setattr(tree, name, self.text(obj, name, path, getattr(tree, name)))
        for i, item in enumerate(self.items(obj, "tiers", path)):
            tier = self.tier(item, f"{path}.tiers[{i}]")
            if tier:
                tree.tiers.append(tier)
        return tree

    def tier(self, obj: Any, path: str) -> TierNode | None:
        if not isinstance(obj, dict):
            self.fail(path, "must be an object")
            return None
        number = obj.get("number")
        if not isinstance(number, int) or isinstance(number, bool):
            self.fail(f"{path}.number", "must be a whole number")
            return None
        tier = TierNode(
            number=number,
            name=self.text(obj, "name", path),
            group=self.text(obj, "group", path),
            note=self.text(obj, "note", path),
            identifier=self.uuid(obj, path),
            origin=f"{self.label}, {path}",
            extensions=self.extensions(obj, path),
        )
        for i, item in enumerate(self.items(obj, "competencies", path)):
            at = f"{path}.competencies[{i}]"
            if not isinstance(item, dict):
                self.fail(at, "must be an object")
                continue
            competency = CompetencyNode(
                code=self.text(item, "code", at),
                name=self.text(item, "name", at),
                definition=self.text(item, "definition", at),
                identifier=self.uuid(item, at),
                origin=f"{self.label}, {at}",
                lineage=self.lineage(item),
                extensions=self.extensions(item, at),
            )
            for j, raw in enumerate(self.items(item, "behaviors", at)):
                b_at = f"{at}.behaviors[{j}]"
                if not isinstance(raw, dict):
                    self.fail(b_at, "must be an object")
                    continue
                competency.behaviors.append(
                    BehaviorNode(
                        text=self.text(raw, "text", b_at),
                        title=self.text(raw, "title", b_at),
                        identifier=self.uuid(raw, b_at),
                        origin=f"{self.label}, {b_at}",
                        lineage=self.lineage(raw),
                        extensions=self.extensions(raw, b_at),
                    )
                )
            tier.competencies.append(competency)
        return tier
