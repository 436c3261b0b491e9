"""A validation survey's results and raw responses as files: XLSX (one sheet of results, one
of raw responses), CSV of the raw responses, and the results as JSON (the API's shape)."""

import csv
import io
import json

from .models import GROUP_KINDS
from .selectors.survey_results import RAW_COLUMNS, ItemResult, SurveyResults, response_rows

CONTENT_TYPES = {
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
RESULT_COLUMNS = [
    "kind", "tier", "competency code", "item", "identifier", "n", "mean importance", "sd",
    "ci95 low", "ci95 high", "share important (4-5)", "mean frequency", "needed at entry",
    "ratings 1", "ratings 2", "ratings 3", "ratings 4", "ratings 5", "flagged for removal",
]  # fmt: skip
# Number formats of the results' columns: means to two places, shares as percentages.
FORMATS = {
    **dict.fromkeys(["mean importance", "sd", "ci95 low", "ci95 high", "mean frequency"], "0.00"),
    **dict.fromkeys(["share important (4-5)", "needed at entry"], "0%"),
}
WIDTHS = {"item": 60, "identifier": 38, "flagged for removal": 50, "key behavior": 60}
HEADER_FILL = "1D4ED8"


def filename(results: SurveyResults, fmt: str) -> str:
    survey = results.survey
    return f"{survey.framework.slug}-v{survey.version.number}-survey-{survey.pk}.{fmt}"


def render(results: SurveyResults, fmt: str) -> bytes:
    """The survey as a file in `fmt` (json, xlsx or csv)."""
    if fmt == "json":
        return json.dumps(results_document(results), indent=2).encode()
    if fmt == "xlsx":
        return _xlsx(results)
    return _csv(results)


def _r(value, places=4):
    return None if value is None else round(value, places)


def item_document(item: ItemResult) -> dict:
    """One key behavior or competency as the API answers it."""
    s = item.importance
    document = {
        "identifier": str(item.identifier), "label": item.label, "tier": item.tier_number,
        "competency_code": item.competency_code, "n": s.n, "mean": _r(s.mean), "sd": _r(s.sd),
        "ci95": [_r(s.ci95[0]), _r(s.ci95[1])] if s.ci95 else None,
        "share_important": _r(s.share_important),
        "frequency": {"n": item.frequency.n, "mean": _r(item.frequency.mean)},
        "needed_at_entry": _r(item.needed_at_entry), "distribution": list(item.distribution),
        "by_group": {
            kind: {
                "groups": [{"choice": g.choice, "n": g.n, "mean": _r(g.mean)} for g in groups],
                "kruskal_p": _r(item.agreement[kind].kruskal_p),
                "max_gap": _r(item.agreement[kind].max_gap),
            }
            for kind, groups in item.by_group.items()
        },
    }  # fmt: skip
    if item.kind == "behavior":
        document["flagged"] = item.flagged
        document["reasons"] = list(item.reasons)
    return document


def results_document(results: SurveyResults) -> dict:
    """The results as the API and `cmc survey results --format json` give them."""
    survey = results.survey
    return {
        "survey": survey.pk, "framework": survey.framework.slug,
        "version": survey.version.number, "closed": survey.closed_at is not None,
        "respondents": results.respondents, "filters": results.filters,
        "thresholds": {
            "min_mean_importance": survey.min_mean_importance,
            "min_share_important": survey.min_share_important,
        },
        "behaviors": [item_document(item) for item in results.behaviors],
        "competencies": [item_document(item) for item in results.competencies],
    }  # fmt: skip


def _result_row(item: ItemResult) -> list:
    s = item.importance
    return [
        item.kind, item.tier_number, item.competency_code, item.label, str(item.identifier),
        s.n, _r(s.mean), _r(s.sd), _r(s.ci95[0]) if s.ci95 else None,
        _r(s.ci95[1]) if s.ci95 else None, _r(s.share_important), _r(item.frequency.mean),
        _r(item.needed_at_entry), *item.distribution, "; ".join(item.reasons),
    ]  # fmt: skip


def _sheet(
    sheet, columns: list[str], rows: list[list], formats: dict | None = None, *, freeze: str = "B2"
) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = freeze  # the header row, and the columns that name each row
    for n, name in enumerate(columns, start=1):
        letter = get_column_letter(n)
        sheet.column_dimensions[letter].width = WIDTHS.get(name, 14)
        if name in (formats or {}):
            for (cell,) in sheet.iter_rows(min_row=2, min_col=n, max_col=n):
                cell.number_format = formats[name]


def _xlsx(results: SurveyResults) -> bytes:
    # openpyxl (and numpy, which it loads) only when a workbook is made: not in every process.
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Results"
    items = [*results.behaviors, *results.competencies]
    _sheet(sheet, RESULT_COLUMNS, [_result_row(item) for item in items], FORMATS, freeze="E2")
    _sheet(book.create_sheet("Responses"), RAW_COLUMNS, response_rows(results.survey))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(results: SurveyResults) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(RAW_COLUMNS)
    writer.writerows(response_rows(results.survey))
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


assert set(GROUP_KINDS.values()) <= set(RAW_COLUMNS)
