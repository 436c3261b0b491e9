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
exporting it gives it back."""

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import quote

from cmc.frameworks.trees import FrameworkTree, default_group

# The namespace of every UUID this writer makes (item types, associations): fixed forever.
NAMESPACE = uuid.UUID("6f1c1b9e-3c55-5d0e-9a3e-7b2f4c0d8e11")
_NAMESPACE_BYTES = NAMESPACE.bytes
PATH = "/ims/case/v1p1"
CONTENT_TYPE = "application/json"
# CASE 1.1 identifiers: a UUID whose variant digit is 8, 9, a or b (uuid4 and uuid5 are).
IDENTIFIER = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
ITEM_TYPES = {"tier": ("Tier", "1"), "competency": ("Competency", "2"),
              "behavior": ("Key behavior", "3")}  # fmt: skip
ADOPTION = {"draft": "Draft", "approved": "Adopted", "archived": "Deprecated"}
KIND_TYPES = {
    "building_blocks": "Building Blocks", "industry": "Industry", "sector": "Sector",
    "occupation": "Occupation", "organization": "Organization",
}  # fmt: skip
CREATOR = "Competency Model Clearinghouse"
# What the writer always decides itself: never taken back from a package read in.
OWN = frozenset({"lastChangeDateTime", "CFDocumentURI"})
# The fields each object of a 1.1 package may have (the official schema's; the rest go into
# the object's `extensions`).
ITEM_FIELDS = frozenset({
    "identifier", "fullStatement", "alternativeLabel", "CFItemType", "uri", "humanCodingScheme",
    "listEnumeration", "abbreviatedStatement", "conceptKeywords", "conceptKeywordsURI", "notes",
    "subject", "subjectURI", "language", "educationLevel", "CFItemTypeURI", "licenseURI",
    "statusStartDate", "statusEndDate", "lastChangeDateTime", "extensions",
})  # fmt: skip
DOCUMENT_FIELDS = frozenset({
    "identifier", "uri", "frameworkType", "caseVersion", "creator", "title", "lastChangeDateTime",
    "officialSourceURL", "publisher", "description", "subject", "subjectURI", "language",
    "version", "adoptionStatus", "statusStartDate", "statusEndDate", "licenseURI", "notes",
    "extensions",
})  # fmt: skip
ASSOCIATION_FIELDS = frozenset({
    "identifier", "associationType", "sequenceNumber", "uri", "originNodeURI",
    "destinationNodeURI", "CFAssociationGroupingURI", "lastChangeDateTime", "notes", "extensions",
})  # fmt: skip
LINK_FIELDS = ("CFItemTypeURI", "licenseURI", "conceptKeywordsURI", "CFAssociationGroupingURI")
LINKS = frozenset(LINK_FIELDS)
DEFINITIONS = ("CFConcepts", "CFSubjects", "CFLicenses", "CFItemTypes", "CFAssociationGroupings")
METHOD = re.compile(r"^CASE (\S+?)( from)?$")


def made_uuid(*parts: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, " ".join(parts))


# The first digit of a UUID's fourth group once its two high bits are the RFC 4122 variant's.
_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


def made_id(*parts: str) -> str:
    """`str(made_uuid(*parts))`, made without a UUID object (one for every association): the
    name's SHA-1 in hex, cut to 32 digits, with the version digit (5) and the variant's."""
    h = hashlib.sha1(_NAMESPACE_BYTES + " ".join(parts).encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


def case_identifier(raw: str) -> uuid.UUID:
    """The identifier an item keeps: its own where it is a CASE 1.1 UUID, else one made from it
    (CASE 1.0 packages have identifiers such as 00000000-0000-0000-0000-000000000001), the
    same one on every import of the same package."""
    text = str(raw).strip().lower()
    if IDENTIFIER.match(text):
        return uuid.UUID(text)
    return made_uuid("identifier", str(raw))


@dataclass
class Link:
    """An alignment as a package writes it (see cmc.frameworks.models.Alignment)."""

    scheme: str
    code: str
    text: str = ""
    url: str = ""
    strength: str = "major"
    score: float | None = None
    method: str = ""


class Writer:
    """Makes the package of one tree; `base` is the site's address, `changed` the date-time
    every object carries as its lastChangeDateTime, `links` the alignments by item identifier.
    Every uri of the package's own objects is their identifier under the root: the site's, or,
    for a tree read from a package, the package's (kept as `root`, see case_tree); the items
    of this site that lineage names are under the site's."""

    def __init__(self, tree: FrameworkTree, *, base: str, changed: str, links=None):
        root = tree.extensions.get("case", {}).get("root")
        self.site = base.rstrip("/") + PATH
        self.root = root if isinstance(root, str) else self.site
        self.tree, self.changed = tree, changed
        self.links = links or {}
        self.items: list[dict] = []
        self.associations: dict[str, dict] = {}
        self.types_used: set[str] = set()
        self._type_links: dict[str, dict] = {}

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
        top = 0
        above = link_of(document)  # each parent's link made once, for all its children
        for tier in self.tree.tiers:
            made = bool(tier.extensions.get("made"))
            if not made:
                top += 1
                tier_item = self.item(tier, "tier", self.tier_fields(tier))
                self.child(tier, tier_item, above, top)
                tier_link = link_of(tier_item)
            for c_at, competency in enumerate(tier.competencies, start=1):
                item = self.item(competency, "competency", self.competency_fields(competency))
                if made:
                    top += 1
                self.child(competency, item, above if made else tier_link, top if made else c_at)
                item_link = link_of(item) if competency.behaviors else None
                for b_at, behavior in enumerate(competency.behaviors, start=1):
                    b_item = self.item(behavior, "behavior", self.behavior_fields(behavior))
                    self.child(behavior, b_item, item_link, b_at)
        self.outside(self.tree, document)
        for extra in self.tree.extensions.get("case", {}).get("also", []):
            self.add(conform(dict(extra), ASSOCIATION_FIELDS))

    def tier_fields(self, tier) -> dict:
        fields = {"fullStatement": tier.name, "listEnumeration": str(tier.number),
                  "notes": tier.note}  # fmt: skip
        if tier.group and tier.group != default_group(tier.number):
            fields["extensions"] = {"cmc": {"group": tier.group}}
        return fields

    def competency_fields(self, competency) -> dict:
        return {
            "fullStatement": competency.name,
            "humanCodingScheme": competency.code,
            "notes": competency.definition,
        }

    def behavior_fields(self, behavior) -> dict:
        return {"fullStatement": behavior.text, "abbreviatedStatement": behavior.title}

    def item(self, node, role: str, fields: dict) -> dict:
        self.types_used.add(role)
        identifier = str(node.identifier)
        item = {
            "identifier": identifier,
            "uri": f"{self.root}/CFItems/{identifier}",
            **fields,
            "CFItemType": ITEM_TYPES[role][0],
            "CFItemTypeURI": self.type_link(role),
            "lastChangeDateTime": self.changed,
        }
        item = self.finish_item(node, item)
        self.items.append(item)
        self.outside(node, item)
        return item

    def finish_item(self, node, item: dict) -> dict:
        """The item as written: what a package read in said differently, where it did."""
        return finish(item, node.extensions.get("case", {}).get("item"), ITEM_FIELDS)

    def type_link(self, role: str) -> dict:
        if role not in self._type_links:
            identifier = made_uuid("CFItemType", role)
            self._type_links[role] = {"title": ITEM_TYPES[role][0], "identifier": str(identifier),
                                      "uri": self.uri("CFItemTypes", identifier)}  # fmt: skip
        return dict(self._type_links[role])

    def child(self, node, item: dict, parent: dict, position: int) -> None:
        """The item's isChildOf its parent (`parent`: the parent's link, see link_of)."""
        kept = node.extensions.get("case", {})
        order = {"sequenceNumber": position}
        self.association(item, "isChildOf", parent, kept.get("parent"), order)
        for extra in kept.get("also", []):
            extra = {**extra, "identifier": str(case_identifier(extra["identifier"]))}
            self.add(conform(extra, ASSOCIATION_FIELDS))

    def association(self, origin: dict, kind: str, destination: dict, kept=None, extra=None):
        identifier = made_id(origin["identifier"], kind, destination["identifier"])
        association = {
            "identifier": identifier,
            "uri": f"{self.root}/CFAssociations/{identifier}",
            "associationType": kind,
            "originNodeURI": link_of(origin),
            "destinationNodeURI": destination,
            "lastChangeDateTime": self.changed,
            **(extra or {}),
        }
        return self.add(self.finish_association(association, kept))

    def finish_association(self, association: dict, kept) -> dict:
        """The association as written: what a package read in said differently, where it did."""
        return finish(association, kept, ASSOCIATION_FIELDS)

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


def own_types() -> set[str]:
    """The identifiers of the item types this writer defines."""
    return {str(made_uuid("CFItemType", role)) for role in ITEM_TYPES}


def association_type(link: Link) -> tuple[str, bool]:
    """The association a link writes, and whether it points at the item rather than from it."""
    found = METHOD.match(link.method) if link.scheme == "case" else None
    if found:
        return found.group(1), bool(found.group(2))
    return ("exactMatchOf" if link.strength == "exact" else "isRelatedTo"), False


def link_target(link: Link) -> tuple[dict, dict]:
    """The statement as an association's node, and what else the association carries."""
    scheme = re.sub(r"[^a-zA-Z0-9.\-_]", "-", link.scheme)
    target = {
        "title": link.text or link.code,
        "identifier": link.code,
        "uri": link.url or f"urn:cmc:{quote(scheme)}:{quote(link.code, safe='')}",
        "targetType": "CASE" if link.scheme == "case" else f"ext:{scheme}",
    }
    own = {}
    implied = "exact" if association_type(link)[0] == "exactMatchOf" else "related"
    if link.strength != implied:
        own["strength"] = link.strength
    if link.score is not None:
        own["score"] = link.score
    if link.method and link.scheme != "case":
        own["method"] = link.method
    return target, ({"extensions": {"cmc": own}} if own else {})


def link_of(obj: dict) -> dict:
    """The link to an item or document that an association names."""
    title = obj.get("title") or obj.get("abbreviatedStatement") or obj.get("fullStatement", "")
    return {"title": title, "identifier": obj["identifier"], "uri": obj["uri"]}


def keep(made: dict, original: dict) -> dict:
    """What `original` (an object of a package read in) says differently from `made` (what the
    writer makes of the item now): [made value, original value] by field (None: absent)."""
    # Most objects say what the writer makes, and besides only what it always decides itself:
    # found so by two comparisons made in C, without a look at each field.
    if made.items() <= original.items() and OWN.issuperset(original.keys() - made.keys()):
        return {}
    kept = {}
    theirs_of = original.get
    for name, ours in made.items():
        theirs = theirs_of(name)
        if ours != theirs and name not in OWN:
            kept[name] = [ours, theirs]
    for name, theirs in original.items():
        if theirs is not None and name not in made and name not in OWN:
            kept[name] = [None, theirs]
    if "identifier" in kept and not IDENTIFIER.match(str(original.get("identifier", ""))):
        del kept["identifier"]  # replaced for good by one CASE 1.1 accepts (see case_identifier)
    return kept


def finish(made: dict, kept: dict | None, allowed: frozenset) -> dict:
    """The object as written: empty fields left out, and where a package read in said
    something else for a field the item has not changed since, what it said."""
    return restore(without_empty(made), kept, allowed)


def without_empty(made: dict) -> dict:
    """The object without its empty fields (a value that is true is never empty)."""
    return {k: v for k, v in made.items() if v or v not in ("", None, [], {})}


def restore(made: dict, kept: dict | None, allowed: frozenset) -> dict:
    """`finish` for an object whose empty fields are already left out (changed in place). What
    the writer makes conforms by itself (only fields CASE 1.1 defines, links it identifies by
    UUIDs it makes): only what a package said is conformed."""
    if not kept:
        return made
    for name, (ours, theirs) in kept.items():
        if made.get(name) == ours:
            if theirs is None:
                made.pop(name, None)
            else:
                made[name] = theirs
    return conform(made, allowed)


def conform(obj: dict, allowed: frozenset) -> dict:
    """Fields CASE 1.1 does not define for the object (a CASE 1.0 package's) move into its
    `extensions`; links whose identifiers 1.1 refuses get ones made from them."""
    extra = (
        {} if allowed.issuperset(obj) else {k: obj.pop(k) for k in list(obj) if k not in allowed}
    )
    if extra:
        extensions = obj.get("extensions") if isinstance(obj.get("extensions"), dict) else {}
        obj["extensions"] = {**extensions, **extra}
    if LINKS.isdisjoint(obj):
        return obj
    for name in LINK_FIELDS:
        link = obj.get(name)
        if isinstance(link, dict) and not IDENTIFIER.match(str(link.get("identifier", ""))):
            obj[name] = {**link, "identifier": str(case_identifier(link.get("identifier", "")))}
    return obj


def dump(package: dict, handle: BinaryIO) -> None:
    handle.write(json.dumps(package, ensure_ascii=False, indent=2).encode())
    handle.write(b"\n")
