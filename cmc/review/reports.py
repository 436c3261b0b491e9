"""A round's report, as a workforce board hands it out: who was asked, what they proposed on
each item side by side with the counts, and how each proposal was resolved. PDF (WeasyPrint)
and XLSX (openpyxl, every cell written as text)."""

from io import BytesIO

from django.template.loader import render_to_string
from django.utils import timezone

from cmc.core.files import write_text

from .models import ReviewRound
from .selectors.rounds import proposals_by_item, round_summary

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def filename(review_round: ReviewRound, fmt: str) -> str:
    return f"{review_round.framework.slug}-round-{review_round.pk}-report.{fmt}"


def _context(review_round: ReviewRound) -> dict:
    groups = proposals_by_item(review_round)
    numbers = {p.pk: n for n, p in enumerate(review_round.reviewers.order_by("id"), start=1)}
    for group in groups:
        for proposal in group.proposals:
            proposal.reviewer_number = numbers[proposal.reviewer_id]
    return {
        "round": review_round,
        "framework": review_round.framework,
        "summary": round_summary(review_round),
        "groups": groups,
        "made_at": timezone.localtime(),
    }


def pdf(review_round: ReviewRound) -> bytes:
    """The report as a tagged PDF: cover with the round's facts, then item by item."""
    from weasyprint import HTML

    html = render_to_string("review/report_print.html", _context(review_round))
    return HTML(string=html).write_pdf(pdf_tags=True)


HEADINGS = (
    "Item", "Kind", "Text under review", "Keep", "Edit", "Remove", "Add", "Reviewer",
    "Proposal", "Proposed title or name", "Proposed text", "Comment", "Decision",
    "Applied text", "Reason", "Resolved by", "Resolved at",
)  # fmt: skip


def xlsx(review_round: ReviewRound) -> bytes:
    """The report as a workbook: a summary sheet and one row per proposal."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    context = _context(review_round)
    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    for row, (label, value) in enumerate(_summary_rows(context), start=1):
        write_text(summary, row, 1, label).font = Font(bold=True)
        _cell(summary, row, 2, value).alignment = Alignment(horizontal="left")
    summary.column_dimensions["A"].width = 28
    summary.column_dimensions["B"].width = 70
    sheet = book.create_sheet("Proposals")
    fill = PatternFill("solid", fgColor="1E3A8A")
    for column, heading in enumerate(HEADINGS, start=1):
        cell = write_text(sheet, 1, column, heading)
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), fill
    row = 2
    for group in context["groups"]:
        for proposal in group.proposals:
            for column, value in enumerate(_proposal_row(group, proposal), start=1):
                _cell(sheet, row, column, value).alignment = Alignment(
                    wrap_text=True, vertical="top"
                )
            row += 1
    widths = (14, 12, 40, 6, 6, 8, 6, 10, 9, 24, 40, 30, 10, 40, 30, 14, 18)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[chr(64 + column)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{chr(64 + len(HEADINGS))}{max(row - 1, 1)}"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(sheet, row: int, column: int, value):
    """A count is a number; every text goes through write_text (never a formula)."""
    if isinstance(value, int):
        cell = sheet.cell(row=row, column=column)
        cell.value = value
        return cell
    return write_text(sheet, row, column, value)


def _summary_rows(context: dict) -> list[tuple[str, str | int]]:
    r, s = context["round"], context["summary"]
    return [
        ("Model", r.framework.name),
        ("Version reviewed", str(r.version.number)),
        ("Round", r.title),
        ("Opened", f"{timezone.localtime(r.opened_at):%B %-d, %Y}"),
        ("Deadline", f"{r.deadline:%B %-d, %Y}"),
        (
            "Closed",
            f"{timezone.localtime(r.closed_at):%B %-d, %Y}" if r.closed_at else "still open",
        ),
        ("Reviewers invited", len(s["reviewers"])),
        ("Reviewers who responded", s["responded"]),
        *((f"Proposals: {a}", n) for a, n in s["by_action"].items()),
        *((f"Resolutions: {d}", n) for d, n in s["by_decision"].items()),
        ("Report made", f"{context['made_at']:%B %-d, %Y %H:%M}"),
    ]


def _proposal_row(group, proposal) -> list[str]:
    item = group.item
    resolution = next((r for r in group.resolutions if proposal in r.proposal_list), None)
    counts = group.counts
    decided = [
        resolution.get_decision_display()
        if resolution
        else "waiting"
        if proposal.action != "keep"
        else "",
        resolution.text if resolution else "",
        resolution.reason if resolution else "",
        (resolution.resolved_by.get_username() if resolution and resolution.resolved_by else ""),
        f"{timezone.localtime(resolution.resolved_at):%Y-%m-%d %H:%M}" if resolution else "",
    ]
    return [
        item.ref, item.kind_label, item.text or item.label,
        *(counts[a] for a in ("keep", "edit", "remove", "add")),
        f"Reviewer {proposal.reviewer_number}", proposal.get_action_display(),
        proposal.title, proposal.text, proposal.comment, *decided,
    ]  # fmt: skip


def render(review_round: ReviewRound, fmt: str) -> bytes:
    return {"pdf": pdf, "xlsx": xlsx}[fmt](review_round)
