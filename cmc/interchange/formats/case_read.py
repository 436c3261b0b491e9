"""Reading a CASE 1.0 or 1.1 package (a file, or the JSON a provider's CFPackages answers): its
shape checked against the official schema, its identifiers, hierarchy and links checked, then
read into an Outline (see outline.py) whose levels the person importing maps to tiers,
competencies and key behaviors. Nothing here writes."""

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema_rs
from django.conf import settings

from cmc.core.errors import Problem
from cmc.core.files import Guard
from cmc.frameworks.models import Kind, Status, TierGroup
from cmc.frameworks.trees import FIELD_LIMITS, LIMITS, FrameworkTree

from . import case
from .outline import LinkIn, Outline, OutlineNode, Placed, build_tree

SCHEMAS = {"1.0": "case-v1p0-cfpackage-schema.json", "1.1": "case-v1p1-cfpackage-schema.json"}
WHAT = {
    "required": "is missing a field CASE requires",
    "type": "has the wrong type",
    "pattern": "is not in the form CASE requires",
    "enum": "is not one of the values CASE allows",
}


@dataclass
class Package:
    """A checked package: its outline, and the objects it came as (to keep what they say)."""

    version: str
    document: dict
    outline: Outline
    items: dict[str, dict] = field(default_factory=dict)  # by key
    parents: dict[str, dict] = field(default_factory=dict)  # the isChildOf each item is placed by
    also: dict[str, list] = field(default_factory=dict)  # further isChildOf of an item
    raw_links: list[tuple[LinkIn, str, dict]] = field(default_factory=list)  # link, key, object
    extras: dict = field(default_factory=dict)  # CFDefinitions, CFRubrics, extensions


def parse_bytes(data: bytes, guard: Guard) -> tuple[object, list[Problem]]:
    """The JSON of a file under the guard's limits, or the problem that it is not JSON."""
    label = guard.label
    guard.size(len(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [Problem(label, "file", "is not UTF-8 text; save it as UTF-8")]
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as error:
        at = f"line {error.lineno}, column {error.colno}"
        return None, [Problem(label, at, f"is not valid JSON ({error.msg})")]
    except RecursionError:
        return None, [Problem(label, "file", "is nested too deeply to be a CASE package")]
    return parsed, []


def read_package(data: object, guard: Guard) -> tuple[Package | None, list[Problem]]:
    """A parsed file as a checked package, or every problem found in it."""
    label = guard.label
    if isinstance(data, dict) and isinstance(data.get("CFPackage"), dict):
        data = data["CFPackage"]  # some providers wrap the package
    if not isinstance(data, dict) or not isinstance(data.get("CFDocument"), dict):
        return None, [Problem(label, "CFDocument", "is missing: this is not a CASE package")]
    _check_sizes(data, guard)
    version = "1.1" if data["CFDocument"].get("caseVersion") == "1.1" else "1.0"
    problems = schema_problems(data, version, label)
    if problems:
        return None, problems
    reader = _Reader(data, version, label)
    reader.read()
    return (None if reader.problems else reader.package), reader.problems


def _check_sizes(data: dict, guard: Guard) -> None:
    rows = guard.limits.rows
    items = data.get("CFItems") if isinstance(data.get("CFItems"), list) else []
    links = data.get("CFAssociations") if isinstance(data.get("CFAssociations"), list) else []
    if rows is not None and (len(items) > rows or len(links) > 3 * rows):
        guard.refuse(guard.label, "file", f"holds {len(items):,} items and {len(links):,} "
                     f"associations, more than the {rows:,} items a framework may have; "
                     f"{guard.hint}")  # fmt: skip
    for index, item in enumerate(items):
        if isinstance(item, dict):
            for key, value in item.items():
                if isinstance(value, str):
                    guard.cell(value, where=f"{guard.label}, CFItems[{index}]", field=key)


@functools.cache
def _validator(version: str):
    """The official schema of the version, compiled once (jsonschema-rs: the same rules as the
    reference validator, checked in native code, so that a package of thousands of items is
    checked in milliseconds). Formats are not checked: a CASE date is kept as given."""
    path = Path(settings.CMC_CASE_SCHEMA_DIR) / SCHEMAS[version]
    if not path.is_file():
        return None
    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = jsonschema_rs.Draft202012Validator if version == "1.1" else jsonschema_rs.Draft7Validator
    return cls(schema, validate_formats=False)


def schema_problems(data: dict, version: str, label: str, most: int = 20) -> list[Problem]:
    """What the official CASE schema of the package's version refuses, each named by its JSON
    path (at most `most`). Fields the schema does not define are not refused: they are kept.
    Identifiers of CASE 1.0 that 1.1 would refuse are replaced on import (case_identifier)."""
    validator = _validator(version)
    if validator is None:
        return _shape_problems(data, label)
    problems = []
    for error in validator.iter_errors(data):
        if error.kind.name in ("additionalProperties", "format"):
            continue
        path = _path(error.instance_path)
        problems.append(Problem(label, path or "package", _message(error)))
        if len(problems) >= most:
            break
    return problems


def _path(parts) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _message(error) -> str:
    name, value = error.kind.name, error.kind.as_dict()
    if name == "required":
        return f"needs '{value.get('property', 'a field')}' (CASE requires it)"
    if name == "type":
        types = [t for t in value.get("types", []) if t != "null"] or ["null"]
        return "must be " + " or ".join(f"{'an' if t[0] in 'aeio' else 'a'} {t}" for t in types)
    if name == "enum":
        options = ", ".join(map(str, value.get("options", [])))
        return f"{error.instance!r} is not one of {options}"
    return f"{WHAT.get(name, 'is not valid CASE')} ({error.message[:120]})"


def _shape_problems(data: dict, label: str) -> list[Problem]:
    """Without the official schema at hand: the fields this reader relies on."""
    problems = []
    for name in ("identifier", "title"):
        if not isinstance(data["CFDocument"].get(name), str):
            problems.append(Problem(label, f"CFDocument.{name}", "needs text"))
    for kind, need in (("CFItems", ("identifier", "fullStatement")),
                       ("CFAssociations", ("identifier", "associationType"))):  # fmt: skip
        rows = data.get(kind, [])
        if not isinstance(rows, list):
            problems.append(Problem(label, kind, "must be an array"))
            continue
        for index, row in enumerate(rows):
            for name in need:
                if not isinstance(row, dict) or not isinstance(row.get(name), str):
                    problems.append(Problem(label, f"{kind}[{index}].{name}", "needs text"))
    return problems


class _Reader:
    def __init__(self, data: dict, version: str, label: str):
        self.data, self.label = data, label
        self.problems: list[Problem] = []
        document = data["CFDocument"]
        self.doc_key = str(document["identifier"])
        self.package = Package(version, document, Outline(title=document.get("title", "")))
        self.paired: set[tuple] = set()

    def fail(self, where: str, name: str, message: str) -> None:
        self.problems.append(Problem(f"{self.label}, {where}", name, message))

    def read(self) -> None:
        items = self._items()
        children = self._hierarchy(items)
        if self.problems:
            return
        self._outline(items, children)
        self.package.extras = {
            name: self.data[name]
            for name in ("CFDefinitions", "CFRubrics", "extensions")
            if self.data.get(name)
        }

    def _items(self) -> dict[str, tuple[int, dict]]:
        items: dict[str, tuple[int, dict]] = {}
        made: dict = {}
        for index, item in enumerate(self.data.get("CFItems", [])):
            key = str(item["identifier"])
            if key in items or key == self.doc_key:
                first = "the CFDocument" if key == self.doc_key else f"CFItems[{items[key][0]}]"
                self.fail(f"CFItems[{index}]", "identifier",
                          f"'{key}' is used twice (first by {first}); each item needs its own")  # fmt: skip
                continue
            identifier = case.case_identifier(key)
            if identifier in made:
                self.fail(f"CFItems[{index}]", "identifier", f"'{key}' names the same item as "
                          f"'{made[identifier]}'; each item needs its own")  # fmt: skip
                continue
            made[identifier] = key
            items[key] = (index, item)
        return items

    def _hierarchy(self, items) -> dict[str | None, list[tuple]]:
        """The parent of each item (its first isChildOf), the others kept; items no association
        places are at the top."""
        seen: set[str] = set()
        parents: dict[str, str] = {}
        children: dict[str | None, list[tuple]] = {}
        for index, link in enumerate(self.data.get("CFAssociations", [])):
            at = f"CFAssociations[{index}]"
            key = str(link["identifier"])
            if key in seen:
                self.fail(
                    at, "identifier", f"'{key}' is used twice; each association needs its own"
                )
                continue
            seen.add(key)
            origin = str(link["originNodeURI"].get("identifier", ""))
            target = str(link["destinationNodeURI"].get("identifier", ""))
            if link["associationType"] != "isChildOf":
                self._link(at, link, origin, target, items)
                continue
            if origin not in items:
                self.fail(at, "originNodeURI", f"names '{origin}', which is no item of this "
                          "package; an isChildOf association joins two of its items")  # fmt: skip
            elif target not in items and target != self.doc_key:
                self.fail(at, "destinationNodeURI", f"names '{target}', which is neither the "
                          "document nor an item of this package")  # fmt: skip
            elif origin in parents:
                self.package.also.setdefault(origin, []).append(link)
            else:
                parents[origin] = target
                self.package.parents[origin] = link
                parent = None if target == self.doc_key else target
                order = link.get("sequenceNumber")
                order = order if isinstance(order, int) else float("inf")
                children.setdefault(parent, []).append((order, items[origin][0], origin))
        self._cycles(parents, items)
        for key, (index, _) in items.items():
            if key not in parents:
                children.setdefault(None, []).append((float("inf"), index, key))
        return children

    def _cycles(self, parents: dict[str, str], items) -> None:
        done: set[str] = set()
        for start in parents:
            path, key = [], start
            while key in parents and key not in done:
                if key in path:
                    loop = path[path.index(key) :]
                    where = f"CFItems[{items[key][0]}]"
                    self.fail(where, "isChildOf", "is its own ancestor: " + " → ".join(loop + [key]) +
                              "; remove one of these isChildOf associations")  # fmt: skip
                    break
                path.append(key)
                key = parents[key]
            done.update(path)

    def _link(self, at: str, link: dict, origin: str, target: str, items) -> None:
        ours = items.keys() | {self.doc_key}
        kind = link["associationType"]
        if origin in ours:
            item, node, reverse = origin, link["destinationNodeURI"], False
        elif target in ours:
            item, node, reverse = target, link["originNodeURI"], True
        else:
            self.fail(at, "originNodeURI", f"neither end ('{origin}', '{target}') is in this "
                      "package; an association needs one of its items at one end")  # fmt: skip
            return
        found = self._statement(at, kind, node, link, reverse)
        if found is None:
            return
        found.item = None if item == self.doc_key else item
        # One alignment links an item to a statement: a second association between them
        # (another type) is kept as it came.
        pair = (found.item, found.scheme, found.code)
        if pair in self.paired:
            self.package.also.setdefault(found.item, []).append(link)
            return
        self.paired.add(pair)
        self.package.raw_links.append((found, link_key(kind, reverse, node), link))

    def _statement(self, at, kind: str, node: dict, link: dict, reverse: bool) -> LinkIn | None:
        target_type = str(node.get("targetType") or "CASE")
        scheme = target_type[4:] if target_type.startswith("ext:") else "case"
        code, uri = str(node.get("identifier", "")), str(node.get("uri", ""))
        own = (link.get("extensions") or {}).get("cmc", {}) if scheme != "case" else {}
        if not code or len(code) > 500 or len(scheme) > 40:
            self.fail(at, "destinationNodeURI", "needs an identifier of at most 500 characters")
            return None
        implied = "exact" if kind == "exactMatchOf" else "related"
        score = own.get("score")
        return LinkIn(
            item=None,
            scheme=scheme,
            code=code,
            text=str(node.get("title", "")) if node.get("title") != code else "",
            url=uri if uri.startswith(("http://", "https://")) and len(uri) <= 1000 else "",
            strength=own.get("strength", implied),
            method=f"CASE {kind}{' from' if reverse else ''}" if scheme == "case" else own.get("method", ""),
            score=score if isinstance(score, int | float) and 0 <= score <= 1 else None,
        )  # fmt: skip

    def _outline(self, items, children) -> None:
        nodes = self.package.outline.nodes
        stack = [(key, None, 1) for *_, key in sorted(children.get(None, []), reverse=True)]
        while stack:
            key, parent, depth = stack.pop()
            index, item = items[key]
            self.package.items[key] = item
            type_link = (
                item.get("CFItemTypeURI") if isinstance(item.get("CFItemTypeURI"), dict) else {}
            )
            nodes.append(
                OutlineNode(
                    key=key,
                    identifier=case.case_identifier(key),
                    parent=parent,
                    depth=depth,
                    kind=str(item.get("CFItemType") or type_link.get("title") or ""),
                    label=str(item.get("abbreviatedStatement") or ""),
                    text=str(item.get("fullStatement") or ""),
                    code=str(item.get("humanCodingScheme") or ""),
                    notes=str(item.get("notes") or ""),
                    number=str(item.get("listEnumeration") or ""),
                    where=f"{self.label}, CFItems[{index}]",
                )
            )  # fmt: skip
            below = sorted(children.get(key, []), reverse=True)
            stack.extend((child, key, depth + 1) for *_, child in below)
        self.package.outline.links = [link for link, _, _ in self.package.raw_links]


def link_key(kind: str, reverse: bool, node: dict) -> str:
    return f"{kind}{' from' if reverse else ''} {node.get('identifier', '')}"


def to_tree(
    package: Package, roles: dict[str, str], label: str, *, base: str
) -> tuple[FrameworkTree, dict[str, Placed], list[Problem]]:
    """The package as a tree, its items placed by `roles`, each item and the document keeping
    (in `extensions["case"]`) what the package says that an export would not say by itself."""
    tree, placed, problems = build_tree(package.outline, roles, label)
    if problems:
        return tree, placed, problems
    _document_fields(tree, package.document)
    tree.identifier = case.case_identifier(package.document["identifier"])
    _keep_differences(tree, package, placed, base)
    return tree, placed, problems


def _document_fields(tree: FrameworkTree, document: dict) -> None:
    def text(name: str, limit: int | None = None) -> str:
        value = document.get(name)
        value = value if isinstance(value, str) else ""
        return value[:limit] if limit else value

    title = text("title", LIMITS["name"])
    tree.name = title if title.strip() else tree.name  # as given, spaces and all
    creator = text("creator")
    tree.source_citation = "" if creator == case.CREATOR else creator
    url = text("officialSourceURL")
    ok = url.startswith(("http://", "https://")) and len(url) <= FIELD_LIMITS["source_url"]
    tree.source_url = url if ok else ""
    tree.source_section = text("notes", FIELD_LIMITS["source_section"])
    tree.description = text("description")
    tree.language = text("language", FIELD_LIMITS["language"]) or "en"
    tree.version_label = text("version", FIELD_LIMITS["version_label"])
    kinds = {label: kind for kind, label in case.KIND_TYPES.items()}
    tree.kind = kinds.get(text("frameworkType"), Kind.ORGANIZATION)
    statuses = {label: status for status, label in case.ADOPTION.items()}
    tree.status = statuses.get(text("adoptionStatus"), Status.DRAFT)
    own = (document.get("extensions") or {}).get("cmc") or {}
    if isinstance(own, dict):
        for name in ("slug", "industry", "naics", "based_on", "content_note"):
            if isinstance(own.get(name), str):
                setattr(tree, name, own[name][: FIELD_LIMITS.get(name, 10_000)])
        if isinstance(own.get("variants"), list):
            tree.variants = own["variants"]
        tree.content_included = own.get("content_included", True) is not False


def _keep_differences(tree: FrameworkTree, package: Package, placed, base: str) -> None:
    """Write the fresh tree as a package and keep, on each of its nodes, how each object the
    package came with differs from what was written (see case.keep)."""
    links: dict = {}
    for link in package.outline.links:
        target = placed[link.item].node.identifier if link.item else tree.identifier
        links.setdefault(target, []).append(_as_link(link))
    for key, spot in placed.items():
        own = (package.items[key].get("extensions") or {}).get("cmc") or {}
        if spot.role == "tier" and isinstance(own, dict) and own.get("group") in TierGroup.values:
            spot.node.group = own["group"]
    written = case.Writer(tree, base=base, changed="", links=links, items_only=True).package()
    by_id = {item["identifier"]: item for item in written["CFItems"]}
    for key, spot in placed.items():
        item = case.keep(by_id[str(spot.node.identifier)], package.items[key])
        spot.node.extensions = {"case": {"item": item} if item else {}}
    document = case.keep(written["CFDocument"], package.document)
    tree.extensions = {"case": {"document": document}}
    # Again, with the items as they will be written: associations name their items' addresses.
    writer = case.Writer(tree, base=base, changed="", links=links)
    written = writer.package()
    parent_of = {
        a["originNodeURI"]["identifier"]: a
        for a in written["CFAssociations"]
        if a["associationType"] == "isChildOf"
    }
    for key, spot in placed.items():
        kept = spot.node.extensions["case"]
        identifier = str(spot.node.identifier)
        if key in package.parents:
            kept["parent"] = case.keep(parent_of[identifier], package.parents[key])
        if key in package.also:
            kept["also"] = package.also[key]
        kept = {k: v for k, v in kept.items() if v}
        spot.node.extensions = {"case": kept} if kept else {}
    case_ext = {"document": document, "also": package.also.get(None, []), **_extras(package)}
    _keep_links(tree, package, placed, writer, case_ext)
    case_ext = {k: v for k, v in case_ext.items() if v}
    tree.extensions = {"case": case_ext} if case_ext else {}


def _extras(package: Package) -> dict:
    extras = dict(package.extras)
    definitions = extras.pop("CFDefinitions", {}) or {}
    ours = case.own_types()
    if isinstance(definitions.get("CFItemTypes"), list):
        types = [t for t in definitions["CFItemTypes"] if t.get("identifier") not in ours]
        definitions = {**definitions, "CFItemTypes": types}
    return {
        "definitions": {k: v for k, v in definitions.items() if v and k in case.DEFINITIONS},
        "package": extras,
    }


def _keep_links(tree, package: Package, placed, writer, case_ext: dict) -> None:
    for link, key, original in package.raw_links:
        owner = placed[link.item].node if link.item else None
        origin = str(owner.identifier if owner else tree.identifier)
        kind, _, _ = key.partition(" ")
        target = key.split(" ")[-1]
        reverse = " from " in key
        made = case.made_uuid(*((target, kind, origin) if reverse else (origin, kind, target)))
        written = writer.associations.get(str(made))
        if written is None:
            continue
        difference = case.keep(written, original)
        if difference:
            home = owner.extensions.setdefault("case", {}) if owner else case_ext
            home.setdefault("links", {})[key] = difference


def _as_link(link: LinkIn) -> case.Link:
    return case.Link(scheme=link.scheme, code=link.code, text=link.text, url=link.url,
                     strength=link.strength, score=link.score, method=link.method)  # fmt: skip
