"""Importing the SOC 2018 hierarchy (BLS's definitions workbook), CIP 2020 (NCES's CSV) and the
TOP-CIP-SOC crosswalk (its workbook's `TOP-CIP-SOC` sheet) from one directory."""

import re
from pathlib import Path

from django.db import transaction

from cmc.core.errors import InvalidInput, Problem

from ..files import Table, count_lines, open_table
from ..models import Cip, Crosswalk, SocGroup, SocLevel
from .importing import SOC_CODE, Checker, ImportReport, checksum, record, unchanged
from .progress import Quiet
from .syncing import TableSync

CIP_CODE = re.compile(r"^\d\d(\.\d\d(\d\d)?)?$")
FILES = {
    # table: (file name patterns, required columns, header row, sheet)
    "SOC 2018 definitions": (
        ("soc_2018_definitions*.xlsx", "*SOC*efinitions*.xlsx"),
        ("SOC Group", "SOC Code", "SOC Title", "SOC Definition"),
        None,
        None,
    ),
    "CIP 2020": (("CIPCode2020*.csv", "CIPCode2020*.xlsx"), ("CIPCode", "CIPTitle", "CIPDefinition"), 1, None),
    "TOP-CIP-SOC crosswalk": (
        ("TOP-CIP-SOC*.xlsx",),
        ("Current TOP Code", "Current TOP Title", "2020 CIP Code", "2020 CIP Title", "2018 SOC Code", "2018 SOC Title"),
        1,
        "TOP-CIP-SOC",
    ),
}  # fmt: skip
LEVELS = {level.label.split()[0].lower(): level.value for level in SocLevel}


def locate(directory: Path) -> dict[str, Table]:
    """Each table's file in the directory, its header checked; every missing file named."""
    if not directory.is_dir():
        raise InvalidInput([Problem(str(directory), "directory", "is not a directory")])
    tables, missing = {}, []
    for name, (patterns, required, header_row, sheet) in FILES.items():
        matches = sorted(p for pattern in patterns for p in directory.glob(pattern))
        if not matches:
            missing.append(
                Problem(str(directory), name, f"no file named like {' or '.join(patterns)}")
            )
            continue
        what = f"the {name} file"
        tables[name] = open_table(matches[0], required=required, what=what, header_row=header_row, sheet=sheet)  # fmt: skip
    if missing:
        raise InvalidInput(missing)
    return tables


def import_soc(*, directory: Path, progress=None, dry_run=False, force=True) -> ImportReport:
    """Import SOC 2018, CIP 2020 and the TOP-CIP-SOC crosswalk; returns what changed."""
    directory = Path(directory)
    tables = locate(directory)
    release = "SOC 2018, CIP 2020, TOP-CIP-SOC crosswalk"
    report = ImportReport(dataset="soc", release=release, dry_run=dry_run)
    digest = checksum([t.path for t in tables.values()])
    if not force and unchanged("soc", digest):
        report.skipped = True
        return report
    progress, check = progress or Quiet(), Checker()
    with transaction.atomic():
        for name, sync, feed in _tables(check):
            sync.problems = check.problems
            _sync(tables[name], sync, lambda where, row, feed=feed: feed(where, row), progress)
            report.tables[sync.label] = sync.finish()
            if sync.repeats:
                report.notes.append(f"{name}: {sync.repeats} repeated row(s) skipped")
        check.refuse_if_any()
        record("soc", release, digest)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _sync(table: Table, sync: TableSync, feed, progress) -> None:
    total = table.rows_hint or (count_lines(table.path) - 1)
    progress.start(table.name, total)
    for line, row in table.rows():
        item = feed(f"{table.name}, line {line}", row)
        if item is not None:
            sync.add(f"{table.name}, line {line}", *item)
        progress.advance()
    progress.done()


def _tables(check: Checker):
    def group(where, row):
        level = LEVELS.get(row["SOC Group"].lower())
        code = row["SOC Code"]
        if level is None:
            check.add(
                where, "SOC Group", f"'{row['SOC Group']}' is not Major, Minor, Broad or Detailed"
            )
        if not SOC_CODE.match(code):
            check.add(where, "SOC Code", f"'{code}' is not a SOC code like 29-1141")
            return None
        return (code,), (level, row["SOC Title"], row["SOC Definition"], parent_of(code, level))

    def cip(where, row):
        code = row["CIPCode"].removeprefix('="').removesuffix('"')
        if not CIP_CODE.match(code):
            check.add(where, "CIPCode", f"'{code}' is not a CIP code like 51.3801")
            return None
        return (code,), (row["CIPTitle"].rstrip(". ").strip(), row["CIPDefinition"])

    def crosswalk(where, row):
        soc, cip_code = row["2018 SOC Code"], row["2020 CIP Code"]
        if not SOC_CODE.match(soc):
            check.add(where, "2018 SOC Code", f"'{soc}' is not a SOC code like 29-1141")
            return None
        extra = (row.get("Typical Entry-Level Education (BLS)", ""), row.get("Work Experience Required", ""), row.get("On the Job Training", ""))  # fmt: skip
        key = (row["Current TOP Code"], cip_code, soc)
        return key, (row["Current TOP Title"], row["2020 CIP Title"], row["2018 SOC Title"], *extra)

    yield "SOC 2018 definitions", TableSync(SocGroup, ("code",), ("level", "title", "definition", "parent_code"), "SOC groups"), group  # fmt: skip
    yield "CIP 2020", TableSync(Cip, ("code",), ("title", "definition"), "CIP codes"), cip
    yield "TOP-CIP-SOC crosswalk", TableSync(Crosswalk, ("top_code", "cip_code", "soc_code"), ("top_title", "cip_title", "soc_title", "entry_education", "work_experience", "job_training"), "crosswalk rows", skip_repeats=True), crosswalk  # fmt: skip


def parent_of(code: str, level: str | None) -> str:
    """The code one level up the SOC hierarchy: 15-1252 -> 15-1250 -> 15-1200 -> 15-0000."""
    if level == SocLevel.DETAILED:
        return code[:6] + "0"
    if level == SocLevel.BROAD:
        return code[:5] + "00"
    if level == SocLevel.MINOR:
        return code[:3] + "0000"
    return ""
