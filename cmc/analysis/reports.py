"""The gap report: the results of a model's worksheets as an XLSX workbook, one row per
competency, saying whether the job requires it, what covers it, and whether it is a gap."""

import io

from django.utils import timezone

from cmc.core.files import write_text
from cmc.core.text import xml_text

from .selectors import Results

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADINGS = (
    ("Tier", 6),
    ("Ref", 8),
    ("Competency", 40),
    ("Importance (mean)", 12),
    ("n", 6),
    ("Required?", 11),
    ("Why required", 40),
    ("Covered by", 50),
    ("Course hours", 10),
    ("Gap", 8),
)


def filename(results: Results) -> str:
    return f"{results.framework.slug}-gap-report.xlsx"


def _summary(results: Results) -> list[str]:
    counts = results.uploads
    read = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n) or "none"
    return [
        f"Model: {results.framework.name} ({results.version})",
        f"Required: mean employer importance of {results.threshold:g} or more (on the "
        "competency or one of its key behaviors), or marked required in a gap worksheet",
        "Covered: taught by a course of a curriculum worksheet, or covered by a credential of a "
        "credential worksheet",
        f"Worksheets read: {read}; made {timezone.localtime():%B %-d, %Y, %H:%M}",
        f"Gaps: {len(results.gaps)} of {len(results.competencies)} competencies",
    ]


def gap_xlsx(results: Results) -> bytes:
    """The gap report of `results` as XLSX bytes: a title, what it was made from, then one row
    per competency under a frozen header."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.properties.title = xml_text(f"Gap analysis: {results.framework.name}")
    ws = book.active
    ws.title = "Gap analysis"
    title = write_text(ws, 1, 1, f"Gap analysis of {results.framework.name}")
    title.font = Font(size=16, bold=True)
    lines = _summary(results)
    for r, line in enumerate(lines, start=2):
        write_text(ws, r, 1, line)
    header_row = len(lines) + 3
    for col, (heading, width) in enumerate(HEADINGS, start=1):
        cell = write_text(ws, header_row, col, heading)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1E3A8A")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    gap_fill = PatternFill("solid", fgColor="FEE2E2")
    for r, item in enumerate(results.competencies, start=header_row + 1):
        ws.cell(row=r, column=1, value=item.tier_number)
        write_text(ws, r, 2, item.ref)
        write_text(ws, r, 3, item.name)
        if item.importance.mean is not None:
            ws.cell(row=r, column=4, value=round(item.importance.mean, 2))
        ws.cell(row=r, column=5, value=item.importance.n)
        write_text(ws, r, 6, "yes" if item.required else "no")
        write_text(ws, r, 7, "; ".join(item.required_because))
        write_text(ws, r, 8, "; ".join(item.covered_by))
        if item.course_hours is not None:
            ws.cell(row=r, column=9, value=item.course_hours)
        write_text(ws, r, 10, "yes" if item.gap else "no")
        for col in (3, 7, 8):
            ws.cell(row=r, column=col).alignment = Alignment(wrap_text=True, vertical="top")
        if item.gap:
            for col in range(1, len(HEADINGS) + 1):
                ws.cell(row=r, column=col).fill = gap_fill
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.auto_filter.ref = (
        f"A{header_row}:{get_column_letter(len(HEADINGS))}"
        f"{header_row + max(len(results.competencies), 1)}"
    )
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
