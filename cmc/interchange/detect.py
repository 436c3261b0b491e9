"""Which format an uploaded framework file is in, from its ending and its first bytes: the one
upload field takes the project's own formats (CSV, XLSX, the JSON document), CASE packages and
CTDL-ASN graphs, and a file of another kind is refused with words that say what it is."""

import re
from pathlib import Path
from typing import NoReturn

from cmc.core.errors import InvalidInput, Problem
from cmc.core.files import Guard

from .formats import case_read

LABELS = {
    "csv": "CSV table of a framework",
    "xlsx": "XLSX workbook of a framework",
    "json": "JSON export of a framework",
    "case": "CASE package",
    "ctdl": "CTDL-ASN framework",
}
ENDINGS = ".csv, .xlsx, .json or .jsonld"
HINT = "split the file into smaller ones"
_ZIP = b"PK\x03\x04"
# The first bytes of files people send by mistake.
_OTHER = {
    b"%PDF": "a PDF document",
    b"\xd0\xcf\x11\xe0": "an old Excel or Word file (.xls or .doc); save it as .xlsx or CSV",
    b"{\\rtf": "a rich text document",
}
_OWN = re.compile(rb'"format"\s*:\s*"cmc-framework"')
_CASE = (b'"CFDocument"', b'"CFItems"')
_CTDL = (b'"@graph"', b"ceasn:CompetencyFramework")


def detect(name: str, data: bytes, *, expected: str | None = None) -> str:
    """The format of a file ("csv", "xlsx", "json", "case" or "ctdl"), or InvalidInput saying
    what the file is instead. With `expected`, a file of another format is refused too."""
    found = _detect(name, data)
    if expected and found != expected:
        _refuse(name, f"is a {LABELS[found]}, not a {LABELS.get(expected, expected)}; send it "
                      f"as {found}")  # fmt: skip
    return found


def _detect(name: str, data: bytes) -> str:
    suffix = Path(name).suffix.lower()
    if not data:
        _refuse(name, "is empty")
    for start, what in _OTHER.items():
        if data.startswith(start):
            _refuse(name, f"is {what}, not a framework file; use a {ENDINGS} file")
    if suffix == ".xlsx":
        if not data.startswith(_ZIP):
            _refuse(name, "is not an XLSX workbook (it does not open as one); save it from "
                          "your spreadsheet program as an Excel workbook (.xlsx)")  # fmt: skip
        return "xlsx"
    if data.startswith(_ZIP):
        _refuse(name, "is a ZIP archive (a workbook or document), not a text file; a workbook "
                      "imports as .xlsx")  # fmt: skip
    if suffix == ".csv":
        return "csv"
    if suffix in (".json", ".jsonld"):
        return _json_kind(name, data)
    _refuse(name, f"has an unknown ending; use a {ENDINGS} file")


def _json_kind(name: str, data: bytes) -> str:
    """Which JSON a file is, by the marks each kind carries (looked for in the bytes, without
    parsing them: the reader parses the file once it knows how)."""
    if _OWN.search(data):
        return "json"
    if any(mark in data for mark in _CASE):
        return "case"
    if any(mark in data for mark in _CTDL):
        return "ctdl"
    _parsed, problems = case_read.parse_bytes(data, Guard(name, hint=HINT))
    if problems:  # not JSON (or not UTF-8): say where
        raise InvalidInput(problems)
    _refuse(name, 'is JSON but no framework this site reads: a framework exported from here '
                  'has "format": "cmc-framework", a CASE package a "CFDocument", a CTDL-ASN '
                  'framework an "@graph"')  # fmt: skip


def _refuse(name: str, message: str) -> NoReturn:
    raise InvalidInput([Problem(name, "file", message)])
