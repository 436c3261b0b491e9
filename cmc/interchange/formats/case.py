"""CASE 1.1 (1EdTech Competencies and Academic Standards Exchange): a framework as a CFPackage.

The framework is the CFDocument; its tiers, competencies and key behaviors are CFItems typed
"Tier", "Competency" and "Key behavior" (a competency's name is its fullStatement and its
definition its notes; a key behavior's title is its abbreviatedStatement); the hierarchy is isChildOf associations with sequence
numbers; lineage is exactMatchOf (copied) or ext:isDerivedFrom (edited) to the source item;
alignments are exactMatchOf / isRelatedTo (or, for links read from a CASE package, the type
they came with) to the statement. Every identifier is the item's own UUID, or a UUID made from
what the thing links (item types, associations), so the same framework always gives the same
package. What a package read in carried that the model has no field for is kept in the items'
`extensions["case"]` as differences from what this writer makes (`keep` / `restore`), so that
exporting it gives it back.

This module is the writer; CASE's words (identifiers, item types, fields, links to outside
statements) are in case_terms, the kept differences in case_kept, and both are named here too."""

import json
from typing import BinaryIO

from cmc.frameworks.trees import FrameworkTree, default_group

from .case_kept import conform, finish, keep, restore, without_empty
from .case_terms import (
    ADOPTION,
    ASSOCIATION_FIELDS,
    CONTENT_TYPE,
    CREATOR,
    DEFINITIONS,
    DOCUMENT_FIELDS,
    IDENTIFIER,
    ITEM_FIELDS,
    ITEM_TYPES,
    KIND_TYPES,
    NAMESPACE,
    PATH,
    Link,
    association_type,
    case_identifier,
    link_of,
    link_target,
    made_id,
    made_uuid,
    own_types,
)

# The words of CASE and the kept differences, named here too: the format's one module to import.
__all__ = [
    "ADOPTION", "ASSOCIATION_FIELDS", "CONTENT_TYPE", "CREATOR", "DEFINITIONS", "DOCUMENT_FIELDS",
    "IDENTIFIER", "ITEM_FIELDS", "ITEM_TYPES", "KIND_TYPES", "NAMESPACE", "PATH", "Link",
    "Writer", "association_type", "case_identifier", "conform", "dump", "finish", "keep",
    "link_of", "link_target", "made_id", "made_uuid", "own_types", "restore", "without_empty",
]  # fmt: skip


class Writer:
    """Makes the package of one tree; `base` is the site's address, `changed` the date-time
    every object carries as its lastChangeDateTime, `links` the alignments by item identifier.
    Every uri of the package's own objects is their identifier under the root: the site's, or,
    for a tree read from a package, the package's (kept as `root`, see case_tree); the items
    of this site that lineage names are under the site's, and so are the items made here after
    the package was read (only the package's own items carry `extensions["case"]`, if empty)."""

    def __init__(self, tree: FrameworkTree, *, base: str, changed: str, links=None):
        root = tree.extensions.get("case", {}).get("root")
        self.site = base.rstrip("/") + PATH
        self.site_slash = self.site + "/"
        self.root = root if isinstance(root, str) else self.site
        self.tree, self.changed = tree, changed
        self.links = links or {}
        self.items: list[dict] = []
        self.associations: dict[str, dict] = {}
        self.types_used: set[str] = set()
        self._types: dict[str, tuple[str, dict]] = {}

    def uri(self, kind: str, identifier) -> str:
        return f"{self.root}/{kind}/{identifier}"

    def package(self) -> dict:
        document = self.document()
        self.nodes(document)
        kept = self.tree.extensions.get("case", {})
        package = {
            "CFDocument": document,
            "CFItems": self.items,
            "CFAssociations": list(self.associations.values()),
            "CFDefinitions": self.definitions(kept.get("definitions", {})),
        }
        package.update(kept.get("package", {}))  # CFRubrics, the package's extensions
        return package

    def document(self) -> dict:
        tree = self.tree
        document = {
            "identifier": str(tree.identifier),
            "uri": self.uri("CFDocuments", tree.identifier),
            "creator": tree.source_citation or CREATOR,
            "title": tree.name,
            "lastChangeDateTime": self.changed,
            "caseVersion": "1.1",
            "frameworkType": KIND_TYPES.get(tree.kind, tree.kind),
            "adoptionStatus": ADOPTION.get(tree.status, tree.status),
            "language": tree.language,
            "officialSourceURL": tree.source_url,
            "notes": tree.source_section,
            "description": tree.description,
            "version": tree.version_label,
        }
        own = {
            "slug": tree.slug, "industry": tree.industry, "naics": tree.naics,
            "based_on": tree.based_on, "content_note": tree.content_note,
            "variants": tree.variants,
        }  # fmt: skip
        if not tree.content_included:
            own["content_included"] = False
        document["extensions"] = {"cmc": {k: v for k, v in own.items() if v not in ("", [])}}
        return self.finish_document(document)

    def finish_document(self, document: dict) -> dict:
        """The document as written: what a package read in said differently, where it did."""
        return finish(document, self.tree.extensions.get("case", {}).get("document"),
                      DOCUMENT_FIELDS)  # fmt: skip

    def nodes(self, document: dict) -> None:
        top, place = 0, self.place
        above = link_of(document)  # each parent's link made once, for all its children
        for tier in self.tree.tiers:
            made = bool(tier.extensions.get("made"))
            if not made:
                top += 1
                tier_link = link_of(place(tier, "tier", self.tier_fields(tier), above, top))
            for c_at, competency in enumerate(tier.competencies, start=1):
                fields = self.competency_fields(competency)
                if made:
                    top += 1
                item = place(competency, "competency", fields, above if made else tier_link,
                             top if made else c_at)  # fmt: skip
                item_link = link_of(item) if competency.behaviors else None
                for b_at, behavior in enumerate(competency.behaviors, start=1):
                    place(behavior, "behavior", self.behavior_fields(behavior), item_link, b_at)
        self.outside(self.tree, document)
        for extra in self.tree.extensions.get("case", {}).get("also", []):
            self.add(conform(dict(extra), ASSOCIATION_FIELDS))

    # An item's own fields and its associations are made without empty fields (a package
    # leaves them out: see without_empty), so that they need no pass to leave them out; the
    # fields every item has (its statement, a tier's number, a competency's code) are never
    # empty in a tree that can be written.
    def tier_fields(self, tier) -> dict:
        fields = {"fullStatement": tier.name, "listEnumeration": str(tier.number)}
        if tier.note:
            fields["notes"] = tier.note
        if tier.group and tier.group != default_group(tier.number):
            fields["extensions"] = {"cmc": {"group": tier.group}}
        return fields

    def competency_fields(self, competency) -> dict:
        fields = {"fullStatement": competency.name, "humanCodingScheme": competency.code}
        if competency.definition:
            fields["notes"] = competency.definition
        return fields

    def behavior_fields(self, behavior) -> dict:
        if behavior.title:
            return {"fullStatement": behavior.text, "abbreviatedStatement": behavior.title}
        return {"fullStatement": behavior.text}

    def place(self, node, role: str, fields: dict, parent: dict, position: int) -> dict:
        """The node's item, its links to what lies outside, and the isChildOf that places it
        under `parent` (the parent's link, see link_of) at `position`; what a package read in
        said differently of either, where it did. Returns the item."""
        kept = node.extensions.get("case")  # only the package's own items have it, if empty
        root = self.site if kept is None else self.root
        item = self.made_item(str(node.identifier), root, role, fields)
        if kept:
            item = restore(item, kept.get("item"), ITEM_FIELDS)
        self.items.append(item)
        if self.links or getattr(node, "lineage", None):
            self.outside(node, item)
        placing = self.made_association(item, "isChildOf", parent, order=position, root=root)
        self.add(self.finish_association(placing, kept and kept.get("parent")))
        for extra in kept.get("also", []) if kept else ():
            extra = {**extra, "identifier": str(case_identifier(extra["identifier"]))}
            self.add(conform(extra, ASSOCIATION_FIELDS))
        return item

    def made_item(self, identifier: str, root: str, role: str, fields: dict) -> dict:
        """An item as this writer makes it (its own fields made without empty ones)."""
        kind, link = self._types.get(role) or self._type(role)
        item = {
            "identifier": identifier,
            "uri": f"{root}/CFItems/{identifier}",
            **fields,
            "CFItemType": kind,
            "CFItemTypeURI": link,  # one link for all the items of a type: none changes it
        }
        if self.changed:
            item["lastChangeDateTime"] = self.changed
        return item

    def _type(self, role: str) -> tuple[str, dict]:
        """The item type's title and its link, made once for all the items of the type."""
        self.types_used.add(role)
        identifier = made_uuid("CFItemType", role)
        title = ITEM_TYPES[role][0]
        link = {"title": title, "identifier": str(identifier),
                "uri": self.uri("CFItemTypes", identifier)}  # fmt: skip
        self._types[role] = title, link
        return title, link

    def association(self, origin: dict, kind: str, destination: dict, kept=None, extra=None):
        association = self.made_association(origin, kind, destination, extra)
        return self.add(self.finish_association(association, kept))

    def made_association(
        self, origin: dict, kind: str, destination: dict, extra=None, *, order=None, root=None
    ) -> dict:
        """An association as this writer makes it: `extra` what it carries besides, `order`
        its sequenceNumber, `root` its origin's root where the caller knows it."""
        identifier = made_id(origin["identifier"], kind, destination["identifier"])
        association = {
            "identifier": identifier,
            "uri": f"{root or self._root_from(origin)}/CFAssociations/{identifier}",
            "associationType": kind,
            "originNodeURI": link_of(origin),
            "destinationNodeURI": destination,
        }
        if self.changed:
            association["lastChangeDateTime"] = self.changed
        if order is not None:
            association["sequenceNumber"] = order
        if extra:
            association.update(extra)
        return association

    def _root_from(self, origin: dict) -> str:
        """An association's root: its origin's (an item made here names the site's)."""
        return self.site if origin.get("uri", "").startswith(self.site_slash) else self.root

    def finish_association(self, association: dict, kept) -> dict:
        """The association as written (made without empty fields): what a package read in
        said differently, where it did."""
        return restore(association, kept, ASSOCIATION_FIELDS)

    def add(self, association: dict) -> dict:
        return self.associations.setdefault(association["identifier"], association)

    def outside(self, node, item: dict) -> None:
        """The item's lineage and alignments, as associations to what lies outside the package."""
        kept = node.extensions.get("case", {}).get("links", {})
        lineage = getattr(node, "lineage", None)
        if lineage and lineage.source_identifier and lineage.source_url:
            kind = "exactMatchOf" if lineage.origin == "copied" else "ext:isDerivedFrom"
            target = {"title": lineage.source_name or item.get("fullStatement", ""),
                      "identifier": str(lineage.source_identifier),
                      "uri": f"{self.site}/CFItems/{lineage.source_identifier}",
                      "targetType": "CASE"}  # fmt: skip
            self.association(item, kind, target)
        for link in self.links.get(node.identifier, []) if self.links else ():
            kind, reverse = association_type(link)
            target, extra = link_target(link)
            key = f"{kind}{' from' if reverse else ''} {target['identifier']}"
            if reverse:
                self.reverse(item, kind, target, kept.get(key))
            else:
                self.association(item, kind, target, kept.get(key), extra)

    def reverse(self, item: dict, kind: str, origin: dict, kept) -> None:
        identifier = made_id(origin["identifier"], kind, item["identifier"])
        association = {
            "identifier": identifier,
            "uri": self.uri("CFAssociations", identifier),
            "associationType": kind,
            "originNodeURI": origin,
            "destinationNodeURI": link_of(item),
            "lastChangeDateTime": self.changed,
        }
        self.add(finish(association, kept, ASSOCIATION_FIELDS))

    def definitions(self, kept: dict) -> dict:
        types = [
            {
                "identifier": str(made_uuid("CFItemType", role)),
                "uri": self.uri("CFItemTypes", made_uuid("CFItemType", role)),
                "title": title,
                "description": f"A {title.lower()} of a competency model (Building Blocks tiers)",
                "hierarchyCode": code,
                "typeCode": role,
                "lastChangeDateTime": self.changed,
            }
            for role, (title, code) in ITEM_TYPES.items()
            if role in self.types_used
        ]
        result = {name: list(kept.get(name, [])) for name in DEFINITIONS}
        have = {entry.get("identifier") for entry in result["CFItemTypes"]}
        result["CFItemTypes"] += [t for t in types if t["identifier"] not in have]
        return result


def dump(package: dict, handle: BinaryIO) -> None:
    handle.write(json.dumps(package, ensure_ascii=False, indent=2).encode())
    handle.write(b"\n")
