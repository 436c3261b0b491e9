"""The four workshop worksheets: written as XLSX and DOCX, filled in, and read back; a bad
file is refused with its row and column named, and nothing is kept."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document
from openpyxl import load_workbook

from cmc.accounts.services import create_api_token
from cmc.analysis import selectors, services, worksheets
from cmc.analysis.models import WorksheetEntry, WorksheetUpload
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
    book = load_workbook(io.BytesIO(worksheets.render(model, kind, "xlsx")))
    ws = book.active
    sheet = worksheets.KINDS[kind]
    assert ws["A1"].value == f"{sheet.title} worksheet"
    header = [c.value for c in ws[5]]
    assert header == ["Ref", "Competency or key behavior", *sheet.columns, "Identifier"]
    refs = [row[0] for row in ws.iter_rows(min_row=6, values_only=True) if row[0]]
    assert refs == [row.ref for row in _items(model)]
    labels = [row[1] for row in ws.iter_rows(min_row=6, values_only=True)]
    assert "Tier 1: Personal Effectiveness Competencies" in labels
    assert ws.column_dimensions["A"].width == 8
    identifier_column = ws.cell(row=5, column=len(header)).column_letter
    assert ws.column_dimensions[identifier_column].hidden
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$5:$5"


@pytest.mark.parametrize("kind", list(worksheets.KINDS))
def test_docx_worksheet_is_a_landscape_table_with_a_repeating_header(model, kind):
    document = Document(io.BytesIO(worksheets.render(model, kind, "docx")))
    assert document.sections[0].page_width > document.sections[0].page_height
    table = document.tables[0]
    header = [cell.text for cell in table.rows[0].cells]
    assert header == ["Ref", "Competency or key behavior", *worksheets.KINDS[kind].columns]
    assert len(table.rows) == 1 + len(worksheets.rows_of(model))
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    assert document.core_properties.subject == kind


def test_curriculum_columns_take_the_users_own_course_names(model):
    book = load_workbook(
        io.BytesIO(worksheets.render(model, "curriculum", "xlsx", columns=["WLD 101", "WLD 205"]))
    )
    assert [c.value for c in book.active[5]][2:] == ["WLD 101", "WLD 205", "Identifier"]


def _filled_xlsx(model, kind="curriculum", edit=None) -> bytes:
    book = load_workbook(io.BytesIO(worksheets.render(model, kind, "xlsx")))
    ws = book.active
    ws.cell(row=5, column=3, value="WLD 101")  # a renamed course column
    for row in ws.iter_rows(min_row=6):
        if row[0].value == "1.1":
            row[2].value = "Week 2"
        if row[0].value == "3.1/1":
            row[2].value = "Week 5"
            row[6].value = "Team project"
    if edit:
        edit(ws)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_filled_in_xlsx_is_kept_with_the_model(model):
    user = UserFactory()
    saved = services.upload(
        framework=model, actor=user, kind="curriculum", name="ours.xlsx", data=_filled_xlsx(model)
    )
    assert (saved.kind, saved.entry_count, saved.uploaded_by) == ("curriculum", 3, user)
    assert saved.columns[0] == "WLD 101"
    entries = {(e.ref, e.column, e.value) for e in saved.entries.all()}
    assert entries == {
        ("1.1", "WLD 101", "Week 2"),
        ("3.1/1", "WLD 101", "Week 5"),
        ("3.1/1", "Notes", "Team project"),
    }
    teamwork_first = next(r for r in _items(model) if r.ref == "3.1/1")
    assert str(saved.entries.get(column="Notes").item_identifier) == teamwork_first.identifier


def test_a_filled_in_docx_is_kept_with_the_model(model):
    document = Document(io.BytesIO(worksheets.render(model, "employer", "docx")))
    rows = document.tables[0].rows
    for row in rows[1:]:
        if row.cells[0].text == "2.3":
            row.cells[2].text = "5"
            row.cells[3].text = "At hire"
    out = io.BytesIO()
    document.save(out)
    saved = services.upload(
        framework=model, actor=UserFactory(), kind="", name="employer.docx", data=out.getvalue()
    )
    assert saved.kind == "employer"  # as the file says
    assert sorted(saved.entries.values_list("value", flat=True)) == ["5", "At hire"]


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
        ws["A7"] = "99.9"
        ws["C7"] = "Week 1"
        ws.cell(row=7, column=8).value = None  # no identifier to fall back on

    problems = _refused(model, _filled_xlsx(model, edit=bad_ref))
    assert any("row 7" in p and "'99.9' is not a competency or key behavior" in p for p in problems)


def test_entries_on_a_tier_row_are_refused(model):
    problems = _refused(
        model, _filled_xlsx(model, edit=lambda ws: ws.cell(row=6, column=3, value="x"))
    )
    assert any("row 6" in p and "no reference" in p for p in problems)


def test_the_wrong_kind_of_worksheet_is_refused(model):
    problems = _refused(model, _filled_xlsx(model), kind="gap")
    assert any("is a curriculum analysis worksheet, not gap analysis" in p for p in problems)


def test_a_worksheet_of_another_model_is_refused(model, reference):
    automation = loaded("automation")
    data = worksheets.render(automation, "gap", "xlsx")
    book = load_workbook(io.BytesIO(data))
    book.active["C7"] = "yes"
    out = io.BytesIO()
    book.save(out)
    problems = _refused(model, out.getvalue(), kind="gap")
    assert any("another model" in p for p in problems)


def test_a_truncated_empty_blank_or_foreign_file_is_refused(model):
    data = _filled_xlsx(model)
    assert any("truncated" in p for p in _refused(model, data[: len(data) // 2]))
    assert any("is empty" in p for p in _refused(model, b""))
    assert any(
        "nothing filled in" in p
        for p in _refused(model, worksheets.render(model, "curriculum", "xlsx"))
    )
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
    upload = io.BytesIO(_filled_xlsx(model))
    upload.name = "ours.xlsx"
    answer = client.post(
        "/frameworks/building-blocks/worksheets/", {"kind": "curriculum", "file": upload}
    )
    assert answer.status_code == 302
    listed = client.get("/frameworks/building-blocks/worksheets/").content.decode()
    assert "ours.xlsx" in listed and "WLD 101" in listed
    assert "<td>3.1/1</td>" in listed and "Team project" in listed  # the entries themselves
    bad = io.BytesIO(b"junk")
    bad.name = "junk.xlsx"
    refused = client.post(
        "/frameworks/building-blocks/worksheets/", {"kind": "curriculum", "file": bad}
    )
    assert refused.status_code == 422
    assert "nothing was saved" in refused.content.decode()
    assert WorksheetUpload.objects.count() == 1


def test_anonymous_visitors_download_but_do_not_upload(client, model):
    assert client.get("/frameworks/building-blocks/worksheets/gap.docx").status_code == 200
    upload = io.BytesIO(_filled_xlsx(model))
    upload.name = "ours.xlsx"
    answer = client.post("/frameworks/building-blocks/worksheets/", {"file": upload})
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
    assert WorksheetUpload.objects.count() == 0


def test_uploads_through_the_api_and_who_sees_them(client, model):
    user, other = UserFactory(), UserFactory()
    _, secret = create_api_token(user=user, name="workshop")
    upload = io.BytesIO(_filled_xlsx(model))
    upload.name = "ours.xlsx"
    answer = client.post(
        "/api/v1/frameworks/building-blocks/worksheets/curriculum",
        {"file": upload},
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["entry_count"] == 3
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
    assert Document(str(out)).tables[0].rows[0].cells[2].text == worksheets.KINDS["gap"].columns[0]
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(_filled_xlsx(model))
    user = UserFactory()
    call_command("worksheet", "building-blocks", "--upload", str(filled), "--as", user.username)
    assert WorksheetUpload.objects.get().entry_count == 3
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
