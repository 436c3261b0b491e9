"""The file formats a framework is imported from and exported to.

`read_file` picks the parser by the file's ending; every parser returns frameworks as trees and a
list of located problems, and never writes anything."""

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from cmc.core.errors import Problem
from cmc.frameworks.trees import FrameworkTree, validate

from . import jsondoc, tabular

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".json": "json"}


def max_bytes() -> int:
    return settings.CMC_MAX_IMPORT_BYTES


def _size(count: int) -> str:
    return filesizeformat(count).replace("\xa0", " ")


def read_file(
    path: Path, *, name: str | None = None, on_progress: Callable[[int], None] | None = None
) -> tuple[list[FrameworkTree], list[Problem]]:
    """Parse a CSV, XLSX or JSON file into framework trees, collecting every problem found."""
    label = name or path.name
    suffix = Path(label).suffix.lower()
    if suffix not in FORMATS:
        return [], [Problem(label, "file", "has an unknown ending; use .csv, .xlsx or .json")]
    size = path.stat().st_size
    if size == 0:
        return [], [Problem(label, "file", "is empty")]
    if size > max_bytes():
        shown, limit = _size(size), _size(max_bytes())
        if shown == limit:  # "2.0 KB, larger than the 2.0 KB limit" would say nothing
            shown, limit = f"{size:,} bytes", f"{max_bytes():,} bytes"
        return [], [
            Problem(
                label,
                "file",
                f"is {shown}, larger than the {limit} limit; "
                "split it into one file per framework or raise CMC_MAX_IMPORT_BYTES",
            )
        ]
    kind = FORMATS[suffix]
    if kind == "json":
        trees, problems = jsondoc.read(path, label)
    elif kind == "xlsx":
        trees, problems = tabular.read_xlsx(path, label, on_progress)
    else:
        trees, problems = tabular.read_csv(path, label, on_progress)
    return trees, _with_validation(trees, problems, label)


def _with_validation(trees, problems: list[Problem], label: str) -> list[Problem]:
    """Problems found while reading, and then those the frameworks read so far would meet
    when written, so that one run names every problem (each place and field once)."""
    if not problems:
        return problems
    seen = {(p.where, p.field) for p in problems}
    for tree in trees:
        for problem in validate(tree, label):
            if (problem.where, problem.field) not in seen:
                seen.add((problem.where, problem.field))
                problems.append(problem)
    return problems


def write(tree: FrameworkTree, fmt: str) -> bytes:
    """The framework in one of the exchange formats, as bytes ready to save or send."""
    if fmt == "json":
        return jsondoc.dumps(tree).encode()
    if fmt == "csv":
        return tabular.write_csv(tree)
    if fmt == "xlsx":
        return tabular.write_xlsx(tree)
    raise ValueError(f"unknown format '{fmt}'")


CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
