"""The worksheet files: a workbook (XLSX) and a Word document (DOCX) of one worksheet kind
(`render`, `filename`; the kinds themselves are `worksheets`').

Both hold the same three parts: the "About this worksheet" block (a label, what is written for
it, a hint), then the table: the headings, the row that says what each input column takes
("What to write"), and the model down the side. In the workbook every typed column offers its
choices or its range through the spreadsheet's own data validation, so a spreadsheet program
refuses "banana" in a rating before the site has to."""

import io

from cmc.core.files import write_text
from cmc.core.text import xml_text
from cmc.frameworks.models import Framework

from .answers import ABOUT, HOURS, MAX_HOURS, Answer, Choice, Hours, Rating
from .worksheets import (
    ABOUT_HEADING,
    IDENTIFIER,
    ITEM,
    MAX_COLUMNS,
    NOTE,
    REF,
    Column,
    WorksheetKind,
    kind_of,
    rows_of,
    version_label,
)

RENAME = " Rename the input column headings if you need to; the row under them says what to write."


def _validation(answer: Answer):
    """The spreadsheet's data validation for a kind of answer (None for free text)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if isinstance(answer, Rating):
        rule = DataValidation(
            type="whole", operator="between", formula1=str(answer.low), formula2=str(answer.high)
        )
        rule.error = f"Write a whole number from {answer.low} to {answer.high}."
    elif isinstance(answer, Choice):
        rule = DataValidation(type="list", formula1=f'"{",".join(answer.choices)}"')
        rule.error = f"Write {answer.what}."
    elif isinstance(answer, Hours):
        rule = DataValidation(
            type="decimal", operator="between", formula1="0", formula2=str(MAX_HOURS)
        )
        rule.error = "Write a number of hours, 0 or more."
    else:
        return None
    rule.allow_blank = True
    rule.showErrorMessage = rule.showInputMessage = True
    rule.errorTitle = rule.promptTitle = answer.what[:1].upper() + answer.what[1:32]
    rule.prompt = answer.says
    return rule


def xlsx(
    framework: Framework,
    sheet: WorksheetKind,
    inputs: list[Column],
    about: dict[str, str],
    version: str,
) -> bytes:
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
    write_text(ws, 2, 1, f"{framework.name} ({version})").font = Font(size=12)
    purpose = write_text(ws, 3, 1, sheet.purpose + RENAME)
    purpose.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[3].height = 32
    last = 2 + len(inputs)
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=max(last, 3))
    thin = Side(style="thin", color="9CA3AF")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    write_text(ws, 4, 1, ABOUT_HEADING).font = Font(bold=True)
    answer_fill = PatternFill("solid", fgColor="FEF9C3")
    for r, (field, answer, hint) in enumerate(_about_lines(sheet, about), start=5):
        write_text(ws, r, 1, field.label).font = Font(bold=True)
        value = write_text(ws, r, 2, answer)
        value.fill, value.border = answer_fill, box
        write_text(ws, r, 3, hint).font = Font(italic=True, color="4B5563")
        if field.answer is HOURS:
            rule = _validation(HOURS)
            ws.add_data_validation(rule)
            rule.add(f"B{r}")
    header_row = 5 + len(sheet.about) + 1
    for col, heading in enumerate([REF, ITEM, *(c.heading for c in inputs), IDENTIFIER], 1):
        cell = write_text(ws, header_row, col, heading)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1E3A8A")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = box
    note_row = header_row + 1
    note_fill = PatternFill("solid", fgColor="E5E7EB")
    for col, says in enumerate(["", NOTE, *(c.answer.says for c in inputs)], 1):
        cell = write_text(ws, note_row, col, says)
        cell.font = Font(italic=True)
        cell.fill, cell.border = note_fill, box
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    tier_fill = PatternFill("solid", fgColor="DBEAFE")
    rows = rows_of(framework)
    for r, row in enumerate(rows, start=note_row + 1):
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
    if rows:
        first, end = note_row + 1, note_row + len(rows)
        for col, column in enumerate(inputs, start=3):
            rule = _validation(column.answer)
            if rule is not None:
                ws.add_data_validation(rule)
                letter = get_column_letter(col)
                rule.add(f"{letter}{first}:{letter}{end}")
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 60
    for col in range(3, last + 1):
        ws.column_dimensions[get_column_letter(col)].width = 18
    ws.column_dimensions[get_column_letter(last + 1)].hidden = True
    ws.freeze_panes = ws.cell(row=note_row + 1, column=3)
    ws.print_title_rows = f"{header_row}:{note_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _shade(cell, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shade = OxmlElement("w:shd")
    shade.set(qn("w:val"), "clear")
    shade.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shade)


def _bold_row(row) -> None:
    for cell in row.cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True


def _about_lines(sheet: WorksheetKind, about: dict[str, str]):
    """The lines of a sheet's "About" block, as both files write them: each field, the answer
    given beforehand, and what to write (saying when it is required)."""
    for name in sheet.about:
        field = ABOUT[name]
        hint = "required; " + field.hint if name in sheet.required else field.hint
        yield field, about.get(name, ""), hint


def _about_table(document, sheet: WorksheetKind, about: dict[str, str]) -> None:
    from docx.shared import Cm

    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, [ABOUT_HEADING, "Answer", "What to write"], strict=True
    ):
        cell.text = text
    _bold_row(table.rows[0])
    for field, answer, hint in _about_lines(sheet, about):
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = field.label, answer, hint
        _shade(cells[1], "FEF9C3")
    for row in table.rows:
        for cell, width in zip(row.cells, [Cm(4), Cm(9), Cm(8)], strict=True):
            cell.width = width


def docx(
    framework: Framework,
    sheet: WorksheetKind,
    inputs: list[Column],
    about: dict[str, str],
    version: str,
) -> bytes:
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
    document.add_paragraph(xml_text(f"{framework.name} ({version})"))
    document.add_paragraph(sheet.purpose + RENAME)
    _about_table(document, sheet, about)
    document.add_paragraph("")  # two tables side by side would be one table to Word
    table = document.add_table(rows=2, cols=2 + len(inputs))
    table.style = "Table Grid"
    for cell, heading in zip(
        table.rows[0].cells, [REF, ITEM, *(c.heading for c in inputs)], strict=True
    ):
        cell.text = heading
    _bold_row(table.rows[0])
    for cell, says in zip(
        table.rows[1].cells, ["", NOTE, *(c.answer.says for c in inputs)], strict=True
    ):
        cell.text = says
        if says:
            cell.paragraphs[0].runs[0].italic = True
        _shade(cell, "E5E7EB")
    for header in table.rows[:2]:
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header._tr.get_or_add_trPr().append(repeat)
    for row in rows_of(framework):
        cells = table.add_row().cells
        cells[0].text = row.ref
        cells[1].text = row.text
        if row.kind in ("tier", "competency"):
            cells[1].paragraphs[0].runs[0].bold = True
        if row.kind == "tier":
            for cell in cells:
                _shade(cell, "DBEAFE")
    widths = [Cm(1.6), Cm(10.5)] + [Cm(max(12.5 / max(len(inputs), 1), 2))] * len(inputs)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render(
    framework: Framework,
    kind: str,
    fmt: str,
    *,
    columns: list[str] | None = None,
    about: dict[str, str] | None = None,
) -> bytes:
    """The worksheet of `kind` for a loaded framework, as XLSX or DOCX bytes; `columns` are
    the user's own input headings, `about` what to write in its "About" block beforehand."""
    sheet = kind_of(kind)
    given = [h for h in (xml_text(c).strip()[:200] for c in columns or []) if h]
    inputs = sheet.typed(given[:MAX_COLUMNS]) if given else list(sheet.inputs)
    filled = {
        name: xml_text(str(value)).strip()[:200]
        for name, value in (about or {}).items()
        if name in sheet.about and value
    }
    if fmt == "xlsx":
        return xlsx(framework, sheet, inputs, filled, version_label(framework))
    if fmt == "docx":
        return docx(framework, sheet, inputs, filled, version_label(framework))
    raise ValueError(f"unknown worksheet format '{fmt}'; use xlsx or docx")


def filename(framework: Framework, kind: str, fmt: str) -> str:
    return f"{framework.slug}-{kind}-worksheet.{fmt}"
