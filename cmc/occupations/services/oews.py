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
TOP_HOURLY, TOP_ANNUAL = 115.0, 239200
NOT_AVAILABLE = {"*", "**", "~", ""}
HOURLY = ("H_MEAN", "H_PCT10", "H_PCT25", "H_MEDIAN", "H_PCT75", "H_PCT90")
ANNUAL = ("A_MEAN", "A_PCT10", "A_PCT25", "A_MEDIAN", "A_PCT75", "A_PCT90")
FIELDS = {
    "TOT_EMP": "employment", "A_MEAN": "annual_mean",
    "A_PCT10": "annual_p10", "A_PCT25": "annual_p25", "A_MEDIAN": "annual_median",
    "A_PCT75": "annual_p75", "A_PCT90": "annual_p90",
    "H_MEAN": "hourly_mean",
    "H_PCT10": "hourly_p10", "H_PCT25": "hourly_p25", "H_MEDIAN": "hourly_median",
    "H_PCT75": "hourly_p75", "H_PCT90": "hourly_p90",
}  # fmt: skip
REQUIRED = ("OCC_CODE", "OCC_TITLE", "TOT_EMP", *HOURLY, *ANNUAL)
# The columns read: the code just before the numbers, which are in the order of their values
# (the whole numbers, then the hourly wages).
COLUMNS = ("AREA_TITLE", "OCC_TITLE", "OCC_CODE", *FIELDS, "ANNUAL", "HOURLY")
AREA, TITLE, CODE, HOURLY_AT, END = 0, 1, 2, 4 + len(ANNUAL), 3 + len(FIELDS)
VALUES = ("title", *FIELDS.values(), "annual_only", "hourly_only", "top_coded")
# An hourly wage goes to the database as a float, once checked to have at most 6 digits before
# the point and 2 after (the field's numeric(8,2)): both databases store such a float as the
# decimal itself (SQLite keeps the REAL it makes of the text Django gives it for a decimal;
# PostgreSQL makes it the decimal of at most 15 digits it stands for), and it is what SQLite
# gives back to compare. A decimal would be made text by SQLite's driver value by value, and
# compared with the float SQLite gives back only by converting one to the other.
HOURLY_FIELDS = tuple(FIELDS[column] for column in HOURLY)
WHOLE_TEXT = r"[0-9]{1,9}+"  # well short of the fields' 2,147,483,647
HOURLY_TEXT = r"[0-9]{1,6}+(?:\.[0-9]{1,2}+)?+"
WHOLE_NUMBER, HOURLY_WAGE = re.compile(WHOLE_TEXT), re.compile(HOURLY_TEXT)
# A row's code and numbers as BLS mostly writes them, all plain, are checked with one match;
# else each group of numbers (the whole numbers, the hourly wages), and a value at a time in a
# group that is not plain (one with BLS's marks, "*" or "#").
PLAIN_WHOLES = ",".join([WHOLE_TEXT] * (1 + len(ANNUAL)))
PLAIN_HOURLY = ",".join([HOURLY_TEXT] * len(HOURLY))
PLAIN = re.compile(f"[0-9]{{2}}-[0-9]{{4}},{PLAIN_WHOLES},{PLAIN_HOURLY}")
PLAIN_WHOLES, PLAIN_HOURLY = re.compile(PLAIN_WHOLES), re.compile(PLAIN_HOURLY)
# The top-coded fields are named in the model's order of fields.
TOP_CODED_ORDER = [f.name for f in Wage._meta.fields]


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
    sync = TableSync(
        Wage, ("soc_code", "area", "year"), VALUES, "wages", scope={"year": year},
        as_given=HOURLY_FIELDS,
    )  # fmt: skip
    sync.problems = check.problems
    name = path.name
    progress.start(name, table.rows_hint or count_lines(path) - 1)
    with transaction.atomic():
        for line, row in table.columns(COLUMNS):
            where = f"{name}, line {line}"
            values = _wage(check, where, row)
            if values is not None:
                sync.add(where, (row[CODE], row[AREA] or "U.S.", year), values)
            progress.advance()
        progress.done()
        check.refuse_if_any()
        report.tables["wages"] = sync.finish()
        record("oews", release, digest)
        if dry_run:
            transaction.set_rollback(True)
    return report


WHOLES = tuple((column, name, False) for column, name in FIELDS.items() if column[0] != "H")
HOURS = tuple((column, FIELDS[column], True) for column in HOURLY)


def _wage(check: Checker, where: str, row: tuple) -> tuple | None:
    """The values of a row of COLUMNS (VALUES), or None where its code is not one."""
    top_coded: list[str] = []
    if PLAIN.fullmatch(",".join(row[CODE:END])):
        numbers = (*map(int, row[CODE + 1 : HOURLY_AT]), *map(float, row[HOURLY_AT:END]))
    else:
        code = row[CODE]
        if not SOC_CODE.match(code):
            check.add(where, "OCC_CODE", f"'{code}' is not a SOC code like 29-1141")
            return None
        wholes, hourly = row[CODE + 1 : HOURLY_AT], row[HOURLY_AT:END]
        numbers = (
            *(map(int, wholes) if PLAIN_WHOLES.fullmatch(",".join(wholes))
              else _numbers(check, where, WHOLES, wholes, top_coded)),
            *(map(float, hourly) if PLAIN_HOURLY.fullmatch(",".join(hourly))
              else _numbers(check, where, HOURS, hourly, top_coded)),
        )  # fmt: skip
        top_coded.sort(key=TOP_CODED_ORDER.index)
    flags = (row[-2].upper() == "TRUE", row[-1].upper() == "TRUE")
    return (row[TITLE], *numbers, *flags, top_coded)


def _numbers(check: Checker, where: str, columns: tuple, values: tuple, top_coded: list) -> list:
    """A group of a row's numbers, one at a time: BLS's marks, thousands written with commas,
    a number written otherwise (1.5E+2), or a mistake named."""
    numbers = []
    for (column, name, hourly), value in zip(columns, values, strict=True):
        if value == "#" and column != "TOT_EMP":
            top_coded.append(name)
            numbers.append(TOP_HOURLY if hourly else TOP_ANNUAL)
        elif value in NOT_AVAILABLE:
            numbers.append(None)
        else:
            numbers.append(_number(check, where, column, value, hourly))
    return numbers


def _number(check: Checker, where: str, column: str, value: str, hourly: bool):
    """One number (an hourly wage a float), or None with the mistake named."""
    text = value.replace(",", "")
    if (HOURLY_WAGE if hourly else WHOLE_NUMBER).fullmatch(text):
        return float(text) if hourly else int(text)
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = Decimal("NaN")
    problem = _out_of_shape(number, hourly)
    if problem:
        check.add(where, column, f"'{value}' {problem}")
        return None
    return float(number) if hourly else int(number)


CENT, TOP_WHOLE = Decimal("0.01"), 2**31 - 1  # the fields' numeric(8,2) and integer


def _out_of_shape(number: Decimal, hourly: bool) -> str:
    """What keeps a number from its field, if anything."""
    if not number.is_finite():
        return "is not a number"
    if number < 0:
        return "is less than 0"
    if number >= 10**6 if hourly else number > TOP_WHOLE:
        return f"is more than {'999999.99' if hourly else TOP_WHOLE}"
    if hourly and number.quantize(CENT) != number:
        return "has more than 2 digits after the point"
    if not hourly and number != number.to_integral_value():
        return "is not a whole number"
    return ""
