"""The four workshop worksheets of a model, as XLSX and DOCX, and filled-in ones read back.

Every worksheet lists the model down the side (tier rows, then each competency and its key
behaviors, each with a short reference such as `3.4` or `3.4/2`) and the kind's input columns
across, with headings people may rename. A filled-in worksheet is uploaded back (see `uploads`)."""

import io
from dataclasses import dataclass

from django.conf import settings

from cmc.core.errors import InvalidInput, Problem
from cmc.core.files import write_text
from cmc.core.text import xml_text
from cmc.frameworks.models import Framework
from cmc.frameworks.selectors import latest_version


@dataclass(frozen=True)
class WorksheetKind:
    kind: str
    title: str
    purpose: str
    columns: tuple[str, ...]


KINDS = {
    k.kind: k
    for k in (
        WorksheetKind(
            "credential",
            "Credential competency identification",
            "For one credential (certificate, certification, license or degree), mark which "
            "competencies and key behaviors it covers and how each is assessed.",
            ("Covered by the credential? (yes / partly / no)", "How it is assessed", "Notes"),
        ),
        WorksheetKind(
            "curriculum",
            "Curriculum analysis",
            "One column per course: mark where each competency and key behavior is taught "
            "(rename the course columns to your own courses).",
            ("Course 1", "Course 2", "Course 3", "Course 4", "Notes"),
        ),
        WorksheetKind(
            "employer",
            "Employer analysis",
            "For your organization, rate how important each competency and key behavior is and "
            "whether it is needed at hire or learned on the job.",
            ("Importance (1 low to 5 high)", "Needed at hire or learned on the job", "Notes"),
        ),
        WorksheetKind(
            "gap",
            "Gap analysis",
            "Compare what employers need with what is taught or held today, and name the "
            "action that closes each gap.",
            (
                "Needed by employers? (yes / no)",
                "Covered today? (yes / partly / no)",
                "Gap to close",
                "Action and who owns it",
            ),
        ),  # fmt: skip
    )
}
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
REF, ITEM, IDENTIFIER = "Ref", "Competency or key behavior", "Identifier"
MAX_COLUMNS = 12


def max_bytes() -> int:
    return settings.CMC_MAX_IMPORT_BYTES


@dataclass
class Row:
    """One line of a worksheet: a tier heading (no ref) or an item."""

    ref: str
    text: str
    kind: str  # tier, competency, behavior
    identifier: str = ""


def rows_of(framework: Framework) -> list[Row]:
    """The model down the side, tier 1 first, for a framework whose tree is loaded."""
    rows: list[Row] = []
    for tier in framework.tier_list:
        rows.append(Row("", xml_text(f"Tier {tier.number}: {tier.name}"), "tier"))
        for competency in tier.competency_list:
            label = competency.name + (
                f": {competency.definition}" if competency.definition else ""
            )
            rows.append(
                Row(
                    xml_text(competency.code),
                    xml_text(label),
                    "competency",
                    str(competency.identifier),
                )
            )
            for n, behavior in enumerate(competency.behavior_list, start=1):
                text = f"{behavior.title}: {behavior.text}" if behavior.title else behavior.text
                rows.append(
                    Row(
                        xml_text(f"{competency.code}/{n}"),
                        xml_text(text),
                        "behavior",
                        str(behavior.identifier),
                    )
                )
    return rows


def _kind(kind: str) -> WorksheetKind:
    if kind not in KINDS:
        raise InvalidInput(
            [Problem("worksheet", "kind", f"'{kind}' is not one of {', '.join(KINDS)}")]
        )
    return KINDS[kind]


def _version(framework: Framework) -> str:
    latest = latest_version(framework)
    return f"version {latest.number}" if latest else "draft"


def render(framework: Framework, kind: str, fmt: str, *, columns: list[str] | None = None) -> bytes:
    """The worksheet of `kind` for a loaded framework, as XLSX or DOCX bytes."""
    sheet = _kind(kind)
    given = [h for h in (xml_text(c).strip()[:200] for c in columns or []) if h]
    headings = (given or list(sheet.columns))[:MAX_COLUMNS]
    if fmt == "xlsx":
        return _xlsx(framework, sheet, headings)
    if fmt == "docx":
        return _docx(framework, sheet, headings)
    raise ValueError(f"unknown worksheet format '{fmt}'; use xlsx or docx")


def filename(framework: Framework, kind: str, fmt: str) -> str:
    return f"{framework.slug}-{kind}-worksheet.{fmt}"


def _xlsx(framework: Framework, sheet: WorksheetKind, headings: list[str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    book = Workbook()
    book.properties.title = xml_text(f"{sheet.title}: {framework.name}")
    book.properties.subject = sheet.kind
    book.properties.identifier = str(framework.identifier)
    ws = book.active
    ws.title = sheet.title[:31]
    write_text(ws, 1, 1, f"{sheet.title} worksheet").font = Font(size=16, bold=True)
    write_text(ws, 2, 1, f"{framework.name} ({_version(framework)})").font = Font(size=12)
    purpose = write_text(
        ws, 3, 1, sheet.purpose + " Rename the input column headings if you need to."
    )
    purpose.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[3].height = 32
    last = 2 + len(headings)
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=last)
    header_row = 5
    thin = Side(style="thin", color="9CA3AF")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for col, heading in enumerate([REF, ITEM, *headings, IDENTIFIER], start=1):
        cell = write_text(ws, header_row, col, heading)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1E3A8A")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = box
    tier_fill = PatternFill("solid", fgColor="DBEAFE")
    for r, row in enumerate(rows_of(framework), start=header_row + 1):
        write_text(ws, r, 1, row.ref)
        text = write_text(ws, r, 2, row.text)
        text.alignment = Alignment(
            wrap_text=True, vertical="top", indent=1 if row.kind == "behavior" else 0
        )
        if row.kind == "tier":
            for col in range(1, last + 1):
                ws.cell(row=r, column=col).fill = tier_fill
            text.font = Font(bold=True)
        elif row.kind == "competency":
            text.font = Font(bold=True)
        for col in range(1, last + 1):
            ws.cell(row=r, column=col).border = box
        write_text(ws, r, last + 1, row.identifier)
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 60
    for col in range(3, last + 1):
        ws.column_dimensions[get_column_letter(col)].width = 18
    ws.column_dimensions[get_column_letter(last + 1)].hidden = True
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _docx(framework: Framework, sheet: WorksheetKind, headings: list[str]) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    document.core_properties.title = xml_text(f"{sheet.title}: {framework.name}")
    document.core_properties.subject = sheet.kind
    document.core_properties.identifier = str(framework.identifier)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    document.styles["Normal"].font.size = Pt(9.5)
    document.add_heading(f"{sheet.title} worksheet", level=0)
    document.add_paragraph(xml_text(f"{framework.name} ({_version(framework)})"))
    document.add_paragraph(sheet.purpose + " Rename the input column headings if you need to.")
    table = document.add_table(rows=1, cols=2 + len(headings))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, [REF, ITEM, *headings], strict=True):
        cell.text = heading
        cell.paragraphs[0].runs[0].bold = True
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    for row in rows_of(framework):
        cells = table.add_row().cells
        cells[0].text = row.ref
        cells[1].text = row.text
        if row.kind in ("tier", "competency"):
            cells[1].paragraphs[0].runs[0].bold = True
        if row.kind == "tier":
            for cell in cells:
                shade = OxmlElement("w:shd")
                shade.set(qn("w:val"), "clear")
                shade.set(qn("w:fill"), "DBEAFE")
                cell._tc.get_or_add_tcPr().append(shade)
    widths = [Cm(1.6), Cm(10.5)] + [Cm(max(12.5 / max(len(headings), 1), 2))] * len(headings)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
