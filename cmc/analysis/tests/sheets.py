"""Worksheets filled in as a person would: downloaded from the site, written into, saved."""

import io

from docx import Document
from openpyxl import load_workbook

from cmc.analysis import sheetfiles


def header_row(ws) -> int:
    """The row of a worksheet's table headings ("Ref" in column A)."""
    return next(row[0].row for row in ws.iter_rows() if row[0].value == "Ref")


def about_rows(ws) -> dict[str, int]:
    """The row of each label of the "About this worksheet" block."""
    return {
        row[0].value: row[0].row
        for row in ws.iter_rows(max_row=header_row(ws))
        if row[0].value and row[0].row > 4
    }


def xlsx(model, kind: str, answers: dict, about: dict | None = None, edit=None) -> bytes:
    """A worksheet of `kind` with `answers` ({ref: [value of each input column, None to
    leave one blank]}) written in, and `about` ({label: value}) beside its labels."""
    book = load_workbook(io.BytesIO(sheetfiles.render(model, kind, "xlsx")))
    ws = book.active
    labels = about_rows(ws)
    for label, value in (about or {}).items():
        ws.cell(row=labels[label], column=2, value=value)
    for row in ws.iter_rows(min_row=header_row(ws) + 2):
        for column, value in enumerate(answers.get(row[0].value, []), start=2):
            if value is not None:
                row[column].value = value
    if edit:
        edit(ws)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx(model, kind: str, answers: dict, about: dict | None = None) -> bytes:
    """The Word worksheet of `kind`, filled in as `xlsx` fills a workbook."""
    document = Document(io.BytesIO(sheetfiles.render(model, kind, "docx")))
    about_table, table = document.tables
    for row in about_table.rows[1:]:
        if row.cells[0].text in (about or {}):
            row.cells[1].text = about[row.cells[0].text]
    for row in table.rows[2:]:
        for column, value in enumerate(answers.get(row.cells[0].text, []), start=2):
            if value is not None:
                row.cells[column].text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def named(data: bytes, name: str) -> io.BytesIO:
    """A file to post, named."""
    upload = io.BytesIO(data)
    upload.name = name
    return upload
