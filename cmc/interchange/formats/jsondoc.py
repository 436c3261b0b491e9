"""The JSON format: a framework's whole document (see cmc.frameworks.snapshots) as a file."""

import json
from pathlib import Path
from typing import BinaryIO

from cmc.core.errors import Problem
from cmc.core.files import Guard
from cmc.frameworks import snapshots
from cmc.frameworks.trees import FrameworkTree

# A key behavior takes a handful of JSON values (its object, identifier, title and text, and
# the commas in its text); twenty per row allowed is room for any framework, and few enough
# that a file of tiny values cannot make the parser build millions of objects.
VALUES_PER_ROW = 20


def dump(tree: FrameworkTree, handle: BinaryIO, on_row=None) -> None:
    """Write the framework's document to `handle` as UTF-8 JSON, in pieces as it is encoded
    (a document is not made of rows: `on_row` hears only of the start)."""
    if on_row:
        on_row(0)
    pieces = json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(snapshots.to_dict(tree))
    buffer: list[str] = []
    for piece in pieces:
        buffer.append(piece)
        if len(buffer) >= 4096:
            handle.write("".join(buffer).encode())
            buffer.clear()
    buffer.append("\n")
    handle.write("".join(buffer).encode())


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
