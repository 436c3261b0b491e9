"""Each input column of a worksheet says what it takes (a rating from 1 to 5, yes or no, yes,
partly or no, hours, free text), the workbook offers it through the spreadsheet's own data
validation, and an upload checks every value by it, naming file, row and column; each sheet
says what it is about (credential, employer, course and its hours, respondent), and the upload
form fills or replaces that. Nothing is kept when anything is wrong."""

import io

import pytest
from openpyxl import load_workbook

from cmc.accounts.services import create_api_token
from cmc.analysis import services, sheetfiles
from cmc.analysis.models import WorksheetEntry, WorksheetUpload
from cmc.analysis.tests import sheets
from cmc.core.errors import InvalidInput
from cmc.factories import UserFactory, loaded, welding_tree
from cmc.frameworks.services import save_framework_tree

pytestmark = pytest.mark.django_db

KNOWN = (
    "'A rating from 1 (low) to 5 (high)'; 'yes or no'; 'yes, partly or no'; "
    "'Hours: a number, 0 or more'; 'Free text'"
)


@pytest.fixture
def model(db):
    save_framework_tree(tree=welding_tree(), where="test", visibility="public")
    return loaded("welding")


def refused(model, data, *, name="survey.xlsx", kind="", about=None) -> list[str]:
    with pytest.raises(InvalidInput) as error:
        services.upload(
            framework=model, actor=UserFactory(), kind=kind, name=name, data=data, about=about
        )
    assert (WorksheetUpload.objects.count(), WorksheetEntry.objects.count()) == (0, 0)
    return [str(p) for p in error.value.problems]


def validations(ws) -> dict[str, tuple]:
    return {
        str(rule.sqref): (rule.type, rule.operator, rule.formula1, rule.formula2)
        for rule in ws.data_validations.dataValidation
    }


def test_typed_columns_offer_their_choices_and_ranges_in_the_spreadsheet(model):
    employer = load_workbook(io.BytesIO(sheetfiles.render(model, "employer", "xlsx"))).active
    assert validations(employer) == {
        "C10:C18": ("whole", "between", "1", "5"),
        "D10:D18": ("list", None, '"yes,no"', None),
    }
    rule = employer.data_validations.dataValidation[0]
    assert (rule.showErrorMessage, rule.error) == (True, "Write a whole number from 1 to 5.")
    curriculum = load_workbook(io.BytesIO(sheetfiles.render(model, "curriculum", "xlsx"))).active
    assert validations(curriculum) == {
        "B6": ("decimal", "between", "0", "100000"),  # the course's hours
        "C11:C19": ("list", None, '"yes,partly,no"', None),
        "D11:D19": ("decimal", "between", "0", "100000"),
    }


def test_every_value_is_checked_by_its_columns_kind_and_nothing_is_kept(model):
    data = sheets.xlsx(
        model, "employer",
        {"1.1": ["5", "maybe"], "1.1/1": ["4.5"], "1.2": ["banana", "no"], "2.1": [6, None, "x"]},
        {"Employer": "Acme"},
    )  # fmt: skip
    assert refused(model, data) == [
        "survey.xlsx, row 11, Needed at hire?: 'maybe' is not yes or no",
        "survey.xlsx, row 12, Importance: '4.5' is not a rating from 1 to 5",
        "survey.xlsx, row 14, Importance: 'banana' is not a rating from 1 to 5",
        "survey.xlsx, row 17, Importance: '6' is not a rating from 1 to 5",
    ]
    data = sheets.xlsx(
        model, "curriculum", {"1.1": ["sometimes", "-3"], "1.2": ["yes", "lots"]},
        {"Course": "WLD 101"},
    )  # fmt: skip
    assert refused(model, data) == [
        "survey.xlsx, row 12, Taught in the course?: 'sometimes' is not yes, partly or no",
        "survey.xlsx, row 12, Hours: '-3' is not a number of hours (0 or more)",
        "survey.xlsx, row 15, Hours: 'lots' is not a number of hours (0 or more)",
    ]


def test_a_word_worksheet_is_checked_the_same_way(model):
    data = sheets.docx(model, "employer", {"1.2": ["banana"]}, {"Employer": "Acme"})
    assert refused(model, data, name="survey.docx") == [
        "survey.docx, row 7, Importance: 'banana' is not a rating from 1 to 5"
    ]


def test_values_are_kept_as_their_kind_spells_them(model):
    data = sheets.xlsx(
        model, "employer", {"1.1": [4.0, "Yes"], "1.2": [" 5 ", "NO", "Said twice"]},
        {"Employer": "Acme"},
    )  # fmt: skip
    saved = services.upload(
        framework=model, actor=UserFactory(), kind="", name="survey.xlsx", data=data
    )
    assert list(saved.entries.values_list("ref", "column", "value")) == [
        ("1.1", "Importance", "4"),
        ("1.1", "Needed at hire?", "yes"),
        ("1.2", "Importance", "5"),
        ("1.2", "Needed at hire?", "no"),
        ("1.2", "Notes", "Said twice"),
    ]
    assert saved.column_types == ["rating 1-5", "yes/no", "text"]


def swap_importance_and_notes(ws):
    """Renames the rating column and moves it last, with what its sheet says of it."""
    at = sheets.header_row(ws)
    for row in ws.iter_rows(min_row=at, max_col=5):
        row[2].value, row[4].value = row[4].value, row[2].value
    ws.cell(row=at, column=5, value="Priority")


def test_a_renamed_or_moved_column_keeps_the_kind_its_sheet_declares(model):
    data = sheets.xlsx(
        model, "employer", {"1.1": ["5", "yes", "free words"]}, {"Employer": "Acme"},
        edit=swap_importance_and_notes,
    )  # fmt: skip
    saved = services.upload(
        framework=model, actor=UserFactory(), kind="employer", name="survey.xlsx", data=data
    )
    assert saved.columns == ["Notes", "Needed at hire?", "Priority"]
    assert saved.column_types == ["text", "yes/no", "rating 1-5"]
    bad = sheets.xlsx(
        model, "employer", {"1.2": ["banana", None, "4"]}, {"Employer": "Acme"},
        edit=swap_importance_and_notes,
    )  # fmt: skip
    WorksheetUpload.objects.all().delete()
    # The swap moved 'banana' under Priority and '4' under Notes.
    assert refused(model, bad) == [
        "survey.xlsx, row 14, Priority: 'banana' is not a rating from 1 to 5"
    ]


def test_a_column_is_checked_as_its_sheet_declares_it(model):
    def declare(ws):
        ws.cell(row=9, column=5, value="yes or no")  # Notes, now yes or no

    data = sheets.xlsx(
        model, "employer", {"1.1": [None, None, "perhaps"]}, {"Employer": "A"}, edit=declare
    )
    assert refused(model, data) == ["survey.xlsx, row 11, Notes: 'perhaps' is not yes or no"]

    def unknown(ws):
        ws.cell(row=9, column=3, value="a colour")

    data = sheets.xlsx(model, "employer", {"1.1": ["red"]}, {"Employer": "A"}, edit=unknown)
    assert refused(model, data) == [
        f"survey.xlsx, row 9, Importance: 'a colour' is not a kind of answer this site knows; "
        f"write one of {KNOWN}"
    ]


def test_a_sheet_without_the_row_that_declares_its_columns_takes_its_kinds_own(model):
    data = sheets.xlsx(
        model, "employer", {"1.2": ["banana"]}, {"Employer": "A"}, edit=lambda ws: ws.delete_rows(9)
    )
    assert refused(model, data) == [
        "survey.xlsx, row 13, Importance: 'banana' is not a rating from 1 to 5"
    ]


def test_the_upload_fills_or_replaces_what_the_sheet_says_it_is_about(model):
    data = sheets.xlsx(
        model, "curriculum", {"1.1": ["yes", "3"]}, {"Course": "WLD 101", "Course hours": 45}
    )
    kept = services.upload(
        framework=model, actor=UserFactory(), kind="", name="c.xlsx", data=data,
        about={"respondent": "Sam Lee, chair", "course": " "},
    )  # fmt: skip
    assert (kept.course, kept.course_hours, kept.respondent) == ("WLD 101", 45.0, "Sam Lee, chair")
    replaced = services.upload(
        framework=model, actor=UserFactory(), kind="", name="c.xlsx", data=data,
        about={"course": "WLD 102", "course_hours": "30.5"},
    )  # fmt: skip
    assert (replaced.course, replaced.course_hours) == ("WLD 102", 30.5)


def test_a_worksheet_must_say_what_it_is_about_and_say_it_well(model):
    data = sheets.xlsx(model, "credential", {"1.1": ["yes"]})
    assert refused(model, data) == [
        "survey.xlsx, Credential: is empty; say which credential the worksheet is about: write "
        "it beside 'Credential' in the sheet, or give it when uploading"
    ]
    assert services.upload(
        framework=model, actor=UserFactory(), kind="", name="survey.xlsx", data=data,
        about={"credential": "AWS Certified Welder"},
    ).credential == "AWS Certified Welder"  # fmt: skip
    WorksheetUpload.objects.all().delete()
    hours = sheets.xlsx(
        model, "curriculum", {"1.1": ["yes"]}, {"Course": "WLD 101", "Course hours": "forty"}
    )
    assert refused(model, hours) == [
        "survey.xlsx, row 6, Course hours: 'forty' is not a number of hours (0 or more)"
    ]
    assert refused(model, hours, about={"course_hours": "-1", "employer": "x" * 201}) == [
        "upload, employer: is longer than 200 characters",
        "upload, course_hours: '-1' is not a number of hours (0 or more)",
    ]
    word = sheets.docx(model, "curriculum", {"1.1": ["yes"]}, {"Course": "W", "Course hours": "?"})
    assert refused(model, word, name="c.docx") == [
        "c.docx, table 'About this worksheet', row 3, Course hours: '?' is not a number of "
        "hours (0 or more)"
    ]


def test_the_page_shows_each_problem_beside_its_field_and_keeps_what_was_typed(client, model):
    client.force_login(UserFactory())
    data = sheets.xlsx(model, "curriculum", {"1.1": ["yes", "bad"]})
    answer = client.post(
        "/frameworks/welding/worksheets/",
        {"kind": "curriculum", "file": sheets.named(data, "c.xlsx"), "course_hours": "lots",
         "respondent": "Sam"},
    )  # fmt: skip
    assert answer.status_code == 422
    page = answer.content.decode()
    assert (
        '<a href="#id_course_hours">Course hours: &#x27;lots&#x27; is not a number of hours '
        "(0 or more)</a>"
    ) in page
    assert '<a href="#id_course">c.xlsx, Course: is empty; say which course' in page
    assert (
        '<a href="#id_file">c.xlsx, row 12, Hours: &#x27;bad&#x27; is not a number of hours '
        "(0 or more)</a>"
    ) in page
    assert (
        '<p class="error" id="id_course_hours-error"><span class="visually-hidden">Error: '
        "</span>&#x27;lots&#x27; is not a number of hours (0 or more)</p>"
    ) in page
    assert (
        'name="course_hours" type="text" value="lots" maxlength="200" '
        'aria-describedby="id_course_hours-hint id_course_hours-error" aria-invalid="true"'
    ) in page
    assert 'name="respondent" type="text" value="Sam"' in page
    assert '<option value="curriculum" selected>' in page
    assert "The file has 1 problem, listed at the top of the page." in page
    assert WorksheetUpload.objects.count() == 0


def test_the_api_takes_what_the_sheet_is_about_as_form_fields(client, model):
    _, secret = create_api_token(user=UserFactory(), name="t")
    data = sheets.xlsx(model, "employer", {"1.1": ["4"]})
    address = "/api/v1/frameworks/welding/worksheets/employer"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    bad = client.post(address, {"file": sheets.named(data, "e.xlsx"), "course_hours": "x"}, **auth)
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        {"where": "upload", "field": "course_hours",
         "message": "'x' is not a number of hours (0 or more)"},
        {"where": "e.xlsx", "field": "Employer",
         "message": "is empty; say which employer the worksheet is about: write it beside "
                    "'Employer' in the sheet, or give it when uploading"},
    ]  # fmt: skip
    unknown = client.post(
        address, {"file": sheets.named(data, "e.xlsx"), "employer": "Acme", "colour": "red"},
        **auth,
    )  # fmt: skip
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json()["errors"]] == ["colour"]
    kept = client.post(
        address, {"file": sheets.named(data, "e.xlsx"), "employer": "Acme", "respondent": "Ana"},
        **auth,
    )  # fmt: skip
    assert kept.status_code == 201, kept.content
    assert {k: kept.json()[k] for k in ("employer", "respondent", "course_hours")} == {
        "employer": "Acme", "respondent": "Ana", "course_hours": None
    }  # fmt: skip
