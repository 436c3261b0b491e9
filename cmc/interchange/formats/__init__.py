"""The file formats a framework is imported from and exported to.

`read_file` picks the parser by the file's ending; every parser returns frameworks as trees and a
list of located problems, and never writes anything (the tabular formats, given a spool, put
their key behaviors aside there: see frameworks.services.spooling)."""

import io
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from cmc.core import bulk
from cmc.core.errors import InvalidInput, Problem
from cmc.core.files import Guard, Limits
from cmc.frameworks.services.spooling import BehaviorSpool
from cmc.frameworks.trees import FrameworkTree, TreeStream, named_once, stream_of, validate

from . import jsondoc, tabular, tabular_writing

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".json": "json"}
# The formats read a row at a time, whose key behaviors can be put aside as they are read.
SPOOLED = ("csv", "xlsx")
# How to get a file past the limits on its size and rows: every door shows it.
HINT = "split it into one file per framework, or import a file you trust with cmc import --trusted"


def read_file(
    path: Path,
    *,
    name: str | None = None,
    on_progress: Callable[[int], None] | None = None,
    limits: Limits | None = None,
    kind: str | None = None,
    spool: BehaviorSpool | None = None,
) -> tuple[list[FrameworkTree], list[Problem]]:
    """Parse a CSV, XLSX or JSON file into framework trees, collecting every problem found.
    The format is the file's ending unless `kind` ("csv", "xlsx" or "json") says it. The file
    is read under `limits` (the settings' by default; see cmc.core.files): one past them is
    refused with that one problem, as soon as it shows. Given a `spool`, a file of one of
    SPOOLED puts its key behaviors there and gives the frameworks' skeletons (see
    `kind_of`: JSON cannot be read so)."""
    label = name or path.name
    kind = kind or kind_of(label)
    if spool is not None and kind == "json":
        raise ValueError("a JSON document is read whole; only a tabular file uses a spool")
    if kind not in FORMATS.values():
        return [], [Problem(label, "file", "has an unknown ending; use .csv, .xlsx or .json")]
    size = path.stat().st_size
    if size == 0:
        return [], [Problem(label, "file", "is empty")]
    guard = Guard(label, limits, hint=HINT)
    # A file of 100,000 rows is parsed into as many nodes: the cycle collector would walk
    # them all again and again as they are made (see bulk.collecting_later).
    with bulk.collecting_later():
        return _read(path, kind, size, guard, on_progress, spool)


def kind_of(name: str) -> str | None:
    """The format a file's name says ("csv", "xlsx", "json"), or None."""
    return FORMATS.get(Path(name).suffix.lower())


def _read(path: Path, kind: str, size: int, guard: Guard, on_progress, spool):
    try:
        guard.size(size)
        if kind == "json":
            trees, problems = jsondoc.read(path, guard)
        elif kind == "xlsx":
            trees, problems = tabular.read_xlsx(path, guard, on_progress, spool)
        else:
            trees, problems = tabular.read_csv(path, guard, on_progress, spool)
    except InvalidInput as refused:
        return [], refused.problems
    return trees, _with_validation(trees, problems, guard.label)


def _with_validation(trees, problems: list[Problem], label: str) -> list[Problem]:
    """Problems found while reading, and then those the frameworks read so far would meet
    when written, so that one run names every problem (each place and field once)."""
    if not problems:
        return problems
    return named_once(problems, (p for tree in trees for p in validate(tree, label)))


WRITERS = {"json": jsondoc.dump, "csv": tabular_writing.dump_csv, "xlsx": tabular_writing.dump_xlsx}


def write(tree: FrameworkTree, fmt: str) -> bytes:
    """The framework in one of the exchange formats, as bytes ready to save or send."""
    buffer = io.BytesIO()
    write_to(tree, fmt, buffer)
    return buffer.getvalue()


def write_to(tree: FrameworkTree, fmt: str, handle: BinaryIO, on_row=None) -> None:
    """Write the framework in one of the exchange formats to `handle` as it is made, calling
    `on_row(rows written)` now and then for a progress bar (see `tabular_writing.count_rows`)."""
    write_stream(stream_of(tree), fmt, handle, on_row)


def write_stream(stream: TreeStream, fmt: str, handle: BinaryIO, on_row=None) -> None:
    """Write a framework read as a stream (see TreeStream) in one of the exchange formats to
    `handle`, item by item as the stream gives them."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown format '{fmt}'")
    WRITERS[fmt](stream, handle, on_row)


CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
