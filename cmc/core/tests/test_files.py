"""The limits every import and upload reads a file under, and the one rule for the cells of
every workbook we write (the doors are tested with their apps: interchange and analysis)."""

import io
import os
import re

import openpyxl
import pytest

from cmc.core import files
from cmc.core.errors import InvalidInput, Problem
from cmc.core.files import Guard, Limits, column_letter, text_row, write_text
from cmc.core.tests import bombs

HINT = "split it"


def refused(work) -> list[Problem]:
    with pytest.raises(InvalidInput) as caught:
        work()
    return caught.value.problems


def guard(**limits) -> Guard:
    wanted = {"bytes": 1000, "unpacked_bytes": None, "ratio": None, "rows": 3, "columns": 4,
              "cell_chars": 10, **limits}  # fmt: skip
    return Guard("w.xlsx", Limits(**wanted), hint=HINT)


def test_the_limits_come_from_the_settings(settings):
    settings.CMC_MAX_IMPORT_ROWS = 7
    assert Limits.from_settings() == Limits(
        bytes=50 * 1024 * 1024, unpacked_bytes=20 * 1024 * 1024, ratio=100, rows=7, columns=30,
        cell_chars=32767, parts=1000, formats=64000,
    )  # fmt: skip
    assert Limits.from_settings().row_chars == 30 * 32770
    assert Limits.trusted() == Limits(None, None, None, None, None, None, None, None)
    assert Limits.trusted().row_chars is None


@pytest.mark.parametrize(
    ("number", "letters"), [(1, "A"), (26, "Z"), (27, "AA"), (52, "AZ"), (16384, "XFD")]
)
def test_columns_are_named_as_a_spreadsheet_names_them(number, letters):
    assert column_letter(number) == letters


def test_a_file_over_the_size_limit_is_refused():
    assert refused(lambda: guard().size(2048)) == [
        Problem("w.xlsx", "file", "is 2.0 KB, larger than the 1000 bytes limit; split it")
    ]
    guard().size(1000)
    Guard("w.xlsx", Limits.trusted(), hint=HINT).size(10**12)


def test_an_archive_of_thousands_of_parts_is_refused_before_its_directory_is_loaded(
    monkeypatch,
):
    data = bombs.many_parts_bomb(1001)
    monkeypatch.setattr(files.zipfile, "ZipFile", None)  # loading the directory would fail

    assert refused(lambda: guard().archive(io.BytesIO(data))) == [
        Problem("w.xlsx", "file",
                "is an archive of 1,001 parts, more than the 1,000 a workbook or document may "
                "have; split it")
    ]  # fmt: skip


def test_an_archive_whose_end_record_hides_its_parts_is_refused_by_its_directory(monkeypatch):
    data = bytearray(bombs.many_parts_bomb(25_000))
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = b"\x01\x00\x01\x00"  # "one part", says the record
    monkeypatch.setattr(files.zipfile, "ZipFile", None)  # loading the directory would fail

    [problem] = refused(lambda: guard().archive(io.BytesIO(bytes(data))))

    assert (problem.where, problem.field) == ("w.xlsx", "file")
    assert re.fullmatch(
        r"is an archive whose directory takes 1,\d{3},\d{3} bytes, more than the 1,000 parts a "
        r"workbook or document may have; split it",
        problem.message,
    )


def test_a_part_that_unpacks_to_hundreds_of_times_its_size_is_refused():
    data = bombs.shared_strings_bomb(5 * 1024 * 1024)
    times = bombs.times_packed(data, "xl/sharedStrings.xml")
    assert times > 100

    assert refused(lambda: guard(ratio=100).archive(io.BytesIO(data))) == [
        Problem("w.xlsx", "part xl/sharedStrings.xml",
                f"unpacks to {times:,} times its packed size, more than the 100 times a real "
                "workbook or document does; it looks made to exhaust memory, so it is not read")
    ]  # fmt: skip
    guard(ratio=times).archive(io.BytesIO(data))  # at the limit, read


def test_an_archive_that_unpacks_past_the_limit_is_refused(tmp_path):
    data = bombs.with_part(bombs.workbook(["x"]), "xl/media/noise.bin", os.urandom(300_000))
    path = tmp_path / "w.xlsx"
    path.write_bytes(data)

    [problem] = refused(lambda: guard(unpacked_bytes=200_000).archive(path))

    assert (problem.where, problem.field) == ("w.xlsx", "file")
    assert problem.message.startswith("unpacks to 30")  # the noise and the workbook's parts
    assert problem.message.endswith(" KB, more than the 195.3 KB limit; split it")


def test_a_file_that_is_no_archive_is_left_to_its_reader():
    guard(ratio=1, unpacked_bytes=1).archive(io.BytesIO(b"not a zip at all"))
    guard(ratio=1, unpacked_bytes=1).archive(io.BytesIO(b""))


def test_rows_pass_checked_with_their_empty_ends_dropped():
    rows = [["a", "b", None, ""], ("c",) + (None,) * 16383, [], [0, "", 1.5]]

    assert list(guard(rows=4).rows(rows)) == [["a", "b"], ["c"], [], [0, "", 1.5]]


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        (
            [["a"]] * 4,
            Problem("w.xlsx, row 4", "file", "is past the limit of 3 rows; split it"),
        ),
        (
            [["a"], ["a", "", "", "", "", "x"]],
            Problem("w.xlsx, row 2", "column F",
                    "is past the limit of 4 columns; move what it holds into the first 4 "
                    "columns or delete it"),
        ),
        (
            [("a",) + (None,) * 16382 + (0,)],
            Problem("w.xlsx, row 1", "column XFD",
                    "is past the limit of 4 columns; move what it holds into the first 4 "
                    "columns or delete it"),
        ),
        (
            [["a", "b", "c" * 11]],
            Problem("w.xlsx, row 1", "column C",
                    "is 11 characters long, more than the 10 a cell may hold; shorten it"),
        ),
    ],
    ids=["rows", "columns", "a zero far right", "cell"],
)  # fmt: skip
def test_a_row_past_the_limits_is_refused_before_it_is_passed_on(rows, problem):
    passed = []

    assert refused(lambda: passed.extend(guard().rows(rows))) == [problem]
    assert len(passed) == len(rows) - 1


def test_a_trusted_file_is_read_whole():
    rows = [["a" * 100_000] + [""] * 99 + ["z"]] * 20_000
    assert sum(1 for _ in Guard("w.xlsx", Limits.trusted(), hint=HINT).rows(rows)) == 20_000


def test_every_cell_of_a_workbook_we_write_is_text_never_a_formula():
    texts = ['=HYPERLINK("http://x")', "=1+1", "+1", "-2 items", "@SUM(A1)", "'quoted", "a\x01b"]
    book = openpyxl.Workbook()
    for column, text in enumerate(texts, start=1):
        write_text(book.active, 1, column, text)
    write_text(book.active, 2, 1, None)
    write_text(book.active, 2, 2, "")
    out = io.BytesIO()
    book.save(out)

    cells = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    assert [(c.value, c.data_type) for c in cells[1]] == [
        ('=HYPERLINK("http://x")', "s"), ("=1+1", "s"), ("+1", "s"), ("-2 items", "s"),
        ("@SUM(A1)", "s"), ("'quoted", "s"), ("a b", "s"),
    ]  # fmt: skip
    assert [c.value for c in cells[2]][:2] == [None, None]


def test_every_cell_of_a_sheet_written_row_by_row_is_text_never_a_formula():
    texts = ['=HYPERLINK("http://x")', "=1+1", "+1", "#N/A", "@SUM(A1)", "'quoted", "a\x01b", "12"]
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Sheet")
    sheet.append(text_row(sheet, texts))
    sheet.append(text_row(sheet, [None, "", "x"]))
    out = io.BytesIO()
    book.save(out)

    cells = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    assert [(c.value, c.data_type) for c in cells[1]] == [
        ('=HYPERLINK("http://x")', "s"), ("=1+1", "s"), ("+1", "s"), ("#N/A", "s"),
        ("@SUM(A1)", "s"), ("'quoted", "s"), ("a b", "s"), ("12", "s"),
    ]  # fmt: skip
    assert [c.value for c in cells[2]] == [None, None, "x", None, None, None, None, None]
