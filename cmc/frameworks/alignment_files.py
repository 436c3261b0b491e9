"""A framework's alignments as a file (CSV or XLSX): one row per link, in the order of the
framework's items, text always written as text."""

import csv
import io

from cmc.core.files import text_row

HEADER = [
    "tier",
    "competency code",
    "competency",
    "key behavior",
    "scheme",
    "statement code",
    "statement",
    "url",
    "strength",
    "score",
    "made by",
    "identifier",
]
TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A spreadsheet opening a CSV runs a cell that starts with one of these as a formula; such a
# cell gets an apostrophe before it, as spreadsheets themselves mark text.
FORMULA_STARTS = ("=", "+", "-", "@", "'")


def rows(links) -> list[list[str]]:
    """The rows of the file for alignments read by selectors.alignment_list."""
    return [
        [
            str(link.tier.number) if link.tier else "",
            link.competency.code if link.competency else "",
            link.competency.name if link.competency else "",
            str(link.behavior.position) if link.behavior else "",
            link.scheme,
            link.code,
            link.text,
            link.url,
            link.strength,
            "" if link.score is None else f"{link.score:.2f}",
            link.made_by.get_username() if link.made_by else link.method,
            str(link.identifier),
        ]
        for link in links
    ]


def render(links, fmt: str) -> bytes:
    """The file in `fmt` (csv or xlsx)."""
    table = [HEADER, *rows(links)]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        for row in table:
            writer.writerow(["'" + v if v.startswith(FORMULA_STARTS) else v for v in row])
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    from openpyxl import Workbook  # when a workbook is made, not in every process

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Alignments")
    for row in table:
        sheet.append(text_row(sheet, row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
