"""Reading a CASE 1.0 or 1.1 package (a file, or the JSON a provider's CFPackages answers): its
shape checked against the official schema (case_schema), its identifiers, hierarchy and links
checked, then read into an Outline (see outline.py) whose levels the person importing maps to
tiers, competencies and key behaviors (case_tree places them). Nothing here writes."""

import codecs
import json
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter

import msgspec

from cmc.core.errors import Problem
from cmc.core.files import Guard

from . import case
from .case_schema import schema_problems
from .case_terms import OWN, uuid_from
from .outline import LinkIn, Outline, OutlineNode


@dataclass
class Package:
    """A checked package: its outline, and the objects it came as (to keep what they say)."""

    version: str
    document: dict
    outline: Outline
    # The items by key, and the isChildOf each is placed by, without what the writer always
    # decides itself (case.OWN: never kept), so that most compare equal to what it makes.
    items: dict[str, dict] = field(default_factory=dict)
    parents: dict[str, dict] = field(default_factory=dict)
    also: dict[str, list] = field(default_factory=dict)  # further isChildOf of an item
    # The identifier made for each item whose key is not a CASE 1.1 one (see case_identifier),
    # as the writer writes it: the others are written as their keys.
    identifiers: dict[str, str] = field(default_factory=dict)
    raw_links: list[tuple[LinkIn, str, dict]] = field(default_factory=list)  # link, key, object
    extras: dict = field(default_factory=dict)  # CFDefinitions, CFRubrics, extensions


def parse_bytes(data: bytes, guard: Guard) -> tuple[object, list[Problem]]:
    """The JSON of a file under the guard's limits, or the problem that it is not JSON. Read by
    msgspec's decoder, which gives what `json.loads` gives (whole numbers of any size
    included) in half the time; a file it refuses is read again by `json`, which names the
    problem (or reads what msgspec is stricter about, such as a lone surrogate escape)."""
    label = guard.label
    guard.size(len(data))
    try:
        return msgspec.json.decode(data.removeprefix(codecs.BOM_UTF8)), []
    except (msgspec.DecodeError, RecursionError):
        pass
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
    limit = guard.limits.cell_chars
    if limit is None or _all_within(items, limit):
        return
    for index, item in enumerate(items):
        if isinstance(item, dict):
            for key, value in item.items():
                if isinstance(value, str) and len(value) > limit:
                    guard.cell(value, where=f"{guard.label}, CFItems[{index}]", field=key)


def _all_within(items: list, limit: int) -> bool:
    """Whether no value of any item is longer than `limit`, counted at C speed (the length of
    an object or a list is its count of entries, never more than a text of it would be); a
    value without a length (a number), or an item that is no object, says no, and the items
    are looked at one by one."""
    try:
        return max(map(len, chain.from_iterable(map(dict.values, items))), default=0) <= limit
    except TypeError:
        return False


def _repeated(links: list) -> dict[int, str]:
    """The associations whose identifier an earlier one has, by their place (usually none:
    found so at C speed)."""
    keys = list(map(str, map(itemgetter("identifier"), links)))
    if len(set(keys)) == len(keys):
        return {}
    seen: set[str] = set()
    repeated = {}
    for index, key in enumerate(keys):
        if key in seen:
            repeated[index] = key
        seen.add(key)
    return repeated


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
        children, parents = self._hierarchy(items)
        if self.problems:
            self._cycles(parents, items)
            return
        self._outline(items, children)
        # An item the outline does not reach from the top lies in a loop of isChildOf, or under
        # one: only then is each loop looked for, and named.
        if len(self.package.outline.nodes) < len(items):
            self._cycles(parents, items)
            return
        self.package.extras = {
            name: self.data[name]
            for name in ("CFDefinitions", "CFRubrics", "extensions")
            if self.data.get(name)
        }

    def _items(self) -> dict[str, tuple]:
        """Each item by its key: its place in CFItems, the object, and the identifier it keeps."""
        items: dict[str, tuple] = {}
        # The key of each item whose identifier was made from it, by that identifier's text: a
        # CASE 1.1 key names the item its own text names, so only these can name another's.
        made: dict[str, str] = {}
        doc_key, canonical, renamed = self.doc_key, case.IDENTIFIER.match, self.package.identifiers
        for index, item in enumerate(self.data.get("CFItems", [])):
            key = item["identifier"]  # text, as the schema has it (see case_schema)
            if key in items or key == doc_key:
                first = "the CFDocument" if key == doc_key else f"CFItems[{items[key][0]}]"
                self.fail(f"CFItems[{index}]", "identifier",
                          f"'{key}' is used twice (first by {first}); each item needs its own")  # fmt: skip
                continue
            if canonical(key):  # most: kept as written (as case_identifier keeps it)
                identifier, text = uuid_from(key), None
                same = made.get(key) if made else None
            else:
                identifier = case.case_identifier(key)
                text = str(identifier)
                same = made.get(text, text if text in items else None)
            if same is not None:
                self.fail(f"CFItems[{index}]", "identifier", f"'{key}' names the same item as "
                          f"'{same}'; each item needs its own")  # fmt: skip
                continue
            if text is not None:
                made[text], renamed[key] = key, text
            items[key] = (index, item, identifier)
        return items

    def _hierarchy(self, items) -> tuple[dict[str | None, list[tuple]], dict[str, str]]:
        """The children of each item (by its key; None: the top) and the parent of each item
        (its first isChildOf), the others kept; items no association places are at the top."""
        parents: dict[str, str] = {}
        children: dict[str | None, list[tuple]] = defaultdict(list)
        placed_by, also, doc_key = self.package.parents, self.package.also, self.doc_key
        inf = float("inf")
        links = self.data.get("CFAssociations", [])
        repeated = _repeated(links)
        for index, link in enumerate(links):
            if repeated and index in repeated:
                self.fail(f"CFAssociations[{index}]", "identifier", f"'{repeated[index]}' is "
                          "used twice; each association needs its own")  # fmt: skip
                continue
            origin = link["originNodeURI"]["identifier"]  # text, as the schema has it
            target = link["destinationNodeURI"]["identifier"]
            if link["associationType"] != "isChildOf":
                self._link(f"CFAssociations[{index}]", link, origin, target, items)
                continue
            found = items.get(origin)
            if found is None:
                self.fail(f"CFAssociations[{index}]", "originNodeURI", f"names '{origin}', which "
                          "is no item of this package; an isChildOf association joins two of "
                          "its items")  # fmt: skip
            elif target not in items and target != doc_key:
                self.fail(f"CFAssociations[{index}]", "destinationNodeURI", f"names '{target}', "
                          "which is neither the document nor an item of this package")  # fmt: skip
            elif origin in parents:
                also.setdefault(origin, []).append(link)
            else:
                parents[origin] = target
                placed_by[origin] = _without_own(link)
                order = link.get("sequenceNumber")
                children[None if target == doc_key else target].append(
                    (order if isinstance(order, int) else inf, found[0], origin)
                )
        top = children[None]
        for key, (index, *_) in items.items():
            if key not in parents:
                top.append((inf, index, key))
        return children, parents

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
        nodes, kept, label = self.package.outline.nodes, self.package.items, self.label
        stack = [(key, None, 1) for *_, key in sorted(children.get(None, []), reverse=True)]
        append, pop, below_of = nodes.append, stack.pop, children.get
        while stack:
            key, parent, depth = pop()
            index, item, identifier = items[key]
            kept[key] = _without_own(item)
            get = item.get
            kind = get("CFItemType")
            if not kind:  # the item type's title, where the package names it only by its link
                type_link = get("CFItemTypeURI")
                kind = str(type_link.get("title") or "") if isinstance(type_link, dict) else ""
            # Each field text where it is given (the schema's type: see case_schema).
            append(OutlineNode(
                key, identifier, parent, depth, kind or "",
                get("abbreviatedStatement") or "",  # label
                get("fullStatement") or "",  # text
                get("humanCodingScheme") or "",  # code
                get("notes") or "",
                get("listEnumeration") or "",  # number
                f"{label}, CFItems[{index}]",  # where
            ))  # fmt: skip
            below = below_of(key)
            if below:
                below.sort(reverse=True)
                stack.extend([(child, key, depth + 1) for _, _, child in below])
        self.package.outline.links = [link for link, _, _ in self.package.raw_links]


def _without_own(obj: dict) -> dict:
    """The object (of the file just parsed, which nothing else holds) without what the writer
    always decides itself."""
    for name in OWN:
        obj.pop(name, None)
    return obj


def link_key(kind: str, reverse: bool, node: dict) -> str:
    return f"{kind}{' from' if reverse else ''} {node.get('identifier', '')}"
