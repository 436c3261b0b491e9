"""The commonality table as an XLSX workbook: styled header, sized columns, frozen header."""

import io

HEADER = ("Element ID", "Element", "Domain", "Important in", "Rated in", "Mean importance", "Mean level", "Important for")  # fmt: skip
WIDTHS = (14, 44, 18, 13, 10, 17, 12, 60)
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def commonality_xlsx(table, *, release: str) -> bytes:
    """The commonality table, one element a row, with the occupations and source on a second
    sheet."""
    # openpyxl when a workbook is made, not with the module: every process would load it.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Commonality"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for row in table.rows:
        sheet.append(
            (row.element_id, row.name, row.domain_label, row.important_in, row.rated_in,
             row.mean_importance, row.mean_level, ", ".join(row.important_for))
        )  # fmt: skip
    for row in sheet.iter_rows(min_row=2, min_col=6, max_col=7):
        for cell in row:
            cell.number_format = "0.00"
    for number, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    about = book.create_sheet("Occupations")
    about.append(("O*NET-SOC code", "Title"))
    for cell in about[1]:
        cell.font = Font(bold=True)
    for occupation in table.occupations:
        about.append((occupation.code, occupation.title))
    about.append(())
    about.append((f"Important: importance of at least {table.min_importance} (scale 1 to 5).",))
    about.append((f"Source: {release}, O*NET Resource Center (CC BY 4.0).",))
    about.freeze_panes = "A2"
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
