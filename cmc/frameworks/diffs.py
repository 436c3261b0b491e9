"""What changed between two states of a model: two versions, a version and the draft, or a
derived model and its source. Items are matched by identifier, or through lineage when the two
sides are different frameworks; text changes are shown word by word."""

import difflib
import re
from dataclasses import dataclass, field

from django.http import Http404

from cmc.core.actors import SYSTEM

from . import selectors
from .models import Framework
from .selectors import document_with_lineage, find_version, latest_version

KINDS = ("tier", "competency", "behavior")


@dataclass
class Item:
    kind: str
    key: str
    label: str
    texts: dict[str, str]
    parent: str
    place: str
    position: int = 0


@dataclass
class Change:
    kind: str
    change: str  # added, removed, moved, edited
    label: str
    place_before: str = ""
    place_after: str = ""
    fields: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


@dataclass
class Diff:
    before: str
    after: str
    changes: list[Change]

    def count(self, change: str) -> int:
        return sum(1 for c in self.changes if c.change == change)

    @property
    def summary(self) -> dict[str, int]:
        return {name: self.count(name) for name in ("added", "removed", "moved", "edited")}


@dataclass
class Side:
    """One side of a comparison: a label and its JSON document (with lineage)."""

    label: str
    framework_identifier: str
    document: dict


def resolve_side(*, user, slug: str, ref: str) -> Side:
    """`ref` is 'draft' (the current content), a version number, or 'source:SLUG' for the
    version of a source that the model was built from."""
    framework = Framework.objects.visible_to(user).filter(slug=slug).first()
    if framework is None:
        raise Http404(f"No framework '{slug}'.")
    ref = (ref or "").strip() or "draft"
    if ref.startswith("source:"):
        return _source_side(user, framework, ref.removeprefix("source:"))
    if ref == "draft":
        return Side(
            f"{framework.name} (current)",
            str(framework.identifier),
            document_with_lineage(framework),
        )
    if not ref.isdigit():
        raise Http404(f"'{ref}' is not a version: use a number, 'draft' or 'source:SLUG'.")
    version = find_version(framework, ref)
    return Side(
        f"{framework.name} version {version.number}", str(framework.identifier), version.snapshot
    )


def _source_side(user, framework: Framework, source_slug: str) -> Side:
    link = (
        framework.sources.select_related("source", "source_version")
        .filter(source__slug=source_slug)
        .first()
    )
    if link is None or link.source is None:
        raise Http404(f"{framework.name} was not built from '{source_slug}'.")
    selectors.visible_framework(user=user, slug=source_slug)
    if link.source_version is not None:
        named = link.source.version_name(link.source_version.number)
        return Side(
            f"{link.source.name} version {named}" if named else f"{link.source.name} (as taken)",
            str(link.source.identifier),
            link.source_version.snapshot,
        )
    return Side(
        f"{link.source.name} (current)",
        str(link.source.identifier),
        document_with_lineage(link.source),
    )


def items_of(document: dict, *, by_source_of: set[str] | None = None) -> dict[str, Item]:
    """Flatten a document into items keyed by identifier; with `by_source_of`, an item whose
    lineage points into that set of identifiers is keyed by its source instead."""
    items: dict[str, Item] = {}

    def key(node: dict) -> str:
        if by_source_of is not None:
            lineage = node.get("lineage") or {}
            # Its own source, or (in a blend) the same item of another source merged into it.
            for source in [lineage.get("source_identifier"), *lineage.get("merged_from", [])]:
                if source in by_source_of:
                    return source
        return node["identifier"]

    for tier in document["framework"]["tiers"]:
        tier_key = f"tier:{tier['number']}"
        items[tier_key] = Item(
            "tier", tier_key, f"Tier {tier['number']}", {"name": tier["name"]}, "", ""
        )
        for n, c in enumerate(tier["competencies"], start=1):
            c_key = key(c)
            items[c_key] = Item(
                "competency", c_key, c["name"], {"name": c["name"], "definition": c["definition"]},
                tier_key, f"Tier {tier['number']}", n,
            )  # fmt: skip
            for m, b in enumerate(c["behaviors"], start=1):
                items[key(b)] = Item(
                    "behavior", key(b), b["title"] or b["text"][:80],
                    {"title": b["title"], "text": b["text"]}, c_key, c["name"], m,
                )  # fmt: skip
    return items


def compare(before: Side, after: Side) -> Diff:
    """Every item added, removed, moved (another parent, or out of order) or edited."""
    left = items_of(before.document)
    right = items_of(
        after.document,
        by_source_of=None
        if before.framework_identifier == after.framework_identifier
        else set(left),
    )
    changes: list[Change] = []
    for key, item in right.items():
        if key not in left:
            changes.append(Change(item.kind, "added", item.label, place_after=item.place))
    for key, item in left.items():
        if key not in right:
            changes.append(Change(item.kind, "removed", item.label, place_before=item.place))
    moved = _moved(left, right)
    for key, old in left.items():
        new = right.get(key)
        if new is None:
            continue
        if key in moved:
            changes.append(Change(new.kind, "moved", new.label, *_places(old, new)))
        edited = {
            name: word_diff(old.texts.get(name, ""), value)
            for name, value in new.texts.items()
            if old.texts.get(name, "") != value
        }
        if edited:
            changes.append(Change(new.kind, "edited", new.label, old.place, new.place, edited))
    order = {kind: i for i, kind in enumerate(KINDS)}
    changes.sort(key=lambda c: (order[c.kind], c.change))
    return Diff(before.label, after.label, changes)


def _places(old: Item, new: Item) -> tuple[str, str]:
    """Where a moved item was and is: its parents, and within one parent its positions."""
    if old.parent != new.parent:
        return old.place, new.place
    return f"{old.place}, position {old.position}", f"{new.place}, position {new.position}"


def _moved(left: dict[str, Item], right: dict[str, Item]) -> set[str]:
    """Items under another parent, or out of order among the siblings both sides keep."""
    moved = {k for k, item in right.items() if k in left and left[k].parent != item.parent}
    parents = {item.parent for item in right.values()}
    for parent in parents:
        old = [k for k, i in left.items() if i.parent == parent and k in right and k not in moved]
        new = [k for k, i in right.items() if i.parent == parent and k in left and k not in moved]
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        kept = {
            k
            for block in matcher.get_matching_blocks()
            for k in new[block.b : block.b + block.size]
        }
        moved |= set(new) - kept
    return moved


_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """The change from one text to another as (op, text) runs, op being equal, delete or
    insert, word by word."""
    a, b = _TOKENS.findall(before), _TOKENS.findall(after)
    runs: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            runs.append(("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            runs.append(("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            runs.append(("insert", "".join(b[j1:j2])))
    return runs


def side_for_reference(reference: str, other: str | None = None) -> Side:
    """A side named on the command line: SLUG, SLUG@N or SLUG@draft. A bare SLUG that the
    `other` side was built from means the version of it that was taken."""
    slug, _, ref = reference.partition("@")
    if not ref and other:
        other_slug = other.partition("@")[0]
        derived = Framework.objects.filter(slug=other_slug).first()
        if derived and derived.sources.filter(source__slug=slug).exists():
            return resolve_side(user=SYSTEM, slug=other_slug, ref=f"source:{slug}")
    return resolve_side(user=SYSTEM, slug=slug, ref=ref or "draft")


def default_before(framework: Framework) -> str:
    """What a model is compared with when nothing is named: its latest version, else the
    first framework it was built from."""
    version = latest_version(framework)
    if version is not None:
        return str(version.number)
    source = framework.sources.select_related("source").filter(source__isnull=False).first()
    if source is not None:
        return f"source:{source.source.slug}"
    raise Http404("This framework has no version and no source to compare with.")


def side_choices(framework: Framework) -> list[tuple[str, str]]:
    """Every state of a model a diff can name, as (ref, label): the current draft, each
    version, and each source it was built from."""
    choices = [("draft", "Current draft")]
    choices += [
        (str(v.number), f"Version {v.number} ({v.published_at:%b %-d, %Y})")
        for v in framework.versions.order_by("-number")
    ]
    choices += [
        (f"source:{link.source.slug}", f"Source: {link.source_name}")
        for link in framework.sources.select_related("source").filter(source__isnull=False)
    ]
    return choices
