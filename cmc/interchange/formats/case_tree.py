"""A checked CASE package (see case_read) as a FrameworkTree: its items placed by the roles
chosen for their levels, and, on each node and on the tree, what the package says that an
export of the tree would not say by itself (in `extensions["case"]`, as differences from what
the CASE writer makes: see case.keep), so that exporting it gives the package back. The root
of the package's uris is kept once, on the tree: the writer makes every uri under it, so that
an object whose uri is its identifier under that root keeps nothing of it."""

from collections import deque

from cmc.core.errors import Problem
from cmc.frameworks.models import Kind, Status, TierGroup
from cmc.frameworks.trees import FIELD_LIMITS, LIMITS, FrameworkTree

from . import case
from .case_read import Package
from .outline import LinkIn, Placed, build_tree


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


class _Comparing(case.Writer):
    """Writes the fresh tree as a package, comparing the document and each item, as it is
    made, with the object the package came with: the difference is kept (`kept`, by node)
    and the object written as the package had it, as an export of the tree carrying those
    differences will write it. The associations are then made between the objects as they
    will be written (they name their ends' titles), in the same one pass."""

    def __init__(self, tree: FrameworkTree, package: Package, placed, *, base: str, links):
        super().__init__(tree, base=base, changed="", links=links)
        self.original_document = package.document
        # By node: the identifier it is written with, as text (its key, where that is a CASE
        # 1.1 identifier already, else the one made for it when it was read), and the item and
        # the isChildOf the package came with.
        items, parents, made = package.items, package.parents, package.identifiers
        self.originals = {
            id(spot.node): (made.get(key, key), items[key], parents.get(key))
            for key, spot in placed.items()
        }
        self.kept: dict[int, dict] = {}  # by node, where there is something to keep
        self.parents_kept: dict[int, dict] = {}  # by node: its isChildOf's
        # Each item is compared as it is made, and let go: none is looked up once written.
        self.items = deque(maxlen=0)
        self.document_kept: dict = {}

    # What the writer makes has only the fields CASE 1.1 defines, with identifiers it accepts:
    # leaving out its empty fields is all `case.finish` would do to it.
    def finish_document(self, document: dict) -> dict:
        written = case.without_empty(document)
        self.document_kept = case.keep(written, self.original_document)
        return case.restore(written, self.document_kept, case.DOCUMENT_FIELDS)

    def place(self, node, role: str, fields: dict, parent: dict, position: int) -> dict:
        """The node's item and its isChildOf, each compared with the object the package came
        with and let go; what differs is kept, and the item written as the package had it."""
        found = self.originals.get(id(node))
        if found is None:  # no item of the package: nothing to compare
            return super().place(node, role, fields, parent, position)
        text, original, original_parent = found
        item = self.made_item(text, self.root, role, fields)  # the package's nodes: its root
        kept = case.keep(item, original)
        if kept:
            self.kept[id(node)] = kept
            item = case.restore(item, kept, case.ITEM_FIELDS)
        if self.links or getattr(node, "lineage", None):
            self.outside(node, item)
        if original_parent is not None:  # the isChildOf the package placed the item by
            made = self.made_association(item, "isChildOf", parent, order=position,
                                          root=self.root)  # fmt: skip
            difference = case.keep(made, original_parent)
            if difference:
                self.parents_kept[id(node)] = difference
        return item


def _keep_differences(tree: FrameworkTree, package: Package, placed, base: str) -> None:
    """Write the fresh tree as a package and keep, on each of its nodes, how each object the
    package came with differs from what was written (see case.keep)."""
    links: dict = {}
    for link in package.outline.links:
        target = placed[link.item].node.identifier if link.item else tree.identifier
        links.setdefault(target, []).append(_as_link(link))
    for key, spot in placed.items():
        if spot.role != "tier":
            continue
        own = (package.items[key].get("extensions") or {}).get("cmc") or {}
        if isinstance(own, dict) and own.get("group") in TierGroup.values:
            spot.node.group = own["group"]
    root = _root(package.document, base)
    tree.extensions = {"case": {"root": root}} if root else {}
    writer = _Comparing(tree, package, placed, base=base, links=links)
    writer.package()
    items, parents, also = writer.kept, writer.parents_kept, package.also
    # Most items: nothing that an export would not say. Under a root of its own, the
    # package's items are marked as its (their uris under it; items made later, not): one
    # mark for all of them, written once (see bulk), and copied before it is added to.
    mark = {"case": {}} if root else {}
    if not (items or parents or also):  # a package as this writer makes it: the mark on all
        for spot in placed.values():
            spot.node.extensions = mark
    else:
        for key, spot in placed.items():
            node = spot.node
            item, parent = items.get(id(node)), parents.get(id(node))
            more = also.get(key) if also else None
            if not (item or parent or more):
                node.extensions = mark
                continue
            kept = {"item": item, "parent": parent, "also": more}
            node.extensions = {"case": {k: v for k, v in kept.items() if v}}
    case_ext = {"root": root, "document": writer.document_kept,
                "also": package.also.get(None, []), **_extras(package)}  # fmt: skip
    _keep_links(tree, package, placed, writer, case_ext)
    case_ext = {k: v for k, v in case_ext.items() if v}
    tree.extensions = {"case": case_ext} if case_ext else {}


def _root(document: dict, base: str) -> str | None:
    """The root of the package's uris, where its document's is `{root}/CFDocuments/{its
    identifier}` and the root is not the site's: kept once, on the tree, so that each object
    whose uri is its identifier under that root keeps nothing of it (see case.Writer)."""
    uri, tail = document.get("uri"), f"/CFDocuments/{document['identifier']}"
    if not isinstance(uri, str) or not uri.endswith(tail):
        return None
    root = uri[: -len(tail)]
    return None if root == base.rstrip("/") + case.PATH else root


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
        made = case.made_id(*((target, kind, origin) if reverse else (origin, kind, target)))
        written = writer.associations.get(made)
        if written is None:
            continue
        difference = case.keep(written, original)
        if difference:
            if owner is not None:  # its own copy (it may be the mark shared by many)
                owner.extensions = {**owner.extensions,
                                    "case": dict(owner.extensions.get("case", {}))}  # fmt: skip
            home = owner.extensions["case"] if owner else case_ext
            home.setdefault("links", {})[key] = difference


def _as_link(link: LinkIn) -> case.Link:
    return case.Link(scheme=link.scheme, code=link.code, text=link.text, url=link.url,
                     strength=link.strength, score=link.score, method=link.method)  # fmt: skip
