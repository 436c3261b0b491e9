"""Hostile worksheets: uploads made to stall or swell a worker are refused by every door (page,
API, command line) with one located problem before they are read whole, and nothing is kept; a
trusted file goes through on the command line. And no text anyone supplied, in the query or in
the model, is ever written into a worksheet as a formula."""

import io
import zipfile

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from cmc.accounts.services import create_api_token
from cmc.analysis import worksheets
from cmc.analysis.models import WorksheetEntry, WorksheetUpload
from cmc.analysis.tests import sheets
from cmc.analysis.tests.test_worksheets import _filled_xlsx, _refused
from cmc.core.tests import bombs
from cmc.factories import UserFactory, loaded
from cmc.frameworks.services import save_framework_tree
from cmc.frameworks.tests.test_cli import fails
from cmc.frameworks.trees import BehaviorNode, CompetencyNode, FrameworkTree, TierNode

pytestmark = pytest.mark.django_db

HINT = (
    "a worksheet downloaded from this site and filled in is far smaller; keep a file you trust "
    "with cmc worksheet SLUG --upload FILE --as USER --trusted"
)


@pytest.fixture
def model(reference):
    return loaded("building-blocks")


def kept() -> tuple[int, int]:
    return WorksheetUpload.objects.count(), WorksheetEntry.objects.count()


def ratio_message(data: bytes, part: str) -> str:
    times = bombs.times_packed(data, part)
    assert times > 100
    return (
        f"unpacks to {times:,} times its packed size, more than the 100 times a real workbook "
        "or document does; it looks made to exhaust memory, so it is not read"
    )


def test_the_api_refuses_a_workbook_of_three_million_rows_with_422(client, model):
    _, secret = create_api_token(user=UserFactory(), name="t")
    data = bombs.many_rows_bomb(3_000_000)
    upload = io.BytesIO(data)
    upload.name = "bomb.xlsx"

    answer = client.post(
        "/api/v1/frameworks/building-blocks/worksheets/employer",
        {"file": upload},
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )

    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {
            "where": "bomb.xlsx",
            "field": "part xl/worksheets/sheet1.xml",
            "message": ratio_message(data, "xl/worksheets/sheet1.xml"),
        }
    ]
    assert kept() == (0, 0)


def test_the_page_refuses_a_workbook_of_50_mb_of_shared_strings(client, model):
    client.force_login(UserFactory())
    data = bombs.shared_strings_bomb(50 * 1024 * 1024)
    upload = io.BytesIO(data)
    upload.name = "bomb.xlsx"

    answer = client.post(
        "/frameworks/building-blocks/worksheets/", {"kind": "employer", "file": upload}
    )

    assert answer.status_code == 422
    page = answer.content.decode()
    assert "The worksheet was not kept; nothing was saved</h2>" in page
    assert (
        f'<li><a href="#id_file">bomb.xlsx, part xl/sharedStrings.xml: '
        f"{ratio_message(data, 'xl/sharedStrings.xml')}</a></li>" in page
    )
    assert kept() == (0, 0)


def test_a_sheet_that_declares_a_millionth_row_stops_at_the_first_row_past_the_limit(model):
    data = bombs.sheet_of(bombs.text_row(1_048_576, ("A1048576", "x")))

    assert _refused(model, data) == [
        f"w.xlsx, row 10001, file: is past the limit of 10,000 rows; {HINT}"
    ]


def filled_docx(model, text: str = "5") -> bytes:
    return sheets.docx(model, "employer", {"2.3": [text]}, {"Employer": "Acme"})


def test_a_word_worksheet_past_the_limits_is_refused_at_the_row(model, settings):
    settings.CMC_MAX_IMPORT_CELL_CHARS = 100
    assert _refused(model, filled_docx(model, "x" * 101), name="w.docx", kind="employer") == [
        "w.docx, row 14, column C: is 101 characters long, more than the 100 a cell may hold; "
        "shorten it"
    ]
    settings.CMC_MAX_IMPORT_ROWS = 20
    assert _refused(model, filled_docx(model), name="w.docx", kind="employer") == [
        f"w.docx, row 21, file: is past the limit of 20 rows; {HINT}"
    ]


def test_a_word_document_of_a_table_that_unpacks_hundreds_of_times_is_refused(model):
    data = filled_docx(model)
    document = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    at = document.index(b"</w:tbl>")
    row = b"<w:tr>" + b"<w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>" * 50 + b"</w:tr>"
    bomb = bombs.with_part(
        data,
        "word/document.xml",
        bombs.repeated(row, 30 * 1024 * 1024, start=document[:at], end=document[at:]),
    )

    assert _refused(model, bomb, name="w.docx", kind="employer") == [
        f"w.docx, part word/document.xml: {ratio_message(bomb, 'word/document.xml')}"
    ]


def test_the_command_line_refuses_a_bomb_and_keeps_a_trusted_file(model, tmp_path, settings):
    user = UserFactory()
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(bombs.many_rows_bomb(3_000_000))
    upload = ("worksheet", "building-blocks", "--upload", str(bomb), "--as", user.username)

    assert fails(*upload) == (
        "1 problem(s); nothing was written",
        f"bomb.xlsx, part xl/worksheets/sheet1.xml: "
        f"{ratio_message(bomb.read_bytes(), 'xl/worksheets/sheet1.xml')}\n",
    )

    settings.CMC_MAX_IMPORT_ROWS = 20
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(_filled_xlsx(model))
    upload = ("worksheet", "building-blocks", "--upload", str(filled), "--as", user.username)
    assert fails(*upload) == (
        "1 problem(s); nothing was written",
        f"filled.xlsx, row 21, file: is past the limit of 20 rows; {HINT}\n",
    )
    assert kept() == (0, 0)

    call_command(*upload, "--trusted", stdout=io.StringIO())
    assert kept() == (1, 6)


INJECTED = '=HYPERLINK("http://x")'


def cells_of(data: bytes) -> list:
    sheet = load_workbook(io.BytesIO(data)).active
    return [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]


def test_a_column_heading_from_the_query_is_written_as_text_not_a_formula(client, model):
    answer = client.get(
        "/frameworks/building-blocks/worksheets/employer.xlsx", {"column": [INJECTED, "+1"]}
    )

    assert answer.status_code == 200
    cells = cells_of(answer.content)
    assert {cell.data_type for cell in cells} == {"s"}
    ws = load_workbook(io.BytesIO(answer.content)).active
    assert [cell.value for cell in ws[sheets.header_row(ws)]] == [
        "Ref", "Competency or key behavior", INJECTED, "+1", "Identifier"
    ]  # fmt: skip


def test_model_text_that_starts_like_a_formula_is_written_as_text(client, db):
    texts = ["=1+1", "+1", "-2 items", "@SUM(A1)"]
    save_framework_tree(
        tree=FrameworkTree(name=INJECTED, slug="formulas", tiers=[
            TierNode(number=1, name="@Tier", competencies=[
                CompetencyNode(code="=1", name="-Cells", behaviors=[BehaviorNode(text=t) for t in texts]),
            ]),
        ]),
        where="test", visibility="public",
    )  # fmt: skip

    for kind in worksheets.KINDS:
        answer = client.get(f"/frameworks/formulas/worksheets/{kind}.xlsx")
        assert answer.status_code == 200
        cells = cells_of(answer.content)
        assert {cell.data_type for cell in cells} == {"s"}
        column_b = [cell.value for cell in cells if cell.column == 2]
        assert column_b[-6:] == ["Tier 1: @Tier", "-Cells", *texts]
        assert f"{INJECTED} (draft)" in [cell.value for cell in cells if cell.row == 2]
