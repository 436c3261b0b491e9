import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from cmc.core.errors import InvalidInput, Problem
from cmc.core.files import Limits
from cmc.resources import selectors, services, tabular
from cmc.resources.cleaning import AlignmentRef

from .conftest import resource_input

SOC = Path("/work/shared/data/soc/soc_2018_definitions.xlsx")


def read(data: bytes, name: str, limits=None):
    return tabular.read_resources(io.BytesIO(data), name, size=len(data), limits=limits)


@pytest.mark.skipif(not SOC.exists(), reason="the shared SOC workbook is not on this machine")
def test_a_real_workbook_of_another_kind_is_refused_by_its_columns():
    with pytest.raises(InvalidInput) as caught:
        read(SOC.read_bytes(), SOC.name)
    assert caught.value.problems == [
        Problem("soc_2018_definitions.xlsx, row 1", "kind", "is a required column; start from the template"),
        Problem("soc_2018_definitions.xlsx, row 1", "title", "is a required column; start from the template"),
        Problem("soc_2018_definitions.xlsx, row 1", "u.s. bureau of labor statistics",
                "is not a column (columns: kind, title, organization, url, description, industries, "
                "states, audience, format, cost, date, uses, alignments)"),
    ]  # fmt: skip


def test_the_xlsx_template_filled_in_reads_back(db):
    book = load_workbook(io.BytesIO(tabular.template("xlsx")))
    sheet = book.worksheets[0]
    sheet.append(["Assessment", "Line worker test", "", "http://example.org/t", "", "Energy",
                  "wa; id", "", "", "", None, "", "energy-cewd:4; welding::1.2"])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    rows = read(out.getvalue(), "filled.xlsx")
    assert [where for where, _ in rows] == ["filled.xlsx, row 2", "filled.xlsx, row 3"]
    second = rows[1][1]
    assert (second.kind, second.title, second.states, second.industries) == (
        "Assessment", "Line worker test", ["wa", "id"], ["Energy"],
    )  # fmt: skip
    assert second.alignments == [
        AlignmentRef("energy-cewd", 4),
        AlignmentRef("welding", None, "1.2"),
    ]


def test_a_bad_alignment_cell_is_named_with_its_row():
    with pytest.raises(InvalidInput) as caught:
        read(b"kind,title,alignments\nguide,A,welding:one\n", "a.csv")
    assert caught.value.problems == [
        Problem("a.csv, row 2", "alignments", "'welding:one' is not framework-slug, "
                "framework-slug:tier or framework-slug:tier:competency-code"),
    ]  # fmt: skip


def test_the_upload_guards_refuse_a_file_past_the_limits():
    limits = Limits(
        bytes=20, unpacked_bytes=None, ratio=None, rows=None, columns=None, cell_chars=None
    )
    with pytest.raises(InvalidInput) as caught:
        read(b"kind,title\nguide,A long enough file\n", "big.csv", limits)
    assert caught.value.problems == [
        Problem("big.csv", "file", "is 36 bytes, larger than the 20 bytes limit; split it into "
                "smaller files, or import it with cmc import-resources --trusted"),
    ]  # fmt: skip


def test_a_file_that_is_neither_csv_nor_xlsx_is_refused():
    with pytest.raises(InvalidInput) as caught:
        read(b"%PDF", "r.pdf")
    assert caught.value.problems == [Problem("r.pdf", "file", "is not a .csv or .xlsx file")]
    empty = Workbook()
    out = io.BytesIO()
    empty.save(out)
    with pytest.raises(InvalidInput) as caught:
        read(out.getvalue(), "empty.xlsx")
    assert caught.value.problems == [
        Problem("empty.xlsx", "file", "is empty; start from the template")
    ]


def test_a_search_reads_the_page_and_its_facets_in_four_queries(
    welding, staff, django_assert_num_queries
):
    services.import_resources(
        actor=staff, rows=[("r", resource_input()), ("s", resource_input(alignments=[AlignmentRef("welding", 2)]))],
        publish=True,
    )  # fmt: skip
    # the statement of hits and counts, the page's rows, framework and competency labels
    with django_assert_num_queries(4):
        page = selectors.search_resources(user=None, raw={"q": "welding", "state": "WA"})
    assert page.total == 2
