"""The ESCO to O*NET-SOC crosswalk, as the European Commission publishes it
("ONET_(Occupations)_0_updated.csv" on esco.ec.europa.eu, "Other crosswalks"): some lines of
notes, then a header row with the columns "O*NET Id", "O*NET Title", "O*NET Description",
"ESCO or ISCO URI", "ESCO or ISCO Title", "ESCO or ISCO Description" and "Type of Match"."""

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from cmc.core.errors import Problem

from ..models import EscoConcept, EscoCrosswalkMatch
from .summary import Change

CODE = "O*NET Id"
URI = "ESCO or ISCO URI"
TITLE = "O*NET Title"
MATCH = "Type of Match"
# The header comes after the notes at the top; look no further than this for it.
HEADER_WITHIN = 40
ONET_SOC = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
MAX_PROBLEMS = 50


@dataclass(frozen=True)
class Row:
    onet_code: str
    onet_title: str
    uri: str
    match_type: str


def read(path: Path) -> tuple[list[Row], list[Problem]]:
    """Every row of the crosswalk, checked; problems name the file, line and column."""
    name = path.name
    if not path.is_file():
        return [], [Problem(str(path), "file", "no such file")]
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return _rows(name, csv.reader(handle))
    except UnicodeDecodeError:
        return [], [Problem(name, "file", "is not UTF-8 text; save the crosswalk as UTF-8 CSV")]
    except csv.Error as error:
        return [], [Problem(name, "file", f"is not readable as CSV ({error})")]


def _rows(name: str, reader) -> tuple[list[Row], list[Problem]]:
    columns = _header(reader)
    if columns is None:
        return [], [
            Problem(
                f"{name}, line 1",
                CODE,
                f"no header row with the columns '{CODE}' and '{URI}' in the first "
                f"{HEADER_WITHIN} lines: this is not the ESCO to O*NET-SOC crosswalk CSV",
            )
        ]
    rows, problems = [], []
    line = reader.line_num + 1
    for record in reader:
        where = f"{name}, line {line}"
        line = reader.line_num + 1
        if not any(cell.strip() for cell in record):
            continue
        cell = {
            column: (record[i].strip() if i < len(record) else "") for column, i in columns.items()
        }
        if not ONET_SOC.match(cell[CODE]):
            problems.append(Problem(where, CODE, "must be an O*NET-SOC code such as 11-1011.00"))
        elif not cell[URI].startswith(("http://", "https://")):
            problems.append(Problem(where, URI, "must be an ESCO concept URI"))
        else:
            rows.append(
                Row(cell[CODE], cell.get(TITLE, "")[:300], cell[URI], cell.get(MATCH, "")[:20])
            )
        if len(problems) >= MAX_PROBLEMS:
            break
    return rows, problems


def _header(reader) -> dict[str, int] | None:
    for record in reader:
        cells = [cell.strip() for cell in record]
        if CODE in cells and URI in cells:
            return {cell: i for i, cell in enumerate(cells) if cell}
        if reader.line_num >= HEADER_WITHIN:
            return None
    return None


def write(rows: list[Row], summary) -> None:
    """Replace the matches of every concept the rows name (inside the caller's transaction)."""
    ids = dict(EscoConcept.objects.filter(uri__in={r.uri for r in rows}).values_list("uri", "pk"))
    wanted = {(ids[r.uri], r.onet_code): r for r in rows if r.uri in ids}
    skipped = sum(1 for r in rows if r.uri not in ids)
    existing = {
        (m.occupation_id, m.onet_code): m
        for m in EscoCrosswalkMatch.objects.filter(occupation_id__in={k[0] for k in wanted})
    }
    change = Change()
    create, update = [], []
    for key, row in wanted.items():
        match = existing.get(key)
        if match is None:
            create.append(
                EscoCrosswalkMatch(
                    occupation_id=key[0],
                    onet_code=row.onet_code,
                    onet_title=row.onet_title,
                    match_type=row.match_type,
                )
            )
        elif (match.onet_title, match.match_type) != (row.onet_title, row.match_type):
            match.onet_title, match.match_type = row.onet_title, row.match_type
            update.append(match)
        else:
            change.unchanged += 1
    gone = [m.pk for key, m in existing.items() if key not in wanted]
    EscoCrosswalkMatch.objects.bulk_create(create, batch_size=1000)
    EscoCrosswalkMatch.objects.bulk_update(update, ["onet_title", "match_type"], batch_size=1000)
    EscoCrosswalkMatch.objects.filter(pk__in=gone).delete()
    change.new, change.changed, change.removed = len(create), len(update), len(gone)
    summary.relations["O*NET-SOC matches"] = change
    if skipped:
        summary.skipped["rows naming an ESCO concept that is not loaded"] = skipped
