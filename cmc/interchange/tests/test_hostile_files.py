"""Hostile files sent to an import: workbooks that unpack to hundreds of megabytes or millions of
rows, endless lines, texts longer than a cell, quotes never closed, formulas. Each is refused with
one located problem before it is read whole, and nothing is written; a file someone trusts goes
through on the command line with --trusted; and nothing we write runs as a formula."""

import io
import json

import openpyxl
import pytest
from django.core.management import call_command

from cmc.core.errors import Problem
from cmc.core.files import column_letter
from cmc.core.tests import bombs
from cmc.frameworks.models import Framework
from cmc.frameworks.tests.test_cli import fails
from cmc.frameworks.trees import BehaviorNode, CompetencyNode, FrameworkTree, TierNode
from cmc.interchange import formats
from cmc.interchange.formats import tabular
from cmc.interchange.tests.test_formats import HEADER, csv_bytes, problems_of, row_counts

pytestmark = pytest.mark.django_db

HINT = "split it into one file per framework, or import a file you trust with cmc import --trusted"
ROW = "Welding Model,1,Personal,1.1,Teamwork,,,Sharing tools"


def refused(tmp_path, name: str, content: bytes) -> list[Problem]:
    """The problems an import of `content` meets; it must write nothing."""
    path = tmp_path / name
    path.write_bytes(content)
    before = row_counts()
    problems = problems_of(path)
    assert row_counts() == before
    return problems


@pytest.fixture
def unparsed(monkeypatch):
    """The workbook must be refused before openpyxl parses any of it."""

    def parse(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(openpyxl, "load_workbook", parse)


def ratio_problem(data: bytes, part: str) -> Problem:
    times = bombs.times_packed(data, part)
    assert times > 100
    return Problem(
        "model.xlsx",
        f"part {part}",
        f"unpacks to {times:,} times its packed size, more than the 100 times a real workbook "
        "or document does; it looks made to exhaust memory, so it is not read",
    )


def test_a_workbook_of_three_million_tiny_rows_is_refused_unread(tmp_path, unparsed):
    data = bombs.many_rows_bomb(3_000_000)
    assert len(data) < 700_000  # the tester's was 687 KB

    assert refused(tmp_path, "model.xlsx", data) == [
        ratio_problem(data, "xl/worksheets/sheet1.xml")
    ]


def test_a_workbook_whose_shared_strings_unpack_to_50_mb_is_refused_unread(tmp_path, unparsed):
    data = bombs.shared_strings_bomb(50 * 1024 * 1024)

    assert refused(tmp_path, "model.xlsx", data) == [ratio_problem(data, "xl/sharedStrings.xml")]


def test_a_workbook_that_unpacks_past_the_limit_is_refused_unread(tmp_path, unparsed, settings):
    settings.CMC_MAX_IMPORT_UNPACKED_BYTES = 1000
    data = formats.write(FrameworkTree(name="Small"), "xlsx")

    [problem] = refused(tmp_path, "model.xlsx", data)

    assert (problem.where, problem.field) == ("model.xlsx", "file")
    assert problem.message.endswith(f" KB, more than the 1000 bytes limit; {HINT}")


def test_an_archive_of_thousands_of_parts_is_refused_unread(tmp_path, unparsed):
    assert refused(tmp_path, "model.xlsx", bombs.many_parts_bomb(1001)) == [
        Problem("model.xlsx", "file",
                "is an archive of 1,001 parts, more than the 1,000 a workbook or document may "
                f"have; {HINT}")
    ]  # fmt: skip


HEADER_ROW = bombs.text_row(
    1, *((f"{column_letter(n)}1", name) for n, name in enumerate(tabular.REQUIRED, start=1))
)


def test_a_sheet_that_declares_a_millionth_row_stops_at_the_first_row_past_the_limit(tmp_path):
    data = bombs.sheet_of(HEADER_ROW, bombs.text_row(1_048_576, ("A1048576", "x")))

    assert refused(tmp_path, "model.xlsx", data) == [
        Problem("model.xlsx (sheet 'Sheet'), row 10001", "file",
                f"is past the limit of 10,000 rows; {HINT}")
    ]  # fmt: skip


def test_a_sheet_with_a_cell_in_its_last_column_is_refused_at_that_cell(tmp_path):
    data = bombs.sheet_of(HEADER_ROW, bombs.text_row(2, ("A2", "Welding Model"), ("XFD2", "x")))

    assert refused(tmp_path, "model.xlsx", data) == [
        Problem("model.xlsx (sheet 'Sheet'), row 2", "column XFD",
                "is past the limit of 30 columns; move what it holds into the first 30 columns "
                "or delete it")
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            csv_bytes(ROW, ROW, ROW),
            Problem("model.csv, row 4", "file", f"is past the limit of 3 rows; {HINT}"),
        ),
        (
            csv_bytes(ROW + "," * 23 + "x"),  # the 31st cell
            Problem("model.csv, row 2", "column AE",
                    "is past the limit of 30 columns; move what it holds into the first 30 "
                    "columns or delete it"),
        ),
        (
            csv_bytes(ROW + "x" * 40_000),
            Problem("model.csv, row 2", "column H",
                    "is 40,013 characters long, more than the 32,767 a cell may hold; shorten it"),
        ),
        (
            csv_bytes(ROW + "x" * 200_000),
            Problem("model.csv, row 2", "file",
                    "has a cell longer than 131,072 characters, more than a cell may hold; "
                    "shorten it"),
        ),
        (
            (HEADER + "\r\n").encode() + b"," * 2_000_000,
            Problem("model.csv, row 2", "file",
                    "runs past 983,100 characters, longer than a row may be (30 cells of "
                    "32,767); if a quote opened in it is never closed, close it"),
        ),
    ],
    ids=["rows", "columns", "a long cell", "a cell past the csv module's limit", "an endless line"],
)  # fmt: skip
def test_a_csv_past_the_limits_is_refused_where_it_goes_past(tmp_path, settings, content, problem):
    settings.CMC_MAX_IMPORT_ROWS = 3

    assert refused(tmp_path, "model.csv", content) == [problem]


UNCLOSED = (
    "is never closed, so the rest of the file would be read into one cell; close the quote, "
    'or write a quote that is part of the text as two ("")'
)


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        (
            [ROW, 'Welding Model,1,Personal,1.2,"Integrity,,,Reporting defects',
             "Welding Model,2,Academic,2.1,Reading,,,Reading specifications"],
            Problem("model.csv, row 3", "file", f"a quote opened here {UNCLOSED}"),
        ),
        (
            ['Welding Model,1,Personal,1.1,Teamwork,"Working\r\nwith others",,Sharing tools',
             'Welding Model,1,Personal,1.2,Integrity,,,"Reporting defects'],
            Problem("model.csv, row 3", "file", f"a quote opened here (on line 4) {UNCLOSED}"),
        ),
    ],
    ids=["in the middle", "after a cell of two lines"],
)  # fmt: skip
def test_a_quote_never_closed_is_refused_where_it_opened(tmp_path, rows, problem):
    assert refused(tmp_path, "model.csv", csv_bytes(*rows)) == [problem]


def test_a_quoted_cell_of_several_lines_still_imports(tmp_path):
    path = tmp_path / "model.csv"
    path.write_bytes(csv_bytes('Welding Model,1,Personal,1.1,Teamwork,"Working\r\nwith others",,"Sharing ""tools"""'))  # fmt: skip

    [tree], problems = formats.read_file(path)

    assert problems == []
    competency = tree.tiers[0].competencies[0]
    assert (competency.definition, competency.behaviors[0].text) == (
        "Working\r\nwith others",
        'Sharing "tools"',
    )


def json_document(behaviors: list) -> bytes:
    framework = {"name": "Big", "tiers": [{"number": 1, "name": "Base", "competencies": [
        {"code": "1.1", "name": "Everything", "behaviors": behaviors}]}]}  # fmt: skip
    return json.dumps({"format": "cmc-framework", "version": 1, "framework": framework}).encode()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            json_document([{"text": "b"}] * 10_001),
            Problem("model.json", "file",
                    f"holds more than 10,000 items (tiers, competencies and key behaviors); {HINT}"),
        ),
        (
            b"[" + b"1," * 200_000 + b"1]",
            Problem("model.json", "file",
                    "holds more than 200,000 values (counting its commas, brackets and braces), "
                    f"more than 10,000 rows of a framework need; {HINT}"),
        ),
        (
            json_document([{"text": "b" * 40_000}]),
            Problem("model.json", "text",
                    "is 40,000 characters long, more than the 32,767 a cell may hold; shorten it"),
        ),
    ],
    ids=["objects", "values", "a long text"],
)  # fmt: skip
def test_a_json_document_past_the_limits_is_refused(tmp_path, content, problem):
    assert refused(tmp_path, "model.json", content) == [problem]


def test_the_command_line_refuses_a_bomb_in_one_line_and_reads_a_trusted_file(tmp_path, settings):
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(bombs.many_rows_bomb(3_000_000))
    times = bombs.times_packed(bomb.read_bytes(), "xl/worksheets/sheet1.xml")

    assert fails("import_framework", str(bomb)) == (
        "1 problem(s); nothing was written",
        f"bomb.xlsx, part xl/worksheets/sheet1.xml: unpacks to {times:,} times its packed size, "
        "more than the 100 times a real workbook or document does; it looks made to exhaust "
        "memory, so it is not read\n",
    )

    settings.CMC_MAX_IMPORT_ROWS = 2
    model = tmp_path / "model.csv"
    model.write_bytes(csv_bytes(ROW, "Welding Model,1,Personal,1.2,Integrity,,,Reporting defects"))
    assert fails("import_framework", str(model)) == (
        "1 problem(s); nothing was written",
        f"model.csv, row 3, file: is past the limit of 2 rows; {HINT}\n",
    )
    assert Framework.objects.count() == 0

    call_command("import_framework", str(model), "--trusted", stdout=io.StringIO())
    assert Framework.objects.get().competencies.count() == 2


TEXTS = ['=HYPERLINK("http://x")', "=1+1", "+1", "-2 items", "@SUM(A1)", "'quoted"]


def test_the_xlsx_export_writes_every_text_as_text_never_a_formula(tmp_path):
    tree = FrameworkTree(
        name='=HYPERLINK("http://x")',
        tiers=[TierNode(number=1, name="=Tier", competencies=[
            CompetencyNode(code="1.1", name="@Cells", definition="-defined",
                           behaviors=[BehaviorNode(text=t, title=t) for t in TEXTS]),
        ])],
    )  # fmt: skip
    data = formats.write(tree, "xlsx")

    cells = [c for row in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows() for c in row]
    assert {c.data_type for c in cells if c.value is not None} == {"s"}
    written = {c.value for c in cells}
    assert {*TEXTS, '=HYPERLINK("http://x")', "=Tier", "@Cells", "-defined"} <= written

    path = tmp_path / "model.xlsx"
    path.write_bytes(data)
    [back], problems = formats.read_file(path)
    assert problems == []
    assert (back.name, back.tiers[0].name) == ('=HYPERLINK("http://x")', "=Tier")
    assert [(b.title, b.text) for b in back.tiers[0].competencies[0].behaviors] == [
        (t, t) for t in TEXTS
    ]
