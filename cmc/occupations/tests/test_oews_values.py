"""The values of an OEWS file as they are stored: each number as the ORM stores it (on both
databases), numbers written otherwise read, and numbers that do not fit their fields named."""

import csv
from decimal import Decimal

import pytest
from django.db import connection

from cmc.core.errors import InvalidInput
from cmc.occupations.files import open_table
from cmc.occupations.models import Wage
from cmc.occupations.services import import_oews

from .conftest import OEWS

pytestmark = pytest.mark.django_db

HOURLY = ("H_MEAN", "H_PCT10", "H_PCT25", "H_MEDIAN", "H_PCT75", "H_PCT90")
ANNUAL = ("A_MEAN", "A_PCT10", "A_PCT25", "A_MEDIAN", "A_PCT75", "A_PCT90")
FIELDS = {
    "TOT_EMP": "employment",
    **{column: f"hourly_{column[2:].lower()}" for column in HOURLY},
    **{column: f"annual_{column[2:].lower()}" for column in ANNUAL},
}
FIELDS = {column: name.replace("pct", "p") for column, name in FIELDS.items()}
HEADER = OEWS.read_text().splitlines()[0].split(",")


def _write(path, rows: list[dict]) -> None:
    with path.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=HEADER, restval="")
        writer.writeheader()
        writer.writerows(rows)


def _sweep(first_cent: int) -> list[dict]:
    """400 rows of plain numbers, their hourly wages every cent from `first_cent` on; then two
    of the largest numbers and numbers written otherwise (with commas, top-coded, missing)."""
    hourly = [f"{c // 100}.{c % 100:02d}" for c in range(first_cent, first_cent + 6 * 400)]
    hourly += ["999999.99", "123456.78", "100000.1", "0.01", "#", "1,234.56"]
    hourly += ["*", "115", "12.500", "0", "0.5", "99.9"]
    annual = [str(20000 + 7 * n) for n in range(6 * 400)]
    annual += ["2147483647", "#", "1,234", "*", "0", "239200"] * 2
    rows = []
    for n in range(len(hourly) // 6):
        row = {"OCC_CODE": f"{11 + n // 100}-{n % 100:04d}", "OCC_TITLE": f"Occupation {n}",
               "TOT_EMP": str(1000 + n)}  # fmt: skip
        row.update(zip(HOURLY, hourly[6 * n : 6 * n + 6], strict=True))
        row.update(zip(ANNUAL, annual[6 * n : 6 * n + 6], strict=True))
        rows.append(row)
    return rows


def _as_the_orm_writes(rows: list[dict], year: int) -> None:
    """The same wages written by the ORM, each number a Decimal or an int as a form gives it."""

    def number(text: str, hourly: bool):
        if text in ("*", ""):
            return None
        text = {"#": "115.00" if hourly else "239200"}.get(text, text).replace(",", "")
        return Decimal(text) if hourly else int(text)

    Wage.objects.bulk_create(
        Wage(soc_code=row["OCC_CODE"], year=year, title=row["OCC_TITLE"],
             **{name: number(row[column], column in HOURLY) for column, name in FIELDS.items()})
        for row in rows
    )  # fmt: skip


def _stored(year: int) -> list[tuple]:
    """The numbers of a year's rows as the database holds them: values and their types."""
    columns = ", ".join(FIELDS.values())
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT soc_code, {columns} FROM occupations_wage WHERE year = %s ORDER BY soc_code",
            [year],
        )
        return [tuple((value, type(value)) for value in row) for row in cursor.fetchall()]


def test_the_numbers_are_stored_as_the_orm_stores_them_first_and_changed(tmp_path):
    path = tmp_path / "national_M2025.csv"
    _write(path, _sweep(0))
    assert (
        import_oews(path=path).lines()[1] == "  wages  402 new, 0 changed, 0 removed, 0 unchanged"
    )
    _as_the_orm_writes(_sweep(0), 2024)
    assert _stored(2025) == _stored(2024)
    # Changed rows are written by the ORM from what the file gives: the same again.
    _write(path, _sweep(1))
    assert import_oews(path=path).lines()[1] == (
        "  wages  0 new, 400 changed, 0 removed, 2 unchanged"
    )
    Wage.objects.filter(year=2024).delete()
    _as_the_orm_writes(_sweep(1), 2024)
    assert _stored(2025) == _stored(2024)
    assert import_oews(path=path).lines()[1] == (
        "  wages  0 new, 0 changed, 0 removed, 402 unchanged"
    )


def test_the_real_file_is_stored_as_the_orm_stores_it():
    import_oews(path=OEWS)
    with OEWS.open(newline="") as handle:
        _as_the_orm_writes(list(csv.DictReader(handle)), 2024)
    assert _stored(2025) == _stored(2024)
    assert len(_stored(2025)) == 830


def test_numbers_written_otherwise_are_read(tmp_path):
    path = tmp_path / "national_M2025.csv"
    row = {"OCC_CODE": "29-1141", "OCC_TITLE": "  Registered Nurses ", "TOT_EMP": "**",
           "H_MEAN": "1.5E+1", "H_PCT10": " 12.500", "H_PCT25": "#", "H_MEDIAN": "0012.5",
           "H_PCT75": "*", "H_PCT90": "~", "A_MEAN": "1,234", "A_PCT10": "1.2E+3",
           "A_PCT25": "5000.0", "A_MEDIAN": "#", "A_PCT75": "", "A_PCT90": "*",
           "ANNUAL": "true"}  # fmt: skip
    _write(path, [row])
    import_oews(path=path)
    wage = Wage.objects.get()
    assert (wage.title, wage.employment, wage.annual_only, wage.hourly_only) == (
        "Registered Nurses", None, True, False,
    )  # fmt: skip
    assert [getattr(wage, f"hourly_{n}") for n in ("mean", "p10", "p25", "median", "p75", "p90")] == [
        Decimal("15.00"), Decimal("12.50"), Decimal("115.00"), Decimal("12.50"), None, None,
    ]  # fmt: skip
    assert [getattr(wage, f"annual_{n}") for n in ("mean", "p10", "p25", "median", "p75", "p90")] == [
        1234, 1200, 5000, 239200, None, None,
    ]  # fmt: skip
    # Named in the model's order of fields, as they always were.
    assert wage.top_coded == ["hourly_p25", "annual_median"]


def test_numbers_that_do_not_fit_their_fields_are_named_and_nothing_is_written(tmp_path):
    path = tmp_path / "national_M2025.csv"
    plain = {**dict.fromkeys(HOURLY, "20.00"), **dict.fromkeys(ANNUAL, "41600"), "TOT_EMP": "10"}
    bad = [
        {"H_MEAN": "65.385", "A_MEAN": "41600.5"},
        {"H_PCT10": "1000000.00", "A_PCT10": "2147483648", "TOT_EMP": "-3"},
        {"H_MEDIAN": "NaN", "A_MEDIAN": "lots", "TOT_EMP": "12.5"},
        {"H_PCT90": "-1.00", "A_PCT90": "1e400"},
    ]
    rows = [{"OCC_CODE": "29-1140", "OCC_TITLE": "Fine", **plain}]
    rows += [{"OCC_CODE": f"29-114{n}", "OCC_TITLE": "Bad", **plain, **change}
             for n, change in enumerate(bad, 1)]  # fmt: skip
    _write(path, rows)
    with pytest.raises(InvalidInput) as raised:
        import_oews(path=path)
    assert [str(problem) for problem in raised.value.problems] == [
        "national_M2025.csv, line 3, A_MEAN: '41600.5' is not a whole number",
        "national_M2025.csv, line 3, H_MEAN: '65.385' has more than 2 digits after the point",
        "national_M2025.csv, line 4, TOT_EMP: '-3' is less than 0",
        "national_M2025.csv, line 4, A_PCT10: '2147483648' is more than 2147483647",
        "national_M2025.csv, line 4, H_PCT10: '1000000.00' is more than 999999.99",
        "national_M2025.csv, line 5, TOT_EMP: '12.5' is not a whole number",
        "national_M2025.csv, line 5, A_MEDIAN: 'lots' is not a number",
        "national_M2025.csv, line 5, H_MEDIAN: 'NaN' is not a number",
        "national_M2025.csv, line 6, A_PCT90: '1e400' is more than 2147483647",
        "national_M2025.csv, line 6, H_PCT90: '-1.00' is less than 0",
    ]
    assert not Wage.objects.exists()


def test_columns_are_read_in_the_order_asked_as_rows_reads_them(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text('A,B,C\n 1 ,"two, three",3\n\n4,5,6\n')
    table = open_table(path, required=("A",), what="a table")
    assert list(table.columns(("C", "missing", "A", "B"))) == [
        (2, ("3", "", "1", "two, three")),
        (4, ("6", "", "4", "5")),
    ]
    assert list(table.columns(("B",))) == [(2, ("two, three",)), (4, ("5",))]
    assert [(line, tuple(row.values())) for line, row in table.rows()] == [
        (2, ("1", "two, three", "3")),
        (4, ("4", "5", "6")),
    ]
