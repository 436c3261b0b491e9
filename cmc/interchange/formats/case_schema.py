"""The official CASE schema of a package's version (1.0 or 1.1), and what it refuses in a
package, each problem named by its JSON path. Fields the schema does not define are not
refused: an import keeps them."""

import functools
import json
from pathlib import Path

import jsonschema_rs
from django.conf import settings

from cmc.core.errors import Problem

SCHEMAS = {"1.0": "case-v1p0-cfpackage-schema.json", "1.1": "case-v1p1-cfpackage-schema.json"}
WHAT = {
    "required": "is missing a field CASE requires",
    "type": "has the wrong type",
    "pattern": "is not in the form CASE requires",
    "enum": "is not one of the values CASE allows",
}


@functools.cache
def _validator(version: str):
    """The official schema of the version, compiled once (jsonschema-rs: the same rules as the
    reference validator, checked in native code, so that a package of thousands of items is
    checked in milliseconds). Formats are not checked: a CASE date is kept as given."""
    path = Path(settings.CMC_CASE_SCHEMA_DIR) / SCHEMAS[version]
    if not path.is_file():
        return None
    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = jsonschema_rs.Draft202012Validator if version == "1.1" else jsonschema_rs.Draft7Validator
    return cls(schema, validate_formats=False)


def schema_problems(data: dict, version: str, label: str, most: int = 20) -> list[Problem]:
    """What the official CASE schema of the package's version refuses, each named by its JSON
    path (at most `most`). Fields the schema does not define are not refused: they are kept.
    Identifiers of CASE 1.0 that 1.1 would refuse are replaced on import (case_identifier)."""
    validator = _validator(version)
    if validator is None:
        return _shape_problems(data, label)
    if validator.is_valid(data):  # most packages: checked once, without listing errors
        return []
    problems = []
    for error in validator.iter_errors(data):
        if error.kind.name in ("additionalProperties", "format"):
            continue
        path = _path(error.instance_path)
        problems.append(Problem(label, path or "package", _message(error)))
        if len(problems) >= most:
            break
    return problems


def _path(parts) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _message(error) -> str:
    name, value = error.kind.name, error.kind.as_dict()
    if name == "required":
        return f"needs '{value.get('property', 'a field')}' (CASE requires it)"
    if name == "type":
        types = [t for t in value.get("types", []) if t != "null"] or ["null"]
        return "must be " + " or ".join(f"{'an' if t[0] in 'aeio' else 'a'} {t}" for t in types)
    if name == "enum":
        options = ", ".join(map(str, value.get("options", [])))
        return f"{error.instance!r} is not one of {options}"
    return f"{WHAT.get(name, 'is not valid CASE')} ({error.message[:120]})"


# Without the official schema at hand, what the reader takes as it is, of the type the schema
# gives it: each object's fields (required or not), text, an integer, or a link (an object
# with an identifier in text).
_SHAPES = {
    "CFItems": (("identifier", str, True), ("fullStatement", str, True),
                ("abbreviatedStatement", str, False), ("humanCodingScheme", str, False),
                ("notes", str, False), ("listEnumeration", str, False),
                ("CFItemType", str, False)),
    "CFAssociations": (("identifier", str, True), ("associationType", str, True),
                       ("originNodeURI", dict, True), ("destinationNodeURI", dict, True),
                       ("sequenceNumber", int, False)),
}  # fmt: skip
_NEEDS = {str: "needs text", int: "needs a whole number",
          dict: "needs an object with an identifier in text"}  # fmt: skip


def _shape_problems(data: dict, label: str, most: int = 20) -> list[Problem]:
    """Without the official schema at hand: the fields this reader relies on, of the types
    the schema gives them, so that the reader takes them as they are either way."""
    problems = []
    for name in ("identifier", "title"):
        if not isinstance(data["CFDocument"].get(name), str):
            problems.append(Problem(label, f"CFDocument.{name}", "needs text"))
    for kind, fields in _SHAPES.items():
        rows = data.get(kind, [])
        if not isinstance(rows, list):
            problems.append(Problem(label, kind, "must be an array"))
            continue
        for index, row in enumerate(rows):
            if not isinstance(row, dict):
                problems.append(Problem(label, f"{kind}[{index}]", "must be an object"))
                continue
            for name, wanted, required in fields:
                if name not in row and not required:
                    continue
                if not _of(row.get(name), wanted):
                    problems.append(Problem(label, f"{kind}[{index}].{name}", _NEEDS[wanted]))
    return problems[:most]


def _of(value, wanted: type) -> bool:
    if wanted is dict:
        return isinstance(value, dict) and isinstance(value.get("identifier"), str)
    return isinstance(value, wanted) and not isinstance(value, bool)
