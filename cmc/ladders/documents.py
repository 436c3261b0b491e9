"""The lattice document: the one file format `cmc lattice import` reads and `cmc lattice export
--format json` writes (YAML or JSON, the same fields). Wages are never in it: they are read
live from OEWS wherever the lattice is shown.

    name, slug, description, framework (a slug), sources
    positions:   key, title, occupation (O*NET-SOC code), level, track, education,
                 experience, credentials [text], competencies [code or identifier]
    transitions: from, to (position keys), kind (promotion | lateral),
                 experiences [kind (education | training | credential | work_experience),
                              text, months]
"""

import json

import yaml

from cmc.core.errors import InvalidInput, Problem

from .selectors import LatticeView

FORMAT = "cmc-lattice"
TOP = {"format", "version", "slug", "name", "description", "framework", "sources", "positions", "transitions"}  # fmt: skip
POSITION = {"key", "title", "occupation", "level", "track", "education", "experience", "credentials", "competencies"}  # fmt: skip
TRANSITION = {"from", "to", "kind", "experiences"}
MAX_BYTES = 2_000_000


def parse(name: str, data: bytes) -> dict:
    """The document in a file's bytes (YAML or JSON, by its name's ending; YAML reads JSON
    too), or InvalidInput naming the file and what is wrong."""
    if len(data) > MAX_BYTES:
        raise InvalidInput([Problem(name, "file", f"is larger than {MAX_BYTES:,} bytes")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput([Problem(name, "file", "is not UTF-8 text; save it as UTF-8")]) from None
    try:
        document = json.loads(text) if name.lower().endswith(".json") else yaml.safe_load(text)
    except json.JSONDecodeError as error:
        raise InvalidInput([Problem(name, f"line {error.lineno}", f"is not valid JSON: {error.msg}")]) from None  # fmt: skip
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "file"
        reason = getattr(error, "problem", None) or "is not valid YAML"
        raise InvalidInput([Problem(name, where, f"is not valid YAML: {reason}")]) from None
    if not isinstance(document, dict):
        raise InvalidInput([Problem(name, "file", "must hold one lattice: a mapping with name, positions and transitions")])  # fmt: skip
    return document


def unknown_fields(document: dict, where: str) -> list[Problem]:
    """A field the format does not know is refused (a misspelt one would be lost silently)."""
    problems = [
        Problem(where, name, "is not a field of a lattice") for name in document if name not in TOP
    ]
    for group, known in (("positions", POSITION), ("transitions", TRANSITION)):
        items = document.get(group) or []
        for number, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict):
                problems += [
                    Problem(where, f"{group}[{number}].{name}", f"is not a field of {group[:-1]}")
                    for name in item
                    if name not in known
                ]
    if document.get("format") not in (None, FORMAT):
        problems.append(Problem(where, "format", f"is not '{FORMAT}'"))
    return problems


def to_document(view: LatticeView) -> dict:
    """The lattice as its file: what `parse` and the import read back."""
    return {
        "format": FORMAT,
        "version": 1,
        "slug": view.slug,
        "name": view.name,
        "description": view.description,
        "framework": view.framework_slug,
        "sources": view.sources,
        "positions": [
            {
                "key": p.key,
                "title": p.title,
                "occupation": p.occupation_code,
                "level": p.level,
                "track": p.track,
                "education": p.education,
                "experience": p.experience,
                "credentials": p.credentials,
                "competencies": [c.code or c.identifier for c in p.competencies],
            }
            for p in view.positions
        ],
        "transitions": [
            {
                "from": t.source,
                "to": t.target,
                "kind": t.kind,
                "experiences": [
                    {"kind": e.kind, "text": e.text, "months": e.months} for e in t.experiences
                ],
            }
            for t in view.transitions
        ],
    }


def to_json(view: LatticeView) -> bytes:
    return (json.dumps(to_document(view), indent=2, ensure_ascii=False) + "\n").encode()
