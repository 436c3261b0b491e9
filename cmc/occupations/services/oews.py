"""Importing BLS OEWS wage estimates from a file in BLS's layout (CSV or XLSX, BLS column names).

BLS's special values, as its file notes document them:
  *   a wage estimate is not available                      -> None
  **  an employment estimate is not available               -> None
  ~   less than 0.5 percent of establishments (share cols)  -> None
  #   the wage is equal to or greater than the top code     -> the top code, named in top_coded
"""

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from cmc.core.errors import InvalidInput, Problem

from ..files import count_lines, open_table
from ..models import Wage
from .importing import SOC_CODE, Checker, ImportReport, checksum, record, unchanged
from .progress import Quiet
from .syncing import TableSync

# BLS's top codes of the May 2024 and May 2025 estimates ("#" in a wage column).
TOP_HOURLY = Decimal("115.00")
TOP_ANNUAL = 239200
NOT_AVAILABLE = {"*", "**", "~", ""}
HOURLY = ("H_MEAN", "H_PCT10", "H_PCT25", "H_MEDIAN", "H_PCT75", "H_PCT90")
ANNUAL = ("A_MEAN", "A_PCT10", "A_PCT25", "A_MEDIAN", "A_PCT75", "A_PCT90")
FIELDS = {
    "H_MEAN": "hourly_mean", "A_MEAN": "annual_mean",
    "H_PCT10": "hourly_p10", "H_PCT25": "hourly_p25", "H_MEDIAN": "hourly_median",
    "H_PCT75": "hourly_p75", "H_PCT90": "hourly_p90",
    "A_PCT10": "annual_p10", "A_PCT25": "annual_p25", "A_MEDIAN": "annual_median",
    "A_PCT75": "annual_p75", "A_PCT90": "annual_p90",
}  # fmt: skip
REQUIRED = ("OCC_CODE", "OCC_TITLE", "TOT_EMP", *HOURLY, *ANNUAL)
VALUES = (
    "title", "employment", *FIELDS.values(), "annual_only", "hourly_only", "top_coded",
)  # fmt: skip


def year_of(path: Path) -> int | None:
    """The year BLS's file names carry ("national_M2025_dl.xlsx" -> 2025)."""
    found = re.search(r"M(\d{4})", path.name)
    return int(found.group(1)) if found else None


def import_oews(
    *, path: Path, year: int | None = None, progress=None, dry_run=False, force=True
) -> ImportReport:
    """Import a BLS OEWS estimates file (national, state or area); returns what changed. The
    year is the file name's ("M2025") unless given; rows of that year the file no longer has
    are removed."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput([Problem(str(path), "file", "is not a file")])
    year = year or year_of(path)
    if year is None:
        raise InvalidInput(
            [Problem(path.name, "year", "the file name names no year (like M2025); give --year")]
        )
    table = open_table(path, required=REQUIRED, what="a BLS OEWS estimates file")
    release = f"BLS OEWS May {year}"
    report = ImportReport(dataset="oews", release=release, dry_run=dry_run)
    digest = checksum([path])
    if not force and unchanged("oews", digest):
        report.skipped = True
        return report
    progress = progress or Quiet()
    check = Checker()
    sync = TableSync(Wage, ("soc_code", "area", "year"), VALUES, "wages", scope={"year": year})
    sync.problems = check.problems
    progress.start(path.name, table.rows_hint or count_lines(path) - 1)
    with transaction.atomic():
        for line, row in table.rows():
            where = f"{path.name}, line {line}"
            values = _wage(check, where, row)
            if values is not None:
                sync.add(where, (row["OCC_CODE"], row.get("AREA_TITLE") or "U.S.", year), values)
            progress.advance()
        progress.done()
        check.refuse_if_any()
        report.tables["wages"] = sync.finish()
        record("oews", release, digest)
        if dry_run:
            transaction.set_rollback(True)
    return report


# Each wage column: its BLS name, our field, whether it is hourly (a decimal) or annual (whole).
COLUMNS = tuple((column, name, column.startswith("H")) for column, name in FIELDS.items())


def _wage(check: Checker, where: str, row: dict) -> tuple | None:
    code = row["OCC_CODE"]
    if not SOC_CODE.match(code):
        check.add(where, "OCC_CODE", f"'{code}' is not a SOC code like 29-1141")
        return None
    top_coded = []
    wages = []
    for column, name, hourly in COLUMNS:
        value = row[column]
        if hourly:
            try:  # most are plain decimals, as BLS writes an hourly wage
                wages.append(Decimal(value))
                continue
            except InvalidOperation:
                pass
        elif value.isdecimal():
            wages.append(int(value))  # an annual wage, as BLS writes it: whole dollars
            continue
        if value == "#":
            top_coded.append(name)
            wages.append(TOP_HOURLY if hourly else TOP_ANNUAL)
        elif value in NOT_AVAILABLE:
            wages.append(None)
        else:
            try:
                number = Decimal(value.replace(",", ""))
            except InvalidOperation:
                check.add(where, column, f"'{value}' is not a number")
                number = None
            wages.append(number if hourly or number is None else int(number))
    employment, total = None, row["TOT_EMP"]
    if total.isdecimal():
        employment = int(total)
    elif total not in NOT_AVAILABLE:
        employment = check.integer(where, {"TOT_EMP": total.replace(",", "")}, "TOT_EMP")
    flags = (row.get("ANNUAL", "").upper() == "TRUE", row.get("HOURLY", "").upper() == "TRUE")
    return (row["OCC_TITLE"], employment, *wages, *flags, top_coded)
