"""A framework as plain data: what every import parses into and every export is made from.

Parsers (reference YAML, the tabular format, JSON, the API) build a FrameworkTree and call
`validate`; services write a valid tree in one transaction."""

import operator
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from itertools import islice

from cmc.core.errors import Problem

from .models import Kind, Status, TierGroup

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DEFAULT_GROUPS = {
    1: TierGroup.FOUNDATIONAL,
    2: TierGroup.FOUNDATIONAL,
    3: TierGroup.FOUNDATIONAL,
    4: TierGroup.INDUSTRY_RELATED,
    5: TierGroup.INDUSTRY_RELATED,
}
LIMITS = {"name": 200, "tier name": 200, "competency name": 300, "code": 20, "behavior title": 300}
# The framework's other bounded fields (the columns' sizes): PostgreSQL refuses longer text.
FIELD_LIMITS = {
    "slug": 120, "industry": 200, "naics": 6, "source_url": 500, "source_section": 300,
    "version_label": 50, "language": 35,
}  # fmt: skip


def default_group(number: int) -> str:
    """The Building Blocks grouping: tiers 1-3 foundational, 4-5 industry-related, above that
    occupation-related."""
    return DEFAULT_GROUPS.get(number, TierGroup.OCCUPATION_RELATED)


# Slugs that name pages of the site rather than a framework (/frameworks/build/).
RESERVED_SLUGS = frozenset({"build"})


@dataclass(slots=True)
class Lineage:
    """Where an item of a derived model came from (see models.Lineage). `source_version` is the
    taken version's row id, as version snapshots keep it. `source_name` and `source_url` say
    which source to name to the reader: empty where the reader may not see the source."""

    origin: str
    source_identifier: uuid.UUID | None = None
    source_version: int | None = None
    merged_from: list[str] = field(default_factory=list)
    source_name: str = ""
    source_url: str = ""
    source_version_number: int | None = None

    def as_document(self) -> dict:
        """The lineage as a version snapshot keeps it."""
        return {
            "origin": self.origin,
            "source_identifier": str(self.source_identifier) if self.source_identifier else None,
            "source_version": self.source_version,
            "merged_from": list(self.merged_from),
        }


# In a competency's extensions: the entry names an occupation, not a competency (the CEWD
# figure's occupation tier); blends do not copy it as a competency.
OCCUPATION_ENTRY = "names_occupation"


# The nodes keep their fields in slots: an import of 100,000 rows holds as many of them.
# An item's `origin` says where it was read, for messages: text ("data.json, tiers[0]"), or,
# from a reader of rows, the row's number alone, the tree's `rows_of` naming the rows (a text
# for each of 100,000 rows would be held); `where_read` gives it as text.
@dataclass(slots=True)
class BehaviorNode:
    text: str
    title: str = ""
    identifier: uuid.UUID | None = None
    origin: str | int = ""
    lineage: Lineage | None = None
    # What an exchange format carries that the model has no field for, keyed by format (see
    # models.Framework.extensions): kept so that exporting gives it back.
    extensions: dict = field(default_factory=dict)


@dataclass(slots=True)
class CompetencyNode:
    code: str
    name: str
    definition: str = ""
    behaviors: list[BehaviorNode] = field(default_factory=list)
    identifier: uuid.UUID | None = None
    origin: str | int = ""
    lineage: Lineage | None = None
    extensions: dict = field(default_factory=dict)

    def root_identifier(self) -> uuid.UUID | None:
        """The identifier of the original this item descends from (its own if it is one)."""
        if self.lineage is not None and self.lineage.source_identifier:
            return self.lineage.source_identifier
        return self.identifier


@dataclass(slots=True)
class TierNode:
    number: int
    name: str
    group: str = ""
    note: str = ""
    competencies: list[CompetencyNode] = field(default_factory=list)
    identifier: uuid.UUID | None = None
    origin: str | int = ""
    extensions: dict = field(default_factory=dict)

    @property
    def group_label(self) -> str:
        return TierGroup(self.group or default_group(self.number)).label


@dataclass(slots=True)
class FrameworkTree:
    name: str
    slug: str = ""
    kind: str = Kind.ORGANIZATION
    status: str = Status.DRAFT
    industry: str = ""
    naics: str = ""
    description: str = ""
    source_citation: str = ""
    source_url: str = ""
    source_section: str = ""
    version_label: str = ""
    language: str = "en"
    based_on: str = ""
    content_included: bool = True
    content_note: str = ""
    variants: list = field(default_factory=list)
    tiers: list[TierNode] = field(default_factory=list)
    identifier: uuid.UUID | None = None
    # False when the source carries only names, codes and texts (the tabular format): updating
    # a framework from it keeps the framework's other fields and its tier notes.
    complete: bool = True
    extensions: dict = field(default_factory=dict)
    # What the rows its items' origins number are ("data.csv", "data.xlsx (sheet 'Model')").
    rows_of: str = ""

    def behavior_count(self) -> int:
        return sum(len(c.behaviors) for t in self.tiers for c in t.competencies)

    def competency_count(self) -> int:
        return sum(len(t.competencies) for t in self.tiers)

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label

    @property
    def status_label(self) -> str:
        return Status(self.status).label


def where_read(node: TierNode | CompetencyNode | BehaviorNode, tree: FrameworkTree) -> str:
    """Where a node of `tree` was read, as a message names it ("data.csv, row 12"); empty
    when it was not read from a file."""
    origin = node.origin
    return f"{tree.rows_of}, row {origin}" if type(origin) is int else origin


@dataclass(slots=True)
class TreeStream:
    """A whole framework as a file writes it out, read once and in order: `head` holds the
    framework's own fields (its `tiers` left empty), and `tiers` gives each tier with its
    competencies, each with its key behaviors, as they come, so that a model of 100,000 key
    behaviors read from the database is never held whole. `shape` says, for each tier, how
    many key behaviors each of its competencies has (for a progress bar's total)."""

    head: FrameworkTree
    tiers: Iterable[tuple[TierNode, Iterable[CompetencyNode]]]
    shape: Callable[[], list[list[int]]]


def stream_of(tree: FrameworkTree) -> TreeStream:
    """A tree already in memory as a stream."""
    return TreeStream(
        head=replace(tree, tiers=[]),
        tiers=((tier, tier.competencies) for tier in tree.tiers),
        shape=lambda: [[len(c.behaviors) for c in tier.competencies] for tier in tree.tiers],
    )


def named_once(problems: list[Problem], more: Iterable[Problem]) -> list[Problem]:
    """`problems` (changed in place), then those of `more` about a place and field none of
    them names: one run names every problem, each place and field once."""
    seen = {(p.where, p.field) for p in problems}
    for problem in more:
        if (problem.where, problem.field) not in seen:
            seen.add((problem.where, problem.field))
            problems.append(problem)
    return problems


def validate(tree: FrameworkTree, where: str) -> list[Problem]:
    """Every problem in the tree, each located; an empty list means it can be written."""
    problems: list[Problem] = []

    def need(ok: bool, at: str, name: str, message: str) -> None:
        if not ok:
            problems.append(Problem(at, name, message))

    need(bool(tree.name.strip()), where, "name", "is empty; give the framework a name")
    need(len(tree.name) <= LIMITS["name"], where, "name", "is longer than 200 characters")
    need(
        not tree.slug or bool(SLUG.match(tree.slug)),
        where,
        "slug",
        f"'{tree.slug}' may hold only lower-case letters, digits and single hyphens",
    )
    need(
        tree.slug not in RESERVED_SLUGS,
        where,
        "slug",
        f"'{tree.slug}' names a page of the site; choose another slug",
    )
    for name, limit in FIELD_LIMITS.items():
        need(len(getattr(tree, name)) <= limit, where, name, f"is longer than {limit} characters")
    need(
        not tree.source_url or tree.source_url.startswith(("http://", "https://")),
        where,
        "source url",
        "must start with http:// or https://",
    )
    need(tree.kind in Kind.values, where, "kind", f"'{tree.kind}' is not one of {_list(Kind)}")
    need(
        tree.status in Status.values,
        where,
        "status",
        f"'{tree.status}' is not one of {_list(Status)}",
    )
    numbers: dict[int, str] = {}
    codes: dict[str, str] = {}
    for tier in tree.tiers:
        at = where_read(tier, tree) or f"{where}, tier {tier.number}"
        _check_tier(tier, at, numbers, need)
        for competency in tier.competencies:
            _check_competency(competency, tree, where, codes, need)
    _check_identifiers(tree, where, need)
    return problems


def _list(choices) -> str:
    return ", ".join(choices.values)


def _check_tier(tier: TierNode, at: str, numbers: dict[int, str], need) -> None:
    need(1 <= tier.number <= 99, at, "tier number", f"{tier.number} is not between 1 and 99")
    need(
        tier.number not in numbers,
        at,
        "tier number",
        f"tier {tier.number} appears twice (first at {numbers.get(tier.number)}); "
        "give each tier its own number",
    )
    numbers.setdefault(tier.number, at)
    need(bool(tier.name.strip()), at, "tier name", "is empty; name the tier")
    need(len(tier.name) <= LIMITS["tier name"], at, "tier name", "is longer than 200 characters")
    need(
        not tier.group or tier.group in TierGroup.values,
        at,
        "tier group",
        f"'{tier.group}' is not one of {_list(TierGroup)}",
    )


def _check_competency(competency, tree, where, codes: dict[str, str], need) -> None:
    at = where_read(competency, tree) or f"{where}, competency {competency.code or '(no code)'}"
    need(bool(competency.code.strip()), at, "competency code", "is empty; give it a code like 3.1")
    need(
        len(competency.code) <= LIMITS["code"],
        at,
        "competency code",
        "is longer than 20 characters",
    )
    need(
        not any(ord(ch) < 32 for ch in competency.code),
        at,
        "competency code",
        "holds a control character; use letters, digits and punctuation",
    )
    if competency.code in codes:
        need(False, at, "competency code", f"'{competency.code}' is used twice (first at "
             f"{codes[competency.code]}); codes are unique within a framework")  # fmt: skip
    else:
        codes[competency.code] = at
    need(bool(competency.name.strip()), at, "competency name", "is empty; name the competency")
    need(
        len(competency.name) <= LIMITS["competency name"],
        at,
        "competency name",
        "is longer than 300 characters",
    )
    title_limit = LIMITS["behavior title"]
    for index, behavior in enumerate(competency.behaviors, start=1):
        if behavior.text.strip() and len(behavior.title) <= title_limit:
            continue  # nothing to say: the checks below would pass
        b_at = where_read(behavior, tree) or f"{at}, behavior {index}"
        need(bool(behavior.text.strip()), b_at, "behavior text", "is empty; write the behavior")
        need(
            len(behavior.title) <= LIMITS["behavior title"],
            b_at,
            "behavior title",
            "is longer than 300 characters",
        )


def _check_identifiers(tree: FrameworkTree, where: str, need) -> None:
    """An identifier names one item: the same one twice in a file would make two items one."""
    if not _repeated_identifiers(tree):
        return  # the usual case, found without placing every item (a model of thousands)
    seen: dict[tuple[str, uuid.UUID], str] = {}

    def once(kind: str, node, at: str) -> None:
        key = (kind, node.identifier)
        if key in seen:  # the message is made only for a problem: most items have none
            need(False, at, f"{kind} identifier", f"'{node.identifier}' is used twice "
                 f"(first at {seen[key]}); leave it empty for a new item")  # fmt: skip
        else:
            seen[key] = at

    # Where an item is is named only for an item with an identifier (a file may have none).
    for tier in tree.tiers:
        if tier.identifier is not None:
            once("tier", tier, where_read(tier, tree) or f"{where}, tier {tier.number}")
        for competency in tier.competencies:
            at = where_read(competency, tree)
            at = at or f"{where}, competency {competency.code or '(no code)'}"
            if competency.identifier is not None:
                once("competency", competency, at)
            for i, b in enumerate(competency.behaviors, start=1):
                if b.identifier is not None:
                    once("behavior", b, where_read(b, tree) or f"{at}, behavior {i}")


def _repeated_identifiers(tree: FrameworkTree) -> bool:
    """Whether any identifier names two tiers, two competencies or two key behaviors: the
    identifiers' numbers in order, each beside the next (a set of 100,000 identifiers would
    take five times the memory of their list)."""
    competencies = [c for t in tree.tiers for c in t.competencies]
    for nodes in (tree.tiers, competencies, (b for c in competencies for b in c.behaviors)):
        numbers = sorted(n.identifier.int for n in nodes if n.identifier is not None)
        if any(map(operator.eq, numbers, islice(numbers, 1, None))):
            return True
    return False
