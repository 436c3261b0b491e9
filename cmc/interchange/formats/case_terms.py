"""CASE 1.1's words as this project writes them: the namespace of the identifiers it makes and
the identifiers it keeps (`case_identifier`), its item types and the document's kinds and
statuses, the fields each object of a package may have, and the links to what lies outside a
package (a Link written as an association's node: `link_target`, `association_type`)."""

import hashlib
import re
import uuid
from dataclasses import dataclass
from urllib.parse import quote

# The namespace of every UUID this writer makes (item types, associations): fixed forever.
NAMESPACE = uuid.UUID("6f1c1b9e-3c55-5d0e-9a3e-7b2f4c0d8e11")
_NAMESPACE_BYTES = NAMESPACE.bytes
PATH = "/ims/case/v1p1"
CONTENT_TYPE = "application/json"
# CASE 1.1 identifiers: a UUID whose variant digit is 8, 9, a or b (uuid4 and uuid5 are).
IDENTIFIER = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\Z")
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


# A UUID made from its number as uuid.UUID makes one (the two slots it has), without parsing
# the forms of text it takes again: a package of thousands of items has as many.
_new, _set, _UNKNOWN = object.__new__, object.__setattr__, uuid.SafeUUID.unknown


def uuid_from(text: str) -> uuid.UUID:
    """The UUID of a CASE 1.1 identifier's text (one IDENTIFIER matches): `uuid.UUID(text)`,
    in half the time."""
    made = _new(uuid.UUID)
    _set(made, "int", int(text.replace("-", ""), 16))
    _set(made, "is_safe", _UNKNOWN)
    return made


def case_identifier(raw: str) -> uuid.UUID:
    """The identifier an item keeps: its own where it is a CASE 1.1 UUID, else one made from it
    (CASE 1.0 packages have identifiers such as 00000000-0000-0000-0000-000000000001), the
    same one on every import of the same package."""
    text = str(raw).strip().lower()
    if IDENTIFIER.match(text):
        return uuid_from(text)
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
