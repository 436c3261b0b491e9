"""The four workshop worksheets: written as XLSX and DOCX, filled in, and read back; a bad
file is refused with its row and column named, and nothing is kept."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document
from openpyxl import load_workbook

from cmc.accounts.services import create_api_token
from cmc.analysis import selectors, services, sheetfiles, worksheets
from cmc.analysis.answers import ABOUT
from cmc.analysis.models import WorksheetEntry, WorksheetUpload
from cmc.analysis.tests import sheets
from cmc.core.errors import InvalidInput
from cmc.factories import UserFactory, loaded

pytestmark = pytest.mark.django_db


@pytest.fixture
def model(reference):
    return loaded("building-blocks")


def _items(framework):
    return [row for row in worksheets.rows_of(framework) if row.ref]


@pytest.mark.parametrize("kind", list(worksheets.KINDS))
def test_xlsx_worksheet_lists_the_model_down_the_side_and_the_inputs_across(model, kind):
    book = load_workbook(io.BytesIO(sheetfiles.render(model, kind, "xlsx")))
    ws = book.active
    sheet = worksheets.KINDS[kind]
    assert ws["A1"].value == f"{sheet.title} worksheet"
    assert ws["A4"].value == "About this worksheet"
    labels = [ws.cell(row=r, column=1).value for r in range(5, 5 + len(sheet.about))]
    assert labels == [ABOUT[name].label for name in sheet.about]
    at = sheets.header_row(ws)
    assert at == 6 + len(sheet.about)
    header = [c.value for c in ws[at]]
    assert header == ["Ref", "Competency or key behavior", *sheet.columns, "Identifier"]
    note = [c.value for c in ws[at + 1]][1 : len(header) - 1]
    assert note == ["What to write", *(c.answer.says for c in sheet.inputs)]
    refs = [row[0] for row in ws.iter_rows(min_row=at + 2, values_only=True) if row[0]]
    assert refs == [row.ref for row in _items(model)]
    labels = [row[1] for row in ws.iter_rows(min_row=at + 2, values_only=True)]
    assert "Tier 1: Personal Effectiveness Competencies" in labels
    assert ws.column_dimensions["A"].width == 14
    identifier_column = ws.cell(row=at, column=len(header)).column_letter
    assert ws.column_dimensions[identifier_column].hidden
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == f"${at}:${at + 1}"
    assert ws.freeze_panes == f"C{at + 2}"


@pytest.mark.parametrize("kind", list(worksheets.KINDS))
def test_docx_worksheet_is_a_landscape_table_with_a_repeating_header(model, kind):
    document = Document(io.BytesIO(sheetfiles.render(model, kind, "docx")))
    assert document.sections[0].page_width > document.sections[0].page_height
    sheet = worksheets.KINDS[kind]
    about, table = document.tables
    assert [[c.text for c in row.cells] for row in about.rows] == [
        ["About this worksheet", "Answer", "What to write"],
        *(
            [ABOUT[n].label, "", ("required; " if n in sheet.required else "") + ABOUT[n].hint]
            for n in sheet.about
        ),
    ]
    header = [cell.text for cell in table.rows[0].cells]
    assert header == ["Ref", "Competency or key behavior", *sheet.columns]
    note = [cell.text for cell in table.rows[1].cells]
    assert note == ["", "What to write", *(c.answer.says for c in sheet.inputs)]
    assert len(table.rows) == 2 + len(worksheets.rows_of(model))
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    assert table.rows[1]._tr.xpath("./w:trPr/w:tblHeader")
    assert document.core_properties.subject == kind


def test_columns_take_the_users_own_headings_and_keep_their_kinds(model):
    data = sheetfiles.render(
        model, "curriculum", "xlsx", columns=["WLD 101?", "Contact hours", "Unit", "x", "y"]
    )
    ws = load_workbook(io.BytesIO(data)).active
    at = sheets.header_row(ws)
    assert [c.value for c in ws[at]][2:] == [
        "WLD 101?",
        "Contact hours",
        "Unit",
        "x",
        "y",
        "Identifier",
    ]
    assert [c.value for c in ws[at + 1]][2:7] == [
        "yes, partly or no", "Hours: a number, 0 or more", "Free text", "Free text", "Free text"
    ]  # fmt: skip


def test_what_a_worksheet_is_about_may_be_written_in_beforehand(model, client):
    data = sheetfiles.render(
        model,
        "curriculum",
        "xlsx",
        about={"course": "WLD 101", "course_hours": "45", "employer": "x"},
    )
    ws = load_workbook(io.BytesIO(data)).active
    assert [[c.value for c in row][:2] for row in ws.iter_rows(min_row=5, max_row=7)] == [
        ["Course", "WLD 101"], ["Course hours", "45"], ["Respondent", None]
    ]  # fmt: skip
    answer = client.get(
        "/frameworks/building-blocks/worksheets/employer.docx", {"employer": "Acme Welding"}
    )
    assert Document(io.BytesIO(answer.content)).tables[0].rows[1].cells[1].text == "Acme Welding"
    api = client.get(
        "/api/v1/frameworks/building-blocks/worksheets/credential", {"credential": "AWS D1.1"}
    )
    assert load_workbook(io.BytesIO(api.content)).active["B5"].value == "AWS D1.1"


CURRICULUM = {"1.1": ["yes", 6], "3.1/1": ["Partly", "2.50", "Week 5", "Team project"]}


def _filled_xlsx(model, kind="curriculum", edit=None) -> bytes:
    return sheets.xlsx(model, kind, CURRICULUM, {"Course": "WLD 101"}, edit=edit)


def test_a_filled_in_xlsx_is_kept_with_the_model(model):
    user = UserFactory()
    saved = services.upload(
        framework=model, actor=user, kind="curriculum", name="ours.xlsx", data=_filled_xlsx(model)
    )
    assert (saved.kind, saved.entry_count, saved.uploaded_by) == ("curriculum", 6, user)
    assert (saved.course, saved.course_hours, saved.credential, saved.respondent) == (
        "WLD 101", None, "", ""
    )  # fmt: skip
    assert saved.columns == list(worksheets.KINDS["curriculum"].columns)
    assert saved.column_types == ["yes/partly/no", "hours", "text", "text"]
    entries = {(e.ref, e.column, e.value) for e in saved.entries.all()}
    assert entries == {
        ("1.1", "Taught in the course?", "yes"),
        ("1.1", "Hours", "6"),
        ("3.1/1", "Taught in the course?", "partly"),  # as the kind of answer spells it
        ("3.1/1", "Hours", "2.5"),
        ("3.1/1", "Where it is taught (unit or week)", "Week 5"),
        ("3.1/1", "Notes", "Team project"),
    }
    teamwork_first = next(r for r in _items(model) if r.ref == "3.1/1")
    assert str(saved.entries.get(column="Notes").item_identifier) == teamwork_first.identifier


def test_a_filled_in_docx_is_kept_with_the_model(model):
    data = sheets.docx(
        model, "employer", {"2.3": ["5", "Yes"]},
        {"Employer": "Acme Welding", "Respondent": "Ana, shop lead"},
    )  # fmt: skip
    saved = services.upload(
        framework=model, actor=UserFactory(), kind="", name="employer.docx", data=data
    )
    assert saved.kind == "employer"  # as the file says
    assert (saved.employer, saved.respondent) == ("Acme Welding", "Ana, shop lead")
    assert sorted(saved.entries.values_list("column", "value")) == [
        ("Importance", "5"), ("Needed at hire?", "yes")
    ]  # fmt: skip


def _refused(model, data, name="w.xlsx", kind="curriculum", actor=None):
    before = (WorksheetUpload.objects.count(), WorksheetEntry.objects.count())
    with pytest.raises(InvalidInput) as refused:
        services.upload(
            framework=model, actor=actor or UserFactory(), kind=kind, name=name, data=data
        )
    assert (WorksheetUpload.objects.count(), WorksheetEntry.objects.count()) == before
    return [str(p) for p in refused.value.problems]


def test_an_unknown_reference_is_refused_naming_the_row(model):
    def bad_ref(ws):
        ws["A12"] = "99.9"
        ws["E12"] = "Week 1"
        ws.cell(row=12, column=7).value = None  # no identifier to fall back on

    problems = _refused(model, _filled_xlsx(model, edit=bad_ref))
    assert problems == [
        "w.xlsx, row 12, Ref: '99.9' is not a competency or key behavior of "
        "Building Blocks Competency Model"
    ]


def test_entries_on_a_tier_row_are_refused(model):
    problems = _refused(
        model, _filled_xlsx(model, edit=lambda ws: ws.cell(row=11, column=5, value="x"))
    )
    assert problems == [
        "w.xlsx, row 11, Ref: has entries but no reference; write entries on a competency or "
        "key behavior row"
    ]


def test_the_wrong_kind_of_worksheet_is_refused(model):
    problems = _refused(model, _filled_xlsx(model), kind="gap")
    assert any("is a curriculum analysis worksheet, not gap analysis" in p for p in problems)


def test_a_worksheet_of_another_model_is_refused(model, reference):
    automation = loaded("automation")
    data = sheets.xlsx(automation, "gap", {"1.1": ["yes"]})
    problems = _refused(model, data, kind="gap")
    assert any("another model" in p for p in problems)


def test_a_truncated_empty_blank_or_foreign_file_is_refused(model):
    data = _filled_xlsx(model)
    assert any("truncated" in p for p in _refused(model, data[: len(data) // 2]))
    assert any("is empty" in p for p in _refused(model, b""))
    assert _refused(model, sheetfiles.render(model, "curriculum", "xlsx")) == [
        "w.xlsx, Course: is empty; say which course the worksheet is about: write it beside "
        "'Course' in the sheet, or give it when uploading",
        "w.xlsx, file: has nothing filled in",
    ]
    assert any("unknown ending" in p for p in _refused(model, b"a,b", name="w.csv"))
    assert any("truncated" in p for p in _refused(model, b"not a zip", name="w.docx"))


def test_a_file_over_the_limit_is_refused(model, settings):
    settings.CMC_MAX_IMPORT_BYTES = 1000
    assert any("limit" in p for p in _refused(model, _filled_xlsx(model)))


def test_uploading_from_the_page(client, model):
    user = UserFactory()
    client.force_login(user)
    page = client.get("/frameworks/building-blocks/worksheets/")
    assert page.status_code == 200
    assert page.content.decode().count("Download: ") == 4
    answer = client.post(
        "/frameworks/building-blocks/worksheets/",
        {"kind": "curriculum", "file": sheets.named(_filled_xlsx(model), "ours.xlsx"),
         "course_hours": "45", "respondent": "Sam Lee, program chair"},
    )  # fmt: skip
    saved = WorksheetUpload.objects.get()
    assert answer.status_code == 302
    assert (
        answer["Location"] == f"/frameworks/building-blocks/worksheets/uploads/{saved.identifier}/"
    )
    shown = client.get(answer["Location"]).content.decode()
    assert "<dt>Course</dt><dd>WLD 101</dd>" in shown  # from the sheet
    assert "<dt>Course hours</dt><dd>45</dd>" in shown  # from the form
    assert "<dt>Respondent</dt><dd>Sam Lee, program chair</dd>" in shown
    assert "<li>Hours: hours: a number, 0 or more</li>" in shown
    assert "<td>3.1/1</td>" in shown and "Team project" in shown  # the entries themselves
    listed = client.get("/frameworks/building-blocks/worksheets/").content.decode()
    assert (
        f'href="/frameworks/building-blocks/worksheets/uploads/{saved.identifier}/">ours.xlsx</a>'
        in listed
    )
    assert '<td>WLD 101 <span class="muted">(Sam Lee, program chair)</span></td>' in listed
    refused = client.post(
        "/frameworks/building-blocks/worksheets/",
        {"kind": "curriculum", "file": sheets.named(b"junk", "junk.xlsx")},
    )
    assert refused.status_code == 422
    assert "The worksheet was not kept; nothing was saved" in refused.content.decode()
    assert WorksheetUpload.objects.count() == 1


def test_an_upload_is_shown_only_to_whom_may_see_it(client, model):
    saved = services.upload(
        framework=model, actor=UserFactory(), kind="curriculum", name="ours.xlsx",
        data=_filled_xlsx(model),
    )  # fmt: skip
    address = f"/frameworks/building-blocks/worksheets/uploads/{saved.identifier}/"
    assert client.get(address).status_code == 404
    client.force_login(UserFactory())
    assert client.get(address).status_code == 404
    client.force_login(saved.uploaded_by)
    assert client.get(address).status_code == 200


def test_anonymous_visitors_download_but_do_not_upload(client, model):
    assert client.get("/frameworks/building-blocks/worksheets/gap.docx").status_code == 200
    upload = sheets.named(_filled_xlsx(model), "ours.xlsx")
    answer = client.post("/frameworks/building-blocks/worksheets/", {"file": upload})
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
    assert WorksheetUpload.objects.count() == 0


def test_uploads_through_the_api_and_who_sees_them(client, model):
    user, other = UserFactory(), UserFactory()
    _, secret = create_api_token(user=user, name="workshop")
    answer = client.post(
        "/api/v1/frameworks/building-blocks/worksheets/curriculum",
        {"file": sheets.named(_filled_xlsx(model), "ours.xlsx"), "course": "WLD 102",
         "course_hours": "30"},
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )  # fmt: skip
    assert answer.status_code == 201, answer.content
    kept = answer.json()
    assert (kept["entry_count"], kept["course"], kept["course_hours"]) == (6, "WLD 102", 30.0)
    assert kept["column_types"] == ["yes/partly/no", "hours", "text", "text"]
    identifier = answer.json()["identifier"]
    mine = client.get(
        f"/api/v1/frameworks/building-blocks/worksheet-uploads/{identifier}",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert mine.status_code == 200
    assert {e["ref"] for e in mine.json()["entries"]} == {"1.1", "3.1/1"}
    client.force_login(other)
    assert client.get("/api/v1/frameworks/building-blocks/worksheet-uploads").json() == []
    assert (
        client.get(f"/api/v1/frameworks/building-blocks/worksheet-uploads/{identifier}").status_code
        == 404
    )


def test_api_upload_of_a_bad_file_is_422_and_keeps_nothing(client, model):
    _, secret = create_api_token(user=UserFactory(), name="t")
    upload = io.BytesIO(b"junk")
    upload.name = "junk.xlsx"
    answer = client.post(
        "/api/v1/frameworks/building-blocks/worksheets/gap",
        {"file": upload},
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["where"] == "junk.xlsx"
    assert WorksheetUpload.objects.count() == 0
    anonymous = client.post("/api/v1/frameworks/building-blocks/worksheets/gap", {"file": upload})
    assert anonymous.status_code == 401


def test_command_line_writes_and_uploads_worksheets(model, tmp_path):
    out = tmp_path / "gap.docx"
    call_command(
        "worksheet", "building-blocks", "--kind", "gap", "--format", "docx", "-o", str(out)
    )
    assert Document(str(out)).tables[1].rows[0].cells[2].text == worksheets.KINDS["gap"].columns[0]
    blank = tmp_path / "employer.xlsx"
    call_command(
        "worksheet", "building-blocks", "--kind", "employer", "--employer", "Acme", "-o", str(blank)
    )
    assert load_workbook(str(blank)).active["B5"].value == "Acme"
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(_filled_xlsx(model))
    user = UserFactory()
    call_command(
        "worksheet", "building-blocks", "--upload", str(filled), "--as", user.username,
        "--course", "WLD 110", "--course-hours", "12.5", stdout=io.StringIO(),
    )  # fmt: skip
    saved = WorksheetUpload.objects.get()
    assert (saved.entry_count, saved.course, saved.course_hours) == (6, "WLD 110", 12.5)
    with pytest.raises(CommandError, match="--kind"):
        call_command("worksheet", "building-blocks")
    with pytest.raises(CommandError, match="no framework"):
        call_command("worksheet", "nope", "--kind", "gap")


def test_editors_see_their_teams_uploads_but_not_strangers(reference):
    from cmc.factories import MembershipFactory, OrganizationFactory
    from cmc.frameworks.models import Framework
    from cmc.frameworks.services import derive_framework, share_framework

    owner, stranger = UserFactory(), UserFactory()
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=owner, role="owner")
    colleague = MembershipFactory(organization=organization, role="viewer").user
    model = derive_framework(
        actor=owner, sources=[Framework.objects.get(slug="building-blocks")], name="Open"
    )
    share_framework(
        framework=model, actor=owner, visibility="public", organization=organization.slug
    )
    tree = loaded(model.slug)
    for who in (colleague, stranger):
        services.upload(
            framework=model, actor=who, kind="curriculum", name=f"{who.username}.xlsx",
            data=_filled_xlsx(tree),
        )  # fmt: skip
    assert {u.uploaded_by for u in selectors.uploads_for(framework=model, user=owner)} == {
        colleague
    }
    assert [u.uploaded_by for u in selectors.uploads_for(framework=model, user=stranger)] == [
        stranger
    ]
