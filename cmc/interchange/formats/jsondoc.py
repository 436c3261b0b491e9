"""The JSON format: a framework's whole document (see cmc.frameworks.snapshots) as a file."""

import json
from json.encoder import encode_basestring as _string
from pathlib import Path
from typing import BinaryIO

from cmc.core.errors import Problem
from cmc.core.files import Guard
from cmc.frameworks import snapshots
from cmc.frameworks.trees import FrameworkTree, TreeStream

# A key behavior takes a handful of JSON values (its object, identifier, title and text, and
# the commas in its text); twenty per row allowed is room for any framework, and few enough
# that a file of tiny values cannot make the parser build millions of objects.
VALUES_PER_ROW = 20


def dump(stream: TreeStream, handle: BinaryIO, on_row=None) -> None:
    """Write the framework's document (snapshots.to_dict, as json writes it with an indent of
    two) to `handle` as UTF-8, item by item as the stream gives them (a document is not made
    of rows: `on_row` hears only of the start). The framework's own fields go through json;
    the tiers, competencies and key behaviors, many and of known fields, are laid out here
    the same way, their texts encoded by json's own encoder (tests hold the file byte for byte
    to json's)."""
    if on_row:
        on_row(0)
    out = _Out(handle)
    whole = _dumps(snapshots.to_dict(stream.head), 0)
    before, tiers, after = whole.rpartition('"tiers": []')
    if not tiers:
        raise ValueError("a framework's document ends with its tiers")
    out.write(before + '"tiers": ')
    _items(out, (_tier(out, tier, competencies) for tier, competencies in stream.tiers), 2)
    out.write(after + "\n")
    out.flush()


def _dumps(value, level: int) -> str:
    """`value` as json writes it inside a document, starting on a line indented `level` times."""
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * level)


def _text(value: str | None) -> str:
    return "null" if value is None else _string(value)


def _id(value) -> str | None:
    return str(value) if value else None


def _items(out: "_Out", items, level: int) -> None:
    """A list whose items (each written by the iterator as it is taken) sit at `level` + 1."""
    inner = "\n" + "  " * (level + 1)
    first = True
    for write in items:
        out.write(("[" if first else ",") + inner)
        first = False
        write()
    out.write("[]" if first else "\n" + "  " * level + "]")


def _tier(out: "_Out", tier, competencies):
    def write():
        pad = "\n" + "  " * 4
        out.write(
            f'{{{pad}"identifier": {_text(_id(tier.identifier))},{pad}"number": '
            f'{int.__repr__(tier.number)},{pad}"name": {_string(tier.name)},{pad}"group": '
            f'{_string(tier.group)},{pad}"note": {_string(tier.note)},'
            f'{_extensions(tier.extensions, 4)}{pad}"competencies": '
        )
        _items(out, (_competency(out, c) for c in competencies), 4)
        out.write("\n" + "  " * 3 + "}")

    return write


def _competency(out: "_Out", c):
    def write():
        pad = "\n" + "  " * 6
        out.write(
            f'{{{pad}"identifier": {_text(_id(c.identifier))},{pad}"code": {_string(c.code)},'
            f'{pad}"name": {_string(c.name)},{pad}"definition": {_string(c.definition)},'
            f'{_extensions(c.extensions, 6)}{pad}"behaviors": '
        )
        if not c.behaviors:
            out.write("[]")
        else:
            inner, pad = "\n" + "  " * 7, "\n" + "  " * 8
            out.write(
                "["
                + ",".join(
                    f'{inner}{{{pad}"identifier": {_text(_id(b.identifier))},{pad}"title": '
                    f'{_string(b.title)},{pad}"text": {_string(b.text)}'
                    f"{_extensions(b.extensions, 8, last=True)}{inner}}}"
                    for b in c.behaviors
                )
                + "\n"
                + "  " * 6
                + "]"
            )
        out.write("\n" + "  " * 5 + "}")

    return write


def _extensions(extensions: dict, level: int, *, last: bool = False) -> str:
    """An item's extensions, only where it has some, as a key among those at `level`: before
    the key that follows it, or (`last`) after the one before it."""
    if not extensions:
        return ""
    pad = "\n" + "  " * level
    entry = f'{pad}"extensions": {_dumps(extensions, level)}'
    return "," + entry if last else entry + ","


class _Out:
    """Text written to a binary handle in pieces of some size, encoded as UTF-8."""

    def __init__(self, handle: BinaryIO):
        self.handle, self.pieces, self.size = handle, [], 0

    def write(self, text: str) -> None:
        self.pieces.append(text)
        self.size += len(text)
        if self.size >= 65536:
            self.flush()

    def flush(self) -> None:
        self.handle.write("".join(self.pieces).encode())
        self.pieces, self.size = [], 0


def read(path: Path, guard: Guard) -> tuple[list[FrameworkTree], list[Problem]]:
    label = guard.label
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return [], [Problem(label, "file", "is not UTF-8 text; save it as UTF-8")]
    _check_values(text, guard)
    try:
        data = json.loads(text, object_pairs_hook=_Items(guard))
    except json.JSONDecodeError as error:
        return [], [
            Problem(
                label,
                f"line {error.lineno}, column {error.colno}",
                f"is not valid JSON ({error.msg})",
            )
        ]
    except RecursionError:  # thousands of nested brackets: no framework, and no traceback
        return [], [
            Problem(label, "file", "is nested too deeply to be a framework exported by cmc")
        ]
    tree, problems = snapshots.read_document(data, label)
    return ([tree] if tree and not problems else []), problems


def _check_values(text: str, guard: Guard) -> None:
    """Refuse, before parsing, a document of more values than its rows allow: each value
    after the first in an array or object follows a comma, so commas, brackets and braces
    (counted at C speed) bound how many objects the parser would build."""
    rows = guard.limits.rows
    if rows is None:
        return
    most = rows * VALUES_PER_ROW
    if text.count(",") + text.count("[") + text.count("{") > most:
        guard.refuse(guard.label, "file",
                     f"holds more than {most:,} values (counting its commas, brackets and braces), "
                     f"more than {rows:,} rows of a framework need; {guard.hint}")  # fmt: skip


class _Items:
    """Builds each JSON object as the parser finishes it, refusing the document as soon as it
    holds more objects (tiers, competencies, key behaviors) than rows allowed, or a text
    longer than a cell may hold."""

    def __init__(self, guard: Guard):
        self.guard, self.count = guard, 0

    def __call__(self, pairs: list[tuple[str, object]]) -> dict:
        self.count += 1
        rows = self.guard.limits.rows
        if rows is not None and self.count > rows:
            self.guard.refuse(self.guard.label, "file",
                              f"holds more than {rows:,} items (tiers, competencies and key "
                              f"behaviors); {self.guard.hint}")  # fmt: skip
        for key, value in pairs:
            if isinstance(value, str):
                self.guard.cell(value, where=self.guard.label, field=key)
        return dict(pairs)
