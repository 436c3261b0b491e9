"""Workbooks read as streams give what openpyxl's data-only reader gives, row by row, and never
read more texts or formats than the limits allow."""

import datetime
import io
import zipfile

import openpyxl
import pytest

from cmc.core import ooxml
from cmc.core.errors import InvalidInput, Problem
from cmc.core.files import Guard, Limits
from cmc.core.tests import bombs

TRUSTED = Guard("w.xlsx", Limits.trusted(), hint="split it")


def sheet_rows(data: bytes, guard: Guard = TRUSTED) -> list[list]:
    return list(ooxml.first_sheet(zipfile.ZipFile(io.BytesIO(data)), guard).rows)


def test_values_are_those_openpyxls_data_only_reader_gives(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Ratings"
    book.create_sheet("Second")["A1"] = "not read"
    sheet = book.active
    sheet.append(["text", 7, 2.5, True, datetime.datetime(2024, 5, 1, 8, 30), None, "=1+1"])
    sheet["B2"], sheet["B2"].number_format = 45413, "yyyy-mm-dd"
    sheet["C2"], sheet["C2"].number_format = 0.5, "[h]:mm"
    sheet["D4"] = "after a gap"
    out = io.BytesIO()
    book.save(out)

    expected = [
        list(row)
        for row in openpyxl.load_workbook(io.BytesIO(out.getvalue()), read_only=True, data_only=True)
        .worksheets[0]
        .iter_rows(values_only=True)
    ]  # fmt: skip
    read = ooxml.first_sheet(zipfile.ZipFile(io.BytesIO(out.getvalue())), TRUSTED)

    assert read.title == "Ratings"
    rows = list(read.rows)
    assert rows == [
        ["text", 7, 2.5, True, datetime.datetime(2024, 5, 1, 8, 30), None, None],
        [None, datetime.datetime(2024, 5, 1, 0, 0), datetime.timedelta(hours=12)],
        [],
        [None, None, None, "after a gap"],
    ]
    assert [[v for v in row if v is not None] for row in rows] == [
        [v for v in row if v is not None] for row in expected
    ]


def test_shared_strings_and_rich_text_read_as_plain_text():
    data = bombs.with_shared_strings(
        [b"<si><t>Plain</t></si>", b"<si><r><t>Rich </t></r><r><t>text</t></r></si>"]
    )
    assert sheet_rows(data) == [["Plain"]]


def test_a_row_numbered_past_the_last_row_of_a_sheet_is_damage():
    data = bombs.sheet_of(bombs.text_row(1_048_577, ("A1048577", "x")))
    with pytest.raises(ValueError, match=r"row 1048577 is past the last row a sheet can have"):
        sheet_rows(data)


def test_no_more_texts_are_read_than_the_rows_and_columns_allowed_can_show():
    data = bombs.with_shared_strings(b"<si><t>%d</t></si>" % n for n in range(31))
    limits = Limits(None, None, None, rows=10, columns=3, cell_chars=None)

    with pytest.raises(InvalidInput) as caught:
        sheet_rows(data, Guard("w.xlsx", limits, hint="split it"))

    assert caught.value.problems == [
        Problem("w.xlsx", "part xl/sharedStrings.xml",
                "holds more than 30 texts, more than 10 rows of 3 columns can show; split it")
    ]  # fmt: skip


def test_a_style_sheet_of_more_formats_than_a_spreadsheet_program_makes_is_refused():
    styles = zipfile.ZipFile(io.BytesIO(bombs.workbook(["x"]))).read("xl/styles.xml")
    many = styles.replace(b"</cellXfs>", b'<xf numFmtId="14"/>' * 10 + b"</cellXfs>")
    data = bombs.with_part(bombs.workbook(["x"]), "xl/styles.xml", many)
    limits = Limits(None, None, None, None, None, None, None, formats=8)

    with pytest.raises(InvalidInput) as caught:
        sheet_rows(data, Guard("w.xlsx", limits, hint="split it"))

    assert caught.value.problems == [
        Problem("w.xlsx", "part xl/styles.xml",
                "holds more than 8 cell formats, more than a spreadsheet program makes; "
                "it is not read")
    ]  # fmt: skip


def test_a_workbook_part_of_megabytes_is_damage_not_read():
    book = bombs.workbook(["x"])
    workbook = zipfile.ZipFile(io.BytesIO(book)).read("xl/workbook.xml")
    padded = workbook.replace(
        b"</workbook>", b"<!--" + b"x" * (4 * 1024 * 1024) + b"--></workbook>"
    )
    data = bombs.with_part(book, "xl/workbook.xml", padded)

    with pytest.raises(ValueError, match=r"its part xl/workbook.xml is 4,19\d,\d{3} bytes"):
        sheet_rows(data)
