"""Reading ESCO's CSV exports: which file is which (by its name), their columns (by header
name, so that the v1.0, v1.1 and v1.2 layouts all load), every row checked, streamed.

Nothing here writes: `read(paths)` returns what the files say and every problem found, each
naming the file, the line and the column."""

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cmc.core.errors import Problem

ESCO_BASE = "http://data.europa.eu/esco/"
MAX_LABEL = 500
MAX_URI = 300
# More problems than this and the rest are counted, not listed: one is usually enough to see
# what is wrong with a whole file.
MAX_PROBLEMS = 50

# Kinds of concept (the values of interchange.models.EscoKind).
OCCUPATION, SKILL, KNOWLEDGE, SKILL_GROUP, ISCO_GROUP = 1, 2, 3, 4, 5
KIND_OF_TYPE = {"Occupation": OCCUPATION, "SkillGroup": SKILL_GROUP, "ISCOGroup": ISCO_GROUP}
RELATION_TYPES = ("essential", "optional")


@dataclass(frozen=True)
class Layout:
    """A kind of ESCO file: its name's stem before the language, and its required columns."""

    name: str
    label: str
    required: tuple[str, ...]


LAYOUTS = {
    layout.name: layout
    for layout in (
        Layout("occupations", "occupations", ("conceptUri", "preferredLabel")),
        Layout("skills", "skills", ("conceptUri", "preferredLabel", "skillType")),
        Layout("iscogroups", "ISCO groups", ("conceptUri", "code", "preferredLabel")),
        Layout("skillgroups", "skill groups", ("conceptUri", "preferredLabel")),
        Layout("skillshierarchy", "skills hierarchy", ("Level 0 URI",)),
        Layout(
            "broaderrelationsoccpillar",
            "occupation pillar broader relations",
            ("conceptUri", "broaderUri"),
        ),
        Layout(
            "broaderrelationsskillpillar",
            "skill pillar broader relations",
            ("conceptUri", "broaderUri"),
        ),
        Layout(
            "skillskillrelations",
            "skill-skill relations",
            ("originalSkillUri", "relationType", "relatedSkillUri"),
        ),
        Layout(
            "occupationskillrelations",
            "occupation-skill relations",
            ("occupationUri", "relationType", "skillUri"),
        ),
        Layout("collection", "collection", ("conceptUri", "preferredLabel")),
    )
}
# The thematic collections, by the stem of their file's name.
COLLECTIONS = {
    "digitalskillscollection": "digital",
    "digcompskillscollection": "digComp",
    "greenskillscollection": "green",
    "languageskillscollection": "language",
    "transversalskillscollection": "transversal",
    "researchskillscollection": "researchSkills",
    "researchoccupationscollection": "researchOccupations",
}
# Files of the export that the product does not keep.
NOT_KEPT = {"conceptschemes"}
NAME = re.compile(r"^(?P<stem>[A-Za-z]+)_(?P<language>[A-Za-z]{2}(?:-[A-Za-z]+)?)\.csv$")


@dataclass
class Read:
    """What the files say. Concepts by URI (model field names); relations as URI tuples."""

    concepts: dict[str, dict] = field(default_factory=dict)
    broader: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # by pillar
    skill_relations: list[tuple[str, str, str]] | None = None
    occupation_skills: list[tuple[str, str, str]] | None = None
    members: dict[str, list[str]] = field(default_factory=dict)  # collection -> URIs
    files: dict[str, int] = field(default_factory=dict)  # file name -> data rows
    not_read: list[str] = field(default_factory=list)
    unlabelled: dict[str, int] = field(default_factory=dict)  # file name -> rows left out
    language: str = "en"
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0

    def problem(self, where: str, column: str, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(where, column, message))


Progress = Callable[[str, int], None]


def esco_files(paths: Iterable[Path], found: Read) -> dict[str, Path]:
    """The ESCO files among `paths` (directories are listed, not descended), by layout name
    ("collection:green" for a collection); problems for what cannot be told apart."""
    chosen: dict[str, Path] = {}
    for path in paths:
        if not path.exists():
            found.problem(str(path), "path", "no such file or directory")
            continue
        candidates = sorted(path.glob("*.csv")) if path.is_dir() else [path]
        for candidate in candidates:
            _choose(candidate, chosen, found)
    if not chosen and not found.problems:
        found.problem(
            ", ".join(str(p) for p in paths),
            "files",
            "holds no ESCO CSV export file (occupations_en.csv, skills_en.csv, "
            "ISCOGroups_en.csv, ...)",
        )
    return chosen


def _choose(path: Path, chosen: dict[str, Path], found: Read) -> None:
    match = NAME.match(path.name)
    stem = match["stem"].lower() if match else ""
    if stem in NOT_KEPT:
        found.not_read.append(path.name)
        return
    name = f"collection:{COLLECTIONS[stem]}" if stem in COLLECTIONS else stem
    if stem not in LAYOUTS and stem not in COLLECTIONS:
        found.problem(
            path.name,
            "file",
            "is not a file of an ESCO CSV export (its name should be like occupations_en.csv)",
        )
        return
    if name in chosen:
        found.problem(
            path.name,
            "file",
            f"is a second {_layout(name).label} file beside {chosen[name].name}; give one",
        )
        return
    chosen[name] = path
    found.language = match["language"]


def _layout(name: str) -> Layout:
    return LAYOUTS["collection" if name.startswith("collection:") else name]


def read(paths: Iterable[Path], on_progress: Progress | None = None) -> Read:
    """Every ESCO file among `paths`, read and checked; nothing written."""
    found = Read()
    chosen = esco_files([Path(p) for p in paths], found)
    if found.problems:
        return found
    order = sorted(chosen, key=_order)
    for name in order:
        _read_file(name, chosen[name], found, on_progress)
    _check_collections(found)
    return found


def _order(name: str) -> int:
    # Concepts before what refers to them; full concept files before collections, which
    # only add the concepts the others lack.
    first = ["occupations", "iscogroups", "skillgroups", "skills", "skillshierarchy"]
    return first.index(name) if name in first else len(first) + name.startswith("collection:")


def _read_file(name: str, path: Path, found: Read, on_progress: Progress | None) -> None:
    layout = _layout(name)
    rows, line = 0, 1
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(_counted(handle, path.name, on_progress))
            header = next(reader, None)
            columns = _columns(path.name, layout, header, found)
            if columns is None:
                return
            line = reader.line_num + 1
            for record in reader:
                if any(cell.strip() for cell in record):
                    rows += 1
                    row = {column: _cell(record, i) for column, i in columns.items()}
                    ROWS[layout.name](name, row, f"{path.name}, line {line}", found)
                line = reader.line_num + 1
    except UnicodeDecodeError:
        found.problem(path.name, "file", "is not UTF-8 text; ESCO's CSV exports are UTF-8")
    except csv.Error as error:
        found.problem(f"{path.name}, line {line}", "file", f"is not readable as CSV ({error})")
    found.files[path.name] = rows


def _counted(handle, name: str, on_progress: Progress | None) -> Iterator[str]:
    done = 0
    for number, text in enumerate(handle, 1):
        done += len(text.encode("utf-8")) if on_progress else 0
        if on_progress and number % 2000 == 0:
            on_progress(name, done)
        yield text
    if on_progress:
        on_progress(name, done)


def _cell(record: list[str], index: int) -> str:
    return record[index].strip() if index < len(record) else ""


def _columns(name: str, layout: Layout, header, found: Read) -> dict[str, int] | None:
    """The position of every column by its name; a problem per missing required column."""
    header = [cell.strip() for cell in header or []]
    missing = [column for column in layout.required if column not in header]
    if not missing:
        return {column: i for i, column in enumerate(header)}
    looks = _looks_like(header, layout)
    for column in missing:
        found.problem(
            f"{name}, line 1",
            column,
            f"missing required column of an ESCO {layout.label} file{looks}",
        )
    return None


def _looks_like(header: list[str], expected: Layout) -> str:
    for layout in LAYOUTS.values():
        if layout.name not in (expected.name, "collection") and all(
            c in header for c in layout.required
        ):
            return f"; it has the columns of an ESCO {layout.label} file instead"
    return ""


def _concept(row: dict, where: str, found: Read, kind: int, *, label_split: str = "\n"):
    uri, label = row.get("conceptUri", ""), row.get("preferredLabel", "")
    if not _good_uri(uri, where, "conceptUri", found):
        return None
    if not label:
        # Real exports hold a few concepts with no label in their language (13 in the v1.0
        # en-us skills list): they are left out and counted, not refused.
        name = where.split(",")[0]
        found.unlabelled[name] = found.unlabelled.get(name, 0) + 1
        return None
    if len(label) > MAX_LABEL:
        found.problem(where, "preferredLabel", f"must be at most {MAX_LABEL} characters")
        return None
    return {
        "uri": uri,
        "kind": kind,
        "concept_type": row.get("conceptType", ""),
        "preferred_label": label,
        "alt_labels": _labels(row.get("altLabels", ""), label_split),
        "hidden_labels": _labels(row.get("hiddenLabels", ""), label_split),
        "description": row.get("description", ""),
        "definition": row.get("definition", ""),
        "scope_note": row.get("scopeNote", ""),
        "code": row.get("code", "")[:40],
        "isco_group": row.get("iscoGroup", "")[:10],
        "skill_type": row.get("skillType", "")[:40],
        "reuse_level": row.get("reuseLevel", "")[:40],
        "status": row.get("status", "")[:20],
        "modified": row.get("modifiedDate", "")[:40],
    }


def _labels(text: str, split: str) -> str:
    return "\n".join(label.strip() for label in text.split(split) if label.strip())


def _good_uri(uri: str, where: str, column: str, found: Read) -> bool:
    if not uri:
        found.problem(where, column, "is empty; every row needs the concept's URI")
        return False
    if len(uri) > MAX_URI or not uri.startswith(("http://", "https://")):
        found.problem(where, column, f"must be a concept URI such as {ESCO_BASE}skill/...")
        return False
    return True


def _skill_kind(skill_type: str) -> int:
    return KNOWLEDGE if skill_type == "knowledge" else SKILL


def _row_concept(kind: int):
    def parse(name: str, row: dict, where: str, found: Read) -> None:
        concept = _concept(row, where, found, kind)
        if concept is not None:
            found.concepts[concept["uri"]] = concept

    return parse


def _row_skill(name: str, row: dict, where: str, found: Read) -> None:
    concept = _concept(row, where, found, _skill_kind(row.get("skillType", "")))
    if concept is not None:
        found.concepts[concept["uri"]] = concept


def _row_collection(name: str, row: dict, where: str, found: Read) -> None:
    kind = KIND_OF_TYPE.get(row.get("conceptType", ""), _skill_kind(row.get("skillType", "")))
    concept = _concept(row, where, found, kind, label_split="|")
    if concept is None:
        return
    # A collection repeats a concept its full file may have given: that file wins.
    found.concepts.setdefault(concept["uri"], concept)
    found.members.setdefault(name.split(":", 1)[1], []).append(concept["uri"])


def _row_hierarchy(name: str, row: dict, where: str, found: Read) -> None:
    # The hierarchy file gives each skill group its code (S1.2...) where older skillGroups
    # files have no code column.
    for level in range(3, -1, -1):
        uri, code = row.get(f"Level {level} URI", ""), row.get(f"Level {level} code", "")
        if uri:
            concept = found.concepts.get(uri)
            if concept is not None and code and not concept["code"]:
                concept["code"] = code[:40]
            return


def _pair(columns: tuple[str, str], kept: Callable[[Read], list]):
    def parse(name: str, row: dict, where: str, found: Read) -> None:
        narrower, broader = (row.get(c, "") for c in columns)
        if _good_uri(narrower, where, columns[0], found) and _good_uri(
            broader, where, columns[1], found
        ):
            kept(found).append((narrower, broader))

    return parse


def _related(columns: tuple[str, str], attribute: str):
    def parse(name: str, row: dict, where: str, found: Read) -> None:
        first, second = (row.get(c, "") for c in columns)
        relation = row.get("relationType", "").lower()
        if relation not in RELATION_TYPES:
            found.problem(where, "relationType", "must be essential or optional")
            return
        if _good_uri(first, where, columns[0], found) and _good_uri(
            second, where, columns[1], found
        ):
            if getattr(found, attribute) is None:
                setattr(found, attribute, [])
            getattr(found, attribute).append((first, second, relation))

    return parse


ROWS = {
    "occupations": _row_concept(OCCUPATION),
    "iscogroups": _row_concept(ISCO_GROUP),
    "skillgroups": _row_concept(SKILL_GROUP),
    "skills": _row_skill,
    "collection": _row_collection,
    "skillshierarchy": _row_hierarchy,
    "broaderrelationsoccpillar": _pair(
        ("conceptUri", "broaderUri"), lambda f: f.broader.setdefault("occupation", [])
    ),
    "broaderrelationsskillpillar": _pair(
        ("conceptUri", "broaderUri"), lambda f: f.broader.setdefault("skill", [])
    ),
    "skillskillrelations": _related(("originalSkillUri", "relatedSkillUri"), "skill_relations"),
    "occupationskillrelations": _related(("occupationUri", "skillUri"), "occupation_skills"),
}


def _check_collections(found: Read) -> None:
    # An empty relation file still says "there are none": keep the empty list, not None.
    for name in found.files:
        stem = NAME.match(name)["stem"].lower() if NAME.match(name) else ""
        if stem == "skillskillrelations" and found.skill_relations is None:
            found.skill_relations = []
        if stem == "occupationskillrelations" and found.occupation_skills is None:
            found.occupation_skills = []
        if stem.startswith("broaderrelations"):
            found.broader.setdefault("occupation" if "occ" in stem else "skill", [])
